"""The catalog model, and reading and writing PO files exactly as GNU gettext does.

`Catalog` (a polib.POFile) is the one catalog type in kit: check, merge, sheets, the
studio and the renderers take it, and every reader here returns it. polib supplies the
model; its reader and writer fall short of GNU gettext, so both are kit's own here,
each for a measured case:

- Reading follows gettext's lexer (po-lex.c). polib is lenient where gettext is not: an
  unterminated string becomes empty, a bad escape is kept, msgstr[0] is accepted
  without msgid_plural, the declared charset is ignored, `#~|` previous strings are
  dropped, and content is split at U+2028 (tests/catalog/test_pofile_read.py holds each case).
  Here the file is bytes in the charset its header declares; \\ooo and \\xhh are bytes
  in that charset; keywords may be indented with tabs. It reads in memory and fails
  with a CatalogError naming file and line.
- Writing is msgcat's and msgmerge's, byte for byte: on the 4,706 PO files of the
  real-world corpus (tests/realworld), kit's output equals msgcat's on every one,
  polib's differs on 4,669 and Babel's write_po on all 4,706 (2026-12, polib 1.2.0,
  Babel 2.19). gettext counts display columns (a CJK character is two), breaks where
  libunistring allows (between most Japanese characters, never inside an emoji
  sequence or a directive like %(name)s), orders and filters flags its own way, and
  puts obsolete entries' previous strings on `#~|` lines; polib counts characters and
  breaks at spaces. So a catalog that goes through kit, Poedit and msgmerge does not
  change on every pass.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from pathlib import Path

import polib

from kit.catalog.directives import LANGUAGES, format_languages, parse
from kit.catalog.linebreak import width_breaks
from kit.errors import CatalogError
from kit.fields import BIDI_CLASS
from kit.files import atomic_write, wide_unicode_advice

WIDTH = 79  # gettext's default --width: msgcat, msgmerge and kit write at it


class Catalog(polib.POFile):
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


def header_entry(po: Catalog) -> polib.POEntry:
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


def format_po(po: Catalog) -> str:
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


# ---- reading ----------------------------------------------------------------------

_CHARSET = re.compile(rb"charset=([^\s\\\"]+)")
_KEYWORD = re.compile(r"(msgctxt|msgid_plural|msgid|msgstr\[([0-9]+)\]|msgstr)(?=[\s\"]|$)")
# One string token: quote, then anything but a quote, backslash or line end, or an escape.
_STRING = re.compile(r'"((?:[^"\\\n]|\\.)*)"')
_BLANK = " \t\r\f\v"
_SIMPLE = {
    "n": "\n",
    "t": "\t",
    "b": "\b",
    "r": "\r",
    "f": "\f",
    "v": "\v",
    "a": "\a",
    "\\": "\\",
    '"': '"',
}
_ESCAPE = re.compile(r"\\(?:([ntbrfva\\\"])|([0-7]{1,3})|x([0-9A-Fa-f]+)|(.?))", re.S)
_BYTE_ESCAPE = re.compile(r"\\(?:[0-7]|x[0-9A-Fa-f])")


class _Problem(Exception):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


def charset_of(raw: bytes) -> str | None:
    """The charset the header declares (as written), found as GNU gettext finds it."""
    header = raw.find(b'msgid ""')
    if header < 0:
        return None
    m = _CHARSET.search(raw, header, header + 4000)
    return m.group(1).decode("ascii", "replace") if m else None


def codec_for(charset: str | None) -> str:
    """The Python codec for a declared charset; a template's placeholder CHARSET and a
    missing declaration are read as UTF-8 (ASCII-compatible, as gettext reads them)."""
    if charset is None or charset.upper() == "CHARSET":
        return "utf-8"
    try:
        name = codecs.lookup(charset).name
    except LookupError:
        raise ValueError(
            f"the header declares charset={charset}, which is not a known character set"
        ) from None
    if name.startswith(("utf-16", "utf-32")):
        raise ValueError(
            f"charset={charset} is not ASCII-compatible; GNU gettext cannot "
            "read it either (convert with: msgconv --to-code=UTF-8)"
        )
    return name


def _unescape(body: str, line: int, codec: str) -> str:
    """The text of a string token's body, escapes resolved as gettext's lexer does."""
    if "\\" not in body:
        return body
    if not _BYTE_ESCAPE.search(body):

        def simple(m: re.Match[str]) -> str:
            if m.group(1) is None:
                raise _Problem(line, f"invalid escape sequence {m.group(0)!r}")
            return _SIMPLE[m.group(1)]

        return _ESCAPE.sub(simple, body)
    # Octal and hex escapes are bytes of the file's charset: re-encode the pieces
    # around them, splice the bytes in, decode the whole string again.
    out = bytearray()
    pos = 0
    for m in _ESCAPE.finditer(body):
        out += body[pos : m.start()].encode(codec)
        pos = m.end()
        letter, octal, hexa, bad = m.groups()
        if letter is not None:
            out += _SIMPLE[letter].encode(codec)
            continue
        if bad is not None:
            raise _Problem(line, f"invalid escape sequence {m.group(0)!r}")
        value = int(octal, 8) if octal is not None else int(hexa[-2:], 16)
        value &= 0xFF  # gettext stores the value in one byte (\777 is 0xFF)
        if value == 0:
            raise _Problem(
                line,
                f"the escape {m.group(0)!r} is a NUL byte, where gettext cuts the string short",
            )
        out.append(value)
    out += body[pos:].encode(codec)
    try:
        return out.decode(codec)
    except UnicodeDecodeError:
        raise _Problem(
            line,
            f"the escapes in this string make bytes that are not valid "
            f"{codec.upper()} text (GNU msgcat stops on them too)",
        ) from None


def _split_refs(text: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for token in text.split():
        name, sep, number = token.rpartition(":")
        ref = (name, number) if sep and number.isdigit() else (token, "")
        if ref not in out:  # gettext keeps one of each file position
            out.append(ref)
    return out


def _new_entry() -> polib.POEntry:
    entry = polib.POEntry.__new__(polib.POEntry)
    entry.__dict__.update(
        msgid="",
        msgstr="",
        msgid_plural="",
        msgstr_plural={},
        msgctxt=None,
        obsolete=False,
        encoding="utf-8",
        comment="",
        tcomment="",
        occurrences=[],
        flags=[],
        previous_msgctxt=None,
        previous_msgid=None,
        previous_msgid_plural=None,
        linenum=None,
    )
    return entry


# Where the reader is: between messages, in a message's source (msgctxt, msgid,
# msgid_plural), or in its translation (msgstr, msgstr[N]).
_BETWEEN, _SOURCE, _TRANSLATION = range(3)


class _Reader:
    """GNU gettext's PO grammar, a line at a time: comments gather until the message they
    precede, keywords and strings fill it, and what cannot belong to it (the next
    message's keyword or comment, the end) finishes it. Raises _Problem(line, sentence)."""

    def __init__(self, codec: str) -> None:
        self.codec = codec
        self.entries: list[polib.POEntry] = []
        self.state = _BETWEEN
        self.field: str | None = None  # where continuation strings go
        self.entry_line = 0
        self.first_comment = 0  # where the next entry's comments start: its line, as people see it
        self.obsolete = False
        self._clear()

    def _clear(self) -> None:
        self.comments: list[str] = []  # translator comments
        self.dots: list[str] = []
        self.refs: list[tuple[str, str]] = []
        self.flags: list[str] = []
        self.prev: dict[str, str] = {}
        self.fields: dict[str, str] = {}
        self.plural: dict[int, str] = {}

    def line(self, number: int, raw: str) -> None:
        line = raw.strip(_BLANK)
        if not line:
            return
        obsolete = previous = False
        if line[:2] == "#~":
            obsolete = True
            previous, line = _obsolete_rest(line[2:])
            if not line or line[0] == "#":  # a comment written inside an obsolete entry
                return
        elif line[0] == "#":
            if self.state == _TRANSLATION:
                self.finish(number)
            self.first_comment = self.first_comment or number
            if line[1:2] != "|":
                self._comment(line[1:2], line[1:])
                return
            previous, line = True, line[2:].strip(_BLANK)
            if not line:
                return
        self._tokens(number, line, obsolete, previous)

    def _tokens(self, number: int, line: str, obsolete: bool, previous: bool) -> None:
        """Keywords and strings, possibly several on one line."""
        pos = 0
        while pos < len(line):
            if line[pos] in _BLANK:
                pos += 1
            elif line[pos] == '"':
                pos = self._string(number, line, pos, previous)
            else:
                pos = self._keyword(number, line, pos, obsolete, previous)

    def _comment(self, kind: str, body: str) -> None:
        if kind in (",", "!"):
            self.flags.extend(f for f in re.split(r"[\s,]+", body[1:]) if f)
        elif kind == ".":
            self.dots.append(body[2:] if body[1:2] == " " else body[1:])
        elif kind == ":":
            for ref in _split_refs(body[1:]):
                if ref not in self.refs:
                    self.refs.append(ref)
        else:
            self.comments.append(body[1:] if body[:1] == " " else body)

    def _string(self, number: int, line: str, pos: int, previous: bool) -> int:
        m = _STRING.match(line, pos)
        if m is None:
            raise _Problem(number, "the string has no closing quote")
        field = self.field
        if field is None or field.startswith("prev:") != previous:
            raise _Problem(number, "a string that belongs to no keyword")
        value = _unescape(m.group(1), number, self.codec)
        if field.startswith("prev:"):
            self.prev[field[5:]] += value
        elif field.isdigit():
            self.plural[int(field)] += value
        else:
            self.fields[field] += value
        return m.end()

    def _keyword(self, number: int, line: str, pos: int, obsolete: bool, previous: bool) -> int:
        m = _KEYWORD.match(line, pos)
        if m is None:
            # The offending word only, shortened: the path may point at anything (a link
            # to some other file), and its contents are not this error's to repeat.
            word = line[pos:].split(maxsplit=1)[0] if line[pos:].strip() else line[pos:]
            shown = word[:12] + ("…" if len(word) > 12 else "")
            raise _Problem(number, f"unexpected text {shown!r} where a keyword should be")
        keyword = m.group(1)
        if previous:
            self._previous(number, keyword)
        elif keyword in ("msgctxt", "msgid"):
            self._source(number, keyword, obsolete)
        elif keyword == "msgid_plural":
            if self.state != _SOURCE or "msgid" not in self.fields or keyword in self.fields:
                raise _Problem(number, "msgid_plural without msgid")
            self._open(keyword)
        elif keyword == "msgstr":
            if self.state != _SOURCE or "msgid" not in self.fields:
                raise _Problem(number, "msgstr without msgid")
            if "msgid_plural" in self.fields:
                raise _Problem(number, "a message with msgid_plural needs msgstr[0], msgstr[1]...")
            self._open(keyword)
            self.state = _TRANSLATION
        else:
            self._plural_form(number, keyword, int(m.group(2)))
        return m.end()

    def _previous(self, number: int, keyword: str) -> None:
        """A #| keyword: the source the translation was made for, before it changed."""
        if keyword.startswith("msgstr"):
            raise _Problem(
                number, "a previous string (#|) can only be msgctxt, msgid or msgid_plural"
            )
        if self.state == _TRANSLATION:
            self.finish(number)
        self.field = "prev:" + keyword
        self.prev[keyword] = ""

    def _source(self, number: int, keyword: str, obsolete: bool) -> None:
        """msgctxt or msgid: a new message starts here unless this one is still open to it."""
        if self.state == _TRANSLATION or (self.state == _SOURCE and keyword in self.fields):
            self.finish(number)
        if self.state == _BETWEEN:
            self.entry_line = self.first_comment or number
            self.obsolete = obsolete
            self.state = _SOURCE
        if keyword == "msgctxt" and "msgid" in self.fields:
            raise _Problem(number, "msgctxt must come before msgid")
        self._open(keyword)

    def _plural_form(self, number: int, keyword: str, index: int) -> None:
        if "msgid_plural" not in self.fields:
            raise _Problem(number, f"{keyword} without msgid_plural")
        if index != len(self.plural):
            raise _Problem(
                number,
                f"{keyword} where msgstr[{len(self.plural)}] was due "
                "(plural forms are numbered from 0, in order)",
            )
        self.plural[index] = ""
        self.field = str(index)
        self.state = _TRANSLATION

    def _open(self, keyword: str) -> None:
        self.fields[keyword] = ""
        self.field = keyword

    def finish(self, line: int) -> None:
        """The message read so far, as a polib entry."""
        if self.state == _BETWEEN:
            return
        if "msgstr" not in self.fields and not self.plural:
            raise _Problem(line, "a message without msgstr")
        entry = _new_entry()
        entry.__dict__.update(
            msgid=self.fields.get("msgid", ""),
            msgctxt=self.fields.get("msgctxt"),
            msgid_plural=self.fields.get("msgid_plural", ""),
            msgstr=self.fields.get("msgstr", ""),
            msgstr_plural=self.plural,
            obsolete=self.obsolete,
            tcomment="\n".join(self.comments),
            comment="\n".join(self.dots),
            occurrences=self.refs,
            flags=self.flags,
            previous_msgctxt=self.prev.get("msgctxt"),
            previous_msgid=self.prev.get("msgid"),
            previous_msgid_plural=self.prev.get("msgid_plural"),
            linenum=self.entry_line,
        )
        self.entries.append(entry)
        self.first_comment = 0
        self._clear()
        self.field = None
        self.state = _BETWEEN
        self.obsolete = False


def _obsolete_rest(rest: str) -> tuple[bool, str]:
    """What follows #~: whether it is a previous string (#~| or #~ #|), and the rest."""
    previous = rest[:1] == "|"
    rest = (rest[1:] if previous else rest).strip(_BLANK)
    if rest[:2] == "#|":
        previous, rest = True, rest[2:].strip(_BLANK)
    return previous, rest


def parse_po(text: str, codec: str = "utf-8") -> Catalog:
    """Parse PO text (already decoded). Raises _Problem(line, sentence)."""
    reader = _Reader(codec)
    lines = text.split("\n")  # \n only: str.splitlines() also cuts at U+2028, \x1c...
    for number, raw in enumerate(lines, start=1):
        reader.line(number, raw)
    reader.finish(len(lines))
    entries = reader.entries
    po = Catalog(encoding="utf-8")
    header = next(
        (e for e in entries if e.msgid == "" and e.msgctxt is None and not e.obsolete), None
    )
    if header is not None:
        entries.remove(header)
        po.header = header.tcomment
        po.metadata_is_fuzzy = "fuzzy" in header.flags
        po.metadata = _metadata(header.msgstr)
        # The header exactly as read: written back as it was unless kit changed it.
        po.kit_header = (dict(po.metadata), header)
    else:
        po.kit_header = None
    list.extend(po, entries)
    return po


def _metadata(text: str) -> dict[str, str]:
    out: dict[str, str] = {}
    last = None
    for line in text.split("\n"):
        if not line.strip():
            continue
        key, sep, value = line.partition(":")
        if sep:
            last = key.strip()
            out[last] = value.strip()
        elif last is not None:
            out[last] += "\n" + line
    return out


def _is_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def read_po_bytes(raw: bytes, path: str | Path) -> Catalog:
    """Parse a catalog's bytes; a catalog that does not parse is a CatalogError."""
    wide = wide_unicode_advice(raw)
    if wide:
        raise CatalogError(wide, file=path, line=1)
    if b"\0" in raw:
        line = raw[: raw.index(b"\0")].count(b"\n") + 1
        raise CatalogError(
            "the file holds a NUL byte; it is not a text catalog", file=path, line=line
        )
    declared = charset_of(raw)
    try:
        codec = codec_for(declared)
    except ValueError as e:
        line = raw[: raw.find(b"charset=")].count(b"\n") + 1
        raise CatalogError(str(e), file=path, line=line) from None
    try:
        text = raw.decode(codec)
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        what = "UTF-8" if codec == "utf-8" else declared
        raise CatalogError(
            f"not valid {what} text (the header declares charset="
            f"{declared or 'nothing, so UTF-8 is read'}; convert with: "
            "msgconv --to-code=UTF-8)",
            file=path,
            line=line,
        ) from None
    if codec != "utf-8" and not raw.isascii() and _is_utf8(raw):
        # Real ISO-8859 or EUC text is almost never valid UTF-8: this file was saved as
        # UTF-8 under an old header, and reading it as declared would garble every accent.
        line = raw[: raw.find(b"charset=")].count(b"\n") + 1
        raise CatalogError(
            f"the header declares charset={declared}, but the text is UTF-8; "
            "correct the header to charset=UTF-8 (or convert the file with "
            "msgconv)",
            file=path,
            line=line,
        )
    if text.startswith("\ufeff"):
        text = text[1:]  # a byte-order mark, as editors on Windows write it
    try:
        po = parse_po(text, codec)
    except _Problem as e:
        raise CatalogError(
            f"the catalog does not parse ({e.message})", file=path, line=e.line
        ) from None
    po.kit_charset = declared
    po.fpath = str(path)
    seen: dict[tuple[str | None, str], int | None] = {}
    for entry in po:  # gettext refuses a duplicate even between active and obsolete
        key = (entry.msgctxt, entry.msgid)
        if key in seen:
            raise CatalogError(
                f"the message appears twice (first at line {seen[key]})",
                file=path,
                line=entry.linenum,
                msgid=entry.msgctxt or entry.msgid,
            )
        seen[key] = entry.linenum
    return po


def load_po(path: str | Path) -> Catalog:
    """Parse a PO or POT file; a file that does not parse is an error naming file and line."""
    path = Path(path)
    if not path.is_file():
        raise CatalogError("catalog file not found", file=path)
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise CatalogError(f"cannot read the catalog ({e.strerror})", file=path) from None
    return read_po_bytes(raw, path)


def encode_po(po: Catalog) -> bytes:
    """The catalog as bytes in the charset its header declares (UTF-8 when none)."""
    text = format_po(po)
    charset = re.search(r"charset=([^\s\\\"]+)", po.metadata.get("Content-Type", ""))
    codec = codec_for(charset.group(1) if charset else None)
    try:
        return text.encode(codec)
    except UnicodeEncodeError as e:
        raise CatalogError(
            f"the catalog declares charset={charset.group(1) if charset else ''}"
            f", which cannot hold {text[e.start]!r}; convert it to UTF-8 first "
            "(msgconv --to-code=UTF-8)"
        ) from None


# What kit's readers refuse in a translation of a campaign catalog: bidi embedding,
# override and isolate controls (they reorder what a reader sees), and control
# characters other than tab and newline (they reach terminals and break XML).
UNSAFE = re.compile(f"[{BIDI_CLASS}\x00-\x08\x0b-\x1f\x7f-\x9f]")


def unsafe_character(text: str) -> str | None:
    """A sentence naming the first character kit refuses in a translation, or None."""
    m = UNSAFE.search(text)
    if m is None:
        return None
    ch = m.group()
    kind = "the bidi control" if ch >= "\u2000" else "the control character"
    return f"{kind} U+{ord(ch):04X}"


def is_campaign_catalog(po: Catalog) -> bool:
    """Whether the catalog is one of kit's: every message has a context of its own (the
    campaign's stable ids). Foreign catalogs are written back with whatever they hold."""
    contexts = [e.msgctxt for e in po if not e.obsolete]
    return bool(contexts) and None not in contexts and len(set(contexts)) == len(contexts)


def validate_catalog(po: Catalog) -> None:
    """Refuse to write what kit's own readers would then refuse: a NUL anywhere (no PO
    reader can take it back), and in kit's campaign catalogs a translation holding bidi
    controls or control characters."""
    campaign = is_campaign_catalog(po)
    for entry in po:
        forms = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        texts = [entry.msgid, entry.msgid_plural or "", entry.msgctxt or "", *forms]
        if any("\0" in t for t in texts):
            raise CatalogError(
                "a message holds a NUL character, which no PO file can hold",
                line=entry.linenum,
                msgid=entry.msgctxt or entry.msgid,
            )
        if campaign and not entry.obsolete:
            for text in forms:
                bad = unsafe_character(text)
                if bad:
                    raise CatalogError(
                        f"the translation holds {bad}, which kit refuses to print; remove it",
                        line=entry.linenum,
                        msgid=entry.msgctxt or entry.msgid,
                    )


def save_po(po: Catalog, path: str | Path) -> None:
    """Write a catalog atomically, formatted exactly as GNU gettext formats it, after the
    same validation kit's readers apply (validate_catalog)."""
    try:
        validate_catalog(po)
        data = encode_po(po)
    except CatalogError as e:
        raise CatalogError(e.message, file=path, line=e.line, msgid=e.msgid) from None
    try:
        atomic_write(path, data)
    except OSError as e:
        raise CatalogError(f"cannot write the catalog ({e.strerror or e})", file=path) from None
