"""What a build hands on whole: one PDF per paper size for the print shop, and a zip.

Twenty schools give twenty PDFs in twenty folders; a print shop wants one file. The print
file holds every PDF poster of one paper size the manifest lists, in the manifest's order
(organisation, language, audience). When some of them are two-sided, each one-sided
poster is followed by a blank page, so the file prints double-sided with every poster's
front on a front. The zip holds every file the build made, with the manifest and the
gallery. Both are made from the files on disk, checked against the manifest's hashes,
and are the same bytes for the same build.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path
from typing import Any

from kit.errors import KitError

ZIP = "build.zip"
_ZIP_TIME = (2000, 1, 1, 0, 0, 0)  # fixed: the same build gives the same zip


def print_name(size: str) -> str:
    return f"print-{size}.pdf"


def _read(out: Path, entry: dict[str, Any]) -> bytes:
    path = out / str(entry["path"])
    data = path.read_bytes()
    if hashlib.sha256(data).hexdigest() != entry["sha256"]:
        raise KitError("changed since the build wrote it; build again", file=path)
    return data


def print_files(out: Path, manifest: dict[str, Any], only: set[str]) -> dict[str, bytes]:
    """The print PDF of each paper size with PDF posters among the paths `only` (this
    build's): name -> bytes."""
    import pikepdf

    from kit.render import SIZES

    by_size: dict[str, list[dict[str, Any]]] = {}
    for entry in (e for e in manifest["files"] if e["path"] in only):
        size = entry["size"]
        if entry["kind"] == "poster" and entry["format"] == "pdf" and size in SIZES:
            if SIZES[size].kind == "print":
                by_size.setdefault(size, []).append(entry)
    made = {}
    for size, entries in sorted(by_size.items()):
        duplex = any(e.get("sides") == 2 for e in entries)
        combined = pikepdf.new()
        for entry in entries:
            with pikepdf.open(io.BytesIO(_read(out, entry))) as poster:
                combined.pages.extend(poster.pages)
                if duplex and len(poster.pages) == 1:
                    box = poster.pages[0].mediabox
                    combined.add_blank_page(page_size=(float(box[2]), float(box[3])))
        buffer = io.BytesIO()
        combined.save(buffer, deterministic_id=True, compress_streams=True)
        made[print_name(size)] = buffer.getvalue()
    return made


def build_zip(out: Path, manifest: dict[str, Any], only: set[str], extra: list[str]) -> bytes:
    """This build's files (the paths `only`), then the `extra` files at the top
    (manifest, gallery, print files), stored with fixed times."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for entry in (e for e in manifest["files"] if e["path"] in only):
            info = zipfile.ZipInfo(entry["path"], _ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, _read(out, entry))
        for name in extra:
            info = zipfile.ZipInfo(name, _ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, (out / name).read_bytes())
    return buffer.getvalue()
