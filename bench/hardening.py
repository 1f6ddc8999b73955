"""Long-running proofs for issue 16, too slow for the test suite.

    python bench/hardening.py [interrupt] [poisoned] [memory] [campaign]   (default: all)

interrupt  Ctrl-C a 300-school mail-merge build mid-way: seconds until kit has exited,
           whether the manifest equals the disk, processes of kit left, exit code.
poisoned   a mail-merge of 29 rows: 8 poisoned logos (filter region, turbulence, pattern,
           CSS blur, <use> bomb, billion laughs, XXE, a PNG of 10^10 pixels), one full of
           scripts, 20 good; and the same with a worker killed mid-build (as by the OOM
           killer): wall time, rows reported, schools built.
memory     peak memory (the build process, and with its workers) of mail-merges of 100 and
           5000 rows sharing one 1.9 MB logo, over the first 60 s of each build.
campaign   loading a campaign of 1,000 and of 10,000 messages: the ratio (linear: ~10).

Ratios and counts, not absolute seconds, are what to compare across machines.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import re
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import time
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ROOT / "locales"
PARTNERS = ROOT / "tests" / "corpus" / "partners"
MATRIX = ["--locale", "ja", "--sizes", "a4", "--formats", "pdf", "--audiences", "students"]


def descendants(pid: int) -> set[int]:
    parents = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[0] != "Z":
            parents[int(stat.parent.name)] = int(fields[1])
    found, frontier = set(), {pid}
    while frontier:
        frontier = {c for c, p in parents.items() if p in frontier} - found
        found |= frontier
    return found


def _running(pid: int) -> bool:
    """Alive and not a zombie waiting to be reaped (multiprocessing's resource tracker
    ends when its pipe closes, a moment after the build)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def kit(*args: str, **kwargs) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "kit", *args],
        start_new_session=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **kwargs,
    )


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png(width: int, height: int, seed: int = 1) -> bytes:
    """Greyscale noise: it does not compress, so 1400 x 1400 is a 1.9 MB file."""
    rng = random.Random(seed)
    rows = b"".join(b"\0" + rng.randbytes(width) for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
        + _chunk(b"IDAT", zlib.compress(rows, 1))
        + _chunk(b"IEND", b"")
    )


def png_bomb(side: int) -> bytes:
    """A 1-bit PNG declaring side x side pixels in a few kilobytes."""
    rows = zlib.compress((b"\0" + b"\0" * (side // 8)) * 64, 9)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0))
        + _chunk(b"IDAT", rows)
        + _chunk(b"IEND", b"")
    )


def schools(folder: Path, n: int, logo: str | None = None) -> Path:
    path = folder / "orgs.csv"
    with path.open("w", encoding="utf-8") as f:
        f.write("name,contacts,url,logo,logo_alt\n")
        for i in range(n):
            f.write(
                f"School {i:04d},Ask at the office|Counsellor on Tuesdays,"
                f"https://example.org/s{i},{logo or ''},{'School logo' if logo else ''}\n"
            )
    return path


def manifest_matches_disk(out: Path) -> bool:
    listed = {
        f["path"]: f["sha256"] for f in json.loads((out / "manifest.json").read_text())["files"]
    }
    on_disk = {
        p.relative_to(out).as_posix()
        for p in out.rglob("*")
        if p.is_file() and not any(x.startswith(".") for x in p.relative_to(out).parts)
    }
    return on_disk - {"manifest.json", "index.html"} == set(listed) and all(
        hashlib.sha256((out / p).read_bytes()).hexdigest() == s for p, s in listed.items()
    )


def interrupt(tmp: Path) -> None:
    orgs = schools(tmp, 300)
    out = tmp / "dist"
    proc = kit(
        "build", "--output", str(out), "--orgs", str(orgs), *MATRIX, "--locales", str(LOCALES)
    )
    while len(list(out.glob("*/ja/students/poster-a4.pdf"))) < 40:
        assert proc.poll() is None, proc.communicate()
        time.sleep(0.05)
    family = descendants(proc.pid) | {proc.pid}
    start = time.monotonic()
    os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C in a terminal sends
    _, stderr = proc.communicate()
    stopped = time.monotonic() - start
    time.sleep(1.0)
    left = {p for p in family if _running(p)}
    files = len(json.loads((out / "manifest.json").read_text())["files"])
    print(
        f"| Ctrl-C, 300-school build (1500 files) | stopped in {stopped:.2f} s, exit "
        f"{proc.returncode} | {files} files listed, manifest = disk: {manifest_matches_disk(out)}"
        f" | {len(left)} of {len(family)} processes left | target: <= 2 s, 130, True, 0 |"
    )
    print(f"|   its last line | {stderr.strip().splitlines()[-1][:120]} | | |")


def poisoned(tmp: Path) -> None:
    folder = tmp / "partners"
    shutil.copytree(PARTNERS, folder)
    (folder / "logos" / "bomb.png").write_bytes(png_bomb(100_000))
    rows = (folder / "poisoned.csv").read_text("utf-8").splitlines()[1:]
    good = [f"School {i:02d},Office,https://example.org/{i},logos/fine.svg,Logo" for i in range(17)]
    orgs = folder / "mail-merge.csv"
    orgs.write_text(
        "\n".join(
            [
                "name,contacts,url,logo,logo_alt",
                *good,
                *rows,
                "PNG Bomb School,,,logos/bomb.png,logo",
            ]
        )
        + "\n",
        "utf-8",
    )
    for kill_a_worker in (False, True):
        out = tmp / f"dist-{kill_a_worker}"
        start = time.monotonic()
        proc = kit(
            "build",
            "--output",
            str(out),
            "--orgs",
            str(orgs),
            "--locale",
            "ja,en",
            "--sizes",
            "a4,square",
            "--formats",
            "pdf,png,svg",
            "--locales",
            str(LOCALES),
        )
        if kill_a_worker:
            while len(list(out.glob("*/*/*/poster-*"))) < 10:
                time.sleep(0.05)
            os.kill(max(descendants(proc.pid)), signal.SIGKILL)
        _, stderr = proc.communicate()
        took = time.monotonic() - start
        built = len({f["org"] for f in json.loads((out / "manifest.json").read_text())["files"]})
        reported = len(re.findall(r": row \d+: skipped:", stderr))
        summary = stderr.strip().splitlines()[-1]
        what = "and a worker SIGKILLed" if kill_a_worker else "8 poisoned logos, 1 with scripts"
        print(
            f"| mail-merge of 29 rows, {what} | {took:.1f} s, exit {proc.returncode} | "
            f"{built} schools built, {reported} rows reported | {summary[:100]} |"
        )


def memory(tmp: Path) -> None:
    logo = png(1400, 1400)
    print(f"| logo | {len(logo) / 2**20:.2f} MB PNG, 1400 x 1400 | | |")
    for n in (100, 5000):
        folder = tmp / f"m{n}"
        folder.mkdir()
        (folder / "logo.png").write_bytes(logo)
        orgs = schools(folder, n, "logo.png")
        proc = kit(
            "build",
            "--output",
            str(folder / "dist"),
            "--orgs",
            str(orgs),
            *MATRIX,
            "--locales",
            str(LOCALES),
        )
        parent = total = 0
        start = time.monotonic()
        while proc.poll() is None and time.monotonic() - start < 60:
            parent = max(parent, rss_kb(proc.pid))
            total = max(total, rss_kb(proc.pid) + sum(rss_kb(p) for p in descendants(proc.pid)))
            time.sleep(0.1)
        os.killpg(proc.pid, signal.SIGINT)
        proc.communicate()
        done = len(json.loads((folder / "dist" / "manifest.json").read_text())["files"])
        print(
            f"| {n} rows sharing the logo ({n * 5} files), first 60 s | build process "
            f"{parent / 1024:.0f} MB, with workers {total / 1024:.0f} MB | {done} files built | |"
        )


def campaign(tmp: Path) -> None:
    sys.path.insert(0, str(ROOT))
    from kit.campaign import load_campaign

    raw = (ROOT / "kit" / "campaigns" / "npa-2017h1.toml").read_text("utf-8")
    times = {}
    for n in (1000, 10_000):
        extra = "".join(
            f'\n[[messages]]\nid = "extra_{i}"\ntext = "Extra message {i}."\n'
            f'section = "help"\nrole = "item"\naudience = ["students"]\n'
            f'provenance = "common-practice"\nbudget = 80\nnote = "n"\n'
            for i in range(n)
        )
        path = tmp / f"c{n}.toml"
        path.write_text(raw + extra, "utf-8")
        start = time.perf_counter()
        load_campaign(path)
        times[n] = time.perf_counter() - start
    print(
        f"| campaign load, 10,000 / 1,000 extra messages | {times[10_000]:.2f} s / "
        f"{times[1000]:.3f} s | {times[10_000] / times[1000]:.1f}x | linear: ~10x |"
    )


def main() -> None:
    wanted = sys.argv[1:] or ["campaign", "poisoned", "interrupt", "memory"]
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    for name in wanted:
        with tempfile.TemporaryDirectory() as tmp:
            globals()[name](Path(tmp))


if __name__ == "__main__":
    main()
