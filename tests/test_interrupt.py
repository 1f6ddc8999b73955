"""Killing kit at random moments (SIGKILL, again and again) leaves no truncated or corrupt
file, and the next run completes the work; the catalogs keep every translation."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import polib

from kit.catalog.po import load_po, save_po

MATRIX = ["--locale", "ja,en", "--sizes", "a4,a3,letter,square,story", "--formats", "pdf,png",
          "--workers", "2"]


def kit_process(*args: str, cwd: Path) -> subprocess.Popen:
    # A session of its own, so the kill reaches the build's worker processes too.
    return subprocess.Popen([sys.executable, "-m", "kit", *args], cwd=cwd, start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def kill_at_random(args: list[str], cwd: Path, rng: random.Random, times: int, full: float) -> int:
    """Start the command `times` times and SIGKILL it at a random moment. `full` is how long
    an uninterrupted run took: the first kill lands in its middle, the later ones early,
    since each run has less left to do."""
    killed = 0
    for attempt in range(times):
        proc = kit_process(*args, cwd=cwd)
        time.sleep(full * (rng.uniform(0.3, 0.6) if attempt == 0 else rng.uniform(0.05, 0.2)))
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            killed += 1
        proc.wait()
    return killed


def test_killed_builds_leave_only_whole_files_and_the_next_run_completes(locales, tmp_path):
    reference, out = tmp_path / "reference", tmp_path / "dist"
    common = ["--locales", str(locales), *MATRIX]
    start = time.monotonic()
    subprocess.run([sys.executable, "-m", "kit", "build", "--output", str(reference), *common],
                   check=True, capture_output=True, cwd=tmp_path)
    full = time.monotonic() - start
    rng = random.Random(20261125)
    killed = kill_at_random(["build", "--output", str(out), *common], tmp_path, rng, 4, full)
    assert killed >= 2  # the test must really interrupt builds
    for path in out.rglob("*"):
        hidden = any(part.startswith(".") for part in path.relative_to(out).parts)  # kit's own
        if path.is_file() and not hidden and path.name not in ("manifest.json", "index.html"):
            # Outputs are deterministic: a file under its final name is the whole file.
            assert path.read_bytes() == (reference / path.relative_to(out)).read_bytes(), path
    result = subprocess.run([sys.executable, "-m", "kit", "build", "--output", str(out), *common],
                            capture_output=True, text=True, cwd=tmp_path, check=False)
    assert result.returncode == 0, result.stderr
    files = sorted(p.relative_to(out) for p in out.rglob("*") if p.is_file())  # no .tmp left
    assert files == sorted(p.relative_to(reference) for p in reference.rglob("*") if p.is_file())
    for rel in files:
        if rel.name != "manifest.json":
            assert (out / rel).read_bytes() == (reference / rel).read_bytes(), rel


def test_killed_updates_never_lose_a_translation(tmp_path):
    locales = tmp_path / "locales"
    (locales / "de/LC_MESSAGES").mkdir(parents=True)
    catalog, template = polib.POFile(), polib.POFile()
    for po in (catalog, template):
        po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "de",
                       "Plural-Forms": "nplurals=2; plural=(n != 1);"}
    for i in range(20_000):
        catalog.append(polib.POEntry(msgctxt=f"m{i}", msgid=f"Source {i}", msgstr=f"Übersetzung {i}"))
        template.append(polib.POEntry(msgctxt=f"m{i}", msgid=f"Source {i}, changed"))
    path = locales / "de/LC_MESSAGES/messages.po"
    save_po(catalog, path)
    save_po(template, locales / "messages.pot")
    before = path.read_bytes()
    start = time.monotonic()  # how long a whole update takes, on a copy
    spare = tmp_path / "spare"
    shutil.copytree(locales, spare)
    subprocess.run([sys.executable, "-m", "kit", "catalog", "update", "--locales", str(spare)],
                   check=True, capture_output=True, cwd=tmp_path)
    full = time.monotonic() - start
    rng = random.Random(7)
    killed = kill_at_random(["catalog", "update", "--locales", str(locales)], tmp_path, rng, 4, full)
    assert killed >= 1 and path.read_bytes() in (before, (spare / "de/LC_MESSAGES/messages.po").read_bytes())
    for _ in range(2):  # after the kills, and after a run left to finish
        po = load_po(path)  # parses: never a truncated file
        assert sorted(e.msgstr for e in po) == sorted(f"Übersetzung {i}" for i in range(20_000))
        subprocess.run([sys.executable, "-m", "kit", "catalog", "update", "--locales", str(locales)],
                       check=True, capture_output=True, cwd=tmp_path)
    assert [p.name for p in path.parent.iterdir()] == ["messages.po"]  # no temporaries left
