"""The gallery (index.html) in a real headless browser: Debian's Chromium and ChromeDriver,
installed by .ci/run. No console errors, every thumbnail loads, the language filter works."""

from __future__ import annotations

import pytest
from selenium.webdriver.support.ui import Select

from .conftest import headless_chromium


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


def test_gallery_cards_name_their_organisation_and_filter_by_it(kit, locales, tmp_path, browser):
    orgs = tmp_path / "orgs.csv"
    kaede = "Kaede <Elementary> & Co"
    orgs.write_text(f'name,locales\nAoba Junior High,ja\n"{kaede}",ja en\n', "utf-8")
    out = tmp_path / "dist"
    result = kit(
        "build",
        "--output",
        str(out),
        "--orgs",
        str(orgs),
        "--sizes",
        "a4",
        "--formats",
        "pdf",
        "--audiences",
        "students",
        "--locales",
        str(locales),
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
