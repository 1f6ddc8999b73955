"""The material shaped as a document (sections, numbered entries, sub-items) and the Jinja2
environment the text and HTML templates share."""

from __future__ import annotations

from dataclasses import dataclass, field

import jinja2

from kit.material import Block, Material


@dataclass
class Entry:
    """A list entry: its number (numbered lists), its block, and sub-entries."""

    number: int | None
    block: Block
    children: list[Block] = field(default_factory=list)


@dataclass
class OutlineSection:
    id: str
    style: str
    heading: Block | None
    notes: list[Block]  # small lines under the heading (e.g. whose advice this is)
    paragraphs: list[Block]  # headline, lead
    entries: list[Entry]


def outline(material: Material) -> list[OutlineSection]:
    """The material's sections shaped for a document: items numbered, sub-items nested."""
    out = []
    for section in material.sections:
        sec = OutlineSection(section.id, section.style, section.heading, [], [], [])
        for b in section.blocks:
            if b.role == "note":
                sec.notes.append(b)
            elif b.role in ("headline", "lead"):
                sec.paragraphs.append(b)
            elif b.role == "subitem" and sec.entries:
                sec.entries[-1].children.append(b)
            else:
                number = len(sec.entries) + 1 if section.style == "numbered" else None
                sec.entries.append(Entry(number, b))
        out.append(sec)
    return out


def with_readings(block: Block) -> str:
    """The block as plain text: furigana, if any, in brackets after its base."""
    if not block.ruby:
        return block.text
    return "".join(base + (f"（{reading}）" if reading else "") for base, reading in block.ruby)


def environment(autoescape: bool) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("kit.render", "templates"),
        autoescape=autoescape,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["plain"] = with_readings
    return env
