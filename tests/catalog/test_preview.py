"""`kit catalog preview --watch` prints a finding once, when it appears, and says "fixed"
once, when it goes: an edit that only moves a message to another line is no news."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import polib

from kit.campaign import load_campaign
from kit.catalog.check import check_file
from kit.catalog.preview import ShownFindings

from ..conftest import edit_entry

TOO_LONG = "長すぎる文。" * 200


def _shift_lines(po_path: Path) -> None:
    """Three comment lines more above every message but the header's first."""
    first = next(e for e in polib.pofile(str(po_path)) if e.msgctxt)
    edit_entry(po_path, first.msgctxt, tcomment="one\ntwo\nthree")


def test_a_finding_that_only_moved_is_neither_new_nor_fixed(locales):
    path = locales / "ja/LC_MESSAGES/messages.po"
    campaign = load_campaign()
    edit_entry(path, "help_tell", msgstr=TOO_LONG)
    shown = ShownFindings()
    fixed, new = shown.update(check_file(path, campaign))
    long = [f for f in new if f.code == "length-budget" and f.msgid == "help_tell"]
    assert fixed == [] and len(long) == 1
    assert long[0].line is not None
    _shift_lines(path)
    moved = check_file(path, campaign)
    assert next(f.line for f in moved if f.msgid == "help_tell") == long[0].line + 3
    assert shown.update(moved) == ([], [])
    edit_entry(path, "help_tell", msgstr="大人に相談する。")
    fixed, new = shown.update(check_file(path, campaign))
    assert [f.msgid for f in fixed] == ["help_tell"] and new == []


def test_watch_prints_each_finding_once(locales, tmp_path):
    path = locales / "ja/LC_MESSAGES/messages.po"
    edit_entry(path, "help_tell", msgstr=TOO_LONG)
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "kit",
            "catalog",
            "preview",
            "ja",
            "--watch",
            "--interval",
            "0.1",
            "--locales",
            str(locales),
            "-o",
            str(tmp_path / "p.png"),
        ],
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        cwd=tmp_path,
    )
    stderr = proc.stderr
    assert stderr is not None
    lines: list[str] = []

    def until(what: str, count: int) -> None:
        deadline = time.monotonic() + 120
        while sum(what in line for line in lines) < count:
            assert time.monotonic() < deadline and proc.poll() is None, "".join(lines)
            lines.append(stderr.readline())

    try:
        until("no preview: ", 1)  # too long for its box: no picture, the finding says why
        until("watching ", 1)
        _shift_lines(path)
        until("no preview: ", 2)
        edit_entry(path, "help_tell", msgstr="大人に相談する。")
        until("wrote ", 1)
    finally:
        os.killpg(proc.pid, signal.SIGINT)
        rest = proc.communicate(timeout=30)[1]
    budget = [line for line in lines if "length-budget" in line and "help_tell" in line]
    assert len(budget) == 2, "".join(lines)  # printed when it came, then once as fixed
    assert not budget[0].startswith("fixed: ") and budget[1].startswith("fixed: ")
    assert proc.returncode == 0 and "stopped" in rest, rest
