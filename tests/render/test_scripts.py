"""Every shipped language on a poster: no tofu, its own fonts, its own writing direction."""

from __future__ import annotations

import io
import itertools
import re
import subprocess
import unicodedata

import pypdf
import pytest

from kit.campaign import load_campaign
from kit.localize import localize
from kit.render import render_text
from kit.render.poster import PosterOptions, render_poster
from kit.render.poster.data import ChartView, Component, SectionView, Text
from kit.render.poster.phrases import text_run

from ..conftest import LOCALES, edit_entry, tool
from .layout_gate import typst_layout
from .test_poster import embedded_fonts, pdf_text, squash, visible_texts

DRAFTS = ["zh_Hans", "ko", "vi", "fil", "pt_BR", "ne", "id", "es", "th", "ar", "ja@easy"]
FONT_OF = {
    "zh_Hans": "NotoSansCJKsc",
    "ko": "NotoSansCJKkr",
    "ne": "NotoSansDevanagari",
    "th": "NotoSansThai",
    "ar": "NotoSansArabic",
    "ja@easy": "NotoSansCJKjp",
}


@pytest.fixture(scope="module")
def campaign():
    return load_campaign()


@pytest.fixture(scope="module")
def posters(campaign):
    """The students' A4 draft poster of every draft locale, made once."""
    out = {}
    for locale in DRAFTS:
        material = localize(campaign, locale, "students", LOCALES, drafts=True)
        out[locale] = (material, render_poster(material, None, PosterOptions(draft=True)))
    return out


@pytest.mark.parametrize("locale", DRAFTS)
def test_every_draft_locale_renders_in_its_own_fonts(posters, locale):
    # render_poster checks every character against the fonts first: reaching here means
    # no tofu. The draft mark is in the poster's own language.
    material, _ = posters[locale]
    assert all(b.lang == material.lang for b in material.blocks())  # drafts shown, not English
    with typst_layout():  # the fonts the outlines are drawn from, as Typst embedded them
        fonts = embedded_fonts(render_poster(material, None, PosterOptions(draft=True)))
    expected = FONT_OF.get(locale, "NotoSans-")
    assert any(expected in f for f in fonts), fonts
    if locale == "zh_Hans":  # Chinese glyph forms, never the Japanese font
        assert not any("CJKjp" in f for f in fonts)


@pytest.mark.parametrize("locale", ["zh_Hans", "ko", "vi", "fil", "pt_BR", "id", "es", "ja@easy"])
def test_every_message_is_in_the_pdf_text(posters, locale):
    material, pdf = posters[locale]
    # A compound broken at its hyphen repeats it on the next line in Portuguese (recuperá-/-la).
    text = squash(pdf_text(pdf)).replace("--", "-")
    for visible in visible_texts(material, PosterOptions(draft=True)):  # furigana: drawn only
        assert squash(visible) in text, visible


def _arabic_words(pdf: bytes, *mode: str) -> list[str]:
    text = subprocess.run(
        [tool("pdftotext", "poppler-utils"), *mode, "-", "-"],
        input=pdf,
        capture_output=True,
        check=True,
    ).stdout.decode("utf-8")
    return [w.strip("،.؟:()") for w in re.sub(r"[\u200e\u200f\u202a-\u202e]", "", text).split()]


def _in_order(words: list[str], start: int, expected: list[str], gap: int = 7) -> bool:
    at = start - 1
    for word in expected:
        window = words[at + 1 : at + 1 + gap]
        if word not in window:
            return False
        at += 1 + window.index(word)
    return True


def _plain(word: str) -> bool:
    # Typst maps a lam-alef ligature, or a word with harakat, back to text imperfectly
    # (the ligature reversed, marks reordered): plain words carry the checks.
    return not re.search("ل[اأإآىي]", word) and not any(
        unicodedata.category(c) == "Mn" for c in word
    )


def test_arabic_is_right_to_left_and_extracts_in_reading_order(posters):
    material, pdf = posters["ar"]
    assert material.dir == "rtl"
    words = _arabic_words(pdf)
    # The headline (the full width, above the columns) and one-line headings come out in
    # reading order, not mirrored: their plain words follow each other, in order, within a
    # few tokens (the fragments of a ligature or a word with harakat may stand between).
    for block_id in ("headline_students", "heading_help", "heading_advice"):
        block = next(b for b in material.blocks() if b.id == block_id)
        expected = [w.strip("،.؟") for w in block.text.split() if _plain(w)]
        assert len(expected) >= 2, block_id
        assert any(_in_order(words, start, expected) for start in range(len(words))), block_id
    # Every plain Arabic word of every message on the poster can be found.
    raw = set(_arabic_words(pdf, "-raw"))
    for visible in visible_texts(material, PosterOptions(draft=True)):
        for word in (w.strip("،.؟:()") for w in visible.split()):
            if _plain(word) and re.fullmatch("[\u0621-\u064a]+", word):
                assert word in raw, word


def test_arabic_layout_is_mirrored():
    from kit.render.poster import poster_data

    material = localize(load_campaign(), "ar", "students", LOCALES, drafts=True)
    data = poster_data(material, None, PosterOptions(draft=True), None)
    assert data.dir == "rtl"
    assert {
        r.dir for c in data.columns for comp in c.components for r in _first_text(comp).runs
    } == {"rtl"}


def _first_text(comp: Component) -> Text:
    """A component's own text: its block, a section's heading or a chart's title."""
    if isinstance(comp, SectionView):
        assert comp.heading is not None
        return comp.heading
    if isinstance(comp, ChartView):
        return comp.title
    return comp.block


def test_korean_breaks_between_words_only():
    from kit.material import Block

    run = text_run(Block("x", "item", "사진을 보내지 마세요", "ko", "ltr", "npa"))
    assert run.phrases == ["사진을", "보내지", "마세요"] and run.joiner == " "


def test_japanese_breaks_between_phrases_never_before_punctuation():
    from kit.material import Block

    run = text_run(
        Block("x", "item", "下着姿や裸の写真は、撮らない・送らない。", "ja", "ltr", "npa")
    )
    assert run.phrases is not None
    assert "".join(run.phrases) == "下着姿や裸の写真は、撮らない・送らない。"
    assert not any(p[0] in "、。・" for p in run.phrases)


def test_japanese_lines_never_start_or_end_on_a_fragment():
    from kit.render.poster.phrases import _no_fragments, phrases

    # BudouX cuts kana words it does not know (う|そを): one letter never stands alone.
    assert phrases("ja", "うそをついているかもしれません。")[0] == "うそを"
    # A line may break after 、 even where BudouX keeps it inside a phrase.
    assert phrases("ja", "人に、はだかの写真を送らないでください。")[:2] == ["人に、", "はだかの"]
    # A paragraph's last line is never a fragment such as です。 or 人。 alone.
    assert _no_fragments("ja", ["うそを", "ついているの", "です。"]) == [
        "うそを",
        "ついているのです。",
    ]
    assert _no_fragments("zh-Hans", ["不要", "发给", "人。"]) == ["不要", "发给人。"]
    assert _no_fragments("th", ["ไม่", "ส่ง"]) == ["ไม่", "ส่ง"]


def test_easy_japanese_has_furigana_on_the_poster_and_in_html(posters):
    material, pdf = posters["ja@easy"]
    headline = next(b for b in material.blocks() if b.id == "headline_students")
    assert ("写真", "しゃしん") in headline.ruby and "《" not in headline.text
    assert "しゃしん" not in squash(pdf_text(pdf))  # the text copies without its readings
    with typst_layout():  # which are printed: drawn where Typst set them (test_textlayer)
        typst = render_poster(material, None, PosterOptions(draft=True))
    assert "しゃしん" in squash(pdf_text(typst))
    html = render_text(material, "html")
    assert "<ruby>写真<rp>（</rp><rt>しゃしん</rt><rp>）</rp></ruby>" in html


def test_furigana_never_splits_a_word_from_its_okurigana(campaign):
    material = localize(campaign, "ja@easy", "students", LOCALES, drafts=True)
    headline = next(b for b in material.blocks() if b.id == "headline_students")
    run = text_run(headline)
    assert run.ruby is not None
    phrases = ["".join(u.base for u in p) for p in run.ruby]
    assert "".join(phrases) == headline.text
    assert not any(p.startswith(("らない", "り合", "に、")) for p in phrases), phrases


def test_draft_status_is_impossible_to_miss(kit, tmp_path):
    result = kit("locales", "--format", "json")
    status = {d["locale"]: d["status"] for d in __import__("json").loads(result.stdout)}
    assert all(status[loc] == "draft" for loc in DRAFTS)
    out = tmp_path / "vi.pdf"
    refused = kit("poster", "-l", "vi", "-o", str(out))
    assert refused.exit_code == 1 and "--draft" in refused.stderr and not out.exists()
    assert kit("poster", "-l", "vi", "--draft", "-o", str(out)).exit_code == 0
    reader = pypdf.PdfReader(io.BytesIO(out.read_bytes()))
    assert "BẢNNHÁP" in squash(reader.pages[0].extract_text()).upper()


def test_a_reading_may_reach_over_plain_kana_beside_it_only():
    from kit.material import Block

    ruby = (
        ("写真", "しゃしん"),
        ("を", None),
        ("撮", "と"),
        ("って", None),
        ("先生", "せんせい"),
        ("家族", "かぞく"),
        ("に", None),
    )
    run = text_run(Block("x", "item", "写真を撮って先生家族に", "ja", "ltr", "npa", ruby=ruby))
    assert run.ruby is not None
    overhangs = {u.base: u.overhang for p in run.ruby for u in p if u.reading}
    # Over を, って and に (plain kana, across phrases too), never over another word's
    # reading (先生|家族), nor past the start of the text.
    assert overhangs == {
        "写真": (False, True),
        "撮": (True, True),
        "先生": (True, False),
        "家族": (False, True),
    }


def test_furigana_lines_are_evenly_spaced_and_kana_move_under_a_long_reading(locales):
    from .layout_gate import lines, read_page

    text = (
        "｜写真《しゃしん》をおくらないでください。"
        + "どんなときも、だれにもおくらないでください。" * 4
    )
    edit_entry(locales / "ja@easy/LC_MESSAGES/messages.po", "help_tell", msgstr=text)
    material = localize(load_campaign(), "ja@easy", "students", locales, drafts=True)
    with typst_layout():
        page = read_page(render_poster(material, None, PosterOptions(size="a3", draft=True)))
    found = lines(page.glyphs)
    start = next(i for i, ln in enumerate(found) if "写真をおくらない" in ln.text)
    plain = text.replace("｜", "").replace("《しゃしん》", "")
    item, read = [], ""  # the item's lines, one under the other
    for ln in found[start:]:
        if abs(ln.x0 - found[start].x0) < 7 and plain.startswith(read + ln.text):
            item.append(ln)
            read += ln.text
    assert read == plain and len(item) >= 3
    # The first line carries a reading, the others none: all the same distance apart.
    pitches = [b.y - a.y for a, b in itertools.pairwise(item)]
    assert max(pitches) - min(pitches) < 0.2, pitches  # baselines are read to 0.1 pt
    # しゃしん is wider than 写真: を moves under it instead of leaving a gap.
    glyphs = sorted((g for g in item[0].glyphs if g.char in "真を"), key=lambda g: g.x)
    assert [g.char for g in glyphs] == ["真", "を"] and glyphs[1].x0 - glyphs[0].x1 < 0.1
