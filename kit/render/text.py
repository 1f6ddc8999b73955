"""Plain text, Markdown and JSON from a Material: for newsletters, web pages and tools."""

from __future__ import annotations

import json
import re

from kit.material import Material
from kit.render.document import environment, outline

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


def render_plain(material: Material) -> str:
    env = environment(autoescape=False)
    return env.get_template("material.txt.j2").render(m=material, sections=outline(material))


def render_markdown(material: Material) -> str:
    env = environment(autoescape=False)
    env.filters["md"] = md_escape
    return env.get_template("material.md.j2").render(m=material, sections=outline(material))


def render_json(material: Material) -> str:
    return json.dumps(material.to_dict(), ensure_ascii=False, indent=2) + "\n"
