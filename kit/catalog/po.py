"""Read and write PO files with polib, turning every failure into a CatalogError."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import polib

from kit.catalog.pofmt import format_po
from kit.errors import CatalogError
from kit.files import atomic_write

WRAP = 79  # GNU gettext's default line width


_KEYWORD = re.compile(r"^(msgctxt|msgid|msgid_plural|msgstr|msgstr\[(\d+)\])\s+(\".*)$")
_CHARSET = re.compile(r"charset=([\w.-]+)")


# Escapes polib reads itself; the others gettext allows (\a, \', \?, octal, hex) are turned
# into the characters they stand for before polib sees the file, which it would otherwise
# keep as a backslash and a letter.
_POLIB_ESCAPES = {"\n": "\\n", "\t": "\\t", "\r": "\\r", "\v": "\\v", "\b": "\\b",
                  "\f": "\\f", '"': '\\"', "\\": "\\\\"}
_SIMPLE = {"a": "\a", "'": "'", "?": "?"}


def _string(token: str) -> tuple[str | None, str]:
    """(problem or None, the token with every escape in a form polib reads correctly)."""
    out = ['"']
    i = 1
    while i < len(token):
        ch = token[i]
        if ch == "\\":
            nxt = token[i + 1: i + 2]
            if nxt in ("n", "t", "r", "v", "b", "f", '"', "\\"):
                out.append(token[i:i + 2])
                i += 2
                continue
            if nxt in _SIMPLE:
                value, i = _SIMPLE[nxt], i + 2
            elif nxt and nxt in "01234567":
                digits = re.match(r"[0-7]{1,3}", token[i + 1:]).group()  # type: ignore[union-attr]
                value, i = chr(int(digits, 8)), i + 1 + len(digits)
            elif nxt == "x" and re.match(r"[0-9a-fA-F]", token[i + 2: i + 3]):
                digits = re.match(r"[0-9a-fA-F]+", token[i + 2:]).group()  # type: ignore[union-attr]
                value, i = chr(int(digits, 16) % 0x110000), i + 2 + len(digits)
            else:
                return f"invalid escape sequence {token[i:i + 2]!r}", token
            if value == "\0":
                return "a NUL character in a string", token
            out.append(_POLIB_ESCAPES.get(value, value))
            continue
        if ch == '"':
            rest = token[i + 1:]
            return (None if not rest.strip() else "text after the closing quote"), "".join(out) + '"' + rest
        out.append(ch)
        i += 1
    return "the string has no closing quote", token


def check_syntax(text: str) -> tuple[tuple[int, str] | None, str]:
    """(first problem GNU gettext would reject as (line, sentence), or None; the text with
    escapes normalised for polib).

    polib is lenient: it reads an unterminated string as empty, keeps a bad escape, and
    accepts msgstr[0] without msgid_plural. Each would drop or mangle a translation
    silently, so kit refuses the file first, as msgfmt does."""
    plural = False
    lines = text.split("\n")  # \n only: str.splitlines() also cuts at U+2028, \x1c...
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        prefix = raw[: len(raw) - len(raw.lstrip())]
        if line.startswith("#"):
            if not line.startswith(("#~", "#|")):
                continue
            body = line.lstrip("#~| ")  # obsolete and previous entries: the same grammar
            prefix += line[: len(line) - len(body)]
            line = body.strip()
            if not line:
                continue
        if not line:
            continue
        if line.startswith('"'):
            problem, fixed = _string(line)
            head = ""
        else:
            m = _KEYWORD.match(line)
            if not m:
                return (number, f"unexpected text {line[:30]!r}"), text
            keyword = m.group(1)
            if keyword in ("msgctxt", "msgid"):
                plural = False
            elif keyword == "msgid_plural":
                plural = True
            elif keyword == "msgstr" and plural:
                return (number, "a message with msgid_plural needs msgstr[0], msgstr[1]..."), text
            elif keyword.startswith("msgstr[") and not plural:
                return (number, f"{keyword} without msgid_plural"), text
            problem, fixed = _string(m.group(3))
            head = line[: m.start(3)]
        if problem:
            return (number, problem), text
        lines[number - 1] = prefix + head + fixed
    return None, "\n".join(lines)


def load_po(path: str | Path) -> polib.POFile:
    """Parse a PO or POT file; a file that does not parse is an error naming file and line."""
    path = Path(path)
    # polib takes a string that is not an existing path for PO *content*, so check first.
    if not path.is_file():
        raise CatalogError("catalog file not found", file=path)
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise CatalogError(f"cannot read the catalog ({e.strerror})", file=path) from None
    if b"\0" in raw:
        line = raw[: raw.index(b"\0")].count(b"\n") + 1
        raise CatalogError("the file holds a NUL byte; it is not a text catalog", file=path, line=line)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        raise CatalogError("not valid UTF-8 text; kit reads UTF-8 catalogs "
                           "(convert with: msgconv --to-code=UTF-8)", file=path, line=line) from None
    declared = _CHARSET.search(text[:2000])
    if declared and declared.group(1).upper() not in ("UTF-8", "UTF8", "CHARSET"):
        line = text[: declared.start()].count("\n") + 1
        raise CatalogError(f"the header declares charset={declared.group(1)}; kit reads UTF-8 "
                           "catalogs (convert with: msgconv --to-code=UTF-8)", file=path, line=line)
    problem, text = check_syntax(text)
    if problem:
        raise CatalogError(f"the catalog does not parse ({problem[1]})", file=path, line=problem[0])
    try:
        # polib splits *content* with str.splitlines(), which also cuts at U+2028, \x1c...
        # inside strings; a file it reads line by line, at \n. So the normalised text goes
        # through a temporary file.
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", suffix=".po", newline="\n") as tmp:
            tmp.write(text)
            tmp.flush()
            po = polib.pofile(tmp.name, wrapwidth=WRAP, encoding="utf-8")
    except (OSError, ValueError, UnicodeDecodeError) as e:
        m = re.search(r"\(line (\d+)\)", str(e))
        reason = str(e).split(": ", 1)[1] if m and ": " in str(e) else "syntax error"
        if isinstance(e, UnicodeDecodeError):
            reason = f"not valid {e.encoding} text"
        raise CatalogError(
            f"the catalog does not parse ({reason})", file=path, line=int(m.group(1)) if m else None
        ) from None
    seen: dict[tuple[str | None, str], int] = {}
    for entry in po:
        if entry.obsolete:
            continue
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


def save_po(po: polib.POFile, path: str | Path) -> None:
    """Write a catalog atomically, formatted exactly as GNU gettext formats it."""
    try:
        atomic_write(path, format_po(po))
    except OSError as e:
        raise CatalogError(f"cannot write the catalog ({e.strerror or e})", file=path) from None
