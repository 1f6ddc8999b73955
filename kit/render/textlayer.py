"""The PDF text layer, repaired after Typst: what extraction and screen readers get.

Typst (0.15, through krilla) gives each glyph the text of its whole cluster in the font's
ToUnicode map, and splits a shaped run wherever a glyph's vertical offset changes. A Thai
tone mark or an Arabic tanween is raised, so it lands in a text item of its own, and both
halves of the cluster claim the cluster's text: copying gives ที่ที่ for ที่. This module
reads back, from the PDF alone, which cluster each glyph belongs to (krilla's
/ActualText spans and ToUnicode entries carry Typst's own shaping), then

1. maps each glyph to its own characters in ToUnicode (ท to ท, the raised mark to the
   mark), found by elimination across every cluster the glyph appears in, so that readers
   that go glyph by glyph (pypdf, browsers) get far better text too;
2. counts a cluster split across text items once, telling a split from a repeated cluster
   (ที่ที่) by the number of glyphs HarfBuzz shapes the cluster's text to in the same font;
3. wraps a text item in /ActualText only where its glyphs, read in order, still do not give
   its text: a vowel sign drawn before its consonant (कि), a ligature in right-to-left text.

Nothing depends on the poster's layout. Right-to-left text: extractors (poppler, MuPDF)
put characters where the glyphs are and reorder a right-to-left line themselves, so the
/ActualText of a right-to-left item holds its characters in display order, as its glyphs
stand; the structure tree (see kit.render.poster) holds the text in logical order.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["fix_text_layer"]

Glyph = tuple[str, int]  # (font resource name, character code)


@dataclass
class _Group:
    """Glyphs of one cluster inside one text item, in content order."""

    text: str  # the whole cluster's text, as krilla wrote it
    glyphs: list[Glyph]
    font: str  # the PDF font's base name without its subset tag
    share: str = ""  # the part of the cluster's text these glyphs show


@dataclass
class _Piece:
    """One marked-content sequence with an MCID: one Typst text item, one direction."""

    mcid: int
    first: int = -1  # indices of its text object's BT and ET
    last: int = -1
    groups: list[_Group] = field(default_factory=list)
    reversed: bool = False  # glyphs in display order of a right-to-left item

    def text(self) -> str:
        """The item's text in logical order."""
        shares = [g.share for g in self.groups]
        return "".join(reversed(shares) if self.reversed else shares)


def _to_unicode(font: Any) -> dict[int, str]:
    """A font's ToUnicode CMap as code -> text (krilla writes bfchar entries)."""
    if "/ToUnicode" not in font:
        return {}
    cmap = font.ToUnicode.read_bytes().decode("latin-1")
    out: dict[int, str] = {}
    for block in re.findall(r"beginbfchar(.*?)endbfchar", cmap, re.S):
        for code, text in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]*)>", block):
            out[int(code, 16)] = bytes.fromhex(text).decode("utf-16-be")
    for block in re.findall(r"beginbfrange(.*?)endbfrange", cmap, re.S):
        for lo, hi, text in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]*)>",
                                       block):
            first = bytes.fromhex(text).decode("utf-16-be")
            for i, code in enumerate(range(int(lo, 16), int(hi, 16) + 1)):
                out[code] = first[:-1] + chr(ord(first[-1]) + i)
    return out


def _codes(data: bytes, width: int) -> list[int]:
    return [int.from_bytes(data[i:i + width], "big") for i in range(0, len(data), width)]


def _read(ops: list[Any], fonts: dict[str, Any], maps: dict[str, dict[int, str]]
          ) -> tuple[list[_Piece], list[tuple[int, int]]]:
    """The text pieces of a content stream, with the cluster each run of glyphs carries,
    and the text objects (BT, ET indices) drawn as artifacts (furigana readings)."""
    import pikepdf

    widths = {name: 2 if str(f.get("/Encoding", "")) == "/Identity-H" else 1
              for name, f in fonts.items()}
    bases = {name: str(f.get("/BaseFont", "")).lstrip("/").split("+")[-1].removesuffix("-Identity-H")
             for name, f in fonts.items()}
    pieces: list[_Piece] = []
    stack: list[str] = []  # kinds of the open marked-content sequences
    # krilla's open /ActualText spans: each is one cluster, whatever number of text-showing
    # operations its glyphs take.
    actual: list[_Group | None] = []
    span_text: list[str] = []
    piece: _Piece | None = None
    artifacts: list[tuple[int, int]] = []
    begin = -1
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
                span_text.append(str(props.ActualText))
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
                span_text.pop()
        elif op == "Tf":
            font = str(operands[0])
        elif op == "BT":
            begin = i
            if piece is not None:
                piece.first = i
        elif op == "ET":
            if piece is not None:
                piece.last = i
            elif "artifact" in stack:
                artifacts.append((begin, i))
        elif op in ("Tj", "TJ", "'", '"') and piece is not None:
            shown = operands[0] if op == "TJ" else [operands[-1]]
            codes = [c for s in shown if isinstance(s, pikepdf.String)
                     for c in _codes(bytes(s), widths[font])]
            if actual:  # krilla's span: these glyphs are (part of) one cluster
                if actual[-1] is None:
                    actual[-1] = _Group(span_text[-1], [], bases[font])
                    piece.groups.append(actual[-1])
                actual[-1].glyphs.extend((font, c) for c in codes)
            else:  # one glyph, one cluster, its text in ToUnicode
                piece.groups.extend(_Group(maps[font].get(c, ""), [(font, c)], bases[font])
                                    for c in codes)
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
            if out and i == 0 and group.text and out[-1][0].text == group.text and (
                    sum(len(g.glyphs) for g in out[-1]) < need):
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


def _own_texts(clusters: list[list[_Group]]) -> dict[Glyph, str]:
    """Each glyph's own characters: a glyph alone in a cluster shows the cluster's text;
    then, cluster by cluster, a glyph whose companions are all known shows the rest."""
    instances = [(c[0].text, [g for group in c for g in group.glyphs]) for c in clusters]
    own: dict[Glyph, str] = {}
    for text, glyphs in instances:
        if len(glyphs) == 1 and text:
            own.setdefault(glyphs[0], text)
    changed = True
    while changed:
        changed = False
        for text, glyphs in instances:
            unknown = {g for g in glyphs if g not in own}
            if len(unknown) != 1 or len(glyphs) < 2:
                continue
            (glyph,) = unknown
            rest = _remove(text, "".join(own[g] for g in glyphs if g != glyph))
            if rest:
                own[glyph] = rest
                changed = True
    return own


def _assign_shares(clusters: list[list[_Group]], own: dict[Glyph, str]) -> None:
    """Give a split cluster's text to the group holding its base letter and nothing to
    the rest: a raised mark drawn on its own would otherwise be read twice, or (by
    readers that sort by position) after the letter that follows it."""
    for cluster in clusters:
        parts = ["".join(own.get(g, "") for g in group.glyphs) for group in cluster]
        main = next((i for i, part in enumerate(parts)
                     if any(not unicodedata.category(c).startswith("M") for c in part)), 0)
        for i, group in enumerate(cluster):
            group.share = group.text if i == main else ""


def _right_to_left(text: str) -> bool:
    strong = (unicodedata.bidirectional(c) for c in text)
    return next((d in ("R", "AL") for d in strong if d in ("L", "R", "AL")), False)


def _display_text(piece: _Piece) -> str:
    """What an extractor must find in the item: its text, in display order when it runs
    right to left (poppler and MuPDF reorder right-to-left lines character by character)."""
    text = piece.text()
    return text[::-1] if _right_to_left(text) else text


def _rewrite(ops: list[Any], spans: dict[int, tuple[int, str]]) -> list[Any]:
    """The operations with each text object in spans (BT index -> ET index, text) wrapped
    in one /ActualText span, inside BT ... ET where extractors still know the font and
    position, and krilla's /ActualText and /ReversedChars sequences gone: the glyphs now
    carry their own text."""
    import pikepdf

    ends = {end for end, _ in spans.values()}
    out: list[Any] = []
    stack: list[bool] = []  # per open sequence: was its BDC dropped
    for i, instruction in enumerate(ops):
        op = str(instruction.operator)
        operands = instruction.operands
        if i in ends:
            out.append(pikepdf.ContentStreamInstruction([], pikepdf.Operator("EMC")))
        if i - 1 in spans:
            props = pikepdf.Dictionary(ActualText=pikepdf.String(spans[i - 1][1]))
            out.append(pikepdf.ContentStreamInstruction([pikepdf.Name.Span, props],
                                                        pikepdf.Operator("BDC")))
        if op in ("BDC", "BMC"):
            props = operands[1] if op == "BDC" else None
            drop = str(operands[0]) == "/ReversedChars" or (
                isinstance(props, pikepdf.Dictionary) and "/ActualText" in props
                and "/MCID" not in props)
            stack.append(drop)
            if drop:
                continue
        elif op == "EMC" and stack.pop():
            continue
        out.append(instruction)
    return out


def _cmap(mapping: dict[int, str], width: int) -> bytes:
    """A ToUnicode CMap of bfchar entries (at most 100 a block, as the format requires)."""
    lines = ["/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap",
             "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
             "/CMapName /Adobe-Identity-UCS def", "/CMapType 2 def",
             "1 begincodespacerange", f"<{'00' * width}> <{'FF' * width}>", "endcodespacerange"]
    items = sorted(mapping.items())
    for at in range(0, len(items), 100):
        block = items[at:at + 100]
        lines.append(f"{len(block)} beginbfchar")
        lines += [f"<{code:0{width * 2}X}> <{text.encode('utf-16-be').hex().upper()}>"
                  for code, text in block]
        lines.append("endbfchar")
    lines += ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    return "\n".join(lines).encode("ascii")


def fix_text_layer(pdf: bytes) -> bytes:
    """A compiled poster PDF whose text layer reads as the text it shows."""
    import io

    import pikepdf

    with pikepdf.open(io.BytesIO(pdf)) as doc:
        for page in doc.pages:
            fonts = {str(k): v for k, v in page.Resources.get("/Font", {}).items()}
            maps = {name: _to_unicode(f) for name, f in fonts.items()}
            ops = pikepdf.parse_content_stream(page)
            pieces, artifacts = _read(ops, fonts, maps)
            clusters = _clusters(pieces)
            own = _own_texts(clusters)
            _assign_shares(clusters, own)
            # Every item's text in one span: readers that sort glyphs by position (poppler)
            # would otherwise put a mark after the letter that follows it. Artifacts (the
            # furigana) read as nothing, so a reading is not copied into the sentence.
            spans = {p.first: (p.last, _display_text(p)) for p in pieces if p.groups}
            spans |= {begin: (end, "") for begin, end in artifacts}
            for name, font in fonts.items():
                mine = {code: own.get((name, code), text) for code, text in maps[name].items()}
                if mine != maps[name]:
                    width = 2 if str(font.get("/Encoding", "")) == "/Identity-H" else 1
                    font.ToUnicode = doc.make_stream(_cmap(mine, width))
            page.Contents = doc.make_stream(pikepdf.unparse_content_stream(
                _rewrite(ops, spans)))
        out = io.BytesIO()
        doc.save(out, deterministic_id=True)
    return out.getvalue()
