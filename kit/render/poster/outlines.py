"""The poster's visible glyphs drawn as outlines, and where each one stands.

Typst draws text with its fonts, and every PDF reader takes that text for the page's
text: PDFium (Chrome, Edge) and pdf.js (Firefox) read it glyph by glyph, whatever
/ActualText or artifact marks say, and give Thai, Devanagari, Arabic and furigana back
garbled (issue 24). So the glyphs are drawn as what they are to the eye, shapes: each
glyph of each embedded font becomes one form XObject holding its outline (from the font
program embedded in the PDF, read with fontTools), drawn where the text drew it. The
text a reader extracts is then written once, invisibly, by textlayer.py.

Only the text-showing operators change: colours, clipping, marked content and every
other operator stay where Typst put them, so the page looks as before.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from fontTools.pens.basePen import BasePen

Matrix = tuple[float, float, float, float, float, float]


def multiply(m: Matrix, n: Matrix) -> Matrix:
    """m then n, as PDF concatenates matrices."""
    a, b, c, d, e, f = m
    p, q, r, s, t, u = n
    return (
        a * p + b * r,
        a * q + b * s,
        c * p + d * r,
        c * q + d * s,
        e * p + f * r + t,
        e * q + f * s + u,
    )


@dataclass(frozen=True)
class Placed:
    """One glyph as the page draws it."""

    font: str  # the font's resource name
    code: int  # its character code
    op: int  # index of the text-showing operation that draws it
    at: int  # its index among that operation's glyphs
    matrix: Matrix  # glyph space (1 em) to page space
    advance: float  # in em


class _PathPen(BasePen):  # type: ignore[misc]  # fontTools has no type hints
    """A glyph outline as PDF path operators (quadratic curves raised to cubic)."""

    def __init__(self, glyphs: Any = None) -> None:
        super().__init__(glyphs)
        self.ops: list[str] = []
        self.xs: list[float] = []
        self.ys: list[float] = []

    def _points(self, *points: tuple[float, float]) -> str:
        """The points as operands; each one widens the box (control points included: the
        box holds the outline, which is all a form's /BBox must do)."""
        self.xs += [p[0] for p in points]
        self.ys += [p[1] for p in points]
        return " ".join(f"{_n(p[0])} {_n(p[1])}" for p in points)

    def _moveTo(self, p: tuple[float, float]) -> None:
        self.ops.append(self._points(p) + " m")

    def _lineTo(self, p: tuple[float, float]) -> None:
        self.ops.append(self._points(p) + " l")

    def _curveToOne(self, p1: Any, p2: Any, p3: Any) -> None:
        self.ops.append(self._points(p1, p2, p3) + " c")

    def _closePath(self) -> None:
        self.ops.append("h")


def _n(v: float) -> str:
    return f"{v:.2f}".rstrip("0").rstrip(".") if v != int(v) else str(int(v))


class FontOutlines:
    """The outlines of one embedded composite font, by character code."""

    def __init__(self, font: Any) -> None:
        from fontTools.cffLib import CFFFontSet
        from fontTools.ttLib import TTFont

        descendant = font.DescendantFonts[0]
        descriptor = descendant.FontDescriptor
        self.widths = _widths(descendant)
        self.default = float(descendant.get("/DW", 1000)) / 1000
        if "/FontFile2" in descriptor:
            tt = TTFont(io.BytesIO(descriptor.FontFile2.read_bytes()), lazy=True)
            self.upem = tt["head"].unitsPerEm
            self._set = tt.getGlyphSet()
            order = tt.getGlyphOrder()
            self._name = lambda code: order[code] if code < len(order) else None
        else:  # a bare CFF (CJK), CID-keyed: the character code is the CID
            cff = CFFFontSet()
            cff.decompile(io.BytesIO(descriptor.FontFile3.read_bytes()), None)
            top = cff[cff.fontNames[0]]
            self.upem = round(1 / top.FontMatrix[0])
            self._set = top.CharStrings
            by_cid = {
                int(n[3:]) if n.startswith("cid") else i: n for i, n in enumerate(top.charset)
            }
            self._name = by_cid.get

    def advance(self, code: int) -> float:
        return self.widths.get(code, self.default)

    def path(self, code: int) -> tuple[str, tuple[float, float, float, float]] | None:
        """The glyph's outline in em (operators, bounding box); None for a blank glyph."""
        from fontTools.pens.transformPen import TransformPen

        name = self._name(code)  # type: ignore[no-untyped-call]
        if name is None:
            return None
        pen = _PathPen(self._set)  # composites are drawn from their components
        scale = 1 / self.upem
        glyph = self._set[name]
        glyph.draw(TransformPen(pen, (1000 * scale, 0, 0, 1000 * scale, 0, 0)))
        if not pen.ops:
            return None
        return " ".join(pen.ops), (min(pen.xs), min(pen.ys), max(pen.xs), max(pen.ys))


def advances(font: Any) -> Callable[[int], float]:
    """A composite font's glyph advance by character code, in em (its /W array, else its
    /DW)."""
    descendant = font.DescendantFonts[0]
    widths, default = _widths(descendant), float(descendant.get("/DW", 1000)) / 1000
    return lambda code: widths.get(code, default)


def _widths(descendant: Any) -> dict[int, float]:
    """A CIDFont's glyph advances by code, in em (its /W array)."""
    import pikepdf

    w = list(descendant.get("/W", []))
    out: dict[int, float] = {}
    i = 0
    while i + 1 < len(w):
        first = int(w[i])
        if isinstance(w[i + 1], pikepdf.Array):
            out.update((first + k, float(v) / 1000) for k, v in enumerate(w[i + 1]))
            i += 2
        else:
            out.update((c, float(w[i + 2]) / 1000) for c in range(first, int(w[i + 1]) + 1))
            i += 3
    return out


def draw_outlines(  # noqa: C901 - one content-stream interpreter: its operators share one state
    doc: Any, page: Any, ops: list[Any], fonts: dict[str, Any]
) -> tuple[list[Any], list[Placed]]:
    """The page's operations with every glyph drawn as its outline, and each glyph's
    place on the page."""
    import pikepdf

    for name, f in fonts.items():
        if "/DescendantFonts" not in f:  # Typst writes Type0 fonts (a Type3 only for emoji)
            raise ValueError(f"font {name} of the poster is not a composite font")
    outlines = {name: FontOutlines(f) for name, f in fonts.items()}
    forms: dict[tuple[str, int], str | None] = {}
    xobjects = page.Resources.get("/XObject")
    if xobjects is None:
        page.Resources.XObject = xobjects = pikepdf.Dictionary()

    def form(font: str, code: int) -> str | None:
        key = (font, code)
        if key not in forms:
            drawn = outlines[font].path(code)
            if drawn is None:
                forms[key] = None
            else:
                path, box = drawn
                name = f"/kg{len(forms)}"
                xobjects[name] = doc.make_stream(
                    (path + " f").encode("ascii"),
                    Type=pikepdf.Name.XObject,
                    Subtype=pikepdf.Name.Form,
                    BBox=pikepdf.Array(box),
                    Matrix=pikepdf.Array([0.001, 0, 0, 0.001, 0, 0]),
                )
                forms[key] = name
        return forms[key]

    out: list[Any] = []
    placed: list[Placed] = []
    ctm: Matrix = (1, 0, 0, 1, 0, 0)
    tm = tlm = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    font, size, spacing, words, scale, leading, rise = "", 0.0, 0.0, 0.0, 1.0, 0.0, 0.0
    mode = 0  # text render mode: 0 fills, 3 draws nothing
    saved: list[tuple[Any, ...]] = []  # q saves the text state with the CTM
    in_text = False
    drop_marks: list[bool] = []

    def emit(name: str, m: Matrix) -> None:
        out.append(pikepdf.ContentStreamInstruction([], pikepdf.Operator("q")))
        out.append(pikepdf.ContentStreamInstruction(list(m), pikepdf.Operator("cm")))
        out.append(pikepdf.ContentStreamInstruction([pikepdf.Name(name)], pikepdf.Operator("Do")))
        out.append(pikepdf.ContentStreamInstruction([], pikepdf.Operator("Q")))

    def show(i: int, items: list[Any]) -> None:
        nonlocal tm
        width = 2 if str(fonts[font].get("/Encoding", "")) == "/Identity-H" else 1
        n = 0
        for item in items:
            if isinstance(item, pikepdf.String):
                data = bytes(item)
                for k in range(0, len(data), width):
                    code = int.from_bytes(data[k : k + width], "big")
                    trm = multiply((size * scale, 0, 0, size, 0, rise), tm)
                    advance = outlines[font].advance(code)
                    placed.append(Placed(font, code, i, n, multiply(trm, ctm), advance))
                    name = form(font, code) if mode == 0 else None
                    if name is not None:
                        emit(name, trm)
                    n += 1
                    tx = (
                        advance * size + spacing + (words if width == 1 and code == 32 else 0)
                    ) * scale
                    tm = multiply((1, 0, 0, 1, tx, 0), tm)
            else:
                tm = multiply((1, 0, 0, 1, -float(item) / 1000 * size * scale, 0), tm)

    for i, instruction in enumerate(ops):
        op, operands = str(instruction.operator), list(instruction.operands)
        if op == "q":
            saved.append((ctm, font, size, spacing, words, scale, leading, rise, mode))
        elif op == "Q" and saved:
            ctm, font, size, spacing, words, scale, leading, rise, mode = saved.pop()
        elif op == "cm":
            ctm = multiply(tuple(float(v) for v in operands), ctm)  # type: ignore[arg-type]
        elif op == "BT":
            in_text, tm, tlm = True, (1, 0, 0, 1, 0, 0), (1, 0, 0, 1, 0, 0)
            continue
        elif op == "ET":
            in_text = False
            continue
        elif op in ("BMC", "BDC"):
            # Typst's marks for extractors (reversed characters, a cluster's /ActualText)
            # have no text left to speak of.
            props = operands[1] if op == "BDC" else None
            drop = str(operands[0]) == "/ReversedChars" or (
                isinstance(props, pikepdf.Dictionary)
                and "/ActualText" in props
                and "/MCID" not in props
            )
            drop_marks.append(drop)
            if drop:
                continue
        elif op == "EMC":
            if drop_marks.pop():
                continue
        if in_text:
            if op == "Tf":
                font, size = str(operands[0]), float(operands[1])
            elif op == "Tc":
                spacing = float(operands[0])
            elif op == "Tw":
                words = float(operands[0])
            elif op == "Tz":
                scale = float(operands[0]) / 100
            elif op == "TL":
                leading = float(operands[0])
            elif op == "Ts":
                rise = float(operands[0])
            elif op == "Tm":
                tm = tlm = tuple(float(v) for v in operands)  # type: ignore[assignment]
            elif op in ("Td", "TD"):
                tx, ty = float(operands[0]), float(operands[1])
                if op == "TD":
                    leading = -ty
                tm = tlm = multiply((1, 0, 0, 1, tx, ty), tlm)
            elif op == "T*":
                tm = tlm = multiply((1, 0, 0, 1, 0, -leading), tlm)
            elif op == "Tj":
                show(i, [operands[0]])
            elif op == "TJ":
                show(i, list(operands[0]))
            elif op in ("'", '"'):
                if op == '"':
                    words, spacing = float(operands[0]), float(operands[1])
                tm = tlm = multiply((1, 0, 0, 1, 0, -leading), tlm)
                show(i, [operands[-1]])
            elif op == "Tr":
                mode = int(operands[0])
                if mode not in (0, 3):  # Typst fills its text; a stroke would be lost
                    raise ValueError(f"text render mode {mode} cannot be drawn as outlines")
            else:
                out.append(instruction)
            continue
        out.append(instruction)
    return out, placed
