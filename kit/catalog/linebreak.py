"""Where a line may break, after Unicode's line-breaking algorithm (UAX #14).

GNU gettext wraps PO strings at these opportunities (through libunistring). This is the
algorithm's pair rules over character classes from uniseg's Unicode tables, tailored where
libunistring differs; uniseg's own breaker is about a hundred times slower, too slow for
catalogs of thousands of messages. tests/test_pofmt.py checks the result against msgcat.
"""

from __future__ import annotations

from functools import lru_cache
from unicodedata import east_asian_width

from uniseg.linebreak import line_break


@lru_cache(maxsize=4096)
def _class(ch: str) -> str:
    name = line_break(ch).name
    # LB1: resolve classes the pair rules do not know. SA (Thai, Lao...) is treated as
    # alphabetic, as libunistring does without a dictionary; CJ (small kana) as NS.
    if name in ("AI", "SG", "XX", "SA"):
        return "AL"
    if name == "CJ":
        return "NS"
    return name


_NUMERIC_AFTER = {"NU", "SY", "IS", "PO", "PR"}


def _no_break(a: str, b: str, before_sp: str | None, spaces: bool, wide: bool = False,
              after: str | None = None) -> bool:
    """True where the rules forbid a break between a class a and a class b (a is the class
    just before b; before_sp the last class before any spaces in between; wide whether the
    bracket in a LB30 pair is East Asian wide, like （, where the rule does not apply; after
    the class following b, for LB25's look-ahead)."""
    if b in ("SP", "ZW", "BK", "CR", "LF", "NL") or b in ("WJ",) or a == "WJ":
        return True  # LB6, LB7, LB11
    if before_sp == "ZW" and (spaces or a == "ZW"):
        return False  # LB8
    if a == "GL" or (b == "GL" and a not in ("SP", "BA", "HY")):
        return True  # LB12, LB12a
    if b in ("CL", "CP", "EX", "IS", "SY"):
        return True  # LB13
    if before_sp == "OP":
        return True  # LB14
    if before_sp in ("CL", "CP") and b == "NS":
        return True  # LB16
    if before_sp == "B2" and b == "B2":
        return True  # LB17
    if a == "SP":
        return False  # LB18
    if b == "QU" or a == "QU":
        return True  # LB19
    if b == "CB" or a == "CB":
        return False  # LB20
    if b in ("BA", "HY", "NS") or a == "BB":
        return True  # LB21
    if b == "IN":
        return True  # LB22
    if (a in ("AL", "HL") and b == "NU") or (a == "NU" and b in ("AL", "HL")):
        return True  # LB23
    if (a == "PR" and b in ("ID", "EB", "EM")) or (a in ("ID", "EB", "EM") and b == "PO"):
        return True  # LB23a
    if (a in ("PR", "PO") and b in ("AL", "HL")) or (a in ("AL", "HL") and b in ("PR", "PO")):
        return True  # LB24
    # libunistring keeps a prefix or postfix sign with an opening bracket after it, as the
    # older pair table did ("%{", "%("), where UAX #14 now asks for a number to follow.
    if (a in ("PR", "PO") and (b == "OP" or (b == "HY" and after == "NU"))) or \
            (a in ("PR", "PO", "OP", "HY", "IS", "SY") and b == "NU") or (a == "NU" and b in _NUMERIC_AFTER) \
            or (a in ("CL", "CP") and b in ("PO", "PR")):  # libunistring: with or without a number
        return True  # LB25, simplified to its pairs
    if (a == "JL" and b in ("JL", "JV", "H2", "H3")) or (a in ("JV", "H2") and b in ("JV", "JT")) \
            or (a in ("JT", "H3") and b == "JT"):
        return True  # LB26
    if (a in ("JL", "JV", "JT", "H2", "H3") and b == "PO") or (a == "PR" and b in ("JL", "JV", "JT", "H2", "H3")):
        return True  # LB27
    if a in ("AL", "HL") and b in ("AL", "HL"):
        return True  # LB28
    if a == "IS" and b in ("AL", "HL"):
        return True  # LB29
    if not wide and ((a in ("AL", "HL", "NU") and b == "OP") or (a == "CP" and b in ("AL", "HL", "NU"))):
        return True  # LB30
    if a == "RI" and b == "RI":
        return True  # LB30a, simplified
    return a == "EB" and b == "EM"  # LB30b; else LB31: break


def break_units(text: str) -> list[str]:
    """The text cut at every line-break opportunity (each piece keeps its trailing spaces)."""
    if not text:
        return []
    units, start = [], 0
    prev = _class(text[0])
    if prev in ("CM", "ZWJ"):
        prev = "AL"  # LB10
    before_sp, spaces = prev, False
    for i in range(1, len(text)):
        cur = _class(text[i])
        if cur in ("CM", "ZWJ") and prev not in ("BK", "CR", "LF", "NL", "SP", "ZW"):
            continue  # LB9: a combining mark goes with its base and takes its class
        if cur in ("CM", "ZWJ"):
            cur = "AL"  # LB10
        bracket = text[i] if cur == "OP" else text[i - 1]
        wide = east_asian_width(bracket) in ("F", "W", "H")
        after = _class(text[i + 1]) if i + 1 < len(text) else None
        if not _no_break(prev, cur, before_sp, spaces, wide, after):
            units.append(text[start:i])
            start = i
        if cur == "SP":
            spaces = True
        else:
            before_sp, spaces = cur, False
        prev = cur
    units.append(text[start:])
    return units
