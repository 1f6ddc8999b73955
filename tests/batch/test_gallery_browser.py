"""The gallery (index.html) in a real headless browser: Debian's Chromium and ChromeDriver,
installed by .ci/run. No console errors, every thumbnail loads, the language filter works."""

from __future__ import annotations

import pytest
from selenium.webdriver.support.ui import Select

from ..conftest import headless_chromium


@pytest.fixture(scope="module")
def browser():
    b = headless_chromium("--allow-file-access-from-files")  # the gallery is opened as a file
    yield b
    b.quit()


def test_gallery_loads_and_filters_by_language(kit, locales, tmp_path, browser):
    out = tmp_path / "dist"
    result = kit(
        "build",
        "--output",
        str(out),
        "--locale",
        "ja,en,vi",
        "--draft",
        "--sizes",
        "a4,story",
        "--formats",
        "pdf",
        "--audiences",
        "students",
        "--locales",
        str(locales),
    )
    assert result.exit_code == 0, result.output
    browser.get((out / "index.html").as_uri())
    images = browser.find_elements("css selector", ".card img")
    assert len(images) == 6  # 3 locales x 2 sizes
    for img in images:
        assert browser.execute_script(
            "return arguments[0].complete && arguments[0].naturalWidth > 0", img
        ), img.get_attribute("src")
    cards = browser.find_elements("css selector", ".card")
    Select(browser.find_element("id", "lang")).select_by_value("vi")
    visible = [c for c in cards if c.is_displayed()]
    assert visible and all(c.get_attribute("data-lang") == "vi" for c in visible)
    assert browser.find_element("id", "shown").text == f"{len(visible)} shown"
    Select(browser.find_element("id", "lang")).select_by_value("")
    assert all(c.is_displayed() for c in cards)
    errors = [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert errors == []


def test_gallery_cards_name_their_organisation_and_filter_by_it(mail_merge, browser):
    kaede = "Kaede <Elementary> & Co"
    result, _, out = mail_merge(
        f'name,locales\nAoba Junior High,ja\n"{kaede}",ja en\n',
        *["--sizes", "a4", "--formats", "pdf", "--audiences", "students"],
    )
    assert result.exit_code == 0, result.output
    browser.get((out / "index.html").as_uri())
    captions = sorted(
        c.text.splitlines()[0]
        for c in browser.find_elements("css selector", ".card:not(.text) figcaption")
    )
    # Mail-merge cards used to read "ja · students · a4" twice: now each names its school.
    assert captions == [
        "Aoba Junior High · ja · students · A4",
        f"{kaede} · en · students · A4",
        f"{kaede} · ja · students · A4",
    ]
    count = browser.find_element("id", "count").text
    assert count.startswith("3 posters and 3 sets of texts, 15 files in all")
    assert browser.find_element("id", "shown").text == "6 shown"  # what the heading counted
    organisation = Select(browser.find_element("id", "org"))
    assert [o.text for o in organisation.options] == ["all", "Aoba Junior High", kaede]
    organisation.select_by_visible_text(kaede)
    shown = [c for c in browser.find_elements("css selector", ".card") if c.is_displayed()]
    assert len(shown) == 4
    assert all(c.get_attribute("data-org") == "kaede-elementary-co" for c in shown)
    assert browser.find_element("id", "shown").text == "4 shown"
    errors = [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert errors == []


def test_gallery_shows_failures_drafts_and_names_in_kits_fonts(kit, locales, tmp_path, browser):
    """Issue 23: a build with failed files showed Nepali with only its text cards; text
    cards of drafts had no DRAFT badge; captions used system fonts (tofu without a CJK
    font)."""
    from ..conftest import edit_entry

    edit_entry(locales / "ne/LC_MESSAGES/messages.po", "help_tell", msgstr="धेरै लामो पाठ " * 400)
    out = tmp_path / "dist"
    profile = tmp_path / "org.toml"
    profile.write_text('name = "星野中学校（サンプル）"\n', "utf-8")
    result = kit(
        "build", "--output", str(out), "--locale", "ja,ne", "--draft", "--sizes", "a4",
        "--formats", "pdf", "--audiences", "students", "--org", str(profile),
        "--locales", str(locales),
    )  # fmt: skip
    assert result.exit_code == 3 and "2 failed" in result.stderr
    browser.get((out / "index.html").as_uri())
    assert "2 files could not be made" in browser.find_element("css selector", ".problems").text
    Select(browser.find_element("id", "lang")).select_by_value("ne")
    shown = [c for c in browser.find_elements("css selector", ".card") if c.is_displayed()]
    failed = [c for c in shown if "failed" in c.get_attribute("class").split()]
    assert len(failed) == 1
    assert "poster-a4.pdf, thumb-a4.png: message 'help_tell'" in failed[0].text
    assert "does not fit even at the" in failed[0].text
    text_card = next(c for c in shown if c.text.splitlines()[0].endswith("· text DRAFT"))
    assert text_card.find_element("css selector", ".draft").text == "DRAFT"
    labels = [o.text for o in Select(browser.find_element("id", "lang")).options]
    assert "ne: नेपाली (Nepali)" in labels and "ja: 日本語 (Japanese)" in labels
    loaded = browser.execute_script(
        "return document.fonts.ready.then(() => [...document.fonts]"
        ".filter(f => f.status === 'loaded').map(f => f.family))"
    )
    assert {"Noto Sans CJK JP (kit)", "Noto Sans Devanagari (kit)"} <= set(loaded), loaded
    errors = [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert errors == []
