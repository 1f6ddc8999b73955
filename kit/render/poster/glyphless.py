"""A font that draws nothing, for the poster's invisible text layer.

The text a reader extracts is written in this font, in render mode 3 (neither filled nor
stroked), over the glyph outlines the eye sees, as OCRmyPDF writes its text over a
scanned page. Each character code is the character's own code point (UTF-16 for the
Basic Multilingual Plane; the surrogate range, which holds no character, gives codes to
the few characters beyond it), so the ToUnicode map is the identity, and every viewer
reads the characters exactly as they are written. Every code draws the one empty glyph,
half an em wide; the text layer scales each line to the width its outlines take.
"""

from __future__ import annotations

import functools
import io
from typing import Any

ADVANCE = 0.5  # em, every code
NAME = "KitGlyphLess"
_FIRST_SPARE = 0xD800  # codes for characters beyond the BMP, from the surrogate range


@functools.cache
def _font_program() -> bytes:
    """A TrueType font with one empty glyph (and the .notdef every font must have)."""
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    builder = FontBuilder(1000, isTTF=True)
    builder.setupGlyphOrder([".notdef", "blank"])
    builder.setupCharacterMap({32: "blank"})
    builder.setupGlyf({name: TTGlyphPen(None).glyph() for name in (".notdef", "blank")})
    builder.setupHorizontalMetrics({".notdef": (500, 0), "blank": (500, 0)})
    builder.setupHorizontalHeader(ascent=800, descent=-200)
    builder.setupNameTable({"familyName": NAME, "styleName": "Regular"})
    builder.setupOS2(sTypoAscender=800, sTypoDescender=-200, usWinAscent=800, usWinDescent=200)
    builder.setupPost()
    builder.font["head"].created = builder.font["head"].modified = 0  # the same bytes every run
    out = io.BytesIO()
    builder.font.recalcTimestamp = False
    builder.save(out)
    return out.getvalue()


def encode(text: str, spare: dict[str, int]) -> bytes:
    """The text as this font's character codes; `spare` collects the codes given to
    characters beyond the BMP."""
    out = bytearray()
    for c in text:
        code = ord(c)
        if code > 0xFFFF:
            code = spare.setdefault(c, _FIRST_SPARE + len(spare))
        out += code.to_bytes(2, "big")
    return bytes(out)


def _to_unicode(spare: dict[str, int]) -> bytes:
    """The identity map, a block of 256 codes at a time (a bfrange may not cross one), and
    the spare codes."""
    lines = [
        "/CIDInit /ProcSet findresource begin",
        "12 dict begin",
        "begincmap",
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
        "/CMapName /Adobe-Identity-UCS def",
        "/CMapType 2 def",
        "1 begincodespacerange",
        "<0000> <FFFF>",
        "endcodespacerange",
    ]
    blocks = [h for h in range(256) if not 0xD8 <= h <= 0xDF]
    for at in range(0, len(blocks), 100):  # at most 100 entries a section
        part = blocks[at : at + 100]
        lines.append(f"{len(part)} beginbfrange")
        lines += [f"<{h:02X}00> <{h:02X}FF> <{h:02X}00>" for h in part]
        lines.append("endbfrange")
    chars = sorted(spare.items(), key=lambda item: item[1])
    for at in range(0, len(chars), 100):
        pairs = chars[at : at + 100]
        lines.append(f"{len(pairs)} beginbfchar")
        lines += [f"<{code:04X}> <{c.encode('utf-16-be').hex().upper()}>" for c, code in pairs]
        lines.append("endbfchar")
    lines += ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    return "\n".join(lines).encode("ascii")


def glyphless_font(doc: Any, spare: dict[str, int]) -> Any:
    """The font's PDF object (Type0, Identity-H), embedded, with its ToUnicode map."""
    import pikepdf

    name = pikepdf.Name("/" + NAME)
    descriptor = pikepdf.Dictionary(
        Type=pikepdf.Name.FontDescriptor,
        FontName=name,
        Flags=4,
        FontBBox=pikepdf.Array([0, -200, 500, 800]),
        ItalicAngle=0,
        Ascent=800,
        Descent=-200,
        CapHeight=700,
        StemV=80,
        FontFile2=doc.make_stream(_font_program()),
    )
    descendant = pikepdf.Dictionary(
        Type=pikepdf.Name.Font,
        Subtype=pikepdf.Name.CIDFontType2,
        BaseFont=name,
        CIDSystemInfo=pikepdf.Dictionary(
            Registry=pikepdf.String("Adobe"), Ordering=pikepdf.String("Identity"), Supplement=0
        ),
        FontDescriptor=descriptor,
        DW=int(ADVANCE * 1000),
        # Every code draws glyph 1, the blank one.
        CIDToGIDMap=doc.make_stream(b"\x00\x01" * 0x10000),
    )
    return doc.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Font,
            Subtype=pikepdf.Name.Type0,
            BaseFont=name,
            Encoding=pikepdf.Name("/Identity-H"),
            DescendantFonts=pikepdf.Array([descendant]),
            ToUnicode=doc.make_stream(_to_unicode(spare)),
        )
    )
