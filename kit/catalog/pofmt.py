"""Write PO files exactly as GNU gettext (msgcat, msgmerge) writes them.

polib counts characters and breaks only at spaces; gettext counts display columns (a CJK
character is two) and breaks wherever Unicode's line-breaking rules (UAX #14) allow, which
for Japanese is between most characters. Writing the same way means a catalog that goes
through kit, Poedit and msgmerge does not change on every pass.
"""

from __future__ import annotations

import re
import unicodedata

import polib

from kit.catalog.linebreak import break_units

WIDTH = 79  # gettext's default --width
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r",
            "\a": "\\a", "\b": "\\b", "\f": "\\f", "\v": "\\v"}


def _escape(text: str) -> str:
    return "".join(_ESCAPES.get(ch, ch) for ch in text)


_ZERO_WIDTH = ("Mn", "Me", "Cf")


def _width(text: str) -> int:
    """Display columns, as gettext (libunistring's uc_width) counts them: non-spacing marks
    (Thai vowels above, Devanagari vowel signs below) take none; East Asian wide and
    fullwidth characters two."""
    return sum(0 if unicodedata.category(ch) in _ZERO_WIDTH else
               2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def _wrap_segment(segment: str, limit: int) -> list[str]:
    """Greedy fill of one newline-free piece, breaking only where UAX #14 allows."""
    lines: list[str] = []
    current, used = "", 0
    for unit in break_units(segment):
        escaped = _escape(unit)
        w = _width(escaped)
        if current and used + w > limit:
            lines.append(current)
            current, used = "", 0
        current += escaped
        used += w
    if current:
        lines.append(current)
    return lines


def format_field(keyword: str, value: str, prefix: str = "") -> list[str]:
    """`msgid "..."` and its continuation lines, wrapped as gettext wraps them."""
    head = f"{prefix}{keyword} "
    escaped = _escape(value)
    inner_newline = "\n" in value[:-1]
    if not inner_newline and _width(head) + _width(escaped) + 2 <= WIDTH:
        return [f'{head}"{escaped}"']
    # Split after each newline: gettext always breaks there.
    # At \n only (str.splitlines() would also cut at U+2028, \x1c...): gettext breaks there.
    pieces = [p for p in re.split(r"(?<=\n)", value) if p] or [""]
    lines = []
    for piece in pieces:
        lines.extend(_wrap_segment(piece, WIDTH - 2 - _width(prefix)) or [""])
    return [f'{head}""'] + [f'{prefix}"{line}"' for line in lines]


def _references(entry: polib.POEntry) -> list[str]:
    refs = [f"{f}:{n}" if n else f for f, n in entry.occurrences]
    lines, current = [], "#:"
    for ref in refs:
        if current != "#:" and len(current) + 1 + len(ref) > WIDTH:
            lines.append(current)
            current = "#:"
        current += " " + ref
    if current != "#:":
        lines.append(current)
    return lines


def format_entry(entry: polib.POEntry) -> str:
    out: list[str] = []
    for line in entry.tcomment.split("\n") if entry.tcomment else []:
        out.append(f"# {line}".rstrip() if line else "#")
    for line in entry.comment.split("\n") if entry.comment else []:
        out.append(f"#. {line}".rstrip() if line else "#.")
    if not entry.obsolete:
        out.extend(_references(entry))
    if entry.flags:
        out.append("#, " + ", ".join(entry.flags))
    prefix = "#~ " if entry.obsolete else ""
    for key in ("msgctxt", "msgid", "msgid_plural"):
        previous = getattr(entry, f"previous_{key}", None)
        if previous is not None:
            out.extend(format_field(key, previous, prefix=f"{prefix}#| "))
    if entry.msgctxt is not None:
        out.extend(format_field("msgctxt", entry.msgctxt, prefix))
    out.extend(format_field("msgid", entry.msgid, prefix))
    if entry.msgid_plural:
        out.extend(format_field("msgid_plural", entry.msgid_plural, prefix))
        for index in sorted(entry.msgstr_plural, key=int):
            out.extend(format_field(f"msgstr[{index}]", entry.msgstr_plural[index], prefix))
    else:
        out.extend(format_field("msgstr", entry.msgstr, prefix))
    return "\n".join(out) + "\n"


def format_po(po: polib.POFile) -> str:
    """The whole file: header comment, header entry, entries, obsolete entries last."""
    parts = []
    header = [f"# {line}".rstrip() if line else "#" for line in (po.header or "").splitlines()]
    meta = polib.POEntry(msgid="", msgstr="".join(f"{k}: {v}\n" for k, v in po.metadata.items()))
    if po.metadata_is_fuzzy:
        meta.flags.append("fuzzy")
    parts.append("\n".join(header) + ("\n" if header else "") + format_entry(meta))
    active = [e for e in po if not e.obsolete]
    obsolete = [e for e in po if e.obsolete]
    parts.extend(format_entry(e) for e in active + obsolete)
    return "\n".join(parts)
