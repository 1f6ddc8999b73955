"""`kit site` (issue 26): the advice in every language as a static site, offline."""

from __future__ import annotations

import re
import shutil
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest

from kit.locales import display_names

from .conftest import SHIPPED_LOCALES, headless_chromium

SLUGS = {"pt_BR": "pt-BR", "zh_Hans": "zh-Hans", "ja@easy": "ja-x-easy"}


def slug(locale: str) -> str:
    return SLUGS.get(locale, locale)


class Page(HTMLParser):
    """What a test reads of a page: every element's attributes, in order."""

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.feed(path.read_text("utf-8"))

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def all(self, tag: str, **match: str) -> list[dict[str, str | None]]:
        return [
            a for t, a in self.tags if t == tag and all(a.get(k) == v for k, v in match.items())
        ]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    from click.testing import CliRunner

    from kit.cli import main

    out = tmp_path_factory.mktemp("site") / "site"
    result = CliRunner().invoke(
        main, ["site", "--output", str(out), "--draft", "--url", "https://example.org/advice/"]
    )
    assert result.exit_code == 0, result.output
    assert f"{len(SHIPPED_LOCALES)} languages" in result.stderr
    return out


def test_every_language_has_both_pages_with_its_lang_dir_and_a_switcher(site):
    for locale in SHIPPED_LOCALES:
        for audience in ("students", "guardians"):
            path = site / slug(locale) / f"{audience}.html"
            page = Page(path)
            (html,) = page.all("html")
            assert html["dir"] == ("rtl" if locale == "ar" else "ltr")
            assert html["lang"] == slug(locale).split("-x-")[0]
            switcher = [a for a in page.all("a") if a.get("hreflang")]
            assert len(switcher) == len(SHIPPED_LOCALES), path
            for a in switcher:
                target = (path.parent / a["href"]).resolve()
                assert target.is_file(), a["href"]
                assert target.name == f"{audience}.html"
            current = [a for a in switcher if "aria-current" in a]
            assert [a["hreflang"] for a in current] == [slug(locale)]


def test_languages_are_named_in_their_own_script(site):
    text = (site / "vi" / "students.html").read_text("utf-8")
    for locale in SHIPPED_LOCALES:
        own = display_names(locale)[0]
        assert f">{own}</a>" in text, own
    for name in ("日本語", "Tiếng Việt", "नेपाली", "العربية", "ไทย", "やさしい日本語"):
        assert name in text


def test_alternates_canonical_and_sitemap(site):
    page = Page(site / "ja" / "guardians.html")
    alternates = {a["hreflang"]: a["href"] for a in page.all("link", rel="alternate")}
    assert set(alternates) == {slug(x) for x in SHIPPED_LOCALES} | {"x-default"}
    assert alternates["vi"] == "https://example.org/advice/vi/guardians.html"
    assert alternates["x-default"] == "https://example.org/advice/index.html"
    (canonical,) = page.all("link", rel="canonical")
    assert canonical["href"] == "https://example.org/advice/ja/guardians.html"
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = [e.text for e in ET.parse(site / "sitemap.xml").getroot().findall("s:url/s:loc", ns)]
    assert len(locs) == 2 * len(SHIPPED_LOCALES) + 1
    assert "https://example.org/advice/ar/students.html" in locs


def test_nothing_is_fetched_from_elsewhere_and_every_page_cites_the_source(site):
    for path in site.rglob("*.html"):
        text = path.read_text("utf-8")
        assert not re.search(r"<(script|img|iframe)[^>]+src=", text), path
        assert "@import" not in text and "url(" not in text
        for sheet in re.findall(r'<link rel="stylesheet" href="([^"]+)"', text):
            assert (path.parent / sheet).resolve() == (site / "site.css").resolve()
        if path.name != "index.html":
            assert "https://mainichi.jp/english/articles/20170922/" in text, path
            assert "@media print" in text
    css = (site / "site.css").read_text("utf-8")
    for font in re.findall(r'url\("([^"]+)"\)', css):
        assert not font.startswith(("http", "//")) and (site / font).is_file()
    assert ':lang(ja) { font-family: "kit Noto Sans CJK JP"' in css
    assert (site / "fonts" / "OFL.txt").is_file()  # the fonts' licence goes with them


def test_drafts_are_marked_and_left_out_without_draft(kit, tmp_path):
    out = tmp_path / "site"
    result = kit("site", "--output", str(out))
    assert result.exit_code == 0
    assert sorted(p.name for p in out.iterdir() if p.is_dir()) == ["en", "fonts", "ja"]
    assert "left out, not ready: ar, es" in result.stderr and "(--draft)" in result.stderr
    assert "sitemap.xml" not in {p.name for p in out.iterdir()}  # no --url, no sitemap
    drafted = tmp_path / "drafted"
    kit("site", "--output", str(drafted), "--draft")
    assert 'class="draft-banner"' in (drafted / "vi" / "students.html").read_text("utf-8")
    assert 'class="draft-banner"' not in (drafted / "ja" / "students.html").read_text("utf-8")


def test_no_language_ready_is_one_line_and_no_folder(kit, tmp_path, locales):
    from .conftest import edit_entry

    for locale in ("ja", "en"):
        path = locales / locale / "LC_MESSAGES" / "messages.po"
        if path.is_file():
            edit_entry(path, "help_tell", fuzzy=True)
    for other in locales.iterdir():
        if other.is_dir() and other.name not in ("ja", "en"):
            shutil.rmtree(other)
    result = kit("site", "--output", str(tmp_path / "s"), "--locales", str(locales))
    assert result.exit_code == 1 and "no language is ready to publish" in result.stderr
    assert not (tmp_path / "s").exists()


def test_a_bad_url_is_one_line(kit, tmp_path):
    result = kit("site", "--output", str(tmp_path / "s"), "--url", "javascript:alert(1)")
    assert result.exit_code == 2 and "--url" in result.stderr
    assert not (tmp_path / "s").exists()


def test_a_reader_clicks_from_japanese_to_vietnamese_and_back_offline(site):
    browser = headless_chromium()
    try:
        # A reader whose browser asks for Vietnamese first.
        agent = browser.execute_script("return navigator.userAgent")
        browser.execute_cdp_cmd(
            "Network.setUserAgentOverride", {"userAgent": agent, "acceptLanguage": "vi,en"}
        )
        browser.get((site / "ja" / "students.html").as_uri())
        assert browser.execute_script("return document.documentElement.lang") == "ja"
        browser.find_element("css selector", 'nav a[hreflang="vi"]').click()
        assert browser.execute_script("return document.documentElement.lang") == "vi"
        assert browser.current_url.endswith("/vi/students.html")
        browser.find_element("css selector", 'nav a[hreflang="ja"]').click()
        assert browser.current_url.endswith("/ja/students.html")
        assert "写真" in browser.find_element("tag name", "h1").text
        # The entry page offers the browser's language first.
        browser.get((site / "index.html").as_uri())
        first = browser.find_element("css selector", "#languages li")
        assert first.get_attribute("data-tag") == "vi" and "Tiếng Việt" in first.text
        first.find_element("css selector", "a").click()
        assert browser.execute_script("return document.documentElement.lang") == "vi"
    finally:
        browser.quit()
