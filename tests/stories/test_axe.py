"""Every web page kit makes, checked by axe-core in headless Chromium: the HTML texts of
every locale (drafts included, as they are printed), a build's gallery, kit studio.

axe-core is pinned (4.10.2, from npm, its tarball's SHA-256 checked by .ci/run, which
sets KIT_AXE to its axe.min.js). Every rule axe runs by default must pass: no violation
is waived.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from ..conftest import SHIPPED_LOCALES, headless_chromium, needs

AXE = os.environ.get("KIT_AXE", "")


@pytest.fixture(scope="module")
def browser():
    needs("axe-core 4.10.2 (KIT_AXE=.../axe.min.js, see .ci/run)", "npm", Path(AXE).is_file())
    b = headless_chromium("--allow-file-access-from-files")
    yield b
    b.quit()


def violations(browser, url: str, ready: str | None = None) -> list[str]:
    """axe's violations on the page at `url` (once `ready`, a CSS selector, shows): rule,
    impact and the first offending node."""
    import time

    browser.get(url)
    deadline = time.monotonic() + 60
    while ready and not browser.find_elements("css selector", ready):
        assert time.monotonic() < deadline, f"{ready} never appeared"
        time.sleep(0.2)
    browser.execute_script(Path(AXE).read_text("utf-8"))
    result = browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document).then(r => done(JSON.stringify(r.violations)), e => done(String(e)));"
    )
    found = json.loads(result)
    return [f"{v['id']} ({v['impact']}): {v['nodes'][0]['html'][:120]}" for v in found]


@pytest.mark.parametrize("audience", ["students", "guardians"])
def test_every_html_text_passes_axe(kit, tmp_path, browser, audience):
    failures = {}
    for locale in SHIPPED_LOCALES:
        page = tmp_path / f"{locale}-{audience}.html"
        result = kit("text", "-l", locale, "--audience", audience, "--draft", "-o", str(page))
        assert result.exit_code == 0, result.output
        found = violations(browser, page.as_uri())
        if found:
            failures[locale] = found
    assert failures == {}


def test_a_bilingual_text_with_an_organisation_passes_axe(kit, tmp_path, browser):
    profile = tmp_path / "org.toml"
    profile.write_text(
        'name = "多文化子どもネットワーク（サンプル）"\ncontacts = ["नमूना पंक्ति"]\n'
        'url = "https://example.org/"\nhelplines = ["jp-24h-sos"]\n',
        "utf-8",
    )
    page = tmp_path / "letter.html"
    args = ["text", "-l", "ja@easy", "--second-locale", "ar", "--draft", "--org", str(profile)]
    assert kit(*args, "-o", str(page)).exit_code == 0
    assert violations(browser, page.as_uri()) == []


def test_the_gallery_passes_axe(kit, locales, tmp_path, browser):
    from ..conftest import edit_entry

    # A failed file too, so its red card is checked as well.
    edit_entry(locales / "ne/LC_MESSAGES/messages.po", "help_tell", msgstr="धेरै लामो पाठ " * 400)
    out = tmp_path / "dist"
    kit(
        "build", "--output", str(out), "--locale", "ja,ne,ar", "--draft", "--sizes", "a4",
        "--formats", "pdf", "--audiences", "students", "--locales", str(locales),
    )  # fmt: skip
    assert violations(browser, (out / "index.html").as_uri()) == []


@pytest.mark.parametrize("locale", ["ja", "ja@easy", "ar"])
def test_kit_studio_passes_axe(tmp_path, browser, locale):
    import select
    import shutil
    import signal
    import subprocess
    import sys

    from ..conftest import LOCALES

    shutil.copytree(LOCALES, tmp_path / "locales")
    proc = subprocess.Popen(
        [sys.executable, "-m", "kit", "studio", locale, "--no-browser", "--locales", "locales"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    try:
        ready, _, _ = select.select([proc.stdout], [], [], 60)
        assert ready, "kit studio printed no URL within 60 s"
        url = proc.stdout.readline().strip()
        # With its messages listed and the poster drawn beside them.
        assert violations(browser, url, "#messages textarea") == []
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()


def test_the_site_passes_axe(kit, tmp_path, browser):
    """`kit site`: the entry page and every language's pages for both audiences."""
    out = tmp_path / "site"
    assert kit("site", "--output", str(out), "--draft").exit_code == 0
    failures = {}
    for page in sorted(out.rglob("*.html")):
        found = violations(browser, page.as_uri())
        if found:
            failures[str(page.relative_to(out))] = found
    assert failures == {}
