"""Furigana written in a catalog in Aozora Bunko's ruby notation: ｜漢字《かんじ》.

｜ (U+FF5C) opens the base text and 《reading》 follows it; without ｜ the base is the run of
kanji just before 《. The notation is data: it is parsed here into segments, which the
renderers draw as ruby (poster), <ruby> (HTML) or base（reading） (plain text).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

BAR, OPEN, CLOSE = "｜", "《", "》"
_KANJI = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff々〆ヵヶ"
_KANA = re.compile(r"^[\u3041-\u309f\u30a0-\u30ffー]+$")
_TOKEN = re.compile(
    rf"{BAR}([^{BAR}{OPEN}{CLOSE}]*){OPEN}([^{OPEN}{CLOSE}]*){CLOSE}"
    rf"|([{_KANJI}]+){OPEN}([^{OPEN}{CLOSE}]*){CLOSE}"
)


@dataclass(frozen=True)
class Segment:
    text: str
    reading: str | None = None


def has_ruby(text: str) -> bool:
    return OPEN in text or BAR in text


def parse_ruby(text: str) -> list[Segment]:
    """Split text into plain segments and segments with a reading. Lenient: marks that do
    not form ruby stay as text (the catalog check reports them)."""
    out: list[Segment] = []
    pos = 0
    for m in _TOKEN.finditer(text):
        if m.start() > pos:
            out.append(Segment(text[pos : m.start()]))
        base = m.group(1) if m.group(1) is not None else m.group(3)
        reading = m.group(2) if m.group(1) is not None else m.group(4)
        out.append(Segment(base, reading or None))
        pos = m.end()
    if pos < len(text):
        out.append(Segment(text[pos:]))
    return out


def strip_ruby(text: str) -> str:
    """The base text only, as the eye reads the main line."""
    return "".join(s.text for s in parse_ruby(text)) if has_ruby(text) else text


def max_reading(base: str) -> int:
    """The longest reading a base may carry: five kana a kanji (承《うけたまわ》) and a
    little over, for readings of whole words (五月雨《さみだれ》)."""
    return 5 * len(base) + 3


def ruby_problems(text: str) -> list[str]:
    """What is wrong with the notation, one sentence each; empty when it is well formed."""
    if not has_ruby(text) and CLOSE not in text:
        return []
    problems = []
    rest = _TOKEN.sub("", text)
    for m in _TOKEN.finditer(text):
        base = m.group(1) if m.group(1) is not None else m.group(3)
        reading = m.group(2) if m.group(1) is not None else m.group(4)
        if not base:
            problems.append(f"{OPEN}{reading}{CLOSE} has no base text after {BAR}")
        elif _KANA.match(base):
            problems.append(f"a reading on kana: {BAR}{base}{OPEN}{reading}{CLOSE}")
        if not reading.strip():
            problems.append(f"an empty reading for {base!r}")
        elif len(reading) > max_reading(base):
            # Set at half size over its base, a reading this long widens the word past any
            # column: on a poster it runs over the panels beside it.
            problems.append(
                f"a reading of {len(reading)} characters for {base!r}; a reading "
                f"is at most {max_reading(base)} for a base of {len(base)}"
            )
    for mark, name in (
        (BAR, "｜ without a following 《reading》"),
        (OPEN, "《 without a base or without a closing 》"),
        (CLOSE, "》 without an opening 《"),
    ):
        if mark in rest:
            problems.append(f"unbalanced ruby marks: {name}")
    return problems
