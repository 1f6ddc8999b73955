"""`kit site` (issue 26): the advice in every language as a static site, offline."""

from __future__ import annotations

import re
import shutil
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest

from kit.locales import display_names

from ..conftest import SHIPPED_LOCALES, headless_chromium, manifest

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
    from ..conftest import edit_entry

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


# ---- posters that point to the site (item 2) and the site in a build (item 3) ----------

URL = "https://example.org/advice/"


def decoded(png: Path) -> list[str]:
    """Every QR code zbarimg (zbar-tools) reads in the image, as its text."""
    import subprocess

    from ..conftest import tool

    done = subprocess.run(
        [tool("zbarimg", "zbar-tools"), "--quiet", "--raw", "--nodbus", str(png)],
        capture_output=True,
        text=True,
    )
    assert done.returncode in (0, 4), done.stderr  # 4: no code found
    return done.stdout.splitlines()


def poster_text(pdf: Path) -> str:
    """The poster's text layer in the order it is written (pypdf), without spacing."""
    import pypdf

    return re.sub(r"[\s\u200b]+", "", pypdf.PdfReader(pdf).pages[0].extract_text())


def test_a_poster_with_site_url_decodes_to_the_entry_page_and_says_so_in_both_languages(
    kit, tmp_path
):
    args = ["--locale", "ja", "--second-locale", "en", "--audience", "guardians"]
    args += ["--size", "a3", "--draft", "--site-url", URL]
    png, pdf = tmp_path / "p.png", tmp_path / "p.pdf"
    for out in (png, pdf):
        result = kit("poster", *args, "--output", str(out))
        assert result.exit_code == 0, result.output
    assert decoded(png) == [URL]
    text = poster_text(pdf)
    assert "このアドバイスは、ほかの言語でも読めます" in text
    assert "Thisadviceisalsoinotherlanguages" in text
    assert URL in text
    # With --draft the site holds the drafts too: a few of them named in their own script,
    # the poster's own two languages not among them.
    named = [display_names(x)[0] for x in SHIPPED_LOCALES if x not in ("ja", "en")]
    shown = [n for n in named if re.sub(r"\s+", "", n) in text]
    assert 3 <= len(shown) <= 5
    # One line, read in the order printed: each name, then its dot.
    line = text.partition("Thisadviceisalsoinotherlanguages")[2].partition("https://")[0]
    assert line.count("·") == len(shown) - 1
    assert sorted(line.split("·")) == sorted(re.sub(r"\s+", "", n) for n in shown)
    assert "日本語" not in text.replace("やさしい日本語", "")  # ja names itself nowhere


def test_the_qr_code_keeps_its_modules_at_0_4_mm_or_more(kit, tmp_path):
    """Measured in the PDF: the code's drawing, over its width in modules."""
    import pymupdf
    import segno

    long_url = URL + "a-much-longer-path/" * 6
    pdf = tmp_path / "p.pdf"
    result = kit("poster", "--locale", "en", "--size", "a4", "--site-url", long_url, "-o", str(pdf))
    assert result.exit_code == 0, result.output
    modules = segno.make(long_url, error="m").symbol_size(border=0)[0]
    page = pymupdf.open(pdf)[0]
    navy = [d["rect"] for d in page.get_drawings() if d.get("fill") and d["rect"].y0 > 700]
    # The modules drawn in the footer's lower part: the code spans their union.
    left = min(r.x0 for r in navy if r.width < 5)
    right = max(r.x1 for r in navy if r.width < 5 and r.x0 > left)
    width_mm = (right - left) / 72 * 25.4
    assert width_mm / modules >= 0.4


def test_social_images_carry_no_code_to_scan(kit, tmp_path):
    png = tmp_path / "square.png"
    args = ["--locale", "ja", "--size", "square", "--site-url", URL, "-o", str(png)]
    assert kit("poster", *args).exit_code == 0
    assert decoded(png) == []


def test_a_profile_gives_the_site_url_and_the_option_wins(kit, tmp_path):
    profile = tmp_path / "ngo.toml"
    profile.write_text(f'name = "Example NGO"\nsite_url = "{URL}"\n', "utf-8")
    png = tmp_path / "p.png"
    assert kit("poster", "--locale", "ja", "--org", str(profile), "-o", str(png)).exit_code == 0
    assert decoded(png) == [URL]
    other = "https://example.net/other/"
    args = ["--locale", "ja", "--org", str(profile), "--site-url", other, "-o", str(png)]
    assert kit("poster", *args).exit_code == 0
    assert decoded(png) == [other]


def test_without_draft_the_poster_names_only_what_the_site_publishes(kit, tmp_path):
    pdf = tmp_path / "p.pdf"
    assert kit("poster", "--locale", "ja", "--site-url", URL, "-o", str(pdf)).exit_code == 0
    text = poster_text(pdf)
    # ja and en are the reviewed catalogs `kit site` publishes: English alone is named.
    line = text.partition("このアドバイスは、ほかの言語でも読めます")[2]
    assert line.partition("https://example.org/advice/")[0] == "English"


@pytest.mark.parametrize(
    ("where", "value", "expected"),
    [
        ("profile", "javascript:alert(1)", "'site_url' must be a web address"),
        ("option", "ftp://example.org/", "--site-url"),
    ],
)
def test_a_bad_site_url_is_one_line_and_no_file(kit, tmp_path, where, value, expected):
    out = tmp_path / "p.pdf"
    args = ["poster", "--locale", "ja", "-o", str(out)]
    if where == "profile":
        profile = tmp_path / "ngo.toml"
        profile.write_text(f'name = "Example NGO"\nsite_url = "{value}"\n', "utf-8")
        args += ["--org", str(profile)]
    else:
        args += ["--site-url", value]
    result = kit(*args)
    assert result.exit_code in (1, 2) and expected in result.stderr
    errors = [x for x in result.stderr.splitlines() if x.startswith("Error")]
    assert len(errors) == 1 and "Traceback" not in result.stderr
    assert not out.exists()


def test_build_site_writes_the_site_beside_the_posters_and_remakes_it_only_on_change(
    kit, tmp_path, locales
):

    out = tmp_path / "dist"
    args = ["build", "--output", str(out), "--locales", str(locales), "--sizes", "a4"]
    args += ["--formats", "png", "--audiences", "students", "--draft"]
    args += ["--site", "--site-url", URL]
    result = kit(*args, "--locale", "ja,en,vi")
    assert result.exit_code == 0, result.output
    listed = manifest(out)
    site = {e["path"]: e for e in listed["files"] if e["kind"] == "site"}
    assert {"site/index.html", "site/vi/students.html", "site/sitemap.xml"} <= set(site)
    assert "site/vi/guardians.html" not in site  # the build's audiences only
    assert site["site/vi/students.html"]["draft"] and not site["site/ja/students.html"]["draft"]
    assert decoded(out / "kit" / "vi" / "students" / "poster-a4.png") == [URL]
    gallery = (out / "index.html").read_text("utf-8")
    assert 'href="site/index.html"' in gallery and "site · 3 languages" in gallery
    # Nothing changed: nothing remade.
    again = kit(*args, "--locale", "ja,en,vi")
    assert "0 built" in again.stderr
    # A Vietnamese translation changed: the site is remade (every page names every
    # language); the Japanese poster is not.
    from ..conftest import edit_entry

    edit_entry(locales / "vi" / "LC_MESSAGES" / "messages.po", "help_tell", msgstr="Hãy nói.")
    changed = kit(*args, "--locale", "ja,en,vi")
    assert changed.exit_code == 0
    assert f"{len(site) + 5} built" in changed.stderr  # the site; vi poster, thumb, texts
    assert "Hãy nói." in (out / "site" / "vi" / "students.html").read_text("utf-8")
    # A language dropped from the build: its pages go, the rest stay listed.
    kit(*args, "--locale", "ja,en")
    assert not (out / "site" / "vi").exists()
    listed = manifest(out)
    assert not any(e["path"].startswith("site/vi/") for e in listed["files"])
