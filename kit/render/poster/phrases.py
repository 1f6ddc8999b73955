"""Text runs for the poster: where a line may break, per script.

Japanese, Chinese and Thai are written without spaces between words: BudouX gives the
phrases, each becomes an unbreakable box, and a line breaks only between them. Korean
breaks only between words, as CSS `word-break: keep-all` does. In every script a line
never starts with a closing bracket or quote, nor ends with an opening one; Japanese and
Chinese also keep JLREQ's line-start prohibited characters (、。」 small kana, ー...) off
the start of a line. Other scripts are broken by Typst (UAX #14), which keeps these rules.
"""

from __future__ import annotations

import functools
import itertools
from dataclasses import dataclass, replace
from typing import Any

from kit.fonts import ARABIC, DEVANAGARI, THAI, covering, families_for, text_lang
from kit.material import Block

# Languages BudouX segments, by the language tag's start.
_BUDOUX = {
    "ja": "load_default_japanese_parser",
    "zh-Hans": "load_default_simplified_chinese_parser",
    "zh-Hant": "load_default_traditional_chinese_parser",
    "th": "load_default_thai_parser",
}

# May not start a line: closing brackets and quotes in every script, and JLREQ's
# line-start prohibited characters (punctuation, small kana, iteration marks, the
# long-vowel mark, the middle dot).
NO_LINE_START = frozenset(
    ")]}»›”’」』）〕］｝〉》】〙〗〟、。，．・：；？！‼⁇⁈⁉ー゠"
    "ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶ々〻ゝゞヽヾ…‥%％,.:;?!"
)
# May not end a line: opening brackets and quotes.
NO_LINE_END = frozenset("([{«‹“‘「『（〔［｛〈《【〘〖〝")
ZWSP = "\u200b"  # a zero-width space: the only place a phrase-broken line may break
# A phrase longer than this is left breakable (Typst's own rules, JLREQ's for CJK): kept
# whole it could be wider than a narrow column, and hold the whole poster's size down.
LONGEST_KEPT = 10


@dataclass(frozen=True)
class Metrics:
    """A script's line box, in em of the text's size: how far its glyphs reach above and
    below the baseline (top, bottom), and the gap between one line's box and the next
    (leading). Measured on the ink of every glyph the catalogs print, in every size of
    the poster matrix (tests/render/layout_gate.py), with a margin for words not yet written:
    a line box holds its glyphs, so lines set with these never touch."""

    top: float
    bottom: float
    leading: float


# By the script's font; Latin by default. Measured reach: Latin 0.85/0.25, Vietnamese
# (stacked marks on capitals) 1.0/0.25, CJK 0.89/0.26, Arabic 1.09/0.45, Devanagari
# 0.90/0.36, Thai 1.04/0.27.
_METRICS = {
    ARABIC: Metrics(1.16, 0.5, 0.22),
    DEVANAGARI: Metrics(0.98, 0.42, 0.25),
    THAI: Metrics(1.1, 0.32, 0.25),
}
_CJK = Metrics(0.94, 0.3, 0.32)
_LATIN = Metrics(0.92, 0.28, 0.28)
_VIETNAMESE = Metrics(1.12, 0.28, 0.24)


def metrics(lang: str, fonts: list[str], text: str | None = None) -> Metrics:
    """The line box of a run in `lang`, or, given the `text` it holds, of that text: a web
    address or an organisation's name in plain ASCII on an Arabic, Thai, Devanagari or
    Vietnamese poster is drawn in Latin letters, and needs only their line box. (A CJK font
    draws the Latin letters of CJK text itself.)"""
    if "CJK" in fonts[0]:
        return _CJK
    if text is not None and text.isascii():
        return _LATIN
    if lang == "vi":
        return _VIETNAMESE
    return _METRICS.get(fonts[0], _LATIN)


@dataclass(frozen=True)
class RubyUnit:
    base: str
    reading: str | None  # furigana, None for plain text
    # (before, after): a reading longer than its base may reach over the plain kana beside
    # it, by up to one of its own characters (JLREQ), rather than space its base out.
    overhang: tuple[bool, bool] = (False, False)


@dataclass(frozen=True)
class Run:
    """One language's text of a block, as the template sets it."""

    id: str
    text: str
    lang: str
    region: str | None
    dir: str
    fonts: list[str]
    # Unbreakable pieces joined by `joiner`, where the script needs them; else None
    # and Typst breaks the text itself.
    phrases: list[str] | None
    joiner: str
    ruby: list[list[RubyUnit]] | None  # phrases of units, for text with furigana
    tokens: list[str]  # pieces that cannot break: the widest must fit its column
    metrics: Metrics


@functools.cache
def _parser(key: str) -> Any:
    import budoux

    return getattr(budoux, _BUDOUX[key])()


def keep_rules(pieces: list[str]) -> list[str]:
    """Unbreakable pieces (joined without a space) with the line rules kept at every join:
    a character that may not start a line goes with the piece before it, one that may not
    end a line with the piece after it. The text is unchanged; only the breaks move."""
    text = "".join(pieces)
    breaks = set(itertools.accumulate(len(p) for p in pieces[:-1]))
    kept = set()
    for b in breaks:
        while 0 < b < len(text) and (text[b] in NO_LINE_START or text[b - 1] in NO_LINE_END):
            b = b + 1 if text[b] in NO_LINE_START else b - 1
        # BudouX may cut a number or a Latin word (201|7年): never break inside one.
        if 0 < b < len(text) and not (_latin_or_digit(text[b - 1]) and _latin_or_digit(text[b])):
            kept.add(b)
    return _split_at(text, kept)


def _latin_or_digit(c: str) -> bool:
    return c.isdigit() or (c.isalpha() and ord(c) < 0x250)


def phrases(key: str, text: str) -> list[str]:
    """BudouX phrases of the text, with the line rules kept at every break, and per
    script no break that leaves a fragment (see `_no_fragments`)."""
    pieces = list(_parser(key).parse(text))
    if key == "ja":
        # A Japanese line may break after 、 and 。 (BudouX misses some in text written in
        # kana, as Easy Japanese is: 人に、はだかの).
        pieces = [
            q for p in pieces for q in _split_at(p, {i + 1 for i, c in enumerate(p) if c in "、。"})
        ]
    return _no_fragments(key, keep_rules(pieces))


# The shortest last phrase of a paragraph that may stand alone on its line, per script:
# a Japanese paragraph does not end on a line of こと or です, nor a Chinese one on 人。
# (its closing punctuation not counted). Thai phrases are words: left as BudouX gives them.
_SHORTEST_LAST = {"ja": 3, "zh-Hans": 2, "zh-Hant": 2}


def _no_fragments(key: str, pieces: list[str]) -> list[str]:
    """Breaks removed where they would leave a fragment on a line: after a Japanese phrase
    of one letter (BudouX cuts kana words it does not know: は|だかの, も|し), and before a
    last phrase shorter than the script's `_SHORTEST_LAST`, which goes down with the
    phrase before it."""
    out: list[str] = []
    for piece in pieces:
        if out and key == "ja" and len(out[-1]) == 1 and out[-1] not in NO_LINE_START:
            out[-1] += piece
        else:
            out.append(piece)
    shortest = _SHORTEST_LAST.get(key, 0)
    if len(out) > 1 and len(out[-1].rstrip("".join(NO_LINE_START))) < shortest:
        out[-2:] = [out[-2] + out[-1]]
    return out


def split_lang(tag: str) -> tuple[str, str | None]:
    """("pt", "BR") from pt-BR: Typst takes the language and the region apart."""
    parts = tag.split("-")
    region = next((p for p in parts[1:] if len(p) == 2 and p.isalpha()), None)
    return parts[0], region.upper() if region else None


def _budoux_key(tag: str) -> str | None:
    lang = tag.split("-")[0]
    return next(
        (k for k in _BUDOUX if tag == k or tag.startswith(k + "-") or (k == "ja" and lang == "ja")),
        None,
    )


def _split_at(text: str, cuts: set[int]) -> list[str]:
    points = [0, *sorted(c for c in cuts if 0 < c < len(text)), len(text)]
    return [text[a:b] for a, b in itertools.pairwise(points)]


def ruby_phrases(block: Block) -> list[list[RubyUnit]]:
    """A Japanese text with furigana as phrases (BudouX, on the base text) of units (a word
    with its reading, or plain text). A line breaks only between phrases, so a word never
    leaves its okurigana (送|らない) or its counter (263|人)."""
    bounds, at = set(), 0
    for phrase in phrases("ja", block.text):
        at += len(phrase)
        bounds.add(at)
    out: list[list[RubyUnit]] = [[]]
    at = 0
    for base, reading in block.ruby or ():
        pieces = [base] if reading else _split_at(base, {b - at for b in bounds})
        for piece in pieces:
            if out[-1] and at in bounds:
                out.append([])
            out[-1].append(RubyUnit(piece, reading))
            at += len(piece)
    return _with_overhangs([p for p in out if p])


def _is_kana(c: str) -> bool:
    return "\u3041" <= c <= "\u30ff"


def _with_overhangs(phrases: list[list[RubyUnit]]) -> list[list[RubyUnit]]:
    """Each reading may reach over plain kana beside it; never over a kanji (it would read
    as its reading) nor over another reading."""
    units = [u for p in phrases for u in p]

    def plain_kana(i: int, end: int) -> bool:
        return (
            0 <= i < len(units)
            and units[i].reading is None
            and units[i].base != ""
            and _is_kana(units[i].base[end])
        )

    marked = iter(
        [
            replace(u, overhang=(plain_kana(i - 1, -1), plain_kana(i + 1, 0))) if u.reading else u
            for i, u in enumerate(units)
        ]
    )
    return [[next(marked) for _ in p] for p in phrases]


def text_run(block: Block) -> Run:
    lang, region = split_lang(block.lang)
    key = _budoux_key(block.lang)
    joiner = ZWSP
    pieces: list[str] | None
    if key:
        pieces = phrases(key, block.text)
    elif lang == "ko" or (lang == "pt" and "-" in block.text):
        # Korean breaks between words (at spaces), never inside one, as CSS keep-all does.
        # So does Portuguese with a hyphenated word: broken at its hyphen, the hyphen is
        # repeated on the next line (its typographic rule), adding one to the text.
        pieces, joiner = block.text.split(" "), " "
    else:
        pieces = None
    ruby = ruby_phrases(block) if block.ruby else None
    if ruby:
        tokens = ["".join(u.base for u in p) for p in ruby]
    elif pieces:
        tokens = [p for p in pieces if joiner == " " or len(p) <= LONGEST_KEPT] or [""]
    else:
        tokens = block.text.split() or [""]
    fonts = families_for(block.lang)
    return Run(
        block.id,
        block.text,
        lang,
        region,
        block.dir,
        fonts,
        pieces,
        joiner,
        ruby,
        tokens,
        metrics(lang, fonts),
    )


def field_run(id: str, text: str, poster_lang: str, dir: str) -> Run:
    """A line of the organisation's profile as a run: in its own script's language
    (`text_lang`), with that language's line breaks, and the fonts of every script it
    holds (a Devanagari contact on a Japanese poster)."""
    from kit.ruby import has_ruby, parse_ruby, strip_ruby

    # An official helpline in Easy Japanese carries furigana (kit.helplines).
    ruby = tuple((s.text, s.reading) for s in parse_ruby(text)) if has_ruby(text) else None
    base = strip_ruby(text)
    run = text_run(Block(id, "org", base, text_lang(base, poster_lang), dir, "profile", ruby=ruby))
    fonts = covering(base, run.fonts)
    reach = [run.metrics, *(_family_metrics(f) for f in fonts[len(run.fonts) :])]
    line_box = Metrics(
        max(m.top for m in reach), max(m.bottom for m in reach), max(m.leading for m in reach)
    )
    return replace(run, fonts=fonts, metrics=line_box)


def _family_metrics(family: str) -> Metrics:
    return _METRICS.get(family, _CJK if "CJK" in family else _LATIN)
