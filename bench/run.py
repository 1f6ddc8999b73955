"""Benchmarks for kit build and posters, each against a baseline measured in the same run.

    python bench/run.py [--rounds 5] [--quick]

Prints a table of ratios (these machines are noisy: read the ratios, not the seconds):
  1. cold `kit --help` against a bare `python -c pass`             (target <= 3x)
     and against `pybabel --help`                                  (target <= 1.2x)
  2. one poster in a warm process, three ways, each against a bare Typst compile of the
     same template and data (fitting included):
     kit up to Typst's PDF (localize, glyph check, data, compile)   (target <= 1.3x)
     the text layer kit adds after it (textlayer.py), on its own    (reported)
     the whole render_poster, the two together                      (reported)
     and fitting's cost: the bare compile against the same page with
     its sizes fixed (no fitting), and the whole poster against it (target <= 10x)
  3. the full matrix on all cores against 1 worker                 (target >= 1.7x faster)
  4. a no-change rebuild against the first build                   (target <= 5 %)
  5. PDF size of the A4 students poster per locale
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def median_time(fn, rounds: int) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def cold_start(rounds: int) -> tuple[float, float, float]:
    """Medians of a bare start, `kit --help`, and `pybabel --help` (Babel's own command
    line, from the same Python: the gettext tool kit is compared with), taken in turn."""
    kit_cmd = [sys.executable, "-m", "kit", "--help"]
    bare = [sys.executable, "-c", "pass"]
    babel = [sys.executable, "-c", "from babel.messages.frontend import main; main()", "--help"]

    def run(cmd: list[str]) -> None:
        subprocess.run(cmd, check=True, capture_output=True)

    run(kit_cmd)  # warm the file cache, not the interpreter
    run(babel)
    rows = [
        tuple(median_time(lambda c=cmd: run(c), 1) for cmd in (bare, kit_cmd, babel))
        for _ in range(rounds * 2)
    ]
    return (
        statistics.median(r[0] for r in rows),
        statistics.median(r[1] for r in rows),
        statistics.median(r[2] for r in rows),
    )


_WARM = """
import json, sys, tempfile, time
from dataclasses import replace
from pathlib import Path
from kit.campaign import load_campaign
from kit.locales import available_locales, locales_dir
from kit.localize import localize
from kit.render import poster as P
from kit.render.poster import typeset as C

mode, sizes_file = sys.argv[1], sys.argv[2]
campaign = load_campaign()
options = P.PosterOptions(draft=True)
locales = available_locales(locales_dir(), campaign)
materials = {loc: localize(campaign, loc, "students", drafts=True) for loc in locales}
compiler = C.compiler()
tmp = Path(tempfile.mkdtemp())
(tmp / "poster.typ").write_bytes(C.template())

def compile_data(data):
    return compiler.compile(input=str(tmp / "poster.typ"), root=str(tmp), format="pdf",
                            sys_inputs={"data": data.to_json()},
                            pdf_standards=["a-2a", "ua-1"], timestamp=0)

def bare(loc):  # the same template and data, fitting included
    compile_data(P.poster_data(materials[loc], None, options, None))

def fixed(loc):  # the same page with its sizes given: no fitting at all
    sizes = json.loads(Path(sizes_file).read_text())[loc]
    compile_data(replace(P.poster_data(materials[loc], None, options, None), fixed=sizes))

# The text layer is timed apart: render_poster calls it last, on Typst's finished PDF.
layer = [0.0]
finish = P.finish_poster

def timed_finish(*args):
    start = time.perf_counter()
    out = finish(*args)
    layer[0] += time.perf_counter() - start
    return out

P.finish_poster = timed_finish

def full(loc):
    P.render_poster(localize(campaign, loc, "students", drafts=True), None, options)

if mode == "sizes":  # the sizes kit chooses, for the fixed layout
    out = {}
    for loc in locales:
        bare(loc)
        fit = json.loads(compiler.query("<kit-fit>", field="value"))[0]
        out[loc] = {"body": fit["body"], "headline": fit["headline"]}
    Path(sizes_file).write_text(json.dumps(out))
    sys.exit()
# Warm up on another audience, so fonts and template are loaded but no poster is cached.
P.render_poster(localize(campaign, "en", "guardians"), None, options)
run = {"bare": bare, "fixed": fixed, "kit": full}[mode]
layer[0] = 0.0
start = time.perf_counter()
for loc in locales:
    run(loc)
print((time.perf_counter() - start) / len(locales), layer[0] / len(locales))
"""


def poster_times(rounds: int) -> dict[str, float]:
    """Per poster (A4 students, every locale), in a warm process, as in `kit build`: kit's
    whole path (localize, glyph check, data, fitting, compile, text layer), with the text
    layer timed apart; a bare compile of the same template and data (fitting included);
    and the same page with the sizes kit chose given to the template (a fixed layout: the
    cost of one layout). Each runs in its own process and compiles every locale once:
    Typst memoizes, so a repeated compile would measure its cache."""
    with tempfile.TemporaryDirectory() as tmp:
        sizes = str(Path(tmp) / "sizes.json")

        def run(mode: str) -> tuple[float, float]:
            out = subprocess.run(
                [sys.executable, "-c", _WARM, mode, sizes],
                check=True,
                capture_output=True,
                text=True,
            ).stdout.split()
            return (float(out[0]), float(out[1])) if out else (0.0, 0.0)  # "sizes": none

        run("sizes")
        rows = []
        for _ in range(rounds):
            fixed, bare = run("fixed")[0], run("bare")[0]
            whole, layer = run("kit")
            rows.append(
                {
                    "fixed": fixed,
                    "bare": bare,
                    "kit": whole,
                    "layer": layer,
                    "to_pdf": whole - layer,
                }
            )
    return {m: statistics.median(r[m] for r in rows) for m in rows[0]}


def matrix(workers: int, out: Path) -> float:
    cmd = [
        sys.executable,
        "-m",
        "kit",
        "build",
        "--output",
        str(out),
        "--draft",
        "--workers",
        str(workers),
    ]
    start = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True)
    return time.perf_counter() - start


def pdf_sizes() -> dict[str, int]:
    from kit.campaign import load_campaign
    from kit.locales import available_locales, locales_dir
    from kit.localize import localize
    from kit.render.poster import PosterOptions, render_poster

    campaign = load_campaign()
    sizes = {}
    for loc in available_locales(locales_dir(), campaign):
        m = localize(campaign, loc, "students", drafts=True)
        sizes[loc] = len(render_poster(m, None, PosterOptions(size="a4", draft=not m.complete)))
    return sizes


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--quick", action="store_true", help="skip the full-matrix builds")
    args = ap.parse_args()
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    bare, kit_help, babel_help = cold_start(args.rounds)
    print(
        f"| cold `kit --help` / `python -c pass` | {kit_help:.3f} s / {bare:.3f} s "
        f"| {kit_help / bare:.2f}x | <= 3x |"
    )
    print(
        f"| cold `kit --help` / `pybabel --help` | {kit_help:.3f} s / {babel_help:.3f} s "
        f"| {kit_help / babel_help:.2f}x | <= 1.2x |"
    )
    t = poster_times(args.rounds)
    rows = [
        (
            "one poster, kit up to Typst's PDF / bare Typst compile (warm)",
            "to_pdf",
            "bare",
            "<= 1.3x",
        ),
        ("the text layer kit adds to it / bare Typst compile", "layer", "bare", ""),
        ("one whole poster (render_poster) / bare Typst compile", "kit", "bare", ""),
        ("fitting: bare Typst compile / the same page with a fixed layout", "bare", "fixed", ""),
        ("one whole poster / the same page with a fixed layout", "kit", "fixed", "<= 10x"),
    ]
    for label, a, b, target in rows:
        print(f"| {label} | {t[a]:.3f} s / {t[b]:.3f} s | {t[a] / t[b]:.2f}x | {target} |")
    if not args.quick:
        with tempfile.TemporaryDirectory() as tmp:
            one = matrix(1, Path(tmp) / "one")
            cores = os.cpu_count() or 1
            many = matrix(cores, Path(tmp) / "many")
            again = matrix(cores, Path(tmp) / "many")
        print(
            f"| full matrix, {cores} workers / 1 worker | {many:.1f} s / {one:.1f} s "
            f"| {one / many:.2f}x faster | >= 1.7x |"
        )
        print(
            f"| no-change rebuild / first build | {again:.2f} s / {many:.1f} s "
            f"| {100 * again / many:.1f} % | <= 5 % |"
        )
    for loc, size in pdf_sizes().items():
        print(f"| PDF, A4 students poster, {loc} | {size / 1024:.0f} KB | | |")


if __name__ == "__main__":
    main()
