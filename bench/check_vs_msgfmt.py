"""Benchmark: `kit catalog check` against GNU `msgfmt -c` on real catalogs.

The corpus is the PO files of the newer wheels in tests/realworld/corpus.py (Django 5.1,
Sphinx 8.1, Wagtail 6.3, django-debug-toolbar 5.0: 2,341 files, 22 MB), fetched from
PyPI once and cached. In the same run, interleaved round by round, it times kit checking
all of them in one call (as `kit catalog check a.po b.po ...` does) and `msgfmt -c` run
file by file (as a Makefile or CI loop does), and reports the medians and their ratio.

    python bench/check_vs_msgfmt.py [--rounds 3] [--subset]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kit.catalog.check import check_file
from tests.realworld import corpus


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--subset", action="store_true", help="the tests' subset of locales only")
    args = ap.parse_args()
    paths = corpus.new_catalogs(subset=args.subset)
    size = sum(p.stat().st_size for p in paths)

    def kit_check() -> None:
        for p in paths:
            check_file(p)

    def gnu_msgfmt() -> None:
        for p in paths:
            subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(p)], capture_output=True)

    kit_times, gnu_times = [], []
    for _ in range(args.rounds):  # interleaved, so both see the same machine load
        gnu_times.append(timed(gnu_msgfmt))
        kit_times.append(timed(kit_check))
    kit_t, gnu_t = statistics.median(kit_times), statistics.median(gnu_times)
    print(f"catalogs: {len(paths)} real PO files, {size / 1e6:.1f} MB, {args.rounds} rounds")
    print(f"msgfmt -c, file by file (baseline): {gnu_t:.2f} s median {gnu_times}")
    print(f"kit check, one call:                 {kit_t:.2f} s median {kit_times}")
    print(f"ratio kit / msgfmt:                  {kit_t / gnu_t:.2f}x")


if __name__ == "__main__":
    main()
