"""The studio's catalog file on disk: what we last read or wrote, and whether another
program has written it since.

The file is known by the SHA-256 of its bytes, not by its modification time, which a
fast second write in the same tick (or a git checkout) may leave unchanged.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from pathlib import Path

from kit.catalog.pofile import Catalog, format_po, load_po
from kit.errors import CatalogError, KitError
from kit.files import atomic_write

SETTLE = 0.1  # seconds a changed file must stay the same before it is read as theirs


class DiskProblem(KitError):
    """The file on disk cannot be read now: nothing is written until it can."""


class ChangedMeanwhile(Exception):
    """Another program wrote the file between our last look and our write."""


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class CatalogFile:
    def __init__(self, path: Path) -> None:
        self.path = path
        raw = self._read()
        self.po = load_po(path)
        self._known = _digest(raw)

    def _read(self) -> bytes:
        try:
            return self.path.read_bytes()
        except OSError as e:
            raise DiskProblem(
                f"cannot read the catalog ({e.strerror or e}); nothing is written until it is back",
                file=self.path,
            ) from None

    def theirs(self) -> Catalog | None:
        """The catalog as another program left it, or None when nobody else wrote it.
        Raises DiskProblem while the file is missing, changing or does not parse."""
        raw = self._read()
        if _digest(raw) == self._known:
            return None
        raw = self._settled(raw)
        try:
            po = load_po(self.path)
        except CatalogError as e:
            # Not its reason: that may quote the file, and the page is no place for it.
            raise DiskProblem(
                f"the catalog on disk does not parse now (`kit catalog check {self.path}` "
                "says why); your changes stay in the page until it does",
                file=self.path,
                line=e.line,
            ) from None
        self._known = _digest(raw)
        return po

    def _settled(self, raw: bytes) -> bytes:
        """The file once another program has finished writing it. Many write in place, not
        by renaming a new file over the old: read mid-write, a file cut between two entries
        still parses, and taking it in would lose the entries after the cut."""
        for _ in range(50):
            time.sleep(SETTLE)
            again = self._read()
            if again == raw:
                return raw
            raw = again
        raise DiskProblem(
            "the catalog keeps changing on disk; nothing is written until it settles",
            file=self.path,
        )

    def write(self, po: Catalog) -> None:
        """Write the catalog atomically, as msgcat writes it, stamped with the revision date.
        Raises ChangedMeanwhile, writing nothing, when another program wrote it first."""
        now = dt.datetime.now(dt.UTC)
        po.metadata["PO-Revision-Date"] = now.strftime("%Y-%m-%d %H:%M+0000")
        text = format_po(po).encode("utf-8")
        # The last look (a small window remains between this read and the rename: no editor
        # locks PO files).
        if _digest(self._read()) != self._known:
            raise ChangedMeanwhile
        try:
            atomic_write(self.path, text)
        except OSError as e:
            raise CatalogError(
                f"cannot write the catalog ({e.strerror or e})", file=self.path
            ) from None
        self._known = _digest(text)
