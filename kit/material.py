"""Material: the one localized object every renderer takes.

Renderers never call gettext or format a number; everything they show is here already.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Block:
    """One piece of localized text: a headline, a list item, the source line..."""

    id: str
    role: str
    text: str
    lang: str  # BCP 47 tag of the language the text is in (English when it fell back)
    dir: str  # "ltr" or "rtl"
    provenance: str
    # A reviewed translation (or the source text in the source locale). A draft is a
    # translation still awaiting review; a block neither translated nor draft is the
    # source text standing in for a missing translation (its lang says so).
    translated: bool = True
    draft: bool = False
    # Furigana: (base, reading) pairs covering the whole text, reading None for plain
    # stretches; None when the text has no ruby. `text` is then the base text alone.
    ruby: tuple[tuple[str, str | None], ...] | None = None
    url: str | None = None  # the address of the citation the block stands for, if any


@dataclass(frozen=True)
class Section:
    id: str
    style: str  # how its items are listed: "numbered", "bulleted" or "none"
    heading: Block | None
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Missing:
    """A message shown in the source language because the catalog has no usable translation."""

    id: str
    reason: str  # "absent", "untranslated" or "fuzzy"


@dataclass(frozen=True)
class Material:
    campaign: str
    locale: str  # the catalog's gettext name, e.g. "ja" or "pt_BR"
    lang: str  # BCP 47, e.g. "ja" or "pt-BR"
    dir: str
    audience: str
    title: str  # the headline, for document titles
    sections: tuple[Section, ...]
    facts: dict[str, str]  # fact id -> the figure formatted for the locale
    source: Block
    source_url: str
    revised: str = "1970-01-01"  # the campaign's revision date (ISO): dates fixed outputs
    # Raw figures (counts, percents) for drawing charts: never for display, which uses facts.
    values: dict[str, float] = field(default_factory=dict)
    # Short words renderers print around the messages (e.g. "Translation"), by message id.
    labels: dict[str, Block] = field(default_factory=dict)
    # The campaign's poster layout for this audience (see [posters] in the campaign file):
    # {"widths": [...], "print": columns, "square": columns, "story": columns}.
    poster: dict[str, Any] | None = None
    translators: str | None = None
    review: str | None = None  # the catalog's X-Review header: who reviewed it, and how
    missing: tuple[Missing, ...] = field(default=())

    @property
    def complete(self) -> bool:
        return not self.missing

    @property
    def draft_label(self) -> Block | None:
        """The locale's own DRAFT mark (the label_draft message) when any message shown is a
        draft or stands in for a missing translation; None for a complete material."""
        if self.complete:
            return None
        return self.labels.get("label_draft") or Block(
            "label_draft", "label", "DRAFT", "en", "ltr", "kit", translated=False
        )

    def blocks(self) -> list[Block]:
        """Every block in reading order, headings included, source line last."""
        out: list[Block] = []
        for section in self.sections:
            if section.heading:
                out.append(section.heading)
            out.extend(section.blocks)
        out.append(self.source)
        return out

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["complete"] = self.complete
        data["draft"] = not self.complete
        return data
