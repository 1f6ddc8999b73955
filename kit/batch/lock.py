"""One build per output folder at a time.

Two builds into one folder would each write a manifest missing the other's files, and
one's clean-up could remove the other's work in progress. The lock is an advisory lock
(flock) on a file in the folder: the kernel drops it when its process ends, however it
ends, so a killed build never leaves the folder locked. The file says who holds it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import socket
import sys
import time
from pathlib import Path
from typing import Any

from kit.errors import KitError

LOCK = ".kit-build.lock"


class OutputLock:
    def __init__(self, folder: Path) -> None:
        self.path = folder / LOCK
        self.fd: int | None = None

    def acquire(self, wait: bool, waiting: Any = None) -> None:
        """Take the lock, or raise KitError naming who holds it; with wait, block until it
        is free (after calling waiting(holder) once)."""
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as e:
            raise KitError(
                f"cannot write in the output folder ({e.strerror or e})", file=self.path.parent
            ) from None
        if not _lock(fd, block=False):
            holder = _describe(fd)
            if not wait:
                os.close(fd)
                raise KitError(
                    f"another kit build is writing here ({holder}); wait for it to "
                    "finish, or pass --wait",
                    file=self.path.parent,
                ) from None
            if waiting is not None:
                waiting(holder)
            try:
                _lock(fd, block=True)
            except BaseException:
                os.close(fd)
                raise
        self.fd = fd
        info = {
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "started": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
            "command": " ".join(["kit", *sys.argv[1:]])[:500],
        }
        with contextlib.suppress(OSError):
            os.ftruncate(fd, 0)
            os.pwrite(fd, (json.dumps(info) + "\n").encode("utf-8"), 0)

    def release(self) -> None:
        # The file stays: removing it would let a third build lock a new file while a
        # second still waits on the old one.
        if self.fd is not None:
            with contextlib.suppress(OSError):
                os.ftruncate(self.fd, 0)
            os.close(self.fd)
            self.fd = None


def _lock(fd: int, block: bool) -> bool:
    """Lock the file; False if another process holds it (and block is False)."""
    if sys.platform == "win32":  # a lock on the first byte, polled when waiting
        import msvcrt

        while True:
            try:
                msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
                return True
            except OSError:
                if not block:
                    return False
                time.sleep(0.5)
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | (0 if block else fcntl.LOCK_NB))
    except BlockingIOError:
        return False
    return True


def _describe(fd: int) -> str:
    try:
        info = json.loads(os.pread(fd, 4096, 0).decode("utf-8"))
        return (
            f"process {int(info['pid'])} on {info['host']}, started {info['started']}: "
            f"{info['command']}"
        )
    except (OSError, ValueError, KeyError, TypeError):
        return "a process that has not said who it is"
