"""Read and write PO files as GNU gettext does, turning every failure into a CatalogError.

The reader is kit's own, not polib's: polib is lenient where gettext is not (an
unterminated string becomes empty, a bad escape is kept, msgstr[0] is accepted without
msgid_plural, the declared charset is ignored, `#~|` previous strings are dropped), and
it splits content at U+2028 and other characters Python counts as line ends. This one
follows GNU gettext's lexer (po-lex.c): the file is bytes in the charset its header
declares (UTF-8, ISO-8859-15, EUC-JP...); escapes \\ooo and \\xhh stand for bytes in
that charset; keywords may be indented with tabs; `#~|` and `#~ #|` are previous
strings of obsolete entries. It reads the file in memory (no temporary file), and builds
polib entries, so the rest of kit keeps polib's API.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

import polib

from kit.catalog.pofmt import format_po
from kit.errors import CatalogError
from kit.files import atomic_write

WRAP = 79  # GNU gettext's default line width

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


def _codec(charset: str | None) -> str:
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


def parse_po(text: str, codec: str = "utf-8") -> polib.POFile:
    """Parse PO text (already decoded). Raises _Problem(line, sentence)."""
    po = polib.POFile(wrapwidth=WRAP, encoding="utf-8")
    entries: list[polib.POEntry] = []
    comments: list[str] = []  # translator comments
    dots: list[str] = []
    refs: list[tuple[str, str]] = []
    flags: list[str] = []
    prev: dict[str, str] = {}
    fields: dict[str, str] = {}
    plural: dict[int, str] = {}
    field: str | None = None  # where continuation strings go
    entry_line = 0
    first_comment = 0  # where the next entry's comments start: its line, as people see it
    obsolete_entry = False
    state = 0  # 0: between entries, 1: msgctxt/msgid seen, 2: msgstr seen

    def finish(line: int) -> None:
        nonlocal comments, dots, refs, flags, prev, fields, plural, state, obsolete_entry
        nonlocal first_comment
        if state == 0:
            return
        if "msgstr" not in fields and not plural:
            raise _Problem(line, "a message without msgstr")
        entry = _new_entry()
        d = entry.__dict__
        d["msgid"] = fields.get("msgid", "")
        d["msgctxt"] = fields.get("msgctxt")
        d["msgid_plural"] = fields.get("msgid_plural", "")
        d["msgstr"] = fields.get("msgstr", "")
        d["msgstr_plural"] = plural
        d["obsolete"] = obsolete_entry
        d["tcomment"] = "\n".join(comments)
        d["comment"] = "\n".join(dots)
        d["occurrences"] = refs
        d["flags"] = flags
        d["previous_msgctxt"] = prev.get("msgctxt")
        d["previous_msgid"] = prev.get("msgid")
        d["previous_msgid_plural"] = prev.get("msgid_plural")
        d["linenum"] = entry_line
        entries.append(entry)
        first_comment = 0
        comments, dots, refs, flags, prev, fields, plural = [], [], [], [], {}, {}, {}
        state = 0
        obsolete_entry = False

    lines = text.split("\n")  # \n only: str.splitlines() also cuts at U+2028, \x1c...
    for number, raw in enumerate(lines, start=1):
        line = raw.strip(_BLANK)
        if not line:
            continue
        obsolete = previous = False
        if line[0] == "#":
            second = line[1:2]
            if second == "~":
                obsolete = True
                line = line[2:]
                if line[:1] == "|":
                    previous, line = True, line[1:]
                line = line.strip(_BLANK)
                if line[:2] == "#|":
                    previous, line = True, line[2:].strip(_BLANK)
                if not line:
                    continue
                if line[0] == "#":  # a comment written inside an obsolete entry
                    continue
            elif second == "|":
                previous = True
                if state == 2:
                    finish(number)
                first_comment = first_comment or number
                line = line[2:].strip(_BLANK)
                if not line:
                    continue
            else:
                if state == 2:
                    finish(number)
                first_comment = first_comment or number
                body = line[1:]
                if second == ",":
                    flags.extend(f for f in re.split(r"[\s,]+", body[1:]) if f)
                elif second == ".":
                    dots.append(body[2:] if body[1:2] == " " else body[1:])
                elif second == ":":
                    for ref in _split_refs(body[1:]):
                        if ref not in refs:
                            refs.append(ref)
                elif second == "!":
                    flags.extend(f for f in re.split(r"[\s,]+", body[1:]) if f)
                else:
                    comments.append(body[1:] if body[:1] == " " else body)
                continue
        # Keywords and strings, possibly several on one line.
        pos = 0
        while pos < len(line):
            ch = line[pos]
            if ch in _BLANK:
                pos += 1
                continue
            if ch == '"':
                m = _STRING.match(line, pos)
                if m is None:
                    raise _Problem(number, "the string has no closing quote")
                if field is None or field.startswith("prev:") != previous:
                    raise _Problem(number, "a string that belongs to no keyword")
                value = _unescape(m.group(1), number, codec)
                if field.startswith("prev:"):
                    prev[field[5:]] += value
                elif field.isdigit():
                    plural[int(field)] += value
                else:
                    fields[field] += value
                pos = m.end()
                continue
            m = _KEYWORD.match(line, pos)
            if m is None:
                raise _Problem(number, f"unexpected text {line[pos : pos + 30]!r}")
            keyword = m.group(1)
            pos = m.end()
            if previous:
                if keyword.startswith("msgstr"):
                    raise _Problem(
                        number, "a previous string (#|) can only be msgctxt, msgid or msgid_plural"
                    )
                if state == 2:
                    finish(number)
                field = "prev:" + keyword
                prev[keyword] = ""
                continue
            if keyword in ("msgctxt", "msgid"):
                if state == 2 or (state == 1 and keyword in fields):
                    finish(number)
                if state == 0:
                    entry_line = first_comment or number
                    obsolete_entry = obsolete
                    state = 1
                if keyword in fields:
                    raise _Problem(number, f"{keyword} given twice")
                if keyword == "msgctxt" and "msgid" in fields:
                    raise _Problem(number, "msgctxt must come before msgid")
                fields[keyword] = ""
                field = keyword
            elif keyword == "msgid_plural":
                if state != 1 or "msgid" not in fields or "msgid_plural" in fields:
                    raise _Problem(number, "msgid_plural without msgid")
                fields[keyword] = ""
                field = keyword
            elif keyword == "msgstr":
                if state != 1 or "msgid" not in fields:
                    raise _Problem(number, "msgstr without msgid")
                if "msgid_plural" in fields:
                    raise _Problem(
                        number, "a message with msgid_plural needs msgstr[0], msgstr[1]..."
                    )
                fields[keyword] = ""
                field = keyword
                state = 2
            else:
                index = int(m.group(2))
                if "msgid_plural" not in fields:
                    raise _Problem(number, f"{keyword} without msgid_plural")
                if index != len(plural):
                    raise _Problem(
                        number,
                        f"{keyword} where msgstr[{len(plural)}] was due "
                        "(plural forms are numbered from 0, in order)",
                    )
                plural[index] = ""
                field = str(index)
                state = 2
    finish(len(lines))
    if state == 1:
        raise _Problem(len(lines), "the file ends inside a message")

    header = next(
        (e for e in entries if e.msgid == "" and e.msgctxt is None and not e.obsolete), None
    )
    if header is not None:
        entries.remove(header)
        po.header = header.tcomment
        po.metadata_is_fuzzy = ["fuzzy"] if "fuzzy" in header.flags else 0
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


def read_po_bytes(raw: bytes, path: str | Path) -> polib.POFile:
    """Parse a catalog's bytes; a catalog that does not parse is a CatalogError."""
    if b"\0" in raw:
        line = raw[: raw.index(b"\0")].count(b"\n") + 1
        raise CatalogError(
            "the file holds a NUL byte; it is not a text catalog", file=path, line=line
        )
    declared = charset_of(raw)
    try:
        codec = _codec(declared)
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
    seen: dict[tuple[str | None, str], int] = {}
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


def load_po(path: str | Path) -> polib.POFile:
    """Parse a PO or POT file; a file that does not parse is an error naming file and line."""
    path = Path(path)
    if not path.is_file():
        raise CatalogError("catalog file not found", file=path)
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise CatalogError(f"cannot read the catalog ({e.strerror})", file=path) from None
    return read_po_bytes(raw, path)


def encode_po(po: polib.POFile) -> bytes:
    """The catalog as bytes in the charset its header declares (UTF-8 when none)."""
    text = format_po(po)
    charset = re.search(r"charset=([^\s\\\"]+)", po.metadata.get("Content-Type", ""))
    codec = _codec(charset.group(1) if charset else None)
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
UNSAFE = re.compile("[\u202a-\u202e\u2066-\u2069\x00-\x08\x0b-\x1f\x7f-\x9f]")


def unsafe_character(text: str) -> str | None:
    """A sentence naming the first character kit refuses in a translation, or None."""
    m = UNSAFE.search(text)
    if m is None:
        return None
    ch = m.group()
    kind = "the bidi control" if ch >= "\u2000" else "the control character"
    return f"{kind} U+{ord(ch):04X}"


def is_campaign_catalog(po: polib.POFile) -> bool:
    """Whether the catalog is one of kit's: every message has a context of its own (the
    campaign's stable ids). Foreign catalogs are written back with whatever they hold."""
    contexts = [e.msgctxt for e in po if not e.obsolete]
    return bool(contexts) and None not in contexts and len(set(contexts)) == len(contexts)


def validate_catalog(po: polib.POFile) -> None:
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


def save_po(po: polib.POFile, path: str | Path) -> None:
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
