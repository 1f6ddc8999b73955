"""The PDF text layer: what it costs and what it gives back, measured in one run.

    python bench/textlayer.py [--rounds 5] [--sizes a4|all|a4,a3] [--locales ar,en]
                              [--pairs ar+en,en+ar] [--no-table]

1. Cost: per locale (A4 students poster, drafts), the Typst compile (warm process, each
   poster compiled once: Typst memoizes) against kit.render.poster.textlayer.fix_text_layer on
   the compiled bytes (median of --rounds), as a ratio.
2. Table: printed messages found exactly, before (Typst's PDF) and after, per locale and
   reader, over both audiences: PDFium (Chrome, Edge; pypdfium2), pdf.js (Firefox; with
   KIT_PDFJS naming a pdfjs-dist package folder and node on the PATH, as .ci/run sets
   up), pdftotext (default and -raw), PyMuPDF, pypdf. Text is
   compared after NFKC with whitespace, zero-width spaces and bidi controls removed.
   --pairs adds bilingual posters (first+second). A poster the layout refuses (text that
   does not fit at its size) is counted apart. Needs poppler-utils and the test extras
   (pymupdf, pypdf).
"""

from __future__ import annotations

import argparse
import io
import os
import re
import statistics
import subprocess
import time
import unicodedata
from pathlib import Path

from kit.campaign import load_campaign
from kit.errors import KitError
from kit.locales import available_locales, locales_dir
from kit.localize import localize
from kit.render import poster as P
from kit.render.poster.textlayer import fix_text_layer, printed_runs

_DROP = dict.fromkeys(
    map(ord, "\u200b\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
)


def norm(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text).translate(_DROP))


def compile_only(material, options, second=None) -> tuple[bytes, float, list]:
    """Typst's PDF, as render_poster makes it without the text layer, and its time."""
    real = P.finish_poster
    P.finish_poster = lambda out, fmt, data: out
    try:
        start = time.perf_counter()
        out = P.render_poster(material, second, options)
        took = time.perf_counter() - start
    finally:
        P.finish_poster = real
    return out, took, printed_runs(P.poster_data(material, second, options, None))


def extract(pdf: bytes) -> dict[str, str]:
    import pymupdf
    import pypdf

    def poppler(*args: str) -> str:
        return subprocess.run(
            ["pdftotext", *args, "-", "-"], input=pdf, capture_output=True, check=True
        ).stdout.decode("utf-8")

    with pymupdf.open(stream=pdf, filetype="pdf") as doc:
        mu = doc[0].get_text()
    import pypdfium2

    doc = pypdfium2.PdfDocument(pdf)
    pdfium = doc[0].get_textpage().get_text_range()
    doc.close()
    out = {"PDFium": pdfium}
    if os.environ.get("KIT_PDFJS"):
        out["pdf.js"] = subprocess.run(
            ["node", str(Path(__file__).parents[1] / "tests/render/read_pdfjs.mjs")],
            input=pdf,
            capture_output=True,
            check=True,
        ).stdout.decode("utf-8")
    return out | {
        "pdftotext": poppler(),
        "pdftotext -raw": poppler("-raw"),
        "PyMuPDF": mu,
        "pypdf": pypdf.PdfReader(io.BytesIO(pdf)).pages[0].extract_text(),
    }


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--sizes", default="a4", help="comma-separated sizes for the table, or all")
    ap.add_argument("--locales", help="comma-separated locales (default: all)")
    ap.add_argument("--pairs", default="", help="bilingual posters for the table: ar+en,...")
    ap.add_argument("--no-table", action="store_true")
    args = ap.parse_args()
    campaign = load_campaign()
    locales = (
        args.locales.split(",") if args.locales else available_locales(locales_dir(), campaign)
    )
    sizes = list(P.SIZES) if args.sizes == "all" else args.sizes.split(",")
    options = P.PosterOptions(draft=True)
    # Warm up fonts, template and HarfBuzz on a poster no locale below repeats.
    warm, _, _ = compile_only(localize(campaign, "en", "guardians", drafts=True), options)
    fix_text_layer(warm)
    ratios = []
    print("| locale | compile | text layer | text layer / compile |\n|---|---|---|---|")
    for loc in locales:
        material = localize(campaign, loc, "students", drafts=True)
        pdf, took, runs = compile_only(material, options)
        times = []
        for _ in range(args.rounds):
            start = time.perf_counter()
            fix_text_layer(pdf, runs)
            times.append(time.perf_counter() - start)
        fix = statistics.median(times)
        ratios.append(fix / took)
        print(f"| {loc} | {took * 1000:.0f} ms | {fix * 1000:.0f} ms | {fix / took:.2f}x |")
    print(f"| median | | | {statistics.median(ratios):.2f}x |")
    if args.no_table:
        return
    names = ["PDFium", *(["pdf.js"] if os.environ.get("KIT_PDFJS") else [])]
    names += ["pdftotext", "pdftotext -raw", "PyMuPDF", "pypdf"]
    print("\n| locale | " + " | ".join(names) + " |\n" + "|---" * (len(names) + 1) + "|")
    refused = []
    for loc in locales + [p for p in args.pairs.split(",") if p]:
        first, _, other = loc.partition("+")
        counts = {n: [0, 0, 0] for n in names}  # before, after, total
        for audience in ("students", "guardians"):
            material = localize(campaign, first, audience, drafts=True)
            second = localize(campaign, other, audience, drafts=True) if other else None
            for size in sizes:
                opts = P.PosterOptions(size=size, draft=True)
                try:
                    pdf, _, runs = compile_only(material, opts, second)
                except KitError:
                    refused.append(f"{loc} {audience} {size}")
                    continue
                texts = [r.text for r in runs]
                for i, text in enumerate((extract(pdf), extract(fix_text_layer(pdf, runs)))):
                    for name in names:
                        got = norm(text[name])
                        counts[name][i] += sum(norm(t) in got for t in texts)
                for name in names:
                    counts[name][2] += len(texts)
        cells = [f"{b}/{t} → {a}/{t}" for b, a, t in counts.values()]
        print(f"| {loc} | " + " | ".join(cells) + " |")
    if refused:
        print(f"\nRefused by the layout (not counted): {', '.join(refused)}")


if __name__ == "__main__":
    main()
