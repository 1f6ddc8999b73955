"""Japanese catalogs against a dictionary: how easy the text reads, and its furigana.

Readability is jReadability, Lee and Hasebe's formula for Japanese, on the text as
printed: readings removed, figures filled in. Higher is easier; 4.5 and above is
elementary (初級). Words, their origin and their readings come from UniDic (unidic-lite)
through MeCab (fugashi): the optional `japanese` extra, about 250 MB unpacked, which only
Japanese catalogs need. Both are pinned, since a new dictionary reads some words
differently; the tests hold the score equal to the `jreadability` package's.
"""

from __future__ import annotations

import functools
import re
import statistics
import unicodedata
from dataclasses import dataclass
from typing import Any

from kit.campaign import Campaign, ReadabilityTarget
from kit.catalog.pofile import Catalog
from kit.errors import KitError
from kit.ruby import BAR, CLOSE, OPEN, parse_ruby

EXTRA = "pip install 'safety-message-kit[japanese]'"

# Lee and Hasebe's six levels, by their lower bounds.
LEVELS = (
    (5.5, "初級前半", "lower elementary"),
    (4.5, "初級後半", "upper elementary"),
    (3.5, "中級前半", "lower intermediate"),
    (2.5, "中級後半", "upper intermediate"),
    (1.5, "上級前半", "lower advanced"),
    (float("-inf"), "上級後半", "upper advanced"),
)

# Longer messages are not analysed: MeCab crashes on a line of megabytes, and no poster
# message comes near this (the longest budget is 220 columns); the check's length budget
# speaks of them.
MAX_ANALYSED = 10_000

_KANJI = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff々〆ヵヶ]")
_ENDS = "。！？!?"
_OPENERS, _CLOSERS = "「『（(【〔［[", "」』）)】〕］]"


def available() -> bool:
    try:
        tagger()
    except KitError:
        return False
    return True


@functools.cache
def tagger() -> Any:
    """MeCab with unidic-lite, named explicitly: a full `unidic` package installed beside
    it (fugashi's first choice) would read words differently."""
    try:
        import fugashi
        import unidic_lite
    except ImportError:
        raise KitError(
            f"Japanese readability and furigana need the japanese extra: {EXTRA}"
        ) from None
    return fugashi.Tagger(f'-d "{unidic_lite.DICDIR}" -r "{unidic_lite.DICDIR}/mecabrc"')


def level(score: float) -> tuple[str, str]:
    """The level's Japanese and English names."""
    return next((ja, en) for low, ja, en in LEVELS if score >= low)


def sentences(text: str) -> list[str]:
    """The text's sentences: each ends at 。！？ outside brackets (a quoted 「…。…」 stays in
    its sentence) or at a line break."""
    out, current, depth = [], "", 0
    for ch in text:
        if ch == "\n":
            out.append(current)
            current, depth = "", 0
            continue
        current += ch
        if ch in _OPENERS:
            depth += 1
        elif ch in _CLOSERS:
            depth = max(0, depth - 1)
        elif ch in _ENDS and depth == 0:
            out.append(current)
            current = ""
    out.append(current)
    return [s.strip() for s in out if s.strip()]


def length(sentence: str) -> int:
    """A sentence's length as a reader counts it: its characters, spaces left out."""
    return sum(not ch.isspace() for ch in sentence)


@dataclass(frozen=True)
class Readability:
    score: float
    sentences: tuple[int, ...]  # each sentence's length in characters
    words: int  # as MeCab divides the text

    @property
    def level(self) -> tuple[str, str]:
        return level(self.score)

    @property
    def longest(self) -> int:
        return max(self.sentences, default=0)

    def to_dict(self) -> dict[str, object]:
        return {
            "score": round(self.score, 2),
            "level": self.level[0],
            "level_en": self.level[1],
            "words": self.words,
            "sentences": list(self.sentences),
            "longest_sentence": self.longest,
            "median_sentence": statistics.median(self.sentences) if self.sentences else 0,
        }


def measure(text: str) -> Readability:
    """jReadability of text as printed (no ruby marks, figures filled in), each line its
    own sentence as on a poster."""
    counts = [
        _counts(tagger()(line[i : i + MAX_ANALYSED]))  # in pieces MeCab survives
        for line in text.split("\n")
        for i in range(0, max(len(line), 1), MAX_ANALYSED)
    ]
    total = [sum(c[i] for c in counts) for i in range(6)]
    return Readability(_jreadability(*total), tuple(map(length, sentences(text))), total[0])


_STOPS = ("。", "？", "！", "．")  # where the jreadability package ends a sentence


def _counts(tokens: list[Any]) -> tuple[int, int, int, int, int, int]:
    """Words, sentences, kango, wago, verbs and particles of one line, as the jreadability
    package counts them (read at once: MeCab reuses its nodes on the next call)."""
    f = [t.feature for t in tokens]
    return (
        len(tokens),
        sum(t.surface in _STOPS for t in tokens)
        + bool(tokens and tokens[-1].surface not in _STOPS),
        sum(x.goshu == "漢" for x in f),
        sum(x.goshu == "和" for x in f),
        sum(x.pos1 == "動詞" and x.pos2 != "非自立可能" for x in f),
        sum(x.pos1 == "助詞" for x in f),
    )


def _jreadability(
    words: int, sentences: int, kango: int, wago: int, verbs: int, particles: int
) -> float:
    """Lee and Hasebe's formula, with the coefficients of the jreadability package
    (tests/catalog/test_japanese.py holds the two equal on text of one line). The package ends a
    sentence only at 。？！．, so a heading would count as one sentence with the one after
    it; here a line break ends one too, as the posters set each message apart."""
    if not words:
        return 0.0
    return (
        words / sentences * -0.056
        + 100 * kango / words * -0.126
        + 100 * wago / words * -0.042
        + 100 * verbs / words * -0.145
        + 100 * particles / words * -0.044
        + 11.724
    )


def shown(level_score: float) -> str:
    ja, en = level(level_score)
    return f"{level_score:.2f} ({ja}, {en})"


# ---- a whole catalog -------------------------------------------------------------------------


@dataclass(frozen=True)
class MessageReadability:
    id: str
    line: int | None
    text: str  # as printed
    readability: Readability


@dataclass(frozen=True)
class CatalogReadability:
    locale: str
    whole: Readability
    messages: tuple[MessageReadability, ...]
    target: ReadabilityTarget | None

    def to_dict(self) -> dict[str, object]:
        return {
            **self.whole.to_dict(),
            "target": vars(self.target) if self.target else None,
            "messages": [
                {"id": m.id, "line": m.line, **m.readability.to_dict()} for m in self.messages
            ],
        }

    def summary(self) -> str:
        target = self.target
        wanted = f"; target {target.level:g} or easier" if target else ""
        longest = f"; target {target.sentence} at most" if target else ""
        return (
            f"reads at {shown(self.whole.score)}{wanted}; sentences of "
            f"{statistics.median(self.whole.sentences or (0,)):g} characters in the middle, "
            f"{self.whole.longest} the longest{longest}"
        )


def printed_entries(po: Catalog, campaign: Campaign, locale: str) -> list[tuple[Any, str]]:
    """(entry, text as printed) for each translated campaign message, in the campaign's
    order, drafts (fuzzy) included: they print on draft posters."""
    from kit.localize import printed

    entries = {e.msgctxt: e for e in po if e.msgctxt and not e.obsolete}
    out = []
    for msg in campaign.messages:
        entry = entries.get(msg.id)
        if entry is None:
            continue
        text = entry.msgstr_plural.get(0, "") if entry.msgid_plural else entry.msgstr
        if text and len(text) <= MAX_ANALYSED:
            out.append((entry, printed(text, msg, campaign, locale)))
    return out


def catalog_readability(
    po: Catalog, campaign: Campaign, locale: str, only: set[str | None] | None = None
) -> CatalogReadability:
    """Each message's readability (those in `only`, where given), and the whole text's:
    the messages one per line, as the posters set them."""
    rows = printed_entries(po, campaign, locale)
    if only is not None:
        rows = [(e, t) for e, t in rows if e.msgctxt in only]
    messages = tuple(MessageReadability(e.msgctxt, e.linenum, t, measure(t)) for e, t in rows)
    whole = measure("\n".join(t for _, t in rows))
    return CatalogReadability(locale, whole, messages, campaign.readability.get(locale))


def target_problems(
    result: CatalogReadability, whole: bool = True
) -> list[tuple[str | None, str, str]]:
    """(message id or None for the whole text, code, sentence) for each miss of the
    locale's target (the whole text's only when `whole`)."""
    target = result.target
    if target is None:
        return []
    out: list[tuple[str | None, str, str]] = []
    if result.whole.score < target.level and whole:
        out.append(
            (
                None,
                "readability",
                f"the whole text reads at {shown(result.whole.score)}; the target for "
                f"{result.locale} is {shown(target.level)} or easier",
            )
        )
    for m in result.messages:
        r = m.readability
        if r.words >= target.words and r.score < target.message_level:
            out.append(
                (
                    m.id,
                    "readability",
                    f"reads at {shown(r.score)}; the target for a message of "
                    f"{target.words} words or more in {result.locale} is "
                    f"{shown(target.message_level)} or easier",
                )
            )
        for sentence in sentences(m.text):
            if length(sentence) > target.sentence:
                out.append(
                    (
                        m.id,
                        "sentence-length",
                        f"a sentence of {length(sentence)} characters as printed "
                        f"({sentence}); the target for {result.locale} is "
                        f"{target.sentence} at most",
                    )
                )
    return out


# ---- furigana --------------------------------------------------------------------------------

# MeCab's best analyses considered: where the first reads a word otherwise than the
# catalog, another often reads it as written (日本 にっぽん, then にほん; 自画撮り じがとり,
# then じがどり): a reading any of them gives is the dictionary's too.
ANALYSES = 10


def hiragana(kana: str) -> str:
    return "".join(chr(ord(c) - 0x60) if "ァ" <= c <= "ヶ" else c for c in kana)


# start, end in the printed text; its reading in hiragana (None without kanji); its part
# of speech
Token = tuple[int, int, str | None, str]


@dataclass(frozen=True)
class _Analysed:
    """A message written with ruby marks, as MeCab reads its printed text."""

    written: str
    plain: str  # readings removed, figures filled in
    origin: tuple[int | None, ...]  # each plain character's place in `written` (None: a figure)
    ruby: tuple[tuple[int, int, str], ...]  # (start, end, reading) of each base, in `written`
    analyses: tuple[tuple[Token, ...], ...]  # MeCab's best first

    def segment(self, i: int) -> tuple[int, int, str] | None:
        """The ruby whose base holds plain character i."""
        o = self.origin[i]
        return next((r for r in self.ruby if o is not None and r[0] <= o < r[1]), None)

    def readings(self, start: int, end: int) -> list[str]:
        """The readings the analyses give plain[start:end] where they have a word boundary
        at both ends: the best first, each once."""
        out: list[str] = []
        for tokens in self.analyses:
            inside = [t for t in tokens if start <= t[0] and t[1] <= end]
            if sum(t[1] - t[0] for t in inside) != end - start:
                continue
            reading = "".join(t[2] or hiragana(self.plain[t[0] : t[1]]) for t in inside)
            if reading not in out:
                out.append(reading)
        return out

    def alternatives(self, start: int, end: int) -> list[str]:
        """Other readings of the word where an analysis divides it as the best does: not
        one with only a voiced or unvoiced sound changed (写真 じゃしん), unless a later
        part of it is voiced, as compounds are (rendaku: 自画撮り じがどり)."""
        best = [t for t in self.analyses[0] if start <= t[0] and t[1] <= end]
        cuts = [(t[0], t[1]) for t in best]
        first = "".join(t[2] or "" for t in best)
        out: list[str] = []
        for tokens in self.analyses[1:]:
            inside = [t for t in tokens if start <= t[0] and t[1] <= end]
            if [(t[0], t[1]) for t in inside] != cuts:
                continue
            reading = "".join(t[2] or "" for t in inside)
            if reading == first or reading in out:
                continue
            if _unvoiced(reading) == _unvoiced(first) and not _rendaku(best, inside):
                continue
            out.append(reading)
        return out

    def written_reading(self, start: int, end: int) -> str:
        out = ""
        for i in range(start, end):
            seg = self.segment(i)
            if seg is None:
                out += hiragana(self.plain[i])
            elif i == start or self.segment(i - 1) != seg:
                out += seg[2]
        return out


def _analyse(text: str, fill: dict[str, str]) -> _Analysed:
    plain: list[str] = []
    origin: list[int | None] = []
    ruby = []
    pos = 0
    for seg in parse_ruby(text):
        at = text.index(seg.text, pos)
        for m in re.finditer(r"\{(\w+)\}|.", seg.text, re.S):
            if m.group(1) in fill:
                plain.append(fill[m.group(1)])
                origin.extend([None] * len(fill[m.group(1)]))
            else:
                plain.append(m.group(0))
                origin.append(at + m.start())
        if seg.reading is not None:
            ruby.append((at, at + len(seg.text), seg.reading))
            pos = text.index(CLOSE, at + len(seg.text)) + 1
        else:
            pos = at + len(seg.text)
    printed = "".join(plain)
    # Each sentence on its own: over a whole message, the next-best analyses spend their
    # differences on other words. The k-th analysis is the k-th of every sentence.
    per_sentence = [_nbest(printed, start, end) for start, end in _sentence_spans(printed)]
    analyses = tuple(
        tuple(t for options in per_sentence for t in options[min(k, len(options) - 1)])
        for k in range(max(map(len, per_sentence), default=0))
    )
    return _Analysed(text, printed, tuple(origin), tuple(ruby), analyses)


def _sentence_spans(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for m in re.finditer(r"[。！？!?\n]", text):
        spans.append((start, m.end()))
        start = m.end()
    spans.append((start, len(text)))
    return [(s, e) for s, e in spans if text[s:e].strip()]


def _nbest(text: str, start: int, end: int) -> list[tuple[Token, ...]]:
    """MeCab's best analyses of text[start:end], placed in text."""
    out = []
    for nodes in tagger().nbestToNodeList(text[start:end], ANALYSES):
        tokens: list[Token] = []
        at = start
        for node in nodes:
            at = text.index(node.surface, at)  # n-best nodes carry no white_space
            kana = node.feature.kana if _KANJI.search(node.surface) else None
            reading = hiragana(kana) if kana and kana != "*" else None
            tokens.append((at, at + len(node.surface), reading, node.feature.pos1))
            at += len(node.surface)
        out.append(tuple(tokens))
    return out


def split_reading(surface: str, reading: str) -> list[tuple[str, str | None]] | None:
    """A word split into runs of kanji, each with its part of the reading, and kana runs
    (None): 知り合う, しりあう -> 知/し り 合/あ う. None when the kana of the word are not
    found in its reading."""
    runs = re.findall(rf"{_KANJI.pattern}+|(?:(?!{_KANJI.pattern}).)+", surface)
    pattern = "".join("(.+?)" if _KANJI.match(r) else f"({re.escape(hiragana(r))})" for r in runs)
    m = re.fullmatch(pattern, reading)
    if m is None:
        return None
    return [(r, m.group(i + 1) if _KANJI.match(r) else None) for i, r in enumerate(runs)]


@dataclass(frozen=True)
class Suggested:
    base: str
    reading: str
    start: int  # in the text as written
    alternatives: tuple[str, ...] = ()  # other readings of the word MeCab gives


def _words(a: _Analysed) -> list[tuple[int, int]]:
    """The best analysis's words with kanji, as spans of the printed text, a suffix
    joined to the word before it where kanji meet (警察 + 庁: 警察庁, 中学 + 生: 中学生)."""
    spans: list[tuple[int, int]] = []
    for start, end, _, pos in a.analyses[0] if a.analyses else ():
        if not _KANJI.search(a.plain[start:end]):
            continue
        if (
            pos == "接尾辞"
            and spans
            and spans[-1][1] == start
            and _KANJI.match(a.plain[start - 1])
            and _KANJI.match(a.plain[start])
        ):
            spans[-1] = (spans[-1][0], end)
        else:
            spans.append((start, end))
    return spans


def suggest(text: str, fill: dict[str, str] | None = None) -> list[Suggested]:
    """Ruby for every kanji word the text writes without a reading, from UniDic's reading
    of the word in context (MeCab's best analysis; the others' readings as alternatives)."""
    if len(text) > MAX_ANALYSED or not _KANJI.search(text):
        return []
    a = _analyse(text, fill or {})
    out = []
    for start, end in _words(a):
        places = a.origin[start:end]
        if None in places or any(a.segment(i) for i in range(start, end)):
            continue  # a figure in it, or a reading written already
        if places[-1] - places[0] != end - start - 1:  # type: ignore[operator]
            continue  # marks inside the word
        readings = a.readings(start, end)
        parts = split_reading(a.plain[start:end], readings[0]) if readings else None
        if parts is None:
            continue
        others = tuple(
            r for r in a.alternatives(start, end) if split_reading(a.plain[start:end], r)
        )
        at = places[0]
        assert at is not None
        for run, reading in parts:
            if reading is not None:
                out.append(Suggested(run, reading, at, others))
            at += len(run)
    return out


def annotate(text: str, suggestions: list[Suggested]) -> str:
    """The text with the suggested ruby written in (｜base《reading》)."""
    out, pos = [], 0
    for s in sorted(suggestions, key=lambda s: s.start):
        out.append(text[pos : s.start] + f"{BAR}{s.base}{OPEN}{s.reading}{CLOSE}")
        pos = s.start + len(s.base)
    return "".join(out) + text[pos:]


def reading_differences(
    text: str, fill: dict[str, str] | None = None
) -> list[tuple[str, str, str]]:
    """(word, reading as written, UniDic's reading) for each word whose written ruby none
    of MeCab's best analyses gives. Words are taken whole where one ruby spans several of
    MeCab's (｜自画撮《じがど》り is 自画 + 撮り)."""
    if len(text) > MAX_ANALYSED or OPEN not in text:
        return []
    a = _analyse(text, fill or {})
    if not a.ruby or not a.analyses:
        return []
    out = []
    best = [t for t in a.analyses[0]]
    i = 0
    while i < len(best):
        start, end = best[i][0], best[i][1]
        while (
            i + 1 < len(best)
            and end < len(a.plain)
            and a.segment(end) is not None
            and (a.segment(end) == a.segment(end - 1))
        ):
            i += 1
            end = best[i][1]
        i += 1
        kanji = [k for k in range(start, end) if _KANJI.match(a.plain[k])]
        if not kanji or any(a.segment(k) is None for k in kanji):
            continue  # no ruby here, or some kanji left bare (a suggestion's matter)
        written = a.written_reading(start, end)
        readings = a.readings(start, end)
        if readings and written not in readings:
            out.append((a.plain[start:end], written, readings[0]))
    return out


def _rendaku(best: list[Token], other: list[Token]) -> bool:
    """Whether other differs from best by voicing the first sound of later words only."""
    for k, (b, o) in enumerate(zip(best, other, strict=True)):
        rb, ro = b[2] or "", o[2] or ""
        if rb != ro and not (k > 0 and ro[1:] == rb[1:] and _unvoiced(ro[:1]) == rb[:1]):
            return False
    return True


def _unvoiced(kana: str) -> str:
    decomposed = unicodedata.normalize("NFD", kana)
    return unicodedata.normalize("NFC", decomposed.replace("\u3099", "").replace("\u309a", ""))


# ---- a catalog's furigana --------------------------------------------------------------------


@dataclass(frozen=True)
class EntrySuggestion:
    id: str
    line: int | None
    form: int | None  # the plural form, None for a message without plurals
    text: str
    suggested: str
    words: tuple[Suggested, ...]
    reviewed: bool  # translated and not fuzzy: applying it makes the entry fuzzy again

    def to_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "line": self.line,
            "form": self.form,
            "text": self.text,
            "suggested": self.suggested,
            "reviewed": self.reviewed,
            "words": [
                {"base": w.base, "reading": w.reading, "alternatives": list(w.alternatives)}
                for w in self.words
            ],
        }


def _forms(entry: Any) -> list[tuple[int | None, str]]:
    if entry.msgid_plural:
        return [(i, entry.msgstr_plural[i]) for i in sorted(entry.msgstr_plural)]
    return [(None, entry.msgstr)]


def catalog_suggestions(
    po: Catalog, campaign: Campaign | None, locale: str
) -> list[EntrySuggestion]:
    """Ruby suggested for every translated message of a catalog, form by form."""
    from kit.localize import figure_values

    out = []
    for entry in po:
        if entry.obsolete or not entry.msgid:
            continue
        fill: dict[str, str] = {}
        if campaign is not None and entry.msgctxt:
            try:
                fill = figure_values(campaign.message(entry.msgctxt), campaign, locale)
            except KeyError:
                pass
        for form, text in _forms(entry):
            if not text:
                continue
            found = suggest(text, fill)
            if found:
                out.append(
                    EntrySuggestion(
                        entry.msgctxt or entry.msgid,
                        entry.linenum,
                        form,
                        text,
                        annotate(text, found),
                        tuple(found),
                        not entry.fuzzy,
                    )
                )
    return out


def apply_suggestions(po: Catalog, suggestions: list[EntrySuggestion]) -> int:
    """Write the suggestions into the catalog; each entry changed is marked fuzzy, for its
    translator to review. The number of entries changed."""
    changed = set()
    by_id = {(e.msgctxt or e.msgid): e for e in po if not e.obsolete}
    for s in suggestions:
        entry = by_id[s.id]
        if s.form is None:
            entry.msgstr = s.suggested
        else:
            entry.msgstr_plural[s.form] = s.suggested
        if "fuzzy" not in entry.flags:
            entry.flags.insert(0, "fuzzy")
        changed.add(s.id)
    return len(changed)
