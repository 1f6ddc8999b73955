"""Writing files so that nothing half-written is ever left behind."""

from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

TEMP_SUFFIX = ".kit-tmp"  # distinctive, so a clean-up never touches a user's own .tmp files


def atomic_write(path: str | Path, data: str | bytes, *, follow_links: bool = True) -> None:
    """Write to a temporary file beside the target, then rename it into place.

    A crash or Ctrl-C leaves either the old file or the new one, never a truncated one.
    A symbolic link is followed, as editors and `msgmerge -U` do: the file it points at
    is replaced (its permissions kept) and the link stays, so a catalog kept in a synced
    folder and linked into a project is updated where it lives. `follow_links=False`
    replaces the link itself (kit build's own files, which must stay in its folder).
    """
    path = Path(path)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if follow_links and path.is_symlink():
        path = Path(os.path.realpath(path))
        if not path.parent.is_dir():
            raise FileNotFoundError(
                errno.ENOENT, "the symbolic link points into a folder that does not exist"
            )
    if path.exists() and not path.is_file() and not path.is_symlink():
        # A device or pipe (/dev/stdout, a FIFO): renaming over it would replace it.
        with path.open("wb") as f:
            f.write(raw)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TEMP_SUFFIX, dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(raw)
        # mkstemp makes the file private (0600); give it the mode the file had, or the one
        # a plain open() would.
        old = path.lstat().st_mode & 0o7777 if path.is_file() and not path.is_symlink() else None
        os.chmod(tmp, old if old is not None else 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def remove_stale_temporaries(folder: Path) -> None:
    """Delete what atomic_write leaves in `folder` when a process is killed mid-write:
    its own temporary files (.NAME.XXXX.kit-tmp), never anyone else's."""
    if folder.is_dir():
        for stale in folder.glob(f".*{TEMP_SUFFIX}"):
            stale.unlink(missing_ok=True)


def file_ids(paths: Iterable[Path]) -> dict[tuple[int, int], Path]:
    """(device, inode) -> path, for each of `paths` that is an existing file."""
    ids: dict[tuple[int, int], Path] = {}
    for path in paths:
        try:
            st = os.stat(path)
        except (OSError, ValueError):
            continue
        ids.setdefault((st.st_dev, st.st_ino), path)
    return ids


def overwrites(path: Path, inputs: dict[tuple[int, int], Path]) -> Path | None:
    """The input (from file_ids) that writing `path` would replace, or None. Compared as
    files, not names, so a symlink, a hard link, ../ or another case on a case-insensitive
    disk cannot hide that an output is a catalog, a campaign or a logo."""
    try:
        st = os.stat(path)
    except (OSError, ValueError):
        return None  # nothing there yet: nothing to destroy
    return inputs.get((st.st_dev, st.st_ino))


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# Byte-order marks of the wide Unicode encodings Windows tools still save text in (UTF-32's
# first: UTF-16 LE's mark begins it). Without a mark, ASCII text in UTF-16 has every other
# byte NUL.
_WIDE = (
    (b"\x00\x00\xfe\xff", "UTF-32", "UTF-32BE"),
    (b"\xff\xfe\x00\x00", "UTF-32", "UTF-32LE"),
    (b"\xfe\xff", "UTF-16", "UTF-16BE"),
    (b"\xff\xfe", "UTF-16", "UTF-16LE"),
)


def wide_unicode(raw: bytes) -> tuple[str, str] | None:
    """(its name, iconv's name) when `raw` is UTF-16 or UTF-32 text rather than UTF-8."""
    for mark, name, iconv in _WIDE:
        if raw.startswith(mark):
            return name, iconv
    head = raw[:400]
    if len(head) >= 8 and b"\0" in head:
        for nul, name, iconv in ((1, "UTF-16", "UTF-16LE"), (0, "UTF-16", "UTF-16BE")):
            if head[nul::2].count(0) >= 0.9 * len(head[nul::2]):
                return name, iconv
    return None


def wide_unicode_advice(raw: bytes) -> str | None:
    """The sentence for text saved as UTF-16 or UTF-32: what it is and how to fix it."""
    found = wide_unicode(raw)
    if found is None:
        return None
    name, iconv = found
    return (
        f"the file is {name} text, not UTF-8: save it as UTF-8 (in Notepad or Excel: Save "
        f"As, encoding UTF-8), or convert it with: iconv -f {iconv} -t UTF-8 FILE > NEW-FILE"
    )
