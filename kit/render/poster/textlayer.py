"""The text a poster gives back: to copy and paste, search and screen readers.

PDFium (Chrome, Edge) and pdf.js (Firefox) read a PDF's text glyph by glyph, in the order
the page draws it, through each font's ToUnicode map; they ignore /ActualText (pdf.js) or
apply it their own way (PDFium) and read artifacts too. Typst's text, drawn as shaped
glyphs, comes back from them garbled wherever a script's glyphs do not spell its text one
by one: Thai and Devanagari marks, Arabic drawn right to left, furigana between the words
(issue 24). So the poster carries its text the way OCRmyPDF gives a scanned page one:

1. every glyph the eye sees is drawn as its outline (outlines.py), inside an artifact
   mark: nothing there is text to any reader;
2. each printed line is written once more, as text, in a font that draws nothing
   (glyphless.py), in render mode 3, over the line's outlines and scaled to their width,
   in a marked-content sequence of its own: one text object, one string, per line;
3. the string holds the line's clusters as Typst shaped them (each cluster's text, from
   krilla's /ActualText spans and ToUnicode maps, read once however many text items its
   glyphs take), in the order they stand on the line from left to right; a cluster of
   right-to-left text is written reversed, as display order has it, and each reader's
   own bidi algorithm turns the line back to reading order, as it does for any PDF;
4. each printed message (a run) gets a structure element of its own, in its language,
   holding its lines, so that a screen reader speaks each language in its own voice.

Furigana are outlines and nothing else: copying Easy Japanese gives the words without
their readings. Nothing here depends on the poster's layout or on one reader's rules;
where the readers' bidi algorithms disagree (numbers next to punctuation in Arabic), the
README says so. SVG, which Typst draws as outlines only, gets a title and descriptions.
"""

from __future__ import annotations

import functools
import json
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kit.render.poster.glyphless import ADVANCE, encode, glyphless_font
from kit.render.poster.outlines import Placed, advances, draw_outlines

if TYPE_CHECKING:
    from kit.render.poster.data import PosterData

__all__ = ["Run", "describe_svg", "finish_poster", "fix_text_layer", "printed_runs"]

Glyph = tuple[str, int]  # (font resource name, character code)
_FONT = "/kitText"  # the glyphless font's resource name
# The pairs a right-to-left line draws mirrored (Unicode's BidiMirroring, for the
# punctuation a translation uses).
_MIRROR_PAIRS = dict(zip("()[]{}<>«»‹›", ")(][}{><»«›‹", strict=True))


@dataclass(frozen=True)
class Run:
    """One printed message run: its text and BCP 47 language."""

    text: str
    lang: str
    dir: str = "ltr"  # its paragraph's direction, as the template sets it


@dataclass(eq=False)  # compared and hashed by identity
class _Group:
    """Glyphs of one cluster inside one text item, in content order."""

    text: str  # the whole cluster's text, as krilla wrote it
    glyphs: list[Glyph]
    font: str  # the PDF font's base name without its subset tag
    op: int  # index of its (first) text-showing operation
    share: str = ""  # the part of the cluster's text these glyphs show: all or nothing
    # Inside Typst's /ReversedChars: text at a right-to-left bidi level, its glyphs drawn
    # in display order.
    reversed: bool = False


@dataclass(eq=False)
class _Piece:
    """One marked-content sequence with an MCID: one Typst text item."""

    mcid: int
    groups: list[_Group] = field(default_factory=list)
    ops: list[int] = field(default_factory=list)  # its text-showing operations
    # Where its first glyph stands on the page, once drawn: x, y, the unit vector along
    # its baseline, and its size.
    origin: tuple[float, float, float, float, float] = (0.0, 0.0, 1.0, 0.0, 0.0)

    def text(self) -> str:
        """The item's characters (in drawing order: only ever compared as a bag)."""
        return "".join(g.share for g in self.groups)

    @property
    def baseline(self) -> tuple[float, float]:
        """Its baseline's distance from the page's bottom edge along the normal of its
        direction (the page height, for level text), and its size."""
        x, y, ux, uy, size = self.origin
        return y * ux - x * uy, size


def right_to_left(text: str) -> bool:
    """Whether the first strong character of a text is right-to-left."""
    strong = (unicodedata.bidirectional(c) for c in text)
    return next((d in ("R", "AL") for d in strong if d in ("L", "R", "AL")), False)


def holds_right_to_left(text: str) -> bool:
    """Whether a text holds a right-to-left letter."""
    return any(unicodedata.bidirectional(c) in ("R", "AL") for c in text)


def letters(text: str) -> Counter[str]:
    """The characters that identify a text: no spaces, no format characters (the
    template's zero-width spaces, the bidi controls Typst draws around a run)."""
    return Counter(c for c in text if not c.isspace() and unicodedata.category(c) != "Cf")


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
) -> list[_Piece]:
    """The text pieces of a content stream, with the cluster each run of glyphs carries."""
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
    texts: list[str] = []
    piece: _Piece | None = None
    font = ""
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
                texts.append(str(props.ActualText))
                stack.append("actual")
            else:
                stack.append("reversed" if str(operands[0]) == "/ReversedChars" else "other")
        elif op == "EMC":
            kind = stack.pop()
            if kind == "mcid":
                piece = None
            elif kind == "actual":
                actual.pop()
                texts.pop()
        elif op == "Tf":
            font = str(operands[0])
        elif op in ("Tj", "TJ") and piece is not None:
            glyphs = [(font, c) for c in _shown(operands, widths[font])]
            piece.ops.append(i)
            if actual:  # krilla's span: these glyphs are (part of) one cluster
                group = actual[-1]
                if group is None:
                    group = actual[-1] = _Group(texts[-1], [], bases[font], i)
                    group.reversed = "reversed" in stack
                    piece.groups.append(group)
                group.glyphs.extend(glyphs)
            else:  # one glyph, one cluster, its text in ToUnicode
                piece.groups.extend(
                    _Group(
                        maps[font].get(glyph[1], ""),
                        [glyph],
                        bases[font],
                        i,
                        "",
                        "reversed" in stack,
                    )
                    for glyph in glyphs
                )
    return pieces


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


def _share(clusters: list[list[_Group]], advance: dict[str, Callable[[int], float]]) -> None:
    """A cluster split across text items (a raised mark drawn apart) is read once, where
    its base letter stands: the first group with a glyph that advances (a mark does not)
    shows the cluster's text, the others nothing."""
    for cluster in clusters:
        for group in cluster:
            group.share = ""
        base = next(
            (g for g in cluster if any(advance[f](c) > 0 for f, c in g.glyphs)),
            cluster[0],
        )
        base.share = cluster[0].text
        # Typst leaves /ReversedChars off a line whose clusters it splits: a cluster of
        # right-to-left letters is right to left all the same.
        base.reversed = any(g.reversed for g in cluster) or holds_right_to_left(base.share)


@dataclass
class _Line:
    """One line of printed text: the pieces drawn on it, and the run they print."""

    pieces: list[_Piece]
    run: Run | None
    first: int  # content index of its first text-showing operation: the reading order
    mcid: int = -1


def _lines(pieces: list[_Piece], found: list[tuple[Run, list[_Piece]]]) -> list[_Line]:
    """Every line with glyphs: each run's by line, and the text the runs do not hold (a
    label, the DRAFT mark) by line too, in the order the page draws them."""
    out: list[_Line] = []
    taken: set[int] = set()
    for run, run_pieces in found:
        taken |= {id(p) for p in run_pieces}
        out += [
            _Line(line, run, line[0].ops[0]) for line in _line_groups(run_pieces) if line[0].ops
        ]
    rest = [p for p in pieces if p.ops and id(p) not in taken]
    out += [_Line(line, None, line[0].ops[0]) for line in _line_groups(rest)]
    return sorted(out, key=lambda line: line.first)


def _line_text(line: _Line, at: dict[int, list[Placed]]) -> str:
    """The line's clusters from left to right: by text item, as the items stand, and in
    each item in drawing order. Text set right to left is written as it is seen, in
    display order: each cluster reversed, and a bracket or quotation mark as its mirrored
    glyph shows it (see _mirror), as a reader expects of a PDF and undoes with its own
    bidi algorithm."""
    _, _, ux, uy, _ = line.pieces[0].origin
    items: list[tuple[float, int, str]] = []
    for piece in line.pieces:
        for group in piece.groups:
            m = at[group.op][0].matrix if at.get(group.op) else (0, 0, 0, 0, 0.0, 0.0)
            along = m[4] * ux + m[5] * uy  # how far along the line its item starts
            items.append((along, len(items), group.share[::-1] if group.reversed else group.share))
    # The template's zero-width spaces (break opportunities) are not text anyone typed.
    text = "".join(text for *_, text in sorted(items)).replace("\u200b", "")
    return _mirror(text, line.run is not None and line.run.dir == "rtl")


def _mirror(text: str, rtl: bool) -> str:
    """A line in display order with each bracket and quotation mark that stands at a
    right-to-left level mirrored, as it is drawn. A neutral takes the direction of the
    strong characters on both sides of it when they agree (numbers count as
    right-to-left), else the paragraph's (Unicode bidi rules N1 and N2)."""
    kinds = [_strong(c) for c in text]
    out = list(text)
    for i, c in enumerate(text):
        if c not in _MIRROR_PAIRS:
            continue
        before = next((k for k in reversed(kinds[:i]) if k), "")
        after = next((k for k in kinds[i + 1 :] if k), "")
        if before == after == "R" or ((before != after or not before) and rtl):
            out[i] = _MIRROR_PAIRS[c]
    return "".join(out)


def _strong(c: str) -> str:
    kind = unicodedata.bidirectional(c)
    return "L" if kind == "L" else "R" if kind in ("R", "AL", "EN", "AN") else ""


def _invisible(line: _Line, at: dict[int, list[Placed]], spare: dict[str, int]) -> str | None:
    """The content operations writing one line as invisible text over its outlines: at
    its first glyph's origin, in that glyph's size and direction, scaled to its width."""
    text = _line_text(line, at)
    glyphs = [g for piece in line.pieces for op in piece.ops for g in at.get(op, [])]
    if not text.strip() or not glyphs:
        return None
    _, _, ux, uy, _ = line.pieces[0].origin
    start = min(glyphs, key=lambda g: g.matrix[4] * ux + g.matrix[5] * uy)
    a, b, c, d, e, f = start.matrix
    size = math.hypot(a, b)
    if size == 0:
        return None
    end = max(
        (g.matrix[4] + g.advance * g.matrix[0] - e) * ux
        + (g.matrix[5] + g.advance * g.matrix[1] - f) * uy
        for g in glyphs
    )
    scale = 100 * max(end, size * ADVANCE) / (len(text) * ADVANCE * size)
    data = encode(text, spare).hex()
    return (
        f"/Span <</MCID {line.mcid}>> BDC BT {_FONT} {_num(size)} Tf 3 Tr {_num(scale)} Tz "
        f"{_num(ux)} {_num(uy)} {_num(-uy)} {_num(ux)} {_num(e)} {_num(f)} Tm <{data}> Tj ET EMC"
    )


def _num(v: float) -> str:
    return f"{v:.4f}".rstrip("0").rstrip(".") or "0"


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


def _same_line(a: _Piece, b: _Piece) -> bool:
    """Whether two pieces stand on one line: in one direction, baselines less than half
    the font size apart (a raised mark is drawn a fraction of that above its letter)."""
    (ya, sa), (yb, sb) = a.baseline, b.baseline
    same_way = abs(a.origin[2] - b.origin[2]) + abs(a.origin[3] - b.origin[3]) < 0.01
    return same_way and abs(ya - yb) < 0.5 * max(sa, sb)


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


def _kids(element: Any) -> list[Any]:
    import pikepdf

    kids = element.get("/K")
    return [] if kids is None else list(kids) if isinstance(kids, pikepdf.Array) else [kids]


def _mcids(node: Any) -> set[int]:
    """The MCIDs under a structure node (an MCID itself, or an element)."""
    if isinstance(node, int):
        return {int(node)}
    return {m for kid in _kids(node) for m in _mcids(kid)} if hasattr(node, "get") else set()


def _page_parents(doc: Any, page: Any) -> Any:
    """The page's entry in the parent tree: the structure element of each MCID."""
    if "/StructTreeRoot" not in doc.Root:
        return None
    nums = doc.Root.StructTreeRoot.ParentTree.get("/Nums")
    key = page.obj.get("/StructParents")
    if nums is None or key is None:
        return None
    return next((nums[k + 1] for k in range(0, len(nums), 2) if nums[k] == key), None)


def _shared_element(parents: Any, mcids: set[int]) -> Any:
    """The deepest structure element over all the MCIDs, None if they share none. It may
    hold other runs too (a heading in two languages): each run's element goes inside it."""
    chains = [_ancestors(parents[m]) for m in sorted(mcids)]
    depth = 0
    while all(len(c) > depth and c[depth].objgen == chains[0][depth].objgen for c in chains):
        depth += 1
    return chains[0][depth - 1] if depth else None


def _ancestors(element: Any) -> list[Any]:
    """A structure element and the elements above it, root first."""
    import pikepdf

    out = []
    while isinstance(element, pikepdf.Dictionary) and element.get("/S") is not None:
        out.append(element)
        element = element.get("/P")
    return out[::-1]


def _retag(doc: Any, page: Any, parents: Any, pieces: list[_Piece], lines: list[_Line]) -> None:
    """The structure over the new text: each run's lines under an element of its own,
    with its language, where the run's old content stood; other text's lines where that
    text stood. The old text's MCIDs, now outlines in artifacts, leave the tree, and so
    does every element left with nothing in it."""
    import pikepdf

    old = {p.mcid for p in pieces if p.ops}
    owner: dict[int, Any] = {}
    runs: dict[int, list[_Line]] = {}
    for line in lines:
        if line.run is not None:
            runs.setdefault(id(line.run), []).append(line)
            continue
        element = parents[line.pieces[0].mcid] if line.pieces[0].mcid < len(parents) else None
        if isinstance(element, pikepdf.Dictionary):
            kids = _kids(element)
            at = next((k for k, kid in enumerate(kids) if kid == line.pieces[0].mcid), len(kids))
            element.K = pikepdf.Array([*kids[:at], line.mcid, *kids[at:]])
            owner[line.mcid] = element
    for run_lines in runs.values():
        run = run_lines[0].run
        assert run is not None
        mcids = {p.mcid for line in run_lines for p in line.pieces}
        common = _shared_element(parents, mcids)
        if common is None:
            continue  # outside the structure tree: the text is still there to read
        kids = _kids(common)
        at = next((k for k, kid in enumerate(kids) if _mcids(kid) & mcids), len(kids))
        element = doc.make_indirect(
            pikepdf.Dictionary(
                Type=pikepdf.Name.StructElem,
                S=pikepdf.Name.Span,
                P=common,
                Pg=page.obj,
                K=pikepdf.Array([line.mcid for line in run_lines]),
                Lang=pikepdf.String(run.lang),
            )
        )
        if run.dir == "rtl" or holds_right_to_left(run.text):
            # Its lines hold display order: a screen reader gets the run as written.
            element.ActualText = pikepdf.String(run.text)
        common.K = pikepdf.Array([*kids[:at], element, *kids[at:]])
        owner |= dict.fromkeys((line.mcid for line in run_lines), element)
    for mcid in old:
        if mcid < len(parents):
            _drop(parents[mcid], mcid)
    top = max([len(parents) - 1, *owner])
    entries = [
        owner.get(m, parents[m] if m < len(parents) and m not in old else None)
        for m in range(top + 1)
    ]
    _set_page_parents(doc, page, pikepdf.Array(entries))


def _drop(element: Any, mcid: int) -> None:
    """Take an MCID out of its element, and an element left empty out of its parent."""
    import pikepdf

    kids = [k for k in _kids(element) if not (isinstance(k, int) and int(k) == mcid)]
    element.K = pikepdf.Array(kids)
    while not kids:
        parent = element.get("/P")
        if not isinstance(parent, pikepdf.Dictionary) or parent.get("/Type") != "/StructElem":
            return
        kids = [k for k in _kids(parent) if getattr(k, "objgen", None) != element.objgen]
        parent.K = pikepdf.Array(kids)
        element = parent


def _set_page_parents(doc: Any, page: Any, entries: Any) -> None:
    nums = doc.Root.StructTreeRoot.ParentTree.Nums
    key = page.obj.StructParents
    for k in range(0, len(nums), 2):
        if nums[k] == key:
            nums[k + 1] = doc.make_indirect(entries)


def fix_text_layer(pdf: bytes, runs: list[Run] | None = None) -> bytes:
    """A compiled poster PDF whose glyphs are outlines and whose text is written once, line
    by line, invisibly over them; with the printed runs, each run also gets a structure
    element of its own, in its language."""
    import io

    import pikepdf

    with pikepdf.open(io.BytesIO(pdf)) as doc:
        for page in doc.pages:
            fonts = {str(k): v for k, v in page.Resources.get("/Font", {}).items()}
            maps = {name: _to_unicode(f) for name, f in fonts.items()}
            ops = pikepdf.parse_content_stream(page)
            pieces = _read(ops, fonts, maps)
            _share(
                _clusters(pieces),
                {name: advances(f) for name, f in fonts.items() if "/DescendantFonts" in f},
            )
            glyphed = {p.mcid for p in pieces if p.ops}
            for i, instruction in enumerate(ops):  # the old text's outlines: artifacts
                props = instruction.operands[1] if str(instruction.operator) == "BDC" else None
                if isinstance(props, pikepdf.Dictionary) and int(props.get("/MCID", -1)) in glyphed:
                    ops[i] = pikepdf.ContentStreamInstruction(
                        [pikepdf.Name.Artifact], pikepdf.Operator("BMC")
                    )
            drawn, placed = draw_outlines(doc, page, ops, fonts)
            at: dict[int, list[Placed]] = {}
            for glyph in placed:
                at.setdefault(glyph.op, []).append(glyph)
            for piece in pieces:
                if piece.ops and at.get(piece.ops[0]):
                    a, b, _, _, e, f = at[piece.ops[0]][0].matrix
                    size = math.hypot(a, b) or 1.0
                    piece.origin = (e, f, a / size, b / size, size)
            lines = _lines(pieces, _find_runs(pieces, runs) if runs else [])
            parents = _page_parents(doc, page)
            first = len(parents) if parents is not None else 0
            for k, line in enumerate(lines):
                line.mcid = first + k
            spare: dict[str, int] = {}
            written = [(line, _invisible(line, at, spare)) for line in lines]
            lines = [line for line, t in written if t is not None]
            text = [t for _, t in written if t is not None]
            page.Resources.Font = pikepdf.Dictionary({_FONT: glyphless_font(doc, spare)})
            page.Contents = doc.make_stream(
                # The drawing in q ... Q: the text after it is placed on the page itself.
                b"q\n"
                + pikepdf.unparse_content_stream(drawn)
                + b"\nQ\n"
                + "\n".join(text).encode("ascii")
            )
            if parents is not None:
                _retag(doc, page, parents, pieces, lines)
        preferences = doc.Root.get("/ViewerPreferences")
        if preferences is not None and "/Direction" in preferences:
            # Typst marks a document whose language is right-to-left /R2L, and PDFium then
            # reads every line as a right-to-left paragraph: the words of a Latin line
            # come back backwards. Each line's own letters tell its direction to every
            # reader's bidi algorithm.
            del preferences["/Direction"]
        out = io.BytesIO()
        # As Typst wrote it but the text: no rewritten XMP (its PDF/A and PDF/UA claims).
        doc.save(
            out,
            deterministic_id=True,
            fix_metadata_version=False,
            # A form for every glyph: their dictionaries compress together.
            object_stream_mode=pikepdf.ObjectStreamMode.generate,
        )
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
                    Run(
                        r["text"],
                        "-".join(filter(None, (r["lang"], r.get("region")))),
                        r.get("dir", "ltr"),
                    )
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
