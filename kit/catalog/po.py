"""Read and write PO files with polib, turning every failure into a CatalogError."""

from __future__ import annotations

import re
from pathlib import Path

import polib

from kit.catalog.pofmt import format_po
from kit.errors import CatalogError
from kit.files import atomic_write

WRAP = 79  # GNU gettext's default line width


def load_po(path: str | Path) -> polib.POFile:
    """Parse a PO or POT file; a file that does not parse is an error naming file and line."""
    path = Path(path)
    # polib takes a string that is not an existing path for PO *content*, so check first.
    if not path.is_file():
        raise CatalogError("catalog file not found", file=path)
    try:
        po = polib.pofile(str(path), wrapwidth=WRAP)
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
    atomic_write(path, format_po(po))
