"""The content as schools get it, in every locale: every number a fact of record, the NPA and
the period named, drafts unmistakable, the one rule for what prints, and a figure typed into a
translation refused by every command."""

from __future__ import annotations

import html
import json
import re
import unicodedata
from decimal import Decimal

import polib
import pytest

from kit.campaign import load_campaign
from kit.locales import available_locales, resolve_locale
from kit.localize import localize, with_date_readings
from kit.printable import Readiness, printable, readiness, refusal
from kit.render import render_text
from kit.render.poster import PosterOptions, render_poster

from ..cli.test_cli import assert_one_line_error
from ..conftest import LOCALES, SHIPPED_LOCALES, edit_entry

CAMPAIGN = load_campaign()
LOCALE_NAMES = available_locales(LOCALES, CAMPAIGN)
REVIEWED = {"en", "ja"}
FORMATS = ("plain", "markdown", "html")

# The agency as each locale names it in the source line.
NPA = {
    "en": "National Police Agency of Japan",
    "ja": "警察庁",
    "ja@easy": "警察庁",
    "es": "Agencia Nacional de Policía de Japón",
    "pt_BR": "Agência Nacional de Polícia do Japão",
    "fil": "National Police Agency ng Japan",
    "id": "Badan Kepolisian Nasional Jepang",
    "ne": "जापानको राष्ट्रिय प्रहरी एजेन्सी",
    "th": "สำนักงานตำรวจแห่งชาติญี่ปุ่น",
    "ar": "وكالة الشرطة الوطنية اليابانية",
    "ko": "일본 경찰청",
    "zh_Hans": "日本警察厅",
    "vi": "Cơ quan Cảnh sát Quốc gia Nhật Bản",
}


def test_the_table_covers_every_shipped_locale():
    assert set(NPA) == set(LOCALE_NAMES)


def facts_of_record() -> set[Decimal]:
    """Every number the campaign's facts give: figures as reported, dates by their parts."""
    out: set[Decimal] = set()
    for fact in CAMPAIGN.facts.values():
        if fact.kind in ("count", "percent", "change"):
            out.add(Decimal(str(fact.value)))
        else:
            for day in fact.value if fact.kind == "period" else (fact.value,):
                out.update(Decimal(part) for part in (day.year, day.month, day.day))
    return out


_NUMBER = re.compile(r"\d+(?:[.,\u066b]\d+)?")


def numbers(text: str) -> list[Decimal]:
    """The numbers in a text, in any script's digits (Arabic-Indic, Devanagari, Thai,
    fullwidth...), with a decimal comma or point."""
    ascii_digits = "".join(
        str(unicodedata.decimal(c)) if unicodedata.decimal(c, None) is not None else c for c in text
    )
    return [
        Decimal(n.replace(",", ".").replace("\u066b", ".")) for n in _NUMBER.findall(ascii_digits)
    ]


def test_numbers_are_read_in_every_script():
    assert numbers("٨٥٫٩٪ and ८६ and ๒๖๓ and ２０１７年 and 44,3%") == [
        Decimal("85.9"),
        Decimal(86),
        Decimal(263),
        Decimal(2017),
        Decimal("44.3"),
    ]


def readable(text: str, fmt: str) -> str:
    """What a reader reads in an output: no addresses, no list numbering, no markup."""
    if fmt == "html":
        text = re.sub(r"<style>.*?</style>", " ", text, flags=re.DOTALL)
        text = html.unescape(re.sub(r"<[^>]+>", " ", text))
    text = re.sub(r"https?://\S+", " ", text)
    # The numbering of numbered lists (1. in text, 1 before an item on a poster; read back
    # from a right-to-left poster, the badge's number runs into the item's first letter).
    return re.sub(r"^\s*[1-9](?:\.|\s|(?=[^\W\d_]))\s*", " ", text, flags=re.MULTILINE)


def without_readings(text: str) -> str:
    """Japanese text without the furigana kit adds after words: 年（ねん） -> 年."""
    return re.sub(r"（[\u3041-\u309f]+）", "", text)


def material_for(locale: str, audience: str):
    return localize(CAMPAIGN, locale, audience, LOCALES, drafts=locale not in REVIEWED)


@pytest.mark.parametrize("audience", list(CAMPAIGN.audiences))
@pytest.mark.parametrize("locale", LOCALE_NAMES)
def test_every_text_output_has_only_facts_of_record_and_names_its_source(locale, audience):
    material = material_for(locale, audience)
    period = material.facts["period"]
    record = facts_of_record()
    for fmt in FORMATS:
        out = render_text(material, fmt)
        found = numbers(readable(out, fmt))
        assert found and set(found) <= record, (fmt, sorted(set(found) - record))
        for fid in ("selfie_victims", "never_met", "selfie_victims_change"):
            assert numbers(material.facts[fid])[0] in found
        shown = re.sub(r"\\(.)", r"\1", out) if fmt == "markdown" else out  # md escapes
        shown = without_readings(html.unescape(re.sub(r"<r[pt]>.*?</r[pt]>|<[^>]+>", "", shown)))
        assert NPA[locale] in shown and period in shown, fmt
        assert CAMPAIGN.citations["npa-web"].url in out and material.source_url in out


@pytest.fixture(scope="module")
def posters(tmp_path_factory):
    """Each locale's A4 poster for each audience, drafts marked, as Chrome and Edge read it
    (PDFium), bidi marks dropped: made once, about 10 s."""
    import pypdfium2

    folder = tmp_path_factory.mktemp("posters")
    out = {}
    for locale in LOCALE_NAMES:
        for audience in CAMPAIGN.audiences:
            material = material_for(locale, audience)
            pdf = folder / f"{locale}-{audience}.pdf"
            pdf.write_bytes(
                render_poster(material, None, PosterOptions(draft=not material.complete))
            )
            doc = pypdfium2.PdfDocument(pdf.read_bytes())
            text = doc[0].get_textpage().get_text_range()
            doc.close()
            out[locale, audience] = (
                material,
                "".join(c for c in text if unicodedata.category(c) != "Cf"),
            )
    return out


@pytest.mark.parametrize("audience", list(CAMPAIGN.audiences))
@pytest.mark.parametrize("locale", LOCALE_NAMES)
def test_every_poster_has_only_facts_of_record_and_names_its_source(posters, locale, audience):
    material, text = posters[locale, audience]
    record = facts_of_record()
    found = numbers(readable(text, "pdf"))
    assert set(found) <= record, sorted(set(found) - record)
    for fid in ("selfie_victims", "never_met", "selfie_junior_high", "selfie_high_school"):
        assert numbers(material.facts[fid])[0] in found, fid
    flat = re.sub(r"\s+", "", text)
    assert re.sub(r"\s+", "", NPA[locale]) in flat
    # Both citations' addresses: the source's in the footer, the web page's under the
    # note that cites it (broken after a slash where the column is narrow, and a reader may
    # read the pieces apart).
    for url in (material.source_url, CAMPAIGN.citations["npa-web"].url):
        assert all(piece in flat for piece in re.split(r"(?<=/)(?=[^/])", url)), url
    period = material.facts["period"]
    if material.dir == "rtl":  # neutral marks (the comma after the year) move in a bidi line
        assert all(word in flat for word in period.split())
    else:
        # Furigana print beside their words, so a reading may sit between a date's parts.
        kana = "[\u3041-\u309f]*" if material.locale == "ja@easy" else ""
        assert re.search(kana.join(re.escape(c) for c in re.sub(r"\s+", "", period)), flat)


# ---- drafts: unmistakable in every format ----------------------------------------------------

DRAFT_LOCALES = [loc for loc in LOCALE_NAMES if loc not in REVIEWED]


@pytest.mark.parametrize("locale", DRAFT_LOCALES)
def test_a_draft_opens_with_its_own_draft_label_in_every_format(locale):
    material = localize(CAMPAIGN, locale, "guardians", LOCALES, drafts=True)
    label = material.labels["label_draft"]
    assert label.lang == material.lang and label.draft  # the locale's own words
    plain = render_text(material, "plain")
    assert without_readings(plain).startswith(f"=== {label.text} ===\n")
    assert without_readings(render_text(material, "markdown")).startswith(f"> **{label.text}**\n")
    page = render_text(material, "html")
    banner = page.split("<body>\n<main>\n", 1)[1].split("\n", 1)[0]  # first, in a landmark
    assert banner.startswith('<p class="draft-banner" role="note">')
    assert without_readings(re.sub(r"<r[pt]>.*?</r[pt]>|<[^>]+>", "", banner)) == label.text
    blocks = re.findall(r"<(?:h1|h2|p|li)\b[^>]*>", page.split("<main>", 1)[1])
    drafts = [b for b in blocks if 'class="draft"' in b or 'class="note draft"' in b]
    assert len(drafts) == len(material.blocks())  # headings, notes, items and the source line
    assert page.count('<mark class="draft-mark">') == len(drafts)


def test_json_says_a_draft_is_a_draft(kit):
    data = json.loads(kit("text", "-l", "vi", "--draft", "--format", "json").stdout)
    blocks = [b for s in data["sections"] for b in s["blocks"]] + [data["source"]]
    assert data["draft"] is True and data["complete"] is False
    assert all(b["translated"] is False and b["draft"] is True for b in blocks)
    reviewed = json.loads(kit("text", "-l", "ja", "--format", "json").stdout)
    assert reviewed["draft"] is False
    assert all(
        b["translated"] and not b["draft"] for s in reviewed["sections"] for b in s["blocks"]
    )


def test_a_reviewed_text_carries_no_draft_mark(kit):
    for fmt in FORMATS:
        out = kit("text", "-l", "ja", "--format", fmt).stdout
        assert "下書き" not in out and "draft" not in out.lower()


# ---- one rule for every command ---------------------------------------------------------------


def test_a_locale_awaiting_review_is_refused_in_one_line(kit, tmp_path):
    total = len(CAMPAIGN.messages)
    sentence = (
        f"ar: {total} of {total} messages await review; --draft prints them marked DRAFT; "
        "`kit catalog check ar` lists them"
    )
    result = kit("text", "--locale", "ar")
    assert_one_line_error(result, sentence)
    assert result.stdout == ""
    out = tmp_path / "ar.pdf"
    assert_one_line_error(kit("poster", "--locale", "ar", "-o", str(out)), sentence)
    assert_one_line_error(
        kit("poster", "--locale", "en", "--second-locale", "ar", "-o", str(out)), sentence
    )
    assert not out.exists()


def test_build_decides_every_locale_before_writing_and_groups_the_refusal(kit, tmp_path):
    out = tmp_path / "dist"
    result = kit(
        "build",
        "--output",
        str(out),
        "--locale",
        "en,th,ar,ja",
        "--sizes",
        "a4",
        "--formats",
        "pdf",
    )
    total = len(CAMPAIGN.messages)
    assert_one_line_error(
        result,
        f"th, ar: {total} of {total} messages await review",
        "`kit catalog check th ar` lists them",
    )
    assert len(result.stderr) < 200 and not out.exists()


def test_readiness_counts_fuzzy_and_missing_messages(locales):
    edit_entry(locales / "ja/LC_MESSAGES/messages.po", "help_tell", msgstr="")
    edit_entry(locales / "ja/LC_MESSAGES/messages.po", "help_stop", fuzzy=True)
    total = len(CAMPAIGN.messages)
    state = readiness(CAMPAIGN, "ja", locales)
    assert state == Readiness("ja", total, 1, 1)
    assert state.refused(draft=True, fallback=False) and not state.refused(
        draft=True, fallback=True
    )
    assert refusal([state], False, "en") == (
        f"ja: 1 of {total} messages awaits review and 1 has no translation; --draft --fallback en "
        "prints them marked DRAFT, the missing ones in English; `kit catalog check ja` lists them"
    )
    assert refusal([state], True, "en", can_fall_back=False) == (
        f"ja: 1 of {total} messages has no translation; each needs a translation first; "
        "`kit catalog check ja` lists it"
    )
    assert [
        m.locale for m in printable(CAMPAIGN, locales, ["ja-JP"], ["students"], True, True)
    ] == [resolve_locale("ja", LOCALE_NAMES)]


# ---- what the check calls an error never prints ------------------------------------------------


@pytest.mark.parametrize(
    ("locale", "typed", "draft"),
    [
        ("ja", "86%", []),
        ("ja", "８６％", []),  # fullwidth
        ("ar", "٨٦٫٩٪", ["--draft"]),  # Arabic-Indic digits
        ("ne", "८५.९%", ["--draft"]),  # Devanagari
        ("th", "๘๖%", ["--draft"]),  # Thai
    ],
)
def test_a_typed_figure_is_refused_by_text_naming_it_as_written(kit, locales, locale, typed, draft):
    po = locales / f"{locale}/LC_MESSAGES/messages.po"
    template = next(e for e in polib.pofile(str(po)) if e.msgctxt == "fig_never_met")
    edit_entry(po, "fig_never_met", msgstr=template.msgstr.replace("{share}", typed))
    result = kit("text", "-l", locale, "--locales", str(locales), *draft)
    assert_one_line_error(
        result,
        f"{po}:",
        "message 'fig_never_met'",
        f"locale {locale}",
        f"{typed!r} is typed in place of {{share}}",
    )
    assert result.stdout == ""


def test_a_typed_figure_is_refused_by_poster_and_build_before_writing(kit, locales, tmp_path):
    po = locales / "ja/LC_MESSAGES/messages.po"
    edit_entry(
        po,
        "fig_never_met",
        msgstr="被害にあった子どもの86%は、写真を送った相手と一度も会ったことがありませんでした。",
    )
    out = tmp_path / "poster.pdf"
    result = kit("poster", "-l", "ja", "--locales", str(locales), "-o", str(out))
    assert_one_line_error(result, "message 'fig_never_met'", "'86%' is typed in place of {share}")
    assert not out.exists()
    dist = tmp_path / "dist"
    result = kit(
        "build",
        "--output",
        str(dist),
        "--locale",
        "en,ja",
        "--sizes",
        "a4",
        "--formats",
        "pdf",
        "--locales",
        str(locales),
    )
    assert_one_line_error(result, "message 'fig_never_met'", "'86%' is typed in place of {share}")
    assert not dist.exists()


def test_a_figure_typed_beside_its_placeholder_is_refused_too(kit, locales):
    edit_entry(
        locales / "ja/LC_MESSAGES/messages.po",
        "fig_boys",
        msgstr_plural={0: "男子も{count}人（約4%）いました。"},
    )
    result = kit("text", "-l", "ja", "--locales", str(locales))
    assert_one_line_error(result, "message 'fig_boys'", "'4%' is typed outside the placeholders")


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("\x1b]8;;https://evil.example\x07信頼できる大人\x1b]8;;\x07に相談", "ESC, BEL"),
        ("信頼できる\x1b[2J大人に相談", "ESC"),
        ("信頼できる\x9b大人に相談", "CSI"),
    ],
)
def test_terminal_control_characters_are_refused(kit, locales, text, named):
    edit_entry(locales / "ja/LC_MESSAGES/messages.po", "help_tell", msgstr=text)
    result = kit("text", "-l", "ja", "--locales", str(locales))
    assert_one_line_error(result, "message 'help_tell'", f"control characters ({named})")
    assert "\x1b" not in result.output and "\x9b" not in result.output


def test_a_dropped_placeholder_is_refused(kit, locales):
    edit_entry(
        locales / "ja/LC_MESSAGES/messages.po",
        "fig_never_met",
        msgstr="被害にあった子どもの多くは、写真を送った相手と会ったことがありませんでした。",
    )
    result = kit("text", "-l", "ja", "--locales", str(locales))
    assert_one_line_error(result, "message 'fig_never_met'", "drops {share}")


def test_broken_furigana_is_refused(kit, locales):
    edit_entry(locales / "ja@easy/LC_MESSAGES/messages.po", "help_tell", msgstr="｜大人《おとな")
    result = kit("text", "-l", "ja@easy", "--draft", "--locales", str(locales))
    assert_one_line_error(result, "message 'help_tell'", "furigana")


# ---- the wording the issue asked for ---------------------------------------------------------


def test_the_english_source_says_same_period_and_screenshots_not_images():
    victims = CAMPAIGN.message("fig_victims")
    assert "on the same period a year earlier" in victims.text
    assert victims.plural is not None
    assert "on the same period a year earlier" in victims.plural
    act = CAMPAIGN.message("adults_act").text
    assert "screenshot the messages and the account" in act
    assert "never the images the child was made to send" in act


# adults_act in every locale, under the help section's attribution (common practice, not
# the NPA's advice); tests/stories/test_safety_wording.py holds its words in every language.
@pytest.mark.parametrize("locale", SHIPPED_LOCALES)
def test_adults_are_told_screenshots_of_messages_never_the_images_under_an_attribution(locale):
    material = material_for(locale, "guardians")
    adults = next(s for s in material.sections if s.id == "adults")
    act = next(b for b in adults.blocks if b.id == "adults_act")
    assert act.lang == material.lang  # the translation, not English
    notes = [b for b in adults.blocks if b.role == "note"]
    help_note = next(b for s in material.sections for b in s.blocks if b.id == "help_source")
    assert [n.id for n in notes] == ["adults_source"] and notes[0].text == help_note.text


def test_the_police_advice_cites_the_npa_web_page():
    material = localize(CAMPAIGN, "en", "students", LOCALES)
    advice = next(s for s in material.sections if s.id == "advice")
    note = next(b for b in advice.blocks if b.role == "note")
    assert note.url == CAMPAIGN.citations["npa-web"].url and note.provenance == "npa"


@pytest.mark.parametrize("locale", ["es", "pt_BR", "fil", "id", "ne", "th", "ar", "ja@easy"])
def test_the_drafts_that_said_a_year_earlier_now_say_the_same_period(locale):
    text = next(b.text for b in material_for(locale, "students").blocks() if b.id == "fig_victims")
    same_period = {
        "es": "mismo periodo",
        "pt_BR": "igual período",
        "fil": "parehong panahon",
        "id": "periode yang sama",
        "ne": "सोही अवधि",
        "th": "ช่วงเดียวกัน",
        "ar": "الفترة نفسها",
        "ja@easy": "同じ時期",
    }
    assert same_period[locale] in text


def test_easy_japanese_dates_carry_furigana():
    assert with_date_readings("2017年9月22日") == "2017｜年《ねん》9｜月《がつ》22｜日《にち》"
    assert with_date_readings("9月1日と20日") == "9｜月《がつ》｜1日《ついたち》と｜20日《はつか》"
    easy = localize(CAMPAIGN, "ja@easy", "students", LOCALES, drafts=True)
    assert easy.source.ruby is not None
    readings = dict(easy.source.ruby)
    assert readings["年"] == "ねん" and readings["月"] == "がつ" and readings["日"] == "にち"
    assert "2017年1月～6月" in easy.source.text
    plain = localize(CAMPAIGN, "ja", "students", LOCALES)  # no furigana in standard Japanese
    assert plain.source.ruby is None


def test_a_poster_line_never_splits_a_figure_or_ends_on_an_opening_bracket():
    from kit.render.poster.phrases import phrases

    ja = phrases(
        "ja", "2017年1月～6月に、子どもは263人で、過去最多となりました（前年同期比+10%）。"
    )
    assert ja[0].startswith("2017年") and all(not p.endswith("（") for p in ja)
    th = phrases("th", "มากที่สุดเป็นประวัติการณ์ (+10% จากปีก่อน)")
    assert "(+10%" in th


def test_a_figure_typed_into_a_message_without_placeholders_is_refused_and_checked(
    kit, locales, tmp_path
):
    """advice_no_photos has no figure of its own: '86%' typed there is no fact of record."""
    po = locales / "ja/LC_MESSAGES/messages.po"
    edit_entry(
        po, "advice_no_photos", msgstr="86%の子が会ったことのない相手に送っています。送らないで。"
    )
    result = kit("text", "-l", "ja", "--locales", str(locales))
    assert_one_line_error(
        result, "message 'advice_no_photos'", "'86%' is typed outside the placeholders"
    )
    out = tmp_path / "p.pdf"
    assert_one_line_error(
        kit("poster", "-l", "ja", "--locales", str(locales), "-o", str(out)), "'86%' is typed"
    )
    assert not out.exists()
    check = kit("catalog", "check", "ja", "--locales", str(locales))
    assert check.exit_code == 1
    assert "error: typed-figure: [advice_no_photos] msgstr has '86%' typed outside" in check.stdout
