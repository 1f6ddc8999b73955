"""A worker module for tests of kit.batch.workers: each item says how its job goes wrong.
Every item that starts is noted in a file, so a test can tell what was never tried."""

from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path

from kit.batch.workers import JobFailed

_NOTES: list[Path] = []


def init(notes: str, fail: bool = False) -> None:
    if fail:
        raise RuntimeError("cannot load the campaign")
    _NOTES.append(Path(notes))


def run(item: str, context: object) -> str:
    with _NOTES[0].open("a") as f:
        f.write(item + "\n")
    if item.startswith("abort"):
        sys.stderr.write("memory allocation of 20611600000000 bytes failed\nstack backtrace:\n")
        sys.stderr.flush()
        os.abort()
    if item.startswith("hang"):
        time.sleep(3600)
    if item.startswith("kill"):
        os.kill(os.getpid(), signal.SIGKILL)
    if item.startswith("hog"):
        hog = bytearray(2 * 1024**3)  # past the test's 512 MB limit
        return str(len(hog))
    if item.startswith("bad"):
        raise JobFailed(f"{item}: refused")
    return f"{item} done by {os.getpid()}"
