"""Writing files so that nothing half-written is ever left behind."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

TEMP_SUFFIX = ".kit-tmp"  # distinctive, so a clean-up never touches a user's own .tmp files


def atomic_write(path: str | Path, data: str | bytes) -> None:
    """Write to a temporary file beside the target, then rename it into place.

    A crash or Ctrl-C leaves either the old file or the new one, never a truncated one.
    """
    path = Path(path)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if path.exists() and not path.is_file():
        # A device or pipe (/dev/stdout, a FIFO): renaming over it would replace it.
        with path.open("wb") as f:
            f.write(raw)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TEMP_SUFFIX, dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(raw)
        # mkstemp makes the file private (0600); give it the mode a plain open() would.
        os.chmod(tmp, path.stat().st_mode & 0o7777 if path.exists() else 0o666 & ~_umask())
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
