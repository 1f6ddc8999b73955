"""The material shaped as a document (sections, numbered entries, sub-items) and the Jinja2
environment the text and HTML templates share."""

from __future__ import annotations

from dataclasses import dataclass, field

import jinja2

from kit.data import path as data_path
from kit.helplines import Helpline
from kit.material import Block, Material
from kit.profile import Profile


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


@dataclass(frozen=True)
class ContactLine:
    text: str  # the base text, without furigana
    name: bool  # a name (the organisation's, a school's), set strong
    lang: str  # the line's own language (a Japanese name on a Vietnamese page is ja)
    dir: str
    ruby: tuple[tuple[str, str | None], ...] | None = None  # furigana, as a Block's


@dataclass(frozen=True)
class Contact:
    """The organisation as a text prints it, in one language."""

    lines: list[ContactLine]
    url: str | None
    helplines: list[Helpline]  # those among the lines, whose sources a text cites


@dataclass(frozen=True)
class Part:
    """One language of a text: its material, outlined, and its organisation's lines."""

    m: Material
    sections: list[OutlineSection]
    org: Contact | None


def parts(material: Material, second: Material | None, profile: Profile | None) -> list[Part]:
    """The text's languages in order, each with the profile as that language prints it."""
    out = []
    for m in (material, second):
        if m is None:
            continue
        org = None
        if profile is not None:
            shown = profile.for_locale(m.locale)
            lines = [_line(t, name, m) for t, name in shown.printed_lines(m.locale)]
            org = Contact(lines, shown.url, list(shown.helplines))
        out.append(Part(m, outline(m), org))
    return out


def _line(text: str, name: bool, m: Material) -> ContactLine:
    from kit.fonts import text_lang
    from kit.ruby import has_ruby, parse_ruby, strip_ruby

    ruby = tuple((s.text, s.reading) for s in parse_ruby(text)) if has_ruby(text) else None
    base = strip_ruby(text)
    lang = text_lang(base, m.lang)
    return ContactLine(base, name, lang, _dir(lang, m), ruby)


def _dir(lang: str, m: Material) -> str:
    if lang == m.lang:
        return m.dir
    return "rtl" if lang.split("-")[0] in ("ar", "fa", "ur", "he") else "ltr"


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
        loader=jinja2.FileSystemLoader(data_path("templates")),
        autoescape=autoescape,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["plain"] = with_readings
    return env
