"""Killing kit at random moments (SIGKILL, again and again) leaves no truncated or corrupt
file, and the next run completes the work; the catalogs keep every translation."""

from __future__ import annotations

import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import polib
import pytest

from kit.catalog.pofile import Catalog, load_po, save_po

from ..conftest import manifest

MATRIX = [
    "--locale",
    "ja,en",
    "--sizes",
    "a4,a3,letter,square,story",
    "--formats",
    "pdf,png",
    "--workers",
    "2",
]


def kit_process(*args: str, cwd: Path) -> subprocess.Popen[bytes]:
    # A session of its own, so the kill reaches the build's worker processes too.
    return subprocess.Popen(
        [sys.executable, "-m", "kit", *args],
        cwd=cwd,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


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
    subprocess.run(
        [sys.executable, "-m", "kit", "build", "--output", str(reference), *common],
        check=True,
        capture_output=True,
        cwd=tmp_path,
    )
    full = time.monotonic() - start
    rng = random.Random(20261125)
    killed = kill_at_random(["build", "--output", str(out), *common], tmp_path, rng, 4, full)
    assert killed >= 2  # the test must really interrupt builds
    for path in out.rglob("*"):
        hidden = any(part.startswith(".") for part in path.relative_to(out).parts)  # kit's own
        if path.is_file() and not hidden and path.name not in ("manifest.json", "index.html"):
            # Outputs are deterministic: a file under its final name is the whole file.
            assert path.read_bytes() == (reference / path.relative_to(out)).read_bytes(), path
    result = subprocess.run(
        [sys.executable, "-m", "kit", "build", "--output", str(out), *common],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    files = sorted(p.relative_to(out) for p in out.rglob("*") if p.is_file())  # no .tmp left
    assert files == sorted(p.relative_to(reference) for p in reference.rglob("*") if p.is_file())
    for rel in files:
        if rel.name != "manifest.json":
            assert (out / rel).read_bytes() == (reference / rel).read_bytes(), rel


def test_killed_updates_never_lose_a_translation(tmp_path):
    locales = tmp_path / "locales"
    (locales / "de/LC_MESSAGES").mkdir(parents=True)
    catalog, template = Catalog(), Catalog()
    for po in (catalog, template):
        po.metadata = {
            "Content-Type": "text/plain; charset=UTF-8",
            "Language": "de",
            "Plural-Forms": "nplurals=2; plural=(n != 1);",
        }
    for i in range(20_000):
        catalog.append(
            polib.POEntry(msgctxt=f"m{i}", msgid=f"Source {i}", msgstr=f"Übersetzung {i}")
        )
        template.append(polib.POEntry(msgctxt=f"m{i}", msgid=f"Source {i}, changed"))
    path = locales / "de/LC_MESSAGES/messages.po"
    save_po(catalog, path)
    save_po(template, locales / "messages.pot")
    before = path.read_bytes()
    start = time.monotonic()  # how long a whole update takes, on a copy
    spare = tmp_path / "spare"
    shutil.copytree(locales, spare)
    subprocess.run(
        [sys.executable, "-m", "kit", "catalog", "update", "--locales", str(spare)],
        check=True,
        capture_output=True,
        cwd=tmp_path,
    )
    full = time.monotonic() - start
    rng = random.Random(7)
    killed = kill_at_random(
        ["catalog", "update", "--locales", str(locales)], tmp_path, rng, 4, full
    )
    assert killed >= 1 and path.read_bytes() in (
        before,
        (spare / "de/LC_MESSAGES/messages.po").read_bytes(),
    )
    for _ in range(2):  # after the kills, and after a run left to finish
        po = load_po(path)  # parses: never a truncated file
        assert sorted(e.msgstr for e in po) == sorted(f"Übersetzung {i}" for i in range(20_000))
        subprocess.run(
            [sys.executable, "-m", "kit", "catalog", "update", "--locales", str(locales)],
            check=True,
            capture_output=True,
            cwd=tmp_path,
        )
    assert [p.name for p in path.parent.iterdir()] == ["messages.po"]  # no temporaries left


# ---- Ctrl-C, SIGTERM, a killed parent, a killed worker ------------------------------------

BIG = [
    "--locale",
    "ja,en",
    "--sizes",
    "a4,a3,square,story",
    "--formats",
    "pdf,png",
    "--workers",
    "2",
]


def descendants(pid: int) -> set[int]:
    """Every living process below `pid` (from /proc: no library needed)."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[0] != "Z":
            parents[int(stat.parent.name)] = int(fields[1])
    found: set[int] = set()
    frontier = {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def alive(pids: set[int]) -> set[int]:
    out = set()
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z":
            out.add(pid)
    return out


def build_again(out: Path, locales: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    """The same build, run again to completion: what a user does after a stop."""
    command = [sys.executable, "-m", "kit", "build", "--output", str(out)]
    return subprocess.run(
        [*command, "--locales", str(locales), *BIG],
        capture_output=True,
        text=True,
        cwd=cwd,
        check=False,
    )


def start_build(out: Path, locales: Path, tmp: Path, *extra: str) -> subprocess.Popen[str]:
    env = {**os.environ, "TMPDIR": str(tmp)}
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "kit",
            "build",
            "--output",
            str(out),
            "--locales",
            str(locales),
            *BIG,
            *extra,
        ],
        cwd=tmp.parent,
        env=env,
        start_new_session=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for_files(out: Path, n: int, proc: subprocess.Popen[str], limit: float = 120) -> None:
    deadline = time.monotonic() + limit
    while len(list(out.glob("kit/*/*/poster-*"))) < n:
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline
        time.sleep(0.05)


def assert_manifest_is_the_disk(out: Path) -> None:
    import hashlib

    files = manifest(out)["files"]
    listed = {f["path"]: f["sha256"] for f in files}
    on_disk = {
        p.relative_to(out).as_posix()
        for p in out.rglob("*")
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(out).parts)
    }
    assert on_disk - {"manifest.json", "index.html"} == set(listed)
    for path, sha in listed.items():
        assert hashlib.sha256((out / path).read_bytes()).hexdigest() == sha
    gallery = (out / "index.html").read_text("utf-8")
    thumbs = {p for p in listed if "/thumb-" in p}
    assert thumbs == {p for p in listed if f'src="{p}"' in gallery}
    assert not list(out.glob(".kit-run-*"))  # the run's temporary folder is gone


@pytest.mark.parametrize(
    ("signum", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)], ids=["SIGINT", "SIGTERM"]
)
def test_ctrl_c_or_sigterm_stops_at_once_and_the_next_run_completes(
    locales, tmp_path, signum, code
):
    out, tmp = tmp_path / "dist", tmp_path / "tmp"
    tmp.mkdir()
    proc = start_build(out, locales, tmp)
    wait_for_files(out, 4, proc)
    workers = descendants(proc.pid)
    assert workers  # the build really runs in worker processes
    began = time.monotonic()
    # Ctrl-C in a terminal reaches the whole process group; SIGTERM (kill, systemd) the parent.
    if signum == signal.SIGINT:
        os.killpg(proc.pid, signum)
    else:
        proc.send_signal(signum)
    _, stderr = proc.communicate(timeout=10)
    assert time.monotonic() - began < 2.0, stderr
    assert proc.returncode == code, stderr
    assert "Traceback" not in stderr and "run the same command to finish" in stderr
    time.sleep(0.2)
    assert alive(workers) == set()  # no worker outlives the build
    assert_manifest_is_the_disk(out)
    assert list(tmp.iterdir()) == []  # nothing left in TMPDIR either
    if signum == signal.SIGTERM:
        return  # the state is the same as after Ctrl-C, whose next run is checked below
    again = build_again(out, locales, tmp_path)
    assert again.returncode == 0, again.stderr
    counts = re.search(r"(\d+) built, (\d+) unchanged", again.stderr)
    assert counts is not None, again.stderr
    built, unchanged = int(counts.group(1)), int(counts.group(2))
    assert unchanged > 0 and built > 0
    assert_manifest_is_the_disk(out)


def test_workers_die_with_a_killed_parent(locales, tmp_path):
    out, tmp = tmp_path / "dist", tmp_path / "tmp"
    tmp.mkdir()
    proc = start_build(out, locales, tmp)
    wait_for_files(out, 2, proc)
    workers = descendants(proc.pid)
    assert workers
    proc.kill()  # SIGKILL to the parent alone: nothing of kit's can run to clean up
    proc.communicate()
    deadline = time.monotonic() + 2
    while alive(workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert alive(workers) == set()


def test_a_worker_killed_as_by_the_oom_killer_fails_its_own_files_only(locales, tmp_path):
    out, tmp = tmp_path / "dist", tmp_path / "tmp"
    tmp.mkdir()
    proc = start_build(out, locales, tmp)
    wait_for_files(out, 2, proc)
    victim = max(descendants(proc.pid))  # a worker (the resource tracker is not a child here)
    os.kill(victim, signal.SIGKILL)
    _, stderr = proc.communicate(timeout=300)
    assert proc.returncode == 3, stderr  # built the rest
    assert "the renderer was killed (SIGKILL, as the out-of-memory killer does)" in stderr
    failed_match = re.search(r"(\d+) failed", stderr)
    built_match = re.search(r"(\d+) built", stderr)
    assert failed_match is not None and built_match is not None, stderr
    failed = int(failed_match.group(1))
    built = int(built_match.group(1))
    assert 1 <= failed <= 3 and built > 30  # one poster's formats and thumbnail at most
    assert_manifest_is_the_disk(out)
    again = build_again(out, locales, tmp_path)
    assert again.returncode == 0 and f"{failed} built" in again.stderr, again.stderr
