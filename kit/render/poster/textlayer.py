"""The text a poster gives back, repaired after Typst: to extraction and screen readers.

Typst (0.15, through krilla) maps each glyph of a cluster to the whole cluster's text in
ToUnicode, and splits a shaped run wherever a glyph's vertical offset changes: a raised
Thai tone mark or Arabic tanween lands in a text item of its own, both halves of the
cluster claim its text, and copying gives ที่ที่ for ที่. This module reads back, from the
PDF alone, which cluster each glyph belongs to (krilla's /ActualText spans and ToUnicode
entries carry Typst's own shaping), and then

1. maps each glyph to its own characters in ToUnicode (ท to ท, a mark to the mark), found
   by elimination across every cluster the glyph appears in, so that readers going glyph
   by glyph (pypdf, MuPDF's matching of spans) get the right characters;
2. reads a cluster split across text items once, telling a split from a repeated cluster
   (ที่ที่) by the number of glyphs HarfBuzz shapes the cluster's text to in the same font;
3. wraps in /ActualText the glyph groups whose glyphs, one by one, do not spell their text
   (कि is drawn ि then क; a ligature; a cluster of several glyphs, which readers that sort
   glyphs by position would otherwise split), and furigana (artifacts) in empty ones;
4. with the printed runs, gives each its own structure element with its /Lang;
5. gives a run holding right-to-left text back line by line: poppler and MuPDF each
   reorder a right-to-left line by simplified rules of their own, in ways no one text
   survives when the line holds digits or punctuation (bidi.py). Each line gets poppler's
   text in an inline /Span around one of its text items, and MuPDF's in a /Span whose
   property list is named (poppler reads only inline ones) around one glyph inside it;
   every other glyph of the line stands in an empty span. The run's structure element
   carries the run's text, in logical order, as /ActualText, for screen readers.

Nothing depends on the poster's layout. A right-to-left span that step 5 leaves alone (a
run whose lines it cannot tell apart) holds its text in display order, as its glyphs
stand: the extractors place characters where the glyphs are and reverse the line
themselves. Several choices below answer how MuPDF 1.28 (stext-device.c) matches glyphs
to /ActualText; each says so where it is made. SVG, which Typst draws as outlines only,
gets a title and descriptions instead.
"""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kit.render.poster.bidi import (
    holds_right_to_left,
    letters,
    mupdf_order,
    poppler_order,
    right_to_left,
    split_lines,
)

if TYPE_CHECKING:
    from kit.render.poster.data import PosterData

__all__ = ["Run", "describe_svg", "finish_poster", "fix_text_layer", "printed_runs"]

Glyph = tuple[str, int]  # (font resource name, character code)


@dataclass(frozen=True)
class Run:
    """One printed message run: its text and BCP 47 language."""

    text: str
    lang: str


@dataclass(eq=False)  # compared and hashed by identity: a key of the span table
class _Group:
    """Glyphs of one cluster inside one text item, in content order."""

    text: str  # the whole cluster's text, as krilla wrote it
    glyphs: list[Glyph]
    font: str  # the PDF font's base name without its subset tag
    op: int  # index of its text-showing operation
    at: int  # index of its first glyph among that operation's glyphs
    span: int | None = None  # index of krilla's /ActualText BDC around it, if any
    item: int = 0  # index of its text item (piece) in content order
    share: str = ""  # the part of the cluster's text these glyphs show


@dataclass(eq=False)
class _Piece:
    """One marked-content sequence with an MCID: one Typst text item, one direction."""

    mcid: int
    groups: list[_Group] = field(default_factory=list)
    reversed: bool = False  # glyphs in display order of a right-to-left item
    shows: list[tuple[int, list[Glyph]]] = field(default_factory=list)  # (operation, glyphs)
    objects: list[tuple[int, int]] = field(default_factory=list)  # its BT and ET indices
    # Where its first glyph is drawn, as the content says it: the cm operations in force,
    # the text matrix and the font size (turned into numbers only when asked for).
    place: tuple[list[Any], Any, Any] | None = None

    def text(self) -> str:
        """The item's text in logical order."""
        shares = [g.share for g in self.groups]
        return "".join(reversed(shares) if self.reversed else shares)

    @functools.cached_property
    def baseline(self) -> tuple[float, float]:
        """The page height of its first glyph's baseline, and its font size there."""
        if self.place is None:
            return 0.0, 0.0
        cms, tm, size = self.place
        m = [float(x) for x in tm]
        for cm in cms[::-1]:  # the text matrix, then each cm from the innermost out
            a, b, c, d, e, f = (float(x) for x in cm)
            m = [
                m[0] * a + m[1] * c,
                m[0] * b + m[1] * d,
                m[2] * a + m[3] * c,
                m[2] * b + m[3] * d,
                m[4] * a + m[5] * c + e,
                m[4] * b + m[5] * d + f,
            ]
        return m[5], float(size) * abs(m[3])


def _to_unicode(font: Any) -> dict[int, str]:
    """A font's ToUnicode CMap as code -> text (krilla writes bfchar entries)."""
    if "/ToUnicode" not in font:
        return {}
    cmap = font.ToUnicode.read_bytes().decode("latin-1")
    out: dict[int, str] = {}
    for block in re.findall(r"beginbfchar(.*?)endbfchar", cmap, re.DOTALL):
        for code, text in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]*)>", block):
            out[int(code, 16)] = bytes.fromhex(text).decode("utf-16-be")
    for block in re.findall(r"beginbfrange(.*?)endbfrange", cmap, re.DOTALL):
        for lo, hi, text in re.findall(
            r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]*)>", block
        ):
            first = bytes.fromhex(text).decode("utf-16-be")
            for i, code in enumerate(range(int(lo, 16), int(hi, 16) + 1)):
                out[code] = first[:-1] + chr(ord(first[-1]) + i)
    return out


def _codes(data: bytes, width: int) -> list[int]:
    return [int.from_bytes(data[i : i + width], "big") for i in range(0, len(data), width)]


def _shown(operands: Any, width: int) -> list[int]:
    """The character codes a Tj or TJ shows."""
    import pikepdf

    items = operands[0] if isinstance(operands[0], pikepdf.Array) else [operands[0]]
    return [c for s in items if isinstance(s, pikepdf.String) for c in _codes(bytes(s), width)]


def _read(  # noqa: C901 - one content-stream interpreter: its operators share one state
    ops: list[Any], fonts: dict[str, Any], maps: dict[str, dict[int, str]]
) -> tuple[list[_Piece], list[tuple[int, int]]]:
    """The text pieces of a content stream, with the cluster each run of glyphs carries,
    and the text objects (BT, ET indices) drawn as artifacts (furigana readings)."""
    import pikepdf

    widths = {
        name: 2 if str(f.get("/Encoding", "")) == "/Identity-H" else 1 for name, f in fonts.items()
    }
    # The embedded name, subset tag and CMap suffix off: the font file's PostScript name.
    bases = {
        name: str(f.get("/BaseFont", "")).lstrip("/").split("+")[-1].removesuffix("-Identity-H")
        for name, f in fonts.items()
    }
    pieces: list[_Piece] = []
    stack: list[str] = []  # kinds of the open marked-content sequences
    # krilla's open /ActualText spans: each is one cluster, whatever number of text-showing
    # operations its glyphs take.
    actual: list[_Group | None] = []
    span_at: list[tuple[int, str]] = []  # (BDC index, text) of each
    piece: _Piece | None = None
    artifacts: list[tuple[int, int]] = []  # (operation, glyph count) of artifact text
    font, size = "", None
    cms: list[Any] = []  # the cm operations in force
    saved: list[list[Any]] = []
    for i, instruction in enumerate(ops):
        op, operands = str(instruction.operator), instruction.operands
        if op in ("BDC", "BMC"):
            props = operands[1] if op == "BDC" else None
            if isinstance(props, pikepdf.Dictionary) and "/MCID" in props:
                piece = _Piece(int(props.MCID))
                pieces.append(piece)
                stack.append("mcid")
            elif isinstance(props, pikepdf.Dictionary) and "/ActualText" in props:
                actual.append(None)
                span_at.append((i, str(props.ActualText)))
                stack.append("actual")
            elif str(operands[0]) == "/Artifact":
                stack.append("artifact")
            else:
                if piece is not None and str(operands[0]) == "/ReversedChars":
                    piece.reversed = True
                stack.append("other")
        elif op == "EMC":
            kind = stack.pop()
            if kind == "mcid":
                piece = None
            elif kind == "actual":
                actual.pop()
                span_at.pop()
        elif op == "q":
            saved.append(cms)
        elif op == "Q" and saved:
            cms = saved.pop()
        elif op == "cm":
            cms = [*cms, operands]
        elif op == "BT" and piece is not None:
            piece.objects.append((i, i))
        elif op == "ET" and piece is not None and piece.objects:
            piece.objects[-1] = (piece.objects[-1][0], i)
        elif op == "Tm" and piece is not None and piece.place is None:
            piece.place = (cms, operands, size)
        elif op == "Tf":
            font, size = str(operands[0]), operands[1]
        elif op in ("Tj", "TJ"):
            codes = _shown(operands, widths[font])
            if piece is None:
                if "artifact" in stack:
                    artifacts.append((i, len(codes)))
                continue
            glyphs = [(font, c) for c in codes]
            piece.shows.append((i, glyphs))
            if actual:  # krilla's span: these glyphs are (part of) one cluster
                group = actual[-1]
                if group is None:
                    bdc, text = span_at[-1]
                    group = actual[-1] = _Group(text, [], bases[font], i, 0, bdc, len(pieces) - 1)
                    piece.groups.append(group)
                group.glyphs.extend(glyphs)
            else:  # one glyph, one cluster, its text in ToUnicode
                piece.groups.extend(
                    _Group(
                        maps[font].get(glyph[1], ""),
                        [glyph],
                        bases[font],
                        i,
                        n,
                        None,
                        len(pieces) - 1,
                    )
                    for n, glyph in enumerate(glyphs)
                )
    return pieces, artifacts


@functools.cache
def _font_files() -> dict[str, Path]:
    """The kit's font files by PostScript name, the name a PDF embeds them under."""
    from fontTools.ttLib import TTFont

    from kit.fonts import font_files

    out = {}
    for path in font_files():
        with TTFont(path, lazy=True) as font:
            out[font["name"].getDebugName(6)] = path
    return out


@functools.cache
def _hb_font(name: str) -> Any:
    import uharfbuzz as hb

    path = _font_files().get(name)
    return hb.Font(hb.Face(hb.Blob.from_file_path(str(path)))) if path else None


@functools.cache
def _glyph_count(text: str, font: str) -> int | None:
    """How many glyphs one cluster's text shapes to in a font, as Typst's rustybuzz shapes it
    (HarfBuzz, default features); None for a font the kit does not ship."""
    import uharfbuzz as hb

    hb_font = _hb_font(font)
    if hb_font is None:
        return None
    buf = hb.Buffer()
    buf.add_str(text)
    buf.guess_segment_properties()
    hb.shape(hb_font, buf, {})
    return len(buf.glyph_infos)


def _clusters(pieces: list[_Piece]) -> list[list[_Group]]:
    """The groups of each cluster instance. Typst splits a shaped run where a glyph's
    vertical offset changes, so a raised mark may be a text item of its own, the first
    group of the next item repeating the cluster's text. A run that repeats the same
    cluster (ที่ที่) is told apart by the number of glyphs the cluster shapes to."""
    out: list[list[_Group]] = []
    need = 0
    for piece in pieces:
        for i, group in enumerate(piece.groups):
            if (
                out
                and i == 0
                and group.text
                and out[-1][0].text == group.text
                and (sum(len(g.glyphs) for g in out[-1]) < need)
            ):
                out[-1].append(group)
                continue
            out.append([group])
            count = _glyph_count(group.text, group.font) if group.text else None
            # A font the kit does not ship cannot be shaped: a cluster split at an item's
            # edge is far likelier than one repeated there.
            need = count if count is not None else 1 << 30
        if not piece.groups:  # an image or a shape: nothing continues across it
            need = 0
    return out


def _remove(text: str, chars: str) -> str | None:
    """text without one occurrence of each of chars, in order; None if one is missing."""
    out = list(text)
    for c in chars:
        if c not in out:
            return None
        out.remove(c)
    return "".join(out)


def _intersect(instances: list[tuple[str, list[Glyph]]], own: dict[Glyph, str]) -> bool:
    """Give each unknown glyph the characters every cluster it appears in has left over
    once its known companions are taken out; True if any glyph was given some."""
    common: dict[Glyph, Counter[str] | None] = {}
    first: dict[Glyph, str] = {}
    for text, glyphs in instances:
        if all(g in own for g in glyphs):
            continue
        rest = _remove(text, "".join(own[g] for g in glyphs if g in own))
        for glyph in glyphs:
            if glyph in own:
                continue
            if rest is None:
                common[glyph] = None
                continue
            first.setdefault(glyph, rest)
            so_far = common.get(glyph, Counter(rest))
            if so_far is not None:
                common[glyph] = so_far & Counter(rest)
    found = False
    for glyph, bag in common.items():
        if not bag:
            continue
        whole = _in_order(first[glyph], bag)  # in the order of its first cluster's text
        if whole != first[glyph]:
            own[glyph] = whole
            found = True
    return found


def _in_order(text: str, bag: Counter[str]) -> str:
    """The characters of bag in the order text has them."""
    seen = Counter(text) & bag
    chars = []
    for c in text:
        if seen[c]:
            chars.append(c)
            seen[c] -= 1
    return "".join(chars)


def _own_texts(clusters: list[list[_Group]]) -> dict[Glyph, str]:
    """Each glyph's own characters: a glyph alone in a cluster shows the cluster's text;
    then, cluster by cluster, a glyph whose companions are all known shows the rest.

    A mark drawn in right-to-left text keeps Typst's mapping (its cluster, base letter
    first): MuPDF gives a glyph the direction of its first character, and a lone mark,
    neutral, would cut the right-to-left run it reverses in two.

    Format characters have no glyph (the template's zero-width spaces join the cluster
    before them): no glyph claims one; the cluster's /ActualText keeps it."""
    instances = [(_drawn(c[0].text), [g for group in c for g in group.glyphs]) for c in clusters]
    own: dict[Glyph, str] = {}
    for text, glyphs in instances:
        if len(glyphs) == 1 and text:
            own.setdefault(glyphs[0], text)
    # Then by elimination: a glyph whose companions are all known shows the rest. Then a
    # glyph still unknown shows what all the clusters it appears in have in common, after
    # its known companions (the ि of चि, लि and क्ति). Last, glyphs that never appear
    # apart (a conjunct's half form and virama) get the rest dealt out in drawing order:
    # the cluster's /ActualText still holds the truth, and readers that match glyphs to it
    # (MuPDF) need each glyph to claim only its share.
    several = [(text, glyphs) for text, glyphs in instances if len(glyphs) > 1]
    _eliminate(several, own, deal=False)
    if _intersect(several, own):
        _eliminate(several, own, deal=False)  # what it found may settle others
    _eliminate(several, own, deal=True)
    for text, glyphs in instances:
        if right_to_left(text):
            for glyph in glyphs:
                if glyph in own and unicodedata.category(own[glyph][0]).startswith("M"):
                    del own[glyph]
    return own


def _eliminate(several: list[tuple[str, list[Glyph]]], own: dict[Glyph, str], deal: bool) -> None:
    """Until nothing changes: a cluster with one unknown glyph gives it the rest of its
    text; with `deal`, one with several deals the rest out to them in drawing order."""
    changed = True
    while changed:
        changed = False
        for text, glyphs in several:
            unknown = list(dict.fromkeys(g for g in glyphs if g not in own))
            if not unknown or (len(unknown) > 1 and not deal):
                continue
            rest = _remove(text, "".join(own[g] for g in glyphs if g in own))
            if not rest or len(rest) < len(unknown):
                continue
            for i, glyph in enumerate(unknown):
                own[glyph] = rest[i] if i < len(unknown) - 1 else rest[i:]
            changed = True


def _drawn(text: str) -> str:
    """A cluster's text without its format characters, unless it has nothing else."""
    if text.isprintable():  # no format character (they are not printable): the usual case
        return text
    return "".join(c for c in text if unicodedata.category(c) != "Cf") or text


def _assign_shares(clusters: list[list[_Group]], own: dict[Glyph, str]) -> None:
    """Give a split cluster's text to one of its groups and nothing to the rest, so that it
    is read once, and in one piece: readers that sort glyphs by position would put a raised
    mark drawn on its own after the letter that follows it. Left to right the group with
    the base letter takes it.

    Right to left, the base letter keeps its own character and the mark travels with the
    letter drawn just left of it, the next one in reading order (صً|ا): MuPDF reads a mark
    in a span that ends with its own glyph's character only if something of the span came
    before it, and starts a new line where a hidden glyph leaves a gap. Without such a
    neighbour (a number drawn left of the word) the mark's own group shows the mark; its
    glyph still maps to the cluster, base letter first, so that MuPDF takes it as right to
    left (see _own_texts)."""
    previous: _Group | None = None
    for cluster in clusters:
        text = cluster[0].text
        if len(cluster) == 1:
            cluster[0].share = text
            previous = cluster[0]
            continue
        parts = ["".join(own.get(g, "") for g in group.glyphs) for group in cluster]
        for group in cluster:
            group.share = ""
        if len(cluster) > 1 and right_to_left(text):
            base = next(
                (
                    i
                    for i, part in enumerate(parts)
                    if part and not unicodedata.category(part[0]).startswith("M")
                ),
                None,
            )
            marks = _remove(text, parts[base]) if base is not None else None
            if (
                base is not None
                and marks
                and text == parts[base] + marks
                and all(unicodedata.category(c).startswith("M") for c in marks)
            ):
                cluster[base].share = parts[base]
                if (
                    previous is not None
                    and previous.item == cluster[0].item - 1
                    and right_to_left(previous.text)
                ):
                    previous.share = marks + previous.share
                else:  # the mark's own group shows it; its glyph maps to the base first
                    cluster[1 if base == 0 else 0].share = marks
                previous = cluster[-1]
                continue
            cluster[0].share = text
        else:
            main = next(
                (
                    i
                    for i, part in enumerate(parts)
                    if any(not unicodedata.category(c).startswith("M") for c in part)
                ),
                0,
            )
            cluster[main].share = text
        previous = cluster[-1] if len(cluster) == 1 else None


def _spans(
    pieces: list[_Piece], own: dict[Glyph, str], maps: dict[str, dict[int, str]]
) -> dict[_Group, str]:
    """The glyph groups that need an /ActualText span, and its text. A group needs one when
    it is the hidden part of a split cluster (empty text), when its glyphs are several
    (readers that sort glyphs by position would move a mark after the next letter), or
    when its glyphs' own characters, in drawing order, are not its text (कि is drawn ि
    then क; a ligature). A format character no glyph draws (the template's zero-width
    space between phrases, not the catalog's) needs none.

    Right-to-left text is given in display order, as the glyphs stand: poppler and MuPDF
    place a span's characters across its glyphs from left to right and then reverse the
    line, so a lam-alef given as لا would come back as ال."""
    out: dict[_Group, str] = {}
    for piece in pieces:
        rtl = right_to_left(piece.text())
        for group in piece.groups:
            text = group.share[::-1] if rtl else group.share
            shown = "".join(own.get(g) or maps[g[0]].get(g[1], "") for g in group.glyphs)
            if len(group.glyphs) > 1 or _drawn(text) != shown:
                out[group] = text
    return out


def _dodge_postfix(spans: dict[_Group, str], own: dict[Glyph, str]) -> None:
    """Reorder a glyph's own characters where MuPDF would read its span twice over.

    MuPDF (1.28, stext-device.c) matches a span's glyphs against its /ActualText from both
    ends; when the last glyph matches the text's last character and glyphs in the middle
    do not, it sends the matched end twice (a byte count is used as a character count):
    र्ने, drawn न then a glyph for े and the reph, came back र्नेे. Where the last glyph of
    such a span stands for several characters, rotating them keeps the matched end empty;
    the span's text is unchanged, and such a glyph never stands alone."""
    for group, text in spans.items():
        if not text or len(group.glyphs) < 2:
            continue
        last = group.glyphs[-1]
        mine = own.get(last, "")
        shown = "".join(own.get(g, "") for g in group.glyphs)
        if len(mine) > 1 and shown != text and mine[-1] == text[-1]:
            own[last] = mine[-1] + mine[:-1]


@dataclass
class _Lines:
    """The spans of the right-to-left lines: for each line, poppler's text in an inline
    span around one of its text items, MuPDF's in a named span around one glyph, and the
    line's other glyphs in empty spans (see bidi.py)."""

    opens: dict[int, str] = field(default_factory=dict)  # BT index -> text of its span
    closes: set[int] = field(default_factory=set)  # ET indices that close one
    # text-showing operation -> first glyph -> (count, name of the span's property list)
    named: dict[int, dict[int, tuple[int, str]]] = field(default_factory=dict)
    properties: dict[str, str] = field(default_factory=dict)  # name -> /ActualText
    items: set[int] = field(default_factory=set)  # indices of the pieces it covers
    runs: list[Run] = field(default_factory=list)  # runs given the structure's text


def _advances(font: Any) -> dict[int, float]:
    """A composite font's glyph advances by character code, in em (its /W array)."""
    import pikepdf

    if "/DescendantFonts" not in font:
        return {}
    widths = list(font.DescendantFonts[0].get("/W", []))
    out: dict[int, float] = {}
    i = 0
    while i + 1 < len(widths):
        first = int(widths[i])
        if isinstance(widths[i + 1], pikepdf.Array):
            out.update((first + k, float(w) / 1000) for k, w in enumerate(widths[i + 1]))
            i += 2
        else:
            out.update(
                (code, float(widths[i + 2]) / 1000) for code in range(first, int(widths[i + 1]) + 1)
            )
            i += 3
    return out


def _same_line(a: _Piece, b: _Piece) -> bool:
    """Whether two pieces stand on one line: baselines less than half the font size apart
    (a raised mark is drawn a fraction of that above its letter)."""
    (ya, sa), (yb, sb) = a.baseline, b.baseline
    return abs(ya - yb) < 0.5 * max(sa, sb)


def _line_groups(pieces: list[_Piece]) -> list[list[_Piece]]:
    """A run's pieces by line, a new line where a piece does not stand on the line of the
    line's first piece."""
    out: list[list[_Piece]] = []
    for piece in pieces:
        if out and _same_line(out[-1][0], piece):
            out[-1].append(piece)
        else:
            out.append([piece])
    return out


def _mupdf_glyph(
    line: list[_Piece], text: str, char: dict[Glyph, str], advance: dict[Glyph, float]
) -> tuple[int, int] | None:
    """Where MuPDF's text of a line can stand: (operation, glyph index) of the widest glyph
    of the line that MuPDF takes for right-to-left (left-to-right for a line without
    right-to-left letters), from its one character. MuPDF matches a span's glyphs against
    the text's last character too, and then reads that end twice: the glyph must not be
    that character, unless it is also the first, which MuPDF matches before."""
    kinds = ("R", "AL") if holds_right_to_left(text) else ("L", "EN", "ES", "ET")
    best: tuple[float, int, int] | None = None
    for piece in line:
        for op, glyphs in piece.shows:
            for n, glyph in enumerate(glyphs):
                c, wide = char.get(glyph, ""), advance.get(glyph, 0.0)
                if (
                    len(c) == 1
                    and unicodedata.bidirectional(c) in kinds
                    and wide >= 0.25
                    and (c == text[0] or c != text[-1])
                    and (best is None or wide > best[0])
                ):
                    best = (wide, op, n)
    return None if best is None else best[1:]


# A right-to-left line's plan: its pieces, its text in poppler's and MuPDF's orders, the
# glyph (operation, index) that carries MuPDF's and the piece that carries poppler's.
_LinePlan = tuple[list[_Piece], str, str, tuple[int, int], _Piece]


def _plan_lines(
    found: list[tuple[Run, list[_Piece]]],
    pieces: list[_Piece],
    clusters: list[list[_Group]],
    char: dict[Glyph, str],
    advance: dict[Glyph, float],
) -> _Lines:
    """The spans that give back each run holding right-to-left text line by line, in both
    extractors' orders; a run whose lines cannot be told apart keeps its clusters'
    spans."""
    plan = _Lines()
    index = {id(p): i for i, p in enumerate(pieces)}
    held: dict[int, Counter[str]] = {}  # piece index -> letters of the clusters it starts
    for cluster in clusters:
        held.setdefault(cluster[0].item, Counter()).update(letters(cluster[0].text))
    for run, run_pieces in found:
        if not holds_right_to_left(run.text):
            continue
        lines = _line_groups(run_pieces)
        bags = [sum((held.get(index[id(p)], Counter()) for p in line), Counter()) for line in lines]
        plans = _line_plans(run.text, lines, bags, char, advance)
        if plans is None:
            continue
        for line in plans:
            _add_line(plan, line, index)
        plan.runs.append(run)
    if plan.named:
        plan.properties["/KitEmpty"] = ""
    return plan


def _line_plans(
    text: str,
    lines: list[list[_Piece]],
    bags: list[Counter[str]],
    char: dict[Glyph, str],
    advance: dict[Glyph, float],
) -> list[_LinePlan] | None:
    """The plan of each line of a run's text that holds more than spaces; None where the
    lines cannot be told apart or one has no glyph to carry MuPDF's text."""
    texts = split_lines(text, bags)
    if texts is None:
        return None
    out = []
    for line, line_text in zip(lines, texts, strict=True):  # one text per line
        if not line_text:  # spaces alone (a space drawn apart at the run's end) read as drawn
            continue
        host = max(line, key=lambda p: sum(len(g) for _, g in p.shows))
        mupdf = mupdf_order(line_text)
        at = _mupdf_glyph(line, mupdf, char, advance)
        if at is None or not host.objects:
            return None
        out.append((line, poppler_order(line_text), mupdf, at, host))
    return out


def _add_line(plan: _Lines, line: _LinePlan, index: dict[int, int]) -> None:
    pieces, poppler, mupdf, at, host = line
    name = f"/KitText{len(plan.properties)}"
    plan.properties[name] = mupdf
    for piece in pieces:
        plan.items.add(index[id(piece)])
        for k, (bt, et) in enumerate(piece.objects):
            plan.opens[bt] = poppler if piece is host and k == 0 else ""
            plan.closes.add(et)
        for op, glyphs in piece.shows:
            named: dict[int, tuple[int, str]] = {}
            if op == at[0]:
                named[at[1]] = (1, name)
            if piece is host:  # every other glyph: MuPDF must not read poppler's
                cut = at[1] if op == at[0] else len(glyphs)
                if cut:
                    named[0] = (cut, "/KitEmpty")
                if op == at[0] and cut + 1 < len(glyphs):
                    named[cut + 1] = (len(glyphs) - cut - 1, "/KitEmpty")
            if named:
                plan.named[op] = named


def _split(instruction: Any, width: int, wraps: dict[int, tuple[int, Any]]) -> list[Any]:
    """A Tj or TJ cut into several, so that the glyph runs in wraps (first glyph -> (count,
    property list: inline, or the name of one)) each stand in a /Span. Showing text
    advances the text position, so consecutive operations draw exactly what the one did;
    a kerning number stays with the glyph it precedes."""
    import pikepdf

    items = instruction.operands[0]
    items = list(items) if isinstance(items, pikepdf.Array) else [items]
    units: list[list[Any]] = []  # per glyph: the adjustments before it, then its string
    pending: list[Any] = []
    for item in items:
        if isinstance(item, pikepdf.String):
            data = bytes(item)
            for k in range(0, len(data), width):
                units.append([*pending, pikepdf.String(data[k : k + width])])
                pending = []
        else:
            pending.append(item)
    if pending and units:
        units[-1].extend(pending)
    out: list[Any] = []
    tj = pikepdf.Operator("TJ")

    def show(run: list[list[Any]]) -> None:
        if run:
            out.append(
                pikepdf.ContentStreamInstruction(
                    [pikepdf.Array([x for unit in run for x in unit])], tj
                )
            )

    at = 0
    plain: list[list[Any]] = []
    while at < len(units):
        if at in wraps:
            count, props = wraps[at]
            show(plain)
            plain = []
            out.append(
                pikepdf.ContentStreamInstruction(
                    [pikepdf.Name.Span, props], pikepdf.Operator("BDC")
                )
            )
            show(units[at : at + count])
            out.append(pikepdf.ContentStreamInstruction([], pikepdf.Operator("EMC")))
            at += count
        else:
            plain.append(units[at])
            at += 1
    show(plain)
    return out


def _rewrite(  # noqa: C901 - one content-stream interpreter: its operators share one state
    ops: list[Any],
    spans: dict[_Group, str],
    artifacts: list[tuple[int, int]],
    widths: dict[str, int],
    lines: _Lines,
) -> list[Any]:
    """The operations with krilla's /ActualText spans given their new text (or dropped
    where the glyphs now say it themselves), unspanned glyph runs that need a span cut out
    and wrapped, artifact text (furigana) read as nothing, the spans of right-to-left
    lines added, and /ReversedChars gone: the spans hold right-to-left text in display
    order."""
    import pikepdf

    def actual(text: str) -> Any:
        return pikepdf.Dictionary(ActualText=pikepdf.String(text))

    krilla: dict[int, str | None] = {}  # BDC index -> new text, None to drop the span
    wraps: dict[int, dict[int, tuple[int, Any]]] = {}
    for group, text in spans.items():
        if group.span is not None:
            krilla[group.span] = text
        else:
            wraps.setdefault(group.op, {})[group.at] = (len(group.glyphs), actual(text))
    for index, count in artifacts:
        wraps[index] = {0: (count, actual(""))}
    for index, named in lines.named.items():
        wraps[index] = {at: (count, pikepdf.Name(name)) for at, (count, name) in named.items()}
    bdc, emc = pikepdf.Operator("BDC"), pikepdf.Operator("EMC")
    out: list[Any] = []
    stack: list[bool] = []  # per open sequence: was its BDC dropped
    font = ""
    for i, instruction in enumerate(ops):
        op = str(instruction.operator)
        operands = instruction.operands
        if op in ("BDC", "BMC"):
            is_span = (
                op == "BDC"
                and isinstance(operands[1], pikepdf.Dictionary)
                and ("/ActualText" in operands[1] and "/MCID" not in operands[1])
            )
            new = krilla.get(i) if is_span else None
            drop = str(operands[0]) == "/ReversedChars" or (is_span and new is None)
            stack.append(drop)
            if drop:
                continue
            if new is not None:
                props = pikepdf.Dictionary(ActualText=pikepdf.String(new))
                out.append(
                    pikepdf.ContentStreamInstruction([operands[0], props], instruction.operator)
                )
                continue
        elif op == "EMC" and stack.pop():
            continue
        elif op == "Tf":
            font = str(operands[0])
        elif i in wraps:
            out.extend(_split(instruction, widths[font], wraps[i]))
            continue
        elif op == "ET" and i in lines.closes:
            out.append(pikepdf.ContentStreamInstruction([], emc))
        out.append(instruction)
        if op == "BT" and i in lines.opens:
            out.append(
                pikepdf.ContentStreamInstruction([pikepdf.Name.Span, actual(lines.opens[i])], bdc)
            )
    return out


def _cmap(mapping: dict[int, str], width: int) -> bytes:
    """A ToUnicode CMap of bfchar entries (at most 100 a block, as the format requires)."""
    lines = [
        "/CIDInit /ProcSet findresource begin",
        "12 dict begin",
        "begincmap",
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
        "/CMapName /Adobe-Identity-UCS def",
        "/CMapType 2 def",
        "1 begincodespacerange",
        f"<{'00' * width}> <{'FF' * width}>",
        "endcodespacerange",
    ]
    items = sorted(mapping.items())
    for at in range(0, len(items), 100):
        block = items[at : at + 100]
        lines.append(f"{len(block)} beginbfchar")
        lines += [
            f"<{code:0{width * 2}X}> <{text.encode('utf-16-be').hex().upper()}>"
            for code, text in block
        ]
        lines.append("endbfchar")
    lines += ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    return "\n".join(lines).encode("ascii")


def _find_runs(pieces: list[_Piece], runs: list[Run]) -> list[tuple[Run, list[_Piece]]]:
    """The text items each message run is drawn with. A run is drawn as consecutive items
    in content order; which ones is found by their letters alone (a bag, so that neither
    line breaks nor right-to-left display order matter), without looking at the layout.
    Where the item before and the item after such a window have the same letters (a big
    figure's % drawn just before a sentence that ends, right to left, in its own %), the
    one on the window's baseline belongs to it."""
    wanted: dict[frozenset[tuple[str, int]], list[Run]] = {}
    for run in runs:
        wanted.setdefault(frozenset(letters(run.text).items()), []).append(run)
    longest = max((len(run.text) for run in runs), default=0)
    texts = [letters(p.text()) for p in pieces]
    out: list[tuple[Run, list[_Piece]]] = []
    i = 0
    while i < len(pieces):
        bag: Counter[str] = Counter()
        for j in range(i, len(pieces)):
            bag += texts[j]
            if bag.total() > longest:
                break
            found = wanted.get(frozenset(bag.items()))
            if bag and found:
                while (
                    j + 1 < len(pieces)
                    and texts[i]
                    and texts[i] == texts[j + 1]
                    and abs(pieces[j + 1].baseline[0] - pieces[j].baseline[0])
                    < abs(pieces[i + 1].baseline[0] - pieces[i].baseline[0])
                ):
                    i, j = i + 1, j + 1
                while (
                    j + 1 < len(pieces)
                    and pieces[j + 1].groups
                    and not texts[j + 1]
                    and _same_line(pieces[j], pieces[j + 1])
                ):
                    j += 1  # a raised mark read as part of the cluster before
                out.append((found.pop(0), pieces[i : j + 1]))
                i = j
                break
        i += 1
    return out


def _kids(element: Any) -> list[Any]:
    import pikepdf

    kids = element.get("/K")
    return [] if kids is None else list(kids) if isinstance(kids, pikepdf.Array) else [kids]


def _mcids(node: Any) -> set[int]:
    """The MCIDs under a structure node (an MCID itself, or an element)."""
    if isinstance(node, int):
        return {int(node)}
    return {m for kid in _kids(node) for m in _mcids(kid)} if hasattr(node, "get") else set()


def _tag_runs(
    doc: Any, page: Any, found: list[tuple[Run, list[_Piece]]], spoken: list[Run]
) -> None:
    """Give each run its own structure element, holding exactly its marked content, with
    its language, so that a screen reader speaks each language in its own voice. Typst
    may spread a run over several elements (a box per furigana word): the element made
    for the run takes them all under the deepest element they share.

    Only the runs in `spoken` (right-to-left, read line by line) give their element the
    run's text as /ActualText: its content holds each line twice over, in the orders two
    extractors need. Elsewhere the content's spans say it already, and an element's
    /ActualText would be read by MuPDF, which applies it to each marked-content sequence
    and flushes it again at every span inside, once per text item; in the spoken runs
    every glyph stands in a span, where MuPDF drops it."""
    said = {id(run) for run in spoken}
    parents = _page_parents(doc, page)
    if parents is None:
        return
    for run, pieces in found:
        mcids = {p.mcid for p in pieces}
        if max(mcids) < len(parents):
            _tag_run(doc, page, parents, run, mcids, id(run) in said)


def _page_parents(doc: Any, page: Any) -> Any:
    """The page's entry in the parent tree: the structure element of each MCID."""
    nums = doc.Root.StructTreeRoot.ParentTree.get("/Nums")
    key = page.obj.get("/StructParents")
    if nums is None or key is None:
        return None
    return next((nums[k + 1] for k in range(0, len(nums), 2) if nums[k] == key), None)


def _tag_run(doc: Any, page: Any, parents: Any, run: Run, mcids: set[int], spoken: bool) -> None:
    """Give one run its structure element (see _tag_runs)."""
    import pikepdf

    common = _shared_element(parents, mcids)
    if common is None:
        return
    kids = _kids(common)
    shared = [k for k in kids if _mcids(k) & mcids]
    if any(_mcids(k) - mcids and any(not isinstance(x, int) for x in _kids(k)) for k in shared):
        return  # an element there holds other text too: leave Typst's structure
    if _mcids(common) == mcids:
        common.Lang = pikepdf.String(run.lang)  # the element holds this run alone
        if spoken:
            common.ActualText = pikepdf.String(run.text)
        return
    tops = _take_kids(shared, mcids)
    element = doc.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.StructElem,
            S=pikepdf.Name.Span,
            P=common,
            Pg=page.obj,
            K=pikepdf.Array(tops),
            Lang=pikepdf.String(run.lang),
        )
    )
    if spoken:
        element.ActualText = pikepdf.String(run.text)
    at = kids.index(shared[0])
    if _mcids(shared[0]) - mcids and min(_mcids(shared[0]) - mcids) < min(mcids):
        at += 1  # the split leaf's remaining text comes first
    rest = [k for k in kids if not _mcids(k) <= mcids]
    common.K = pikepdf.Array([*rest[:at], element, *rest[at:]])
    for top in tops:
        if isinstance(top, int):
            parents[int(top)] = element
        else:
            top.P = element


def _take_kids(shared: list[Any], mcids: set[int]) -> list[Any]:
    """What a run's new element holds: the shared elements that are the run's alone, and
    the run's MCIDs out of a leaf holding the end of one run and the start of the next
    (which keeps the rest)."""
    import pikepdf

    tops: list[Any] = []
    for kid in shared:
        if _mcids(kid) - mcids:
            tops += [x for x in _kids(kid) if int(x) in mcids]
            kid.K = pikepdf.Array([x for x in _kids(kid) if int(x) not in mcids])
        else:
            tops.append(kid)
    return tops


def _shared_element(parents: Any, mcids: set[int]) -> Any:
    """The deepest structure element over all the MCIDs (a leaf's parent where the leaf
    is shared with another run); None if they share none."""
    import pikepdf

    chains = [_ancestors(parents[m]) for m in sorted(mcids)]
    depth = 0
    while all(len(c) > depth and c[depth].objgen == chains[0][depth].objgen for c in chains):
        depth += 1
    if depth == 0:
        return None
    common = chains[0][depth - 1]
    if (
        all(isinstance(k, int) for k in _kids(common))
        and _mcids(common) != mcids
        and (isinstance(common.get("/P"), pikepdf.Dictionary) and "/S" in common.P)
    ):
        common = common.P  # a leaf shared with another run: split it from its parent
    return common


def _ancestors(element: Any) -> list[Any]:
    """A structure element and the elements above it, root first."""
    import pikepdf

    out = []
    while isinstance(element, pikepdf.Dictionary) and element.get("/S") is not None:
        out.append(element)
        element = element.get("/P")
    return out[::-1]


def fix_text_layer(pdf: bytes, runs: list[Run] | None = None) -> bytes:
    """A compiled poster PDF whose text layer reads as the text it shows; with the
    printed runs, each also gets a structure element of its own, in its language."""
    import io

    import pikepdf

    with pikepdf.open(io.BytesIO(pdf)) as doc:
        for page in doc.pages:
            fonts = {str(k): v for k, v in page.Resources.get("/Font", {}).items()}
            maps = {name: _to_unicode(f) for name, f in fonts.items()}
            widths = {
                name: 2 if str(f.get("/Encoding", "")) == "/Identity-H" else 1
                for name, f in fonts.items()
            }
            ops = pikepdf.parse_content_stream(page)
            pieces, artifacts = _read(ops, fonts, maps)
            clusters = _clusters(pieces)
            own = _own_texts(clusters)
            _assign_shares(clusters, own)
            found = _find_runs(pieces, runs) if runs else []
            lines = _Lines()
            if any(holds_right_to_left(run.text) for run, _ in found):
                char = {
                    (name, code): own.get((name, code), text)
                    for name in fonts
                    for code, text in maps[name].items()
                }
                advance = {
                    (name, code): wide
                    for name, font in fonts.items()
                    for code, wide in _advances(font).items()
                }
                lines = _plan_lines(found, pieces, clusters, char, advance)
            spans = {
                group: text
                for group, text in _spans(pieces, own, maps).items()
                if group.item not in lines.items
            }
            _dodge_postfix(spans, own)
            for name, font in fonts.items():
                mine = {code: own.get((name, code), text) for code, text in maps[name].items()}
                if mine != maps[name]:
                    font.ToUnicode = doc.make_stream(_cmap(mine, widths[name]))
            if lines.properties:
                if "/Properties" not in page.Resources:
                    page.Resources.Properties = pikepdf.Dictionary()
                properties = page.Resources.Properties
                for name, text in lines.properties.items():
                    properties[name] = pikepdf.Dictionary(ActualText=pikepdf.String(text))
            page.Contents = doc.make_stream(
                pikepdf.unparse_content_stream(_rewrite(ops, spans, artifacts, widths, lines))
            )
            if runs:
                _tag_runs(doc, page, found, lines.runs)
        out = io.BytesIO()
        # As Typst wrote it but the text: no rewritten XMP (its PDF/A and PDF/UA claims).
        doc.save(out, deterministic_id=True, fix_metadata_version=False)
    return out.getvalue()


def describe_svg(svg: bytes, title: str, lang: str, runs: list[Run]) -> bytes:
    """An SVG poster that carries its text for assistive technology. Typst draws SVG text
    as glyph outlines, so the file holds no text; this gives the root role="img", its
    language, a <title> and one <desc> per language (every printed message, in order),
    which aria-labelledby and aria-describedby name."""
    from xml.sax.saxutils import escape, quoteattr

    end = svg.index(b">", svg.index(b"<svg")) + 1
    descs: list[tuple[str, list[str]]] = []
    for run in runs:
        if descs and descs[-1][0] == run.lang:
            descs[-1][1].append(run.text)
        else:
            descs.append((run.lang, [run.text]))
    ids = " ".join(f"kit-desc-{i}" for i in range(len(descs)))
    head = [f'<title id="kit-title">{escape(title)}</title>']
    head += [
        f'<desc id="kit-desc-{i}" lang={quoteattr(tag)} xml:lang={quoteattr(tag)}>'
        f"{escape(chr(10).join(texts))}</desc>"
        for i, (tag, texts) in enumerate(descs)
    ]
    attrs = (
        f' role="img" lang={quoteattr(lang)} xml:lang={quoteattr(lang)}'
        f' aria-labelledby="kit-title" aria-describedby="{ids}"'
    )
    root = svg[: end - 1].rstrip(b"/") + attrs.encode() + b">"
    return root + "".join(head).encode() + svg[end:]


def printed_runs(data: PosterData | dict[str, Any]) -> list[Run]:
    """Every run of text the poster data puts on the page, in the data's (reading) order."""
    if not isinstance(data, dict):
        data = json.loads(data.to_json())
    out: list[Run] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("runs"), list):
                out.extend(
                    Run(r["text"], "-".join(filter(None, (r["lang"], r.get("region")))))
                    for r in node["runs"]
                )
                return
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(data)
    return out


def finish_poster(out: bytes, fmt: str, data: PosterData) -> bytes:
    """The compiled poster with its text made readable: PDF text layer and structure, or
    SVG title and description. PNG carries no text."""
    if fmt == "pdf":
        return fix_text_layer(out, printed_runs(data))
    if fmt == "svg":
        return describe_svg(out, data.title, data.lang, printed_runs(data))
    return out
