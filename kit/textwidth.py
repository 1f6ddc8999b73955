"""Text width in columns, as a terminal and the length budgets count it.

A wide or fullwidth character (CJK, kana, fullwidth punctuation) takes two columns;
combining marks and zero-width characters none; everything else one. (The PO writer
wraps by libunistring's uc_width instead, kit.catalog.linebreak.width, to break lines
exactly where msgcat does: two rules for two jobs.)
"""

from __future__ import annotations

import unicodedata


def columns(text: str) -> int:
    width = 0
    for ch in text:
        if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
            continue
        width += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return width


def pad(text: str, width: int, align: str = "<") -> str:
    """Pad to `width` columns (str.ljust counts characters, not columns)."""
    fill = " " * max(0, width - columns(text))
    return fill + text if align == ">" else text + fill
