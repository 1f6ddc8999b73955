"""The layout gate: a poster measured from its PDF alone, as a reader's eye would see it.

Every glyph's ink box comes from the embedded font's own outlines (fontTools), placed
where the PDF draws the glyph (PyMuPDF's text trace: glyph id, font, size, origin). From
those boxes:

- lines: glyphs on one baseline, split where a gap is wider than a column gutter;
- collisions: ink of glyphs on different lines overlapping by more than 0.5 pt both ways,
  and ink crossing the edge of a drawn shape (a rule, card, bar, badge or label box)
  instead of lying inside or outside it;
- right-to-left paragraphs: the lines of one paragraph end on the right within 2 pt;
- run sizes: every run at or above the secondary floor of its page size, furigana above
  theirs, and the body text (the most common size among glyphs in the body's near-black:
  not the muted second language, footer or notes) at or above the body floor;
- line breaks: no line starts with a closing bracket, quote or (CJK) kinsoku character,
  none ends with an opening one;
- empty bands: the largest stretch of the page's height with nothing on it.

The rotated DRAFT mark is laid over the poster on purpose and is left out of every check.

The gate reads the PDF as Typst wrote it (typst_layout): kit then draws the same glyphs as
outlines, at the same places, with the text written invisibly over them (textlayer.py), and
tests/render/test_textlayer.py checks, glyph for glyph, that nothing moved.
"""

from __future__ import annotations

import contextlib
import functools
import io
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import pymupdf
import pytest
from fontTools.cffLib import CFFFontSet
from fontTools.pens.boundsPen import BoundsPen
from fontTools.ttLib import TTFont

PT_PER_MM = 72 / 25.4


@contextlib.contextmanager
def typst_layout():
    """Within it, posters come out as Typst laid them out: PDF without kit's text layer,
    whose outlines the gate cannot tell glyph from glyph."""
    import kit.render.poster as poster

    # make_poster calls the package's name for textlayer.finish_poster (not exported, so
    # read by name): as it is now, so that a patch already in place is kept under this one.
    real = vars(poster)["finish_poster"]

    def finish(out, fmt, data):
        return out if fmt == "pdf" else real(out, fmt, data)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(poster, "finish_poster", finish)
        yield


# The documented floors (README): body text, secondary text (second language, footer,
# labels) and furigana, in pt, per page size. The gate holds the PDFs to these numbers,
# not to whatever kit.render.sizes says today.
FLOORS: dict[str, tuple[float, float, float]] = {
    "a4": (9, 8, 6),
    "letter": (9, 8, 6),
    "b4": (10, 8, 6),
    "a3": (12, 10.5, 8),
    "square": (14, 12, 9),
    "story": (14, 12, 9),
}
PAGE_MM = {
    "a4": (210, 297),
    "letter": (215.9, 279.4),
    "b4": (257, 364),
    "a3": (297, 420),
    "square": (190.5, 190.5),
    "story": (190.5, 338.67),
}

# A line may not start with these (closing brackets and quotes in every script; JLREQ's
# line-start prohibited characters for Japanese and Chinese) ...
NO_START = set(
    ")]}»›”’」』）〕］｝〉》】〙〗〟、。，．・：；？！‼⁇⁈⁉ー゠"
    "ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ々〻ゝゞヽヾ"
    "…‥%％,.:;?!"
)
# ... nor end with these (opening brackets and quotes).
NO_END = set("([{«‹“‘「『（〔［｛〈《【〘〖〝")

OVERLAP = 0.5  # pt: glyph ink may touch, not overlap by more than this
# Brackets a right-to-left run draws mirrored. A PDF names each glyph once, so where one
# glyph serves "(" in Arabic (drawn as ")") and ")" in English, its name is wrong in one
# of them: a bracket is told by its outline instead, against the kit's own fonts.
MIRRORED = dict(zip("()[]{}«»", ")(][}{»«", strict=True))


@dataclass
class Glyph:
    char: str
    size: float
    x: float  # origin, pt from the page's top left, y downwards
    y: float
    x0: float  # advance box, left and right
    x1: float
    ink: tuple[float, float, float, float] | None  # None: nothing drawn (a space)
    rtl: bool
    dark: bool  # set in the body's near-black (not muted, white, navy or teal)
    color: tuple[float, ...]

    @property
    def box(self) -> tuple[float, float, float, float]:
        """The ink box of a glyph that draws something (one of a Line's `ink`)."""
        assert self.ink is not None
        return self.ink


@dataclass
class Line:
    glyphs: list[Glyph]
    y: float  # baseline
    size: float  # the largest size on it
    x0: float = 0
    x1: float = 0
    ink: list[Glyph] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.glyphs.sort(key=lambda g: g.x)
        self.x0 = min(g.x0 for g in self.glyphs)
        self.x1 = max(g.x1 for g in self.glyphs)
        self.ink = [g for g in self.glyphs if g.ink]

    @property
    def text(self) -> str:
        """The line's characters left to right (visual order; brackets as drawn)."""
        return "".join(g.char for g in self.glyphs)

    @property
    def rtl(self) -> bool:
        """In a right-to-left paragraph: a right-to-left letter, or any glyph the PDF's
        text says was laid out at an odd bidi level ("2017." alone on an Arabic line)."""
        return any(g.rtl or _is_rtl_letter(g.char) for g in self.glyphs)

    def ends(self, rtl: bool) -> tuple[str, str]:
        """(first, last) printed character in reading order."""
        chars = [
            g.char
            for g in self.glyphs
            if g.char.strip()
            and g.char not in "\u200b\u200e"
            and not unicodedata.category(g.char).startswith("M")
        ]
        if not chars:
            return "", ""
        if rtl:  # read from the right, where a bracket is drawn mirrored
            return MIRRORED.get(chars[-1], chars[-1]), MIRRORED.get(chars[0], chars[0])
        return chars[0], chars[-1]


def _is_rtl_letter(c: str) -> bool:
    return unicodedata.bidirectional(c) in ("R", "AL")


def _is_kana(c: str) -> bool:
    return "\u3040" <= c <= "\u30ff"


class _CFFGlyphs:
    """The charstrings of a bare CID-keyed CFF font, by CID."""

    def __init__(self, by_cid: dict[int, Any]) -> None:
        self.by_cid = by_cid

    def bounds(self, cid: int) -> tuple[float, float, float, float] | None:
        return self.by_cid[cid].calcBounds(None)


class _Fonts:
    """Glyph ink bounds (font units scaled to 1 pt) of the fonts embedded in one PDF."""

    def __init__(self, doc: pymupdf.Document, page: pymupdf.Page) -> None:
        self.doc = doc
        self.by_name: dict[str, int] = {}
        for xref, _ext, _type, basefont, *_ in page.get_fonts():
            name = basefont.split("+", 1)[-1]
            self.by_name[name] = xref
            self.by_name.setdefault(name.removesuffix("-Identity-H"), xref)
        self.fonts: dict[str, tuple[Any, float, list[str] | None]] = {}
        self.bounds: dict[tuple[str, int], tuple[float, float, float, float] | None] = {}

    def _font(self, name: str) -> tuple[Any, float, list[str] | None]:
        if name not in self.fonts:
            # The trace shortens long names: match the embedded font by its start.
            xref = self.by_name.get(name) or next(
                x for n, x in self.by_name.items() if n.startswith(name)
            )
            _, ext, _, buffer = self.doc.extract_font(xref)
            if ext == "cid":  # a bare CFF (CJK): CID-keyed, glyphs named cidNNNNN
                cff = CFFFontSet()
                cff.decompile(io.BytesIO(buffer), None)
                top = cff[cff.fontNames[0]]
                upem = round(1 / top.FontMatrix[0])
                charstrings = top.CharStrings
                glyphs = {
                    int(n[3:]) if n.startswith("cid") else i: charstrings[n]
                    for i, n in enumerate(top.charset)
                }
                self.fonts[name] = (_CFFGlyphs(glyphs), upem, None)
            else:
                font = TTFont(io.BytesIO(buffer), lazy=True)
                self.fonts[name] = (
                    font.getGlyphSet(),
                    font["head"].unitsPerEm,
                    font.getGlyphOrder(),
                )
        return self.fonts[name]

    def true_char(self, name: str, gid: int, char: str) -> str:
        """The bracket a glyph really draws (see MIRRORED), by its outline's bounds."""
        if char not in MIRRORED:
            return char
        shipped = _shipped_bounds(name)
        drawn = self.ink(name, gid)
        for candidate in (char, MIRRORED[char]):
            if shipped.get(candidate) == drawn:
                return candidate
        return char

    def ink(self, name: str, gid: int) -> tuple[float, float, float, float] | None:
        key = (name, gid)
        if key not in self.bounds:
            glyphs, upem, order = self._font(name)
            if order is None:
                b = glyphs.bounds(gid)
            else:
                pen = BoundsPen(glyphs)
                glyphs[order[gid]].draw(pen)
                b = pen.bounds
            self.bounds[key] = None if b is None else tuple(v / upem for v in b)
        return self.bounds[key]


@functools.cache
def _shipped_bounds(name: str) -> dict[str, tuple[float, ...] | None]:
    """Bounds (in em) of the brackets in the kit's font file of this name."""
    from kit.fonts import font_dir

    path = next((p for p in font_dir().iterdir() if p.name.startswith(name + ".")), None)
    if path is None:
        return {}
    font = TTFont(io.BytesIO(path.read_bytes()), lazy=True)
    glyphs, upem, cmap = font.getGlyphSet(), font["head"].unitsPerEm, font.getBestCmap()
    out: dict[str, tuple[float, ...] | None] = {}
    for c in MIRRORED:
        if ord(c) in cmap:
            pen = BoundsPen(glyphs)
            glyphs[cmap[ord(c)]].draw(pen)
            out[c] = None if pen.bounds is None else tuple(v / upem for v in pen.bounds)
    return out


@dataclass
class Page:
    """What one PDF page draws: glyphs, the shapes they must not cross, its boxes."""

    width: float
    height: float
    trim: tuple[float, float, float, float]
    bleed: tuple[float, float, float, float]
    glyphs: list[Glyph]
    shapes: list[tuple[float, float, float, float]]
    marks: list[tuple[float, float, float, float]]  # strokes outside the trim box

    @property
    def size_name(self) -> str:
        w, h = (self.trim[2] - self.trim[0]) / PT_PER_MM, (self.trim[3] - self.trim[1]) / PT_PER_MM
        return min(PAGE_MM, key=lambda n: abs(PAGE_MM[n][0] - w) + abs(PAGE_MM[n][1] - h))


def read_page(pdf: bytes, number: int = 0) -> Page:
    doc = pymupdf.open(stream=pdf, filetype="pdf")
    page = doc[number]
    fonts = _Fonts(doc, page)
    glyphs = []
    for span in page.get_texttrace():
        if abs(span["dir"][1]) > 1e-3 or span["dir"][0] < 0:
            continue  # the rotated DRAFT mark, laid over the poster on purpose
        size = span["size"]
        rtl = span["bidi_lvl"] % 2 == 1
        dark = max(span["color"]) < 0.2
        for code, gid, (x, y), bbox in span["chars"]:
            char = fonts.true_char(span["font"], gid, chr(code)) if gid > 0 else chr(code)
            b = fonts.ink(span["font"], gid) if gid > 0 else None
            ink = (
                None
                if b is None
                else (x + b[0] * size, y - b[3] * size, x + b[2] * size, y - b[1] * size)
            )
            glyphs.append(Glyph(char, size, x, y, bbox[0], bbox[2], ink, rtl, dark, span["color"]))
    shapes: list[tuple[float, float, float, float]] = []
    marks: list[tuple[float, float, float, float]] = []
    trim = tuple(page.trimbox)
    area = page.rect.width * page.rect.height
    for d in page.get_drawings():
        r = d["rect"]
        if r.width * r.height > 0.9 * area:
            continue  # the page's own background
        pad = (d.get("width") or 0) / 2 if "s" in d["type"] else 0  # a stroke's own width
        box = (r.x0 - pad, r.y0 - pad, r.x1 + pad, r.y1 + pad)
        outside = r.x1 <= trim[0] or r.x0 >= trim[2] or r.y1 <= trim[1] or r.y0 >= trim[3]
        (marks if outside else shapes).append(box)
    shapes += [tuple(i["bbox"]) for i in page.get_image_info()]
    mb = page.mediabox

    # PyMuPDF gives the boxes in PDF coordinates (y up) for trim/bleed: turn them over.
    def flip(r: pymupdf.Rect) -> tuple[float, float, float, float]:
        return (r.x0 - mb.x0, mb.y1 - r.y1, r.x1 - mb.x0, mb.y1 - r.y0)

    return Page(
        page.rect.width,
        page.rect.height,
        flip(page.trimbox),
        flip(page.bleedbox),
        glyphs,
        shapes,
        marks,
    )


def lines(glyphs: list[Glyph]) -> list[Line]:
    """Glyphs grouped into lines: one baseline, split at gaps wider than 1.2 em (a column
    gutter); marks raised or lowered by the font (a y offset under 0.3 em) join their line."""
    by_base: dict[float, list[Glyph]] = defaultdict(list)
    for g in glyphs:
        by_base[round(g.y, 1)].append(g)
    segments: list[Line] = []
    for base, gs in by_base.items():
        gs.sort(key=lambda g: g.x0)
        run = [gs[0]]
        for g in gs[1:]:
            if g.x0 - max(h.x1 for h in run) > 1.2 * max(g.size, run[-1].size):
                segments.append(Line(run, base, max(h.size for h in run)))
                run = []
            run.append(g)
        segments.append(Line(run, base, max(h.size for h in run)))
    # A mark drawn with a y offset lands on a baseline of its own, inside its line's span.
    segments.sort(key=lambda s: -len(s.glyphs))
    merged: list[Line] = []
    for s in segments:
        home = next(
            (
                m
                for m in merged
                if abs(m.y - s.y) < 0.3 * min(m.size, s.size)
                and s.x0 >= m.x0 - 0.5 * m.size
                and s.x1 <= m.x1 + 0.5 * m.size
            ),
            None,
        )
        if home is None:
            merged.append(s)
        else:
            home.glyphs += s.glyphs
            home.__post_init__()
    return sorted(merged, key=lambda s: (s.y, s.x0))


def _overlap(a: tuple[float, ...], b: tuple[float, ...]) -> tuple[float, float]:
    return min(a[2], b[2]) - max(a[0], b[0]), min(a[3], b[3]) - max(a[1], b[1])


@dataclass
class Report:
    size: str
    collisions: list[tuple[str, str, float]] = field(default_factory=list)  # glyph pairs
    crossings: list[tuple[str, tuple[float, ...]]] = field(default_factory=list)  # glyph, shape
    off_page: list[str] = field(default_factory=list)
    rtl_paragraphs: int = 0
    rtl_misaligned: list[tuple[str, float]] = field(default_factory=list)
    below_floor: list[tuple[str, float, float]] = field(default_factory=list)  # text, size, floor
    body_size: float = 0
    furigana: list[float] = field(default_factory=list)
    bad_breaks: list[str] = field(default_factory=list)
    largest_gap: float = 0  # share of the trim height with nothing drawn across it
    texts: list[str] = field(default_factory=list)  # every line, top to bottom

    def failures(self) -> list[str]:
        out = [
            f"{len(self.collisions)} colliding glyph pairs, e.g. {self.collisions[:3]}"
            if self.collisions
            else "",
            f"{len(self.crossings)} glyphs cross a shape, e.g. {self.crossings[:3]}"
            if self.crossings
            else "",
            f"glyphs off the page: {self.off_page[:5]}" if self.off_page else "",
            f"{len(self.rtl_misaligned)} right-to-left paragraphs not aligned right: "
            f"{self.rtl_misaligned[:3]}"
            if self.rtl_misaligned
            else "",
            f"runs below their floor: {self.below_floor[:5]}" if self.below_floor else "",
            f"bad line breaks: {self.bad_breaks[:5]}" if self.bad_breaks else "",
        ]
        return [f for f in out if f]


def _collisions(all_lines: list[Line]) -> list[tuple[str, str, float]]:
    cell = 24.0
    grid: dict[tuple[int, int], list[tuple[int, Glyph]]] = defaultdict(list)
    for i, line in enumerate(all_lines):
        for g in line.ink:
            x0, y0, x1, y1 = g.box
            for cx in range(int(x0 // cell), int(x1 // cell) + 1):
                for cy in range(int(y0 // cell), int(y1 // cell) + 1):
                    grid[cx, cy].append((i, g))
    found: dict[tuple[int, int], tuple[str, str, float]] = {}
    for members in grid.values():
        for a in range(len(members)):
            i, g = members[a]
            for j, h in members[a + 1 :]:
                if i == j or (id(g), id(h)) in found:
                    continue
                dx, dy = _overlap(g.box, h.box)
                if dx > OVERLAP and dy > OVERLAP:
                    found[id(g), id(h)] = (g.char, h.char, round(min(dx, dy), 2))
    return list(found.values())


def _crossings(
    all_lines: list[Line], shapes: list[tuple[float, float, float, float]]
) -> list[tuple[str, tuple[float, ...]]]:
    out = []
    for line in all_lines:
        if not line.ink:
            continue
        # Only the shapes the line's ink reaches, then glyph by glyph.
        reach = (
            min(g.box[0] for g in line.ink),
            min(g.box[1] for g in line.ink),
            max(g.box[2] for g in line.ink),
            max(g.box[3] for g in line.ink),
        )
        near = [s for s in shapes if min(_overlap(reach, s)) > 0]
        for g in line.ink:
            for s in near:
                dx, dy = _overlap(g.box, s)
                if dx <= min(OVERLAP, (s[2] - s[0]) / 2) or dy <= min(OVERLAP, (s[3] - s[1]) / 2):
                    continue
                x0, y0, x1, y1 = g.box
                inside = (
                    x0 >= s[0] - OVERLAP
                    and y0 >= s[1] - OVERLAP
                    and x1 <= s[2] + OVERLAP
                    and y1 <= s[3] + OVERLAP
                )
                if not inside:
                    out.append((g.char, tuple(round(v, 1) for v in s)))
    return out


def _latin_only(line: Line) -> bool:
    """Left-to-right letters and no right-to-left glyph: a line of its own direction."""
    return not line.rtl and any(unicodedata.bidirectional(g.char) == "L" for g in line.glyphs)


def _paragraphs(all_lines: list[Line]) -> list[list[Line]]:
    """Lines grouped into paragraphs: same size and colour, one under the other, about one
    line apart, overlapping horizontally, and at the paragraph's own line pitch once it has
    two lines (one paragraph's lines are evenly spaced: a line further below is the next
    block, such as an organisation's English contacts over an Arabic source line)."""
    paras: list[list[Line]] = []

    def pitch_holds(p: list[Line], line: Line) -> bool:
        if len(p) < 2:
            return True
        pitch = p[-1].y - p[-2].y
        return abs(line.y - p[-1].y - pitch) <= 0.5 + 0.03 * pitch

    for line in all_lines:
        home = next(
            (
                p
                for p in paras
                if abs(p[-1].size - line.size) < 0.01
                and p[-1].glyphs[0].color == line.glyphs[0].color
                # A line of left-to-right letters alone beside an Arabic one is a paragraph
                # of its own: the web address under an Arabic source line on a Japanese
                # page. ("2017." alone, with no letter, still ends the Arabic one.)
                and not (p[-1].rtl and _latin_only(line))
                and not (_latin_only(p[-1]) and line.rtl)
                and 0 < line.y - p[-1].y < 2.6 * line.size
                and min(p[-1].x1, line.x1) - max(p[-1].x0, line.x0) > 0
                and pitch_holds(p, line)
            ),
            None,
        )
        if home is None:
            paras.append([line])
        else:
            home.append(line)
    return paras


def _is_ruby(line: Line, all_lines: list[Line]) -> bool:
    """Furigana: a line of kana alone, sitting just above a line at least 1.6x its size."""
    if not all(_is_kana(g.char) for g in line.ink):
        return False
    return any(
        0 < other.y - line.y < 3 * line.size
        and other.size >= 1.3 * line.size
        and min(other.x1, line.x1) - max(other.x0, line.x0) > 0
        for other in all_lines
    )


def _largest_gap(page: Page, all_lines: list[Line]) -> float:
    top, bottom = page.trim[1], page.trim[3]
    spans = [(g.box[1], g.box[3]) for ln in all_lines for g in ln.ink]
    spans += [(s[1], s[3]) for s in page.shapes]
    spans = sorted((max(a, top), min(b, bottom)) for a, b in spans if b > top and a < bottom)
    gap, reach = 0.0, top
    for a, b in spans:
        gap = max(gap, a - reach)
        reach = max(reach, b)
    gap = max(gap, bottom - reach)
    return gap / (bottom - top)


def page_count(pdf: bytes) -> int:
    with pymupdf.open(stream=pdf, filetype="pdf") as doc:
        return len(doc)


def check(pdf: bytes, number: int = 0) -> Report:
    """The gate's report on page `number` (a two-sided poster's back is page 1)."""
    page = read_page(pdf, number)
    all_lines = lines(page.glyphs)
    report = Report(page.size_name)
    report.texts = [ln.text for ln in all_lines]
    report.collisions = _collisions(all_lines)
    report.crossings = _crossings(all_lines, page.shapes)
    tx0, ty0, tx1, ty1 = page.trim
    report.off_page = [
        g.char
        for ln in all_lines
        for g in ln.ink
        if g.box[0] < tx0 or g.box[1] < ty0 or g.box[2] > tx1 or g.box[3] > ty1
    ]
    paragraphs = _paragraphs(all_lines)
    rtl_lines = {id(ln) for para in paragraphs if any(ln.rtl for ln in para) for ln in para}
    for para in paragraphs:
        if len(para) < 2 or id(para[0]) not in rtl_lines:
            continue
        report.rtl_paragraphs += 1
        spread = max(ln.x1 for ln in para) - min(ln.x1 for ln in para)
        if spread > 2:
            report.rtl_misaligned.append((para[-1].text[-12:], round(spread, 1)))
    body, secondary, ruby_floor = FLOORS[report.size]
    counts: dict[float, int] = defaultdict(int)
    for line in all_lines:
        printed = [g for g in line.ink]
        if not printed:
            continue
        if _is_ruby(line, all_lines):
            report.furigana.append(line.size)
            if line.size < ruby_floor - 0.01:
                report.below_floor.append((line.text, line.size, ruby_floor))
            continue
        for g in printed:
            if g.dark:  # the body text: what the body floor is for
                counts[round(g.size, 2)] += 1
        small = min(g.size for g in printed)
        if small < secondary - 0.01:
            report.below_floor.append((line.text, small, secondary))
    report.body_size = max(counts, key=lambda s: counts[s]) if counts else 0
    if report.body_size and report.body_size < body - 0.01:
        report.below_floor.append(("(body text)", report.body_size, body))
    for line in all_lines:
        # A line's direction is its paragraph's: "2017." may end an Arabic one alone.
        first, last = line.ends(id(line) in rtl_lines)
        if first in NO_START or last in NO_END:
            report.bad_breaks.append(line.text)
    report.largest_gap = _largest_gap(page, all_lines)
    return report
