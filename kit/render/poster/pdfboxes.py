"""The print boxes of a poster with bleed: TrimBox and BleedBox on its page.

Typst writes only a MediaBox. A print shop's tools read the TrimBox (where the paper is
cut) and the BleedBox (how far the artwork runs past it); without them they take the whole
sheet, crop marks and slug included, for the poster. The boxes are added as an incremental
update: the page object is written again with them, after the file as Typst made it, so
every byte of Typst's file (its PDF/A and PDF/UA structure) stays as it was.
"""

from __future__ import annotations

import re

_PT_PER_MM = 72 / 25.4


def _num(v: float) -> str:
    return f"{v:.4f}".rstrip("0").rstrip(".")


def set_print_boxes(pdf: bytes, inset_trim_mm: float, inset_bleed_mm: float) -> bytes:
    """Add TrimBox and BleedBox, inset from the MediaBox by these margins (mm)."""
    page = re.search(rb"\n(\d+) 0 obj\n(<</Type/Page/.*?>>)\nendobj", pdf, re.S)
    media = re.search(rb"/MediaBox\[([\d. ]+)\]", page.group(2)) if page else None
    root = re.search(rb"/Root (\d+ 0 R)", pdf)
    info = re.search(rb"/Info (\d+ 0 R)", pdf)
    ident = re.search(rb"/ID(\[.*?\])", pdf)
    size = re.search(rb"/Size (\d+)", pdf)
    start: list[bytes] = re.findall(rb"startxref\n(\d+)", pdf)
    if not (page and media and root and size and start):
        raise ValueError("not a PDF as Typst writes it: cannot set its print boxes")
    x0, y0, x1, y1 = (float(v) for v in media.group(1).split())

    def box(inset_mm: float) -> bytes:
        d = inset_mm * _PT_PER_MM
        return ("[" + " ".join(_num(v) for v in (x0 + d, y0 + d, x1 - d, y1 - d)) + "]").encode()

    number = page.group(1)
    body = (
        page.group(2)[:-2]
        + b"/TrimBox"
        + box(inset_trim_mm)
        + b"/BleedBox"
        + box(inset_bleed_mm)
        + b">>"
    )
    obj = b"\n" + number + b" 0 obj\n" + body + b"\nendobj\n"
    offset = len(pdf) + 1
    xref = b"xref\n" + number + b" 1\n" + f"{offset:010d} 00000 n\r\n".encode()
    trailer = (
        b"trailer\n<</Size "
        + size.group(1)
        + b"/Root "
        + root.group(1)
        + (b"/Info " + info.group(1) if info else b"")
        + (b"/ID" + ident.group(1) if ident else b"")
        + b"/Prev "
        + start[-1]
        + b">>\n"
    )
    return (
        pdf
        + obj
        + xref
        + trailer
        + b"startxref\n"
        + str(offset + len(obj) - 1).encode()
        + b"\n%%EOF"
    )
