"""kit studio's latencies, in headless Chromium against `kit studio ja`, each with a baseline
measured in the same run.

    python bench/studio_latency.py [--rounds 15]

  1. keystroke -> kit's check shown beside the message (target < 100 ms), against a bare
     round trip from the page to the same server (a static file)
  2. change -> poster redrawn in the page, against the poster renderer alone
     (render_poster in this process, same poster and size, a new text each time; target
     <= 0.8x) and against a cold `kit poster` PNG of it (a new process; target <= 0.25x)
  3. keystroke -> the change in the PO file on disk (target < 1 s)

Times come from the page's own clock (performance.now and the marks the page sets when a
check is painted and a poster drawn). Needs chromium and chromedriver.
"""

from __future__ import annotations

import argparse
import platform
import select
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# In the page: change one message as a keystroke would, then wait for the page's mark.
_AFTER_INPUT = """
const [id, text, mark, done] = [arguments[0], arguments[1], arguments[2], arguments[3]];
const area = document.getElementById(`t-${id}-0`);
area.focus();
const t0 = performance.now();
area.value = text;
area.dispatchEvent(new Event("input"));
const look = () => {
  const hit = performance.getEntriesByName(mark).find((e) => e.startTime > t0);
  if (hit) done(hit.startTime - t0); else setTimeout(look, 2);
};
look();
"""
_ROUND_TRIP = """
const done = arguments[0];
const t0 = performance.now();
fetch("static/icon.svg", {cache: "no-store"}).then((r) => r.text())
  .then(() => done(performance.now() - t0));
"""


def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "chromium"
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--window-size=1400,1000",
    ):
        options.add_argument(flag)
    return webdriver.Chrome(
        service=Service(shutil.which("chromedriver") or "chromedriver"), options=options
    )


def summary(times: list[float]) -> str:
    ordered = sorted(times)
    p90 = ordered[min(len(ordered) - 1, round(0.9 * (len(ordered) - 1)))]
    return f"median {statistics.median(times):.0f} ms, p90 {p90:.0f} ms, max {max(times):.0f} ms"


def bare_render_ms(locales: Path, text: str) -> float:
    """The poster renderer alone, for the same poster the page shows, with a new text."""
    import polib

    from kit.campaign import load_campaign
    from kit.localize import Translations, localize
    from kit.render.poster import PosterOptions, render_poster
    from kit.studio.session import PREVIEW_WIDTH

    path = locales / "ja" / "LC_MESSAGES" / "messages.po"
    po = polib.pofile(str(path))
    next(e for e in po if e.msgctxt == "help_tell").msgstr = text
    start = time.perf_counter()
    material = localize(
        load_campaign(), "ja", "students", locales, drafts=True, catalog=Translations(path, po)
    )
    render_poster(
        material,
        None,
        PosterOptions(
            size="a4",
            format="png",
            draft=True,
            ppi=round(25.4 * PREVIEW_WIDTH / 210, 1),
            highlight="help_tell",
        ),
    )
    return (time.perf_counter() - start) * 1000


def cold_png_ms(locales: Path, out: Path) -> float:
    """`kit poster` of the same poster as PNG, in a new process, as a user would run it."""
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "kit", "poster", "--locale", "ja", "--draft", "--format", "png"]
        + ["--locales", str(locales), "--output", str(out)],
        check=True,
        capture_output=True,
    )
    return (time.perf_counter() - start) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="kit-bench-studio-"))
    shutil.copytree(ROOT / "locales", tmp / "locales")
    po = tmp / "locales" / "ja" / "LC_MESSAGES" / "messages.po"
    proc = subprocess.Popen(
        [sys.executable, "-m", "kit", "studio", "ja", "--no-browser", "--locales", "locales"],
        cwd=tmp,
        stdout=subprocess.PIPE,
        text=True,
    )
    b = None
    try:
        if not select.select([proc.stdout], [], [], 60)[0]:
            raise SystemExit("kit studio printed no URL")
        url = proc.stdout.readline().strip()  # type: ignore[union-attr]
        b = browser()
        b.set_script_timeout(30)
        b.get(url)
        time.sleep(3)  # the page loads, draws its first poster, fonts arrive
        base = "ひとりでなやまず、家族や先生に話そう"
        trips, checks, previews, renders, saves, colds = [], [], [], [], [], []
        for i in range(args.rounds):
            trips.append(b.execute_async_script(_ROUND_TRIP))
            checks.append(
                b.execute_async_script(
                    _AFTER_INPUT, "help_tell", base + "。" * (i + 1), "kit-check"
                )
            )
            time.sleep(0.3)
        time.sleep(2)  # saves and previews of the checks above settle
        for i in range(args.rounds):
            text = base + "！" * (i + 1)
            renders.append(bare_render_ms(tmp / "locales", base + "？" * (i + 1)))
            if i % 3 == 0:
                colds.append(cold_png_ms(tmp / "locales", tmp / "cold.png"))
            start = time.perf_counter()
            previews.append(b.execute_async_script(_AFTER_INPUT, "help_tell", text, "kit-preview"))
            while text not in po.read_text("utf-8"):
                time.sleep(0.005)
            saves.append((time.perf_counter() - start) * 1000)
            time.sleep(1.5)
    finally:
        if b is not None:
            b.quit()
        proc.send_signal(signal.SIGINT)
        proc.wait(15)
        shutil.rmtree(tmp, ignore_errors=True)
    print(
        f"Machine: {platform.machine()}, Python {platform.python_version()}; "
        f"{args.rounds} rounds, headless Chromium"
    )
    print("| measure | kit studio | baseline | ratio | target |")
    print("|---|---|---|---|---|")
    med = statistics.median
    print(
        f"| keystroke -> check shown / page-to-server round trip | {summary(checks)} | "
        f"{summary(trips)} | {med(checks) / med(trips):.1f}x | < 100 ms |"
    )
    print(
        f"| change -> poster redrawn / render_poster alone | {summary(previews)} | "
        f"{summary(renders)} | {med(previews) / med(renders):.2f}x | <= 0.8x |"
    )
    print(
        f"| change -> poster redrawn / cold `kit poster` PNG | {summary(previews)} | "
        f"{summary(colds)} | {med(previews) / med(colds):.2f}x | <= 0.25x |"
    )
    print(f"| keystroke -> change in the PO file | {summary(saves)} | | | < 1 s |")


if __name__ == "__main__":
    main()
