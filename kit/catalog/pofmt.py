"""Write PO files exactly as GNU gettext 0.21 (msgcat, msgmerge) writes them.

polib counts characters and breaks only at spaces; gettext counts display columns (a CJK
character is two), breaks wherever libunistring's line breaking allows (between most
Japanese characters, never inside an emoji sequence or a format directive like
%(name)s), writes flags in its own order and drops the ones it does not know, and puts
the previous strings of obsolete entries on `#~|` lines. Writing the same way means a
catalog that goes through kit, Poedit and msgmerge does not change on every pass.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import polib

from kit.catalog.directives import LANGUAGES, format_languages, parse
from kit.catalog.linebreak import width_breaks

WIDTH = 79  # gettext's default --width: msgcat, msgmerge and kit write at it


class KitPOFile(polib.POFile):
    """A catalog as kit holds it: written at gettext's width, with its header as it was
    read (written back byte for byte unless kit changed it) and the charset it declared."""

    kit_header: tuple[dict[str, str], polib.POEntry] | None = None
    kit_charset: str | None = None

    def __init__(self, **kwargs: object) -> None:
        super().__init__(wrapwidth=WIDTH, **kwargs)


_ESCAPES = {
    "\\": "\\\\",
    '"': '\\"',
    "\n": "\\n",
    "\t": "\\t",
    "\r": "\\r",
    "\a": "\\a",
    "\b": "\\b",
    "\f": "\\f",
    "\v": "\\v",
}
_NEEDS_ESCAPE = re.compile(r'[\\"\n\t\r\a\b\f\v]')
_FORMAT_FLAG = re.compile(r"^(no-|possible-|impossible-)?(.+)-format$")


def _escape(text: str) -> str:
    return _NEEDS_ESCAPE.sub(lambda m: _ESCAPES[m.group()], text)


def normalize_flags(flags: list[str], translated: bool = True, obsolete: bool = False) -> list[str]:
    """The flags as gettext writes them: fuzzy first (only on a translated message),
    then the format flags in gettext's order, then the range, then no-wrap; flags gettext
    does not know (and `wrap`, and syntax-check flags) are not written."""
    read = _read_flags(flags)
    out = ["fuzzy"] if read.fuzzy and translated else []
    for lang in LANGUAGES:
        kind = read.formats.get(lang)
        if kind is None or kind == "impossible-":
            continue
        out.append(f"no-{lang}-format" if kind == "no-" else f"{lang}-format")
    if read.range and not obsolete:
        out.append(read.range)
    if read.nowrap:
        out.append("no-wrap")
    return out


@dataclass
class _Flags:
    fuzzy: bool = False
    formats: dict[str, str] = field(default_factory=dict)  # language: "", "no-", "possible-"...
    range: str | None = None  # as written: "range: 1..12"
    nowrap: bool = False


def _read_flags(flags: list[str]) -> _Flags:
    """What a message's flags say; the last of `wrap` and `no-wrap` wins, and a range is
    the flag after `range:` (polib splits "range: 1..12" in two)."""
    read = _Flags()
    pending_range = False
    for flag in flags:
        if pending_range:
            m = re.fullmatch(r"([0-9]+)\.\.([0-9]+)", flag)
            if m and int(m.group(1)) <= int(m.group(2)):
                read.range = f"range: {int(m.group(1))}..{int(m.group(2))}"
            pending_range = False
        elif flag == "fuzzy":
            read.fuzzy = True
        elif flag == "range:":
            pending_range = True
        elif flag in ("no-wrap", "wrap"):
            read.nowrap = flag == "no-wrap"
        elif (m := _FORMAT_FLAG.match(flag)) and m.group(2) in LANGUAGES:
            read.formats[m.group(2)] = m.group(1) or ""
    return read


def _directive_spans(value: str, flags: list[str]) -> list[tuple[int, int]]:
    """Spans of format directives in value, inside which no line may break: for the
    first format the message is (possibly) a string of, in gettext's order."""
    langs = format_languages(flags)
    spec = parse(langs[0], value) if langs else None
    return spec.spans if spec is not None else []


def format_field(
    keyword: str, value: str, prefix: str = "", flags: list[str] | None = None, wrap: bool = True
) -> list[str]:
    """`msgid "..."` and its continuation lines, wrapped as gettext's write-po.c wraps
    them."""
    spans = _directive_spans(value, flags) if flags and value else []
    inside: set[int] = set()
    for start, end in spans:
        inside.update(range(start + 1, end))
    # The '\n'-terminated portions of the value, each wrapped on its own.
    lines: list[str] = []
    first = True
    limit = (WIDTH if wrap else 1 << 30) - 1 - (len(prefix) + 1)
    offset = 0
    portions = re.split(r"(?<=\n)", value) if value else [""]
    if portions[-1] == "" and len(portions) > 1:
        portions.pop()
    for n, portion in enumerate(portions):
        text, prohibited = _cells(portion, offset, inside)
        offset += len(portion)
        more = n + 1 < len(portions)
        start = len(keyword) + 1 if first else 0
        breaks = width_breaks(text, limit, start, prohibited) if text else []
        if first and text and (more or start > limit or breaks):
            lines.append(f'{prefix}{keyword} ""')
            first = False
            start = 0
            breaks = width_breaks(text, limit, 0, prohibited)
        pieces, last = [], 0
        for b in breaks:
            pieces.append(text[last:b])
            last = b
        pieces.append(text[last:])
        for k, piece in enumerate(pieces):
            if first and k == 0:
                lines.append(f'{prefix}{keyword} "{piece}"')
                first = False
            else:
                lines.append(f'{prefix}"{piece}"')
    return lines


def _cells(portion: str, offset: int, inside: set[int]) -> tuple[str, set[int]]:
    """A portion of a value escaped as written, and the places in it where no line may
    break: inside a format directive, inside an escape, just before a final \\n."""
    cells: list[str] = []
    prohibited: set[int] = set()
    for k, ch in enumerate(portion):
        if offset + k in inside:
            prohibited.add(len(cells))
        esc = _ESCAPES.get(ch)
        if esc is None:
            cells.append(ch)
        else:
            cells.append("\\")
            prohibited.add(len(cells))
            cells.append(esc[1])
    if portion.endswith("\n"):
        prohibited.add(len(cells) - 2)
    return "".join(cells), prohibited


def _references(entry: polib.POEntry) -> list[str]:
    lines, current, column = [], "#:", 2
    for f, n in entry.occurrences:
        while f.startswith("./"):
            f = f[2:]
        ref = f"{f}:{n}" if n else f
        length = len(ref) + 1
        if column > 2 and column + length > WIDTH:
            lines.append(current)
            current, column = "#:", 2
        current += " " + ref
        column += length
    lines.append(current)
    return lines


def _comment_lines(mark: str, text: str) -> list[str]:
    return [f"{mark} {line}" if line else mark for line in text.split("\n")]


def format_entry(entry: polib.POEntry) -> str:
    translated = bool(entry.msgstr_plural.get(0) if entry.msgid_plural else entry.msgstr)
    out: list[str] = []
    if entry.tcomment:
        out.extend(_comment_lines("#", entry.tcomment))
    if entry.comment:
        out.extend(_comment_lines("#.", entry.comment))
    if entry.occurrences:
        out.extend(_references(entry))
    flags = normalize_flags(entry.flags, translated, entry.obsolete)
    if flags:
        out.append("#, " + ", ".join(flags))
    wrap = "no-wrap" not in flags
    prefix = "#~ " if entry.obsolete else ""
    previous = "#~| " if entry.obsolete else "#| "
    for key in ("msgctxt", "msgid", "msgid_plural"):
        value = getattr(entry, f"previous_{key}", None)
        if value is not None:
            out.extend(format_field(key, value, previous, flags, wrap))
    if entry.msgctxt is not None:
        out.extend(format_field("msgctxt", entry.msgctxt, prefix, flags, wrap))
    out.extend(format_field("msgid", entry.msgid, prefix, flags, wrap))
    if entry.msgid_plural:
        out.extend(format_field("msgid_plural", entry.msgid_plural, prefix, flags, wrap))
        for index in sorted(entry.msgstr_plural, key=int):
            out.extend(
                format_field(f"msgstr[{index}]", entry.msgstr_plural[index], prefix, flags, wrap)
            )
    else:
        out.extend(format_field("msgstr", entry.msgstr, prefix, flags, wrap))
    return "\n".join(out) + "\n"


def header_entry(po: polib.POFile) -> polib.POEntry:
    """The header as an entry: as it was read when kit has not changed it, else built
    from po.header (the comment) and po.metadata."""
    raw: tuple[dict[str, str], polib.POEntry] | None = getattr(po, "kit_header", None)
    if (
        raw is not None
        and list(raw[0].items()) == list(po.metadata.items())
        and raw[1].tcomment == (po.header or "")
    ):
        entry = raw[1]
        fuzzy = "fuzzy" in entry.flags
        if fuzzy != bool(po.metadata_is_fuzzy):
            entry.flags = [f for f in entry.flags if f != "fuzzy"] + (
                ["fuzzy"] if po.metadata_is_fuzzy else []
            )
        return entry
    entry = polib.POEntry(msgid="", msgstr="".join(f"{k}: {v}\n" for k, v in po.metadata.items()))
    entry.tcomment = po.header or ""
    if po.metadata_is_fuzzy:
        entry.flags.append("fuzzy")
    return entry


def format_po(po: polib.POFile) -> str:
    """The whole file: header, active entries, then obsolete entries (those with a
    translation: gettext drops untranslated obsolete entries)."""
    header = header_entry(po)
    parts = []
    if header.msgstr or po.metadata or header.tcomment or getattr(po, "kit_header", None):
        parts.append(format_entry(header))
    parts.extend(format_entry(e) for e in po if not e.obsolete)
    parts.extend(
        format_entry(e)
        for e in po
        if e.obsolete and (e.msgstr_plural.get(0) if e.msgid_plural else e.msgstr)
    )
    return "\n".join(parts)
