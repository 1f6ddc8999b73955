"""Plain text, Markdown and JSON from a Material: for newsletters, web pages and tools."""

from __future__ import annotations

import json
import re

from kit.render.document import Part, environment

# Characters that would turn a translation into Markdown markup. Translations are data:
# a "*" or "[link](x)" typed by a translator must show as typed.
_MD_INLINE = re.compile(r"([\\`*_\[\]<>|~&])")  # & too: "&amp;" must not become "&"
# At the start of a line these begin a heading, list or quote, when a space follows.
# A line of = or - under text makes it a heading (setext): escape the first mark too.
_MD_BLOCK = re.compile(r"^(\s*)(#+|[+\-=]+)(?=\s|$)", re.MULTILINE)
_MD_ORDERED = re.compile(r"^(\s*\d+)([.)])(?=\s|$)", re.MULTILINE)


def md_escape(text: str) -> str:
    text = _MD_INLINE.sub(r"\\\1", text)
    text = _MD_BLOCK.sub(r"\1\\\2", text)
    return _MD_ORDERED.sub(r"\1\\\2", text)


def render_plain(parts: list[Part]) -> str:
    env = environment(autoescape=False)
    template = env.get_template("material.txt.j2")
    return "\n* * *\n\n".join(template.render(m=p.m, sections=p.sections, org=p.org) for p in parts)


def render_markdown(parts: list[Part]) -> str:
    env = environment(autoescape=False)
    env.filters["md"] = md_escape
    template = env.get_template("material.md.j2")
    return "\n---\n\n".join(template.render(m=p.m, sections=p.sections, org=p.org) for p in parts)


def render_json(parts: list[Part]) -> str:
    """The localized Material, with its organisation ("organisation": name and contact
    lines, address) when a profile was given; a list of both for two languages."""
    data = []
    for p in parts:
        item = p.m.to_dict()
        if p.org is not None:
            item["organisation"] = {
                "lines": [{"text": x.text, "name": x.name, "lang": x.lang} for x in p.org.lines],
                "url": p.org.url,
            }
        data.append(item)
    return json.dumps(data[0] if len(data) == 1 else data, ensure_ascii=False, indent=2) + "\n"
