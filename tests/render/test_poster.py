"""Posters as their readers get them: the words in the PDF, the fonts, the page, the pixels."""

from __future__ import annotations

import io
import re
import struct
from dataclasses import asdict
from typing import cast

import pypdf
import pytest
from pypdf.generic import DictionaryObject, TextStringObject

from kit.campaign import load_campaign
from kit.errors import KitError
from kit.localize import localize
from kit.profile import example_profile_path, load_profile
from kit.render import SIZES, default_size
from kit.render.poster import PosterOptions, poster_data, render_poster

from ..conftest import LOCALES, edit_entry
from .layout_gate import typst_layout

MM = 72 / 25.4


@pytest.fixture(scope="module")
def campaign():
    return load_campaign()


def squash(text: str) -> str:
    """Text without any spacing: PDF extraction puts line breaks where the layout wrapped."""
    return re.sub(r"[\s\u200b]+", "", text)


def pdf_text(data: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1
    return reader.pages[0].extract_text()


def visible_texts(material, options, profile=None):
    """Every text the poster data puts on the page (what a reader must be able to find;
    furigana are drawn, not text)."""
    data = asdict(poster_data(material, None, options, profile))
    del data["texts"]
    texts: list[str] = []

    def walk(node):
        if isinstance(node, dict):
            if "runs" in node and node.get("id") != "organisation":
                texts.extend(r["text"] for r in node["runs"])
                return
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(data)
    return texts


def embedded_fonts(data: bytes) -> set[str]:
    reader = pypdf.PdfReader(io.BytesIO(data))
    names = set()
    # pypdf types every dictionary entry as any PDF object: these two are dictionaries.
    resources = cast(DictionaryObject, reader.pages[0]["/Resources"])
    fonts = cast(DictionaryObject, resources["/Font"])
    for ref in fonts.values():
        font = ref.get_object()
        descendants = font.get("/DescendantFonts")
        target = descendants[0].get_object() if descendants else font
        descriptor = target["/FontDescriptor"].get_object()
        assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), font[
            "/BaseFont"
        ]
        names.add(str(font["/BaseFont"]))
    return names


def struct_alts(data: bytes) -> list[tuple[str, str]]:
    """(structure type, alt text) of every element in the tagged PDF that has an alt text."""
    found = []

    def walk(node):
        node = node.get_object()
        if isinstance(node, pypdf.generic.DictionaryObject):
            if "/Alt" in node:
                found.append((str(node.get("/S")), str(node["/Alt"])))
            if "/K" in node:
                walk(node["/K"])
        elif isinstance(node, pypdf.generic.ArrayObject):
            for child in node:
                walk(child)

    root = cast(DictionaryObject, pypdf.PdfReader(io.BytesIO(data)).trailer["/Root"])
    walk(root["/StructTreeRoot"])
    return found


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


@pytest.mark.parametrize("locale", ["en", "ja"])
@pytest.mark.parametrize("audience", ["students", "guardians"])
@pytest.mark.parametrize("size", list(SIZES))
def test_pdf_holds_every_visible_message_drawn_from_embedded_fonts(
    campaign, locale, audience, size
):
    material = localize(campaign, locale, audience, LOCALES)
    options = PosterOptions(size=size, format="pdf")
    data = render_poster(material, None, options)
    text = squash(pdf_text(data))
    for visible in visible_texts(material, options):
        assert squash(visible) in text, visible
    # The glyphs are outlines of the fonts Typst embedded (tests/render/test_textlayer.py checks
    # they stand where Typst drew them); the text is in the glyphless font, embedded too.
    assert embedded_fonts(data) == {"/KitGlyphLess"}
    with typst_layout():
        fonts = embedded_fonts(render_poster(material, None, options))
    assert all(re.match(r"^/[A-Z]{6}\+", f) for f in fonts), fonts  # subset, embedded
    if locale == "ja":
        assert any("NotoSansCJK" in f for f in fonts), fonts
    page = pypdf.PdfReader(io.BytesIO(data)).pages[0].mediabox
    spec = SIZES[size]
    assert float(page.width) == pytest.approx(spec.width * MM, abs=0.5)
    assert float(page.height) == pytest.approx(spec.height * MM, abs=0.5)


@pytest.mark.parametrize("locale", ["en", "ja"])
@pytest.mark.parametrize("size", list(SIZES))
def test_png_and_svg_for_every_size(campaign, locale, size):
    material = localize(campaign, locale, "students", LOCALES)
    png = render_poster(material, None, PosterOptions(size=size, format="png"))
    spec = SIZES[size]
    expected = (round(spec.width / 25.4 * 144), round(spec.height / 25.4 * 144))
    assert png_size(png) == pytest.approx(expected, abs=1)
    svg = render_poster(material, None, PosterOptions(size=size, format="svg"))
    assert svg.lstrip().startswith(b"<svg") and b"</svg>" in svg[-20:]


def test_social_images_are_exact_pixel_sizes(campaign):
    material = localize(campaign, "en", "students", LOCALES)
    assert png_size(render_poster(material, None, PosterOptions(size="square", format="png"))) == (
        1080,
        1080,
    )
    assert png_size(render_poster(material, None, PosterOptions(size="story", format="png"))) == (
        1080,
        1920,
    )


def test_identical_inputs_give_identical_bytes(campaign):
    material = localize(campaign, "ja", "students", LOCALES)
    for fmt in ("pdf", "png", "svg"):
        options = PosterOptions(format=fmt)
        assert render_poster(material, None, options) == render_poster(material, None, options)


def test_japanese_a4_pdf_is_small_enough_to_mail_and_whole(campaign):
    """Under 200 KB, to go by e-mail to every family: still one A4 page holding the
    whole poster, its headline and figures readable."""
    material = localize(campaign, "ja", "students", LOCALES)
    data = render_poster(material, None, PosterOptions())
    assert len(data) < 200 * 1024
    page = pypdf.PdfReader(io.BytesIO(data)).pages[0]
    assert [round(float(x) / 72 * 25.4) for x in page.mediabox[2:]] == [210, 297]
    text = squash(pdf_text(data))
    assert squash(material.title) in text and "263" in text


def test_pdf_is_tagged_with_title_and_language(campaign):
    material = localize(campaign, "ja", "students", LOCALES)
    reader = pypdf.PdfReader(io.BytesIO(render_poster(material, None, PosterOptions())))
    root = cast(DictionaryObject, reader.trailer["/Root"])
    assert cast(TextStringObject, root["/Lang"]) == "ja"
    assert "/StructTreeRoot" in root and cast(DictionaryObject, root["/MarkInfo"])["/Marked"]
    assert reader.metadata is not None and reader.metadata.title == material.title
    # Typst checked PDF/UA-1 and PDF/A-2a while writing it, and declares both.
    assert reader.xmp_metadata is not None
    xmp = reader.xmp_metadata.stream.get_data().decode("utf-8")
    assert re.search(r"pdfuaid:part(>|=\")1", xmp) and re.search(r"pdfaid:part(>|=\")2", xmp)


def test_typst_markup_in_a_translation_prints_literally(campaign, locales):
    hostile = '#read("/etc/passwd") #eval("a+b") $x$ *bold* <b>html</b> #import "@preview/x:a.b.c"'
    edit_entry(locales / "ja/LC_MESSAGES/messages.po", "help_tell", msgstr=hostile)
    material = localize(campaign, "ja", "students", locales)
    text = pdf_text(render_poster(material, None, PosterOptions()))
    assert squash(hostile) in squash(text)
    assert "root:" not in text


def test_an_overlong_translation_fails_naming_the_message(campaign, locales):
    edit_entry(
        locales / "ja/LC_MESSAGES/messages.po", "help_tell", msgstr="とても長い文章です。" * 120
    )
    material = localize(campaign, "ja", "students", locales)
    with pytest.raises(KitError) as err:
        render_poster(material, None, PosterOptions())
    message = str(err.value)
    assert "locale ja" in message and "help_tell" in message and "too long" in message
    assert re.search(r"\d+% too long", message) and "9 pt floor" in message


def test_an_overflow_names_the_messages_of_the_panel_that_overflowed(campaign, locales):
    long = "やりとりの画面を証拠に残し、警察に相談しましょう。" * 40
    edit_entry(locales / "ja/LC_MESSAGES/messages.po", "adults_act", msgstr=long)
    material = localize(campaign, "ja", "guardians", locales)
    with pytest.raises(KitError) as err:
        render_poster(material, None, PosterOptions())
    data = poster_data(material, None, PosterOptions(), None)
    columns = [ids_in(asdict(c)) for c in data.columns]
    where = next(i for i, ids in enumerate(columns) if "adults_act" in ids)
    message = str(err.value)
    assert f"the column {where + 1} text does not fit" in message
    # Its own messages, in order: not the header's lead, nor another column's.
    listed = re.search(r"\(messages ([^;]+);", message)
    assert listed is not None
    assert listed[1].split(", ") == columns[where]
    assert "the longest message is 'adults_act'" in message and err.value.msgid == "adults_act"


def test_a_word_too_wide_for_its_column_is_named(campaign, locales):
    edit_entry(locales / "es/LC_MESSAGES/messages.po", "help_tell", msgstr="Cuéntaselo " + "a" * 90)
    material = localize(campaign, "es", "students", locales, drafts=True)
    with pytest.raises(KitError) as err:
        render_poster(material, None, PosterOptions(draft=True))
    assert "a word or phrase of 'help_tell' is wider than the column" in str(err.value)
    assert err.value.msgid == "help_tell" and "too long" in str(err.value)


def ids_in(node) -> list[str]:
    """The message ids of a poster data node, in the order they are printed."""
    if isinstance(node, dict):
        return [node["id"]] if "runs" in node else [i for v in node.values() for i in ids_in(v)]
    return [i for v in node for i in ids_in(v)] if isinstance(node, list) else []


def test_a_missing_glyph_fails_naming_the_characters(campaign, locales):
    edit_entry(locales / "ja/LC_MESSAGES/messages.po", "help_tell", msgstr="大人に相談する 🙂 ऄ")
    material = localize(campaign, "ja", "students", locales)
    with pytest.raises(KitError) as err:
        render_poster(material, None, PosterOptions())
    message = str(err.value)
    assert "locale ja" in message and "'help_tell'" in message
    assert "U+1F642" in message and "U+0904" in message


def test_incomplete_catalog_is_refused_unless_draft(campaign, locales):
    edit_entry(locales / "ja/LC_MESSAGES/messages.po", "help_tell", fuzzy=True)
    material = localize(campaign, "ja", "students", locales)
    with pytest.raises(KitError, match=r"help_tell \(fuzzy\).*--draft"):
        render_poster(material, None, PosterOptions())
    text = pdf_text(render_poster(material, None, PosterOptions(draft=True)))
    assert "下書き（未確認）" in squash(text)


def test_bilingual_poster_has_both_languages_each_tagged(campaign):
    ja = localize(campaign, "ja", "guardians", LOCALES)
    en = localize(campaign, "en", "guardians", LOCALES)
    data = render_poster(ja, en, PosterOptions(size="a3"))
    text = squash(pdf_text(data))
    for block_id in ("heading_adults", "adults_listen", "fig_never_met"):
        for m in (ja, en):
            assert squash(next(b.text for b in m.blocks() if b.id == block_id)) in text
    # The document is Japanese; each run is a structure element with its /Lang.
    reader = pypdf.PdfReader(io.BytesIO(data))
    root = cast(DictionaryObject, reader.trailer["/Root"])
    assert cast(TextStringObject, root["/Lang"]) == "ja"
    langs = set()

    def walk(node):
        node = node.get_object()
        if isinstance(node, pypdf.generic.DictionaryObject):
            if "/Lang" in node and node.get("/Type") == "/StructElem":
                langs.add(str(node["/Lang"]))
            if "/K" in node:
                walk(node["/K"])
        elif isinstance(node, pypdf.generic.ArrayObject):
            for kid in node:
                walk(kid)

    walk(root["/StructTreeRoot"])
    assert langs == {"ja", "en"}  # every run an element in its language


def test_organisation_footer_logo_and_qr(campaign):
    profile = load_profile(example_profile_path())
    material = localize(campaign, "en", "students", LOCALES)
    data = render_poster(material, None, PosterOptions(), profile)
    text = squash(pdf_text(data))
    assert squash(profile.name) in text and squash(profile.contacts[0]) in text
    assert "Translationkit" not in text  # the source language credits no translator
    ja = localize(campaign, "ja", "students", LOCALES)
    ja_poster = render_poster(ja, None, PosterOptions(), profile)
    assert "翻訳kit" in squash(pdf_text(ja_poster))
    # The QR code's alt text is the poster's own language (label_qr); the address is beside it.
    assert profile.logo is not None
    assert struct_alts(data) == [
        ("/Figure", profile.logo.alt),
        ("/Figure", "QR code for the web address printed beside it"),
    ]
    assert struct_alts(ja_poster)[1] == ("/Figure", "横に印刷されたウェブアドレスのQRコード")


def test_bleed_sets_trim_and_bleed_boxes_with_crop_marks_on_a_white_slug(campaign):
    import pymupdf

    material = localize(campaign, "en", "students", LOCALES)
    data = render_poster(material, None, PosterOptions(size="a4", bleed=3))
    page = pypdf.PdfReader(io.BytesIO(data)).pages[0]

    def size(box):
        return round(float(box.width) / MM, 1), round(float(box.height) / MM, 1)

    assert size(page.trimbox) == (210, 297) and size(page.bleedbox) == (216, 303)
    assert size(page.mediabox) > size(page.bleedbox)  # the slug, for the crop marks
    # Every crop mark lies outside the bleed, where nothing but white paper is under it.
    doc = pymupdf.open(stream=data, filetype="pdf")
    bleed, trim = doc[0].bleedbox, doc[0].trimbox

    def touch(a, b):  # closed boxes: a line has no area, and still touches
        return a.x0 <= b.x1 and b.x0 <= a.x1 and a.y0 <= b.y1 and b.y0 <= a.y1

    strokes = [
        d["rect"] for d in doc[0].get_drawings() if d["type"] == "s" and not touch(d["rect"], trim)
    ]
    assert len(strokes) == 8
    assert not any(touch(r, bleed) for r in strokes)
    fills = [d["rect"] for d in doc[0].get_drawings() if d["fill"] and d["fill"] != (1, 1, 1)]
    assert not any(touch(f, r) for f in fills for r in strokes)
    # Without bleed the page is the trim size and has no marks.
    plain = pypdf.PdfReader(io.BytesIO(render_poster(material, None, PosterOptions(size="a4"))))
    assert size(plain.pages[0].mediabox) == (210, 297)


@pytest.mark.parametrize(
    ("locale", "size"),
    [
        ("en", "letter"),
        ("en_GB", "a4"),
        ("ja", "a4"),
        ("es_MX", "letter"),
        ("fr_CA", "letter"),
        ("de", "a4"),
    ],
)
def test_default_size_follows_the_region(locale, size):
    assert default_size(locale) == size


@pytest.mark.parametrize("locale", ["ja", "en", "ar"])
def test_a_fit_hint_gives_the_sizes_the_whole_fit_would(locale):
    """kit studio starts each redraw's fit from the sizes of the one before (issue 27):
    from the sizes the fit chose it stops at once with the same page; from a wrong hint it
    finds them as without one. `kit poster` gives no hint."""
    from dataclasses import replace

    from kit.render.poster import make_poster

    material = localize(load_campaign(), locale, "students", LOCALES, drafts=True)
    options = PosterOptions(size="a4", format="png", ppi=40, draft=True)
    cold = make_poster(material, None, options)
    assert cold.sizes and set(cold.sizes) == {"body", "headline"}
    warm = make_poster(material, None, replace(options, fit_hint=cold.sizes))
    assert warm.sizes == cold.sizes and warm.data == cold.data
    body, head = cold.sizes["body"], cold.sizes["headline"]
    for wrong in (
        {"body": body - 1, "headline": head - 2},  # fits, with room to spare
        {"body": body + 0.5, "headline": head + 1},  # does not fit
        {"body": 1.0, "headline": 200.0},  # outside the bounds
    ):
        assert make_poster(material, None, replace(options, fit_hint=wrong)).sizes == cold.sizes
    assert set(cold.shown) >= {"headline_students", "help_tell"}
