"""Where GNU gettext breaks a long PO line: libunistring 1.0's line breaking (UAX #14 as
a pair table) and its column widths.

gettext's msgcat and msgmerge wrap strings with libunistring's ulc_width_linebreaks: a
character's line-break class (Unicode's LineBreak data, read here from uniseg's tables,
with libunistring's resolutions: AI, SA, XX and SG as AL, CB as ID, CJ as NS, opening
and closing brackets split by East Asian width, emoji pictographs apart from other
ideographs), then the pair table of UAX #14 (the version libunistring 1.0 ships), then
a greedy fill by display columns. uniseg's own breaker follows a newer UAX #14 and is
about a hundred times slower. tests/realworld/ checks the result against msgcat on
thousands of real catalogs.
"""

from __future__ import annotations

import unicodedata
from functools import cache

from uniseg.linebreak import line_break

# Classes in the order of the pair table's rows and columns.
_ORDER = (
    "WJ GL B2 BA BB HY CL CP1 CP2 EX IN NS OP1 OP2 QU IS NU PO PR SY AL H2 H3 ID1 ID2 "
    "JL JV JT HL RI ZWJ EB EM"
).split()
_IDX = {name: i for i, name in enumerate(_ORDER)}
# Classes outside the table, handled by the loop.
BK, SP, ZW, CM = 100, 101, 102, 103
ZWJ, RI, HL, HY, BA = _IDX["ZWJ"], _IDX["RI"], _IDX["HL"], _IDX["HY"], _IDX["BA"]
_HL_BA = 104  # a Hebrew letter followed by a hyphen or break-after (LB21a)

# The pair table: for a class before (row) and after (column): D a break is allowed, I
# only with spaces between, P never. Rows and columns follow _ORDER.
_TABLE_ROWS = """\
PIIIIIPPPPIIIIIPIIIPIIIIIIIIIIIII
PIIIIIPPPPIIIIIPIIIPIIIIIIIIIIIII
PIPIDIPPPPIIDDIPDDDPDDDDDDDDDDDDD
PDDIDIPPPPIIDDIPDDDPDDDDDDDDDDDDD
PIIIIIPPPPIIIIIPIIIPIIIIIIIIIIIII
PDDIDIPPPPIIDDIPIDDPDDDDDDDDDDDDD
PIDIDIPPPPIPDDIPDIIPDDDDDDDDDDDDD
PIDIDIPPPPIIDDIPIIIPIDDDDDDDIDIDD
PIDIDIPPPPIIDDIPDIIPDDDDDDDDDDDDD
PIDIDIPPPPIIDDIPDDDPDDDDDDDDDDDDD
PIDIDIPPPPIIDDIPDDDPDDDDDDDDDDDDD
PIDIDIPPPPIIDDIPDDDPDDDDDDDDDDDDD
PPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPP
PPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPP
PIIIIIPPPPIIPPIPIIIPIIIIIIIIIIIII
PIDIDIPPPPIIDDIPIDDPDDDDDDDDDDDDD
PIDIDIPPPPIIIDIPIIIPIDDDDDDDIDIDD
PIDIDIPPPPIIIIIPIDDPIDDDDDDDIDIDD
PIDIDIPPPPIIIIIPIDDPIIIIIIIIIDIII
PIDIDIPPPPIIDDIPIDDPDDDDDDDDIDDDD
PIDIDIPPPPIIIDIPIIIPIDDDDDDDIDIDD
PIDIDIPPPPIIDDIPDIDPDDDDDDIIDDDDD
PIDIDIPPPPIIDDIPDIDPDDDDDDDIDDDDD
PIDIDIPPPPIIDDIPDIDPDDDDDDDDDDDDD
PIDIDIPPPPIIDDIPDIDPDDDDDDDDDDDDI
PIDIDIPPPPIIDDIPDIDPDIIDDIIDDDDDD
PIDIDIPPPPIIDDIPDIDPDDDDDDIIDDDDD
PIDIDIPPPPIIDDIPDIDPDDDDDDDIDDDDD
PIDIDIPPPPIIIDIPIIIPIDDDDDDDIDIDD
PIDIDIPPPPIIDDIPDDDPDDDDDDDDDDDDD
PIDIDIPPPPIIIDIPIIIPIDDIIDDDIDIII
PIDIDIPPPPIIDDIPDIDPDDDDDDDDDDDDI
PIDIDIPPPPIIDDIPDIDPDDDDDDDDDDDDD
"""
_TABLE = [row for row in _TABLE_ROWS.split()]
assert len(_TABLE) == len(_ORDER) and all(len(r) == len(_ORDER) for r in _TABLE)

_SIMPLE = {
    "BK": BK,
    "CR": BK,
    "LF": BK,
    "NL": BK,
    "SP": SP,
    "ZW": ZW,
    "CM": CM,
    "AI": _IDX["AL"],
    "SA": _IDX["AL"],
    "XX": _IDX["AL"],
    "SG": _IDX["AL"],
    "CB": _IDX["ID1"],
    "CJ": _IDX["NS"],
}


def _pictographic(ch: str) -> bool:
    cp = ord(ch)
    return 0x1F000 <= cp <= 0x1FAFF or 0x2600 <= cp <= 0x27BF


@cache
def line_class(ch: str) -> int:
    name = line_break(ch).name
    if name in _SIMPLE:
        return _SIMPLE[name]
    if name in ("OP", "CP"):
        wide = unicodedata.east_asian_width(ch) in ("W", "F", "H")
        return _IDX[name + ("2" if wide else "1")]
    if name == "ID":
        return _IDX["ID2" if _pictographic(ch) else "ID1"]
    return _IDX.get(name, _IDX["AL"])


@cache
def width(ch: str) -> int:
    """Display columns of one character, as libunistring's uc_width counts them in a
    UTF-8 catalog (controls count as none)."""
    cp = ord(ch)
    if cp < 0x20 or 0x7F <= cp < 0xA0:
        return 0
    if (
        unicodedata.bidirectional(ch) == "NSM"
        or unicodedata.category(ch) in ("Cf", "Cc")
        or 0x1160 <= cp <= 0x11FF
        or 0xD7B0 <= cp <= 0xD7FB
        or unicodedata.name(ch, "").startswith("ZERO WIDTH ")
        or 0xE0100 <= cp <= 0xE01EF
        or 0xE0020 <= cp <= 0xE007F
        or cp == 0xE0001
    ):
        return 0 if unicodedata.category(ch) != "Cn" else 1
    if unicodedata.east_asian_width(ch) in ("W", "F") and not (
        cp == 0x303F or 0x3248 <= cp <= 0x324F or 0x4DC0 <= cp <= 0x4DFF
    ):
        return 2
    return 1


PROHIBITED, POSSIBLE, MANDATORY = 0, 1, 2


# One automaton, as libunistring writes it (u8_possible_linebreaks): its branches share the
# state of the loop and read best side by side with the original.
def possible_breaks(text: str) -> list[int]:  # noqa: C901
    """For each character: may a line break come before it (u8_possible_linebreaks)?
    PROHIBITED, POSSIBLE, or MANDATORY (a line separator, U+2028, which gettext does not
    escape: it ends a piece of text but breaks no PO line)."""
    out = [PROHIBITED] * len(text)
    prev_prop = last_prop = BK
    seen_space = False
    ri_count = 0
    table = _TABLE
    for i, ch in enumerate(text):
        prop = line_class(ch)
        if prop == BK:
            out[i] = MANDATORY
            prev_prop = last_prop = BK
            seen_space = False
            ri_count = 0
            continue
        if prop == SP:
            seen_space = True
        elif prop == ZW:
            last_prop = ZW
            seen_space = False
        elif prop == CM or prop == ZWJ:
            if last_prop == BK:
                last_prop = _IDX["AL"]
                seen_space = False
            elif last_prop == ZW or seen_space:
                out[i] = POSSIBLE
                last_prop = _IDX["AL"]
                seen_space = False
        else:
            if last_prop == BK:
                pass
            elif last_prop == ZW:
                out[i] = POSSIBLE
            elif prev_prop == ZWJ or prev_prop == _HL_BA:
                pass
            elif last_prop == RI and prop == RI:
                out[i] = POSSIBLE if seen_space or ri_count % 2 == 0 else PROHIBITED
            else:
                rule = table[last_prop][prop]
                if rule == "D" or (rule == "I" and seen_space):
                    out[i] = POSSIBLE
            last_prop = prop
            seen_space = False
        prev_prop = _HL_BA if prev_prop == HL and (prop == HY or prop == BA) else prop
        ri_count = ri_count + 1 if prop == RI else 0
    return out


def width_breaks(text: str, limit: int, start: int, prohibited: set[int]) -> list[int]:
    """The indexes where gettext breaks `text` (u8_width_linebreaks): a greedy fill of
    pieces between break opportunities into `limit` columns, the first line starting at
    column `start`; no break before an index in `prohibited`."""
    possible = possible_breaks(text)
    breaks: list[int] = []
    last_p: int | None = None
    last_column = start
    piece = 0
    for i, ch in enumerate(text):
        kind = PROHIBITED if i in prohibited else possible[i]
        if kind != PROHIBITED and last_p is not None and last_column + piece > limit:
            breaks.append(last_p)
            last_column = 0
        if kind == MANDATORY:
            last_p, last_column, piece = None, 0, 0
            continue
        if kind == POSSIBLE:
            last_p = i
            last_column += piece
            piece = 0
        piece += width(ch)
    if last_p is not None and last_column + piece > limit:
        breaks.append(last_p)
    return breaks
