"""Benchmark: `kit catalog check` against GNU `msgfmt -c` on the same catalogs.

Makes a set of real-world-sized catalogs (by default 40 catalogs of 1,500 messages, a
third of them with plural forms and brace placeholders, some fuzzy or untranslated),
then times, in the same run, both tools over all of them, several rounds each, and
reports the median times and their ratio (these machines are noisy: read the ratio).

    python bench/check_vs_msgfmt.py [--catalogs 40] [--messages 1500] [--rounds 5]
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import polib

from kit.catalog.check import check_file
from kit.catalog.po import save_po

WORDS = ["child", "safety", "online", "photo", "send", "block", "report", "adult", "trust", "school", "friend", "message", "police", "advice", "screenshot", "evidence", "worry", "secret", "threaten", "share", "stranger"]


def make_catalog(rng: random.Random, messages: int, lang: str) -> polib.POFile:
    po = polib.POFile()
    po.metadata = {"Project-Id-Version": "bench", "Language": lang, "MIME-Version": "1.0",
                   "Content-Type": "text/plain; charset=UTF-8",
                   "Content-Transfer-Encoding": "8bit", "Plural-Forms": "nplurals=2; plural=(n != 1);"}
    for i in range(messages):
        words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 25)))
        ctx = f"msg_{i}"
        if i % 3 == 0:
            e = polib.POEntry(msgctxt=ctx, msgid=f"{{count}} {words}", msgid_plural=f"{{count}} {words}s",
                              flags=["python-brace-format"])
            e.msgstr_plural = {0: f"{{count}} {words.upper()}", 1: f"{{count}} {words.upper()}S"}
        else:
            e = polib.POEntry(msgctxt=ctx, msgid=words.capitalize() + ".",
                              msgstr=words.upper() + "." if i % 17 else "")
        if i % 23 == 0:
            e.flags.append("fuzzy")
        po.append(e)
    return po


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--catalogs", type=int, default=40)
    ap.add_argument("--messages", type=int, default=1500)
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    rng = random.Random(1)
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for i in range(args.catalogs):
            path = Path(tmp) / f"c{i}.po"
            save_po(make_catalog(rng, args.messages, "de"), path)
            paths.append(path)

        def kit_check() -> None:
            for p in paths:
                check_file(p)

        def gnu_msgfmt() -> None:
            for p in paths:
                subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(p)], check=True,
                               capture_output=True)

        kit_times, gnu_times = [], []
        for _ in range(args.rounds):  # interleaved, so both see the same machine load
            gnu_times.append(timed(gnu_msgfmt))
            kit_times.append(timed(kit_check))
    kit_t, gnu_t = statistics.median(kit_times), statistics.median(gnu_times)
    total = args.catalogs * args.messages
    print(f"catalogs: {args.catalogs} x {args.messages} messages ({total} in all), {args.rounds} rounds")
    print(f"msgfmt -c (baseline): {gnu_t:.3f} s median")
    print(f"kit catalog check:    {kit_t:.3f} s median")
    print(f"ratio kit / msgfmt:   {kit_t / gnu_t:.2f}x  ({total / kit_t:,.0f} messages/s)")
    print("note: kit runs ~20 checks per message (msgfmt -c: format strings and header);"
          " msgfmt runs as one process per file, kit in one process.", file=sys.stderr)


if __name__ == "__main__":
    main()
