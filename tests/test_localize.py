"""(campaign, locale) -> Material: Babel formatting, gettext lookups, fallbacks."""

from __future__ import annotations

import pytest

from kit.campaign import load_campaign
from kit.errors import CatalogError, LocaleError
from kit.locales import resolve_locale
from kit.localize import fill, format_fact, localize

from .conftest import LOCALES, edit_entry


@pytest.fixture(scope="module")
def campaign():
    return load_campaign()


def texts(material):
    return {b.id: b.text for b in material.blocks()}


def test_japanese_figures_are_formatted_by_babel(campaign):
    m = localize(campaign, "ja", "guardians", LOCALES)
    t = texts(m)
    assert m.lang == "ja" and m.dir == "ltr" and m.complete
    assert "2017年1月～6月" in t["fig_victims"] and "263人" in t["fig_victims"]
    assert "+10%" in t["fig_victims"]
    assert "85.9%" in t["fig_never_met"] and "91.6%" in t["fig_social_media"]
    assert "594人" in t["fig_share"] and "44.3%" in t["fig_share"]
    assert t["fig_junior_high"] == "中学生 139人"
    assert "2017年9月22日" in t["source_line"] and "警察庁" in t["source_line"]


def test_english_uses_the_plural_form_and_cldr_period(campaign):
    t = texts(localize(campaign, "en", "students", LOCALES))
    assert "263 children were made" in t["fig_victims"]
    assert "10 of the victims were boys" in t["fig_boys"]
    assert "January\u2009–\u2009June 2017" in t["fig_victims"]
    assert "September 22, 2017" in t["source_line"]


@pytest.mark.parametrize(
    ("locale", "fact", "expected"),
    [
        ("en", "cp_victims_total", "594"),
        ("de", "never_met", "85,9\u00a0%"),
        ("fr", "selfie_victims_change", "+10\u00a0%"),
        ("ja", "period", "2017年1月～6月"),
        ("en", "period", "January\u2009–\u2009June 2017"),  # CLDR's thin spaces
    ],
)
def test_format_fact_follows_cldr_and_keeps_reported_decimals(campaign, locale, fact, expected):
    assert format_fact(campaign.facts[fact], locale).replace("\u202f", "\u00a0") == expected


def test_a_figure_is_never_rounded(campaign):
    # Babel's default percent pattern has no decimals; the kit must not show 86%.
    assert format_fact(campaign.facts["never_met"], "en") == "85.9%"
    assert format_fact(campaign.facts["in_relationship"], "ja") == "6.5%"


def test_students_lead_with_advice_guardians_with_figures(campaign):
    students = [s.id for s in localize(campaign, "ja", "students", LOCALES).sections]
    guardians = [s.id for s in localize(campaign, "ja", "guardians", LOCALES).sections]
    assert students[:2] == ["headline", "advice"]
    assert guardians[:2] == ["headline", "figures"] and "adults" in guardians
    assert "adults" not in students


@pytest.mark.parametrize("typed", ["ja", "ja-JP", "ja_JP", "JA", "ja-Jpan-JP"])
def test_locale_resolution(typed):
    assert resolve_locale(typed, ["en", "ja"]) == "ja"


@pytest.mark.parametrize("typed", ["ja@easy", "ja-x-easy", "ja_x_easy", "JA-X-EASY"])
def test_easy_japanese_by_either_name(typed):
    assert resolve_locale(typed, ["en", "ja", "ja@easy"]) == "ja@easy"


def test_unknown_locale_lists_available(campaign):
    with pytest.raises(LocaleError, match=r"no catalog for locale 'xx'; available: .*en, .*ja"):
        localize(campaign, "xx", "students", LOCALES)


@pytest.mark.parametrize(
    ("edit", "reason"),
    [
        ({"msgstr": ""}, "untranslated"),
        ({"fuzzy": True}, "fuzzy"),
    ],
)
def test_missing_translation_falls_back_to_english_and_marks_incomplete(
    campaign, locales, edit, reason
):
    edit_entry(locales / "ja/LC_MESSAGES/messages.po", "help_tell", **edit)
    m = localize(campaign, "ja", "students", locales)
    block = next(b for b in m.blocks() if b.id == "help_tell")
    assert block.text == campaign.message("help_tell").text
    assert (block.lang, block.translated) == ("en", False)
    assert not m.complete and [(x.id, x.reason) for x in m.missing] == [("help_tell", reason)]


def test_message_absent_from_catalog_falls_back(campaign, locales):
    po = locales / "ja/LC_MESSAGES/messages.po"
    po.write_text(
        po.read_text("utf-8").replace('msgctxt "help_block"', 'msgctxt "help_block_old"'), "utf-8"
    )
    m = localize(campaign, "ja", "students", locales)
    assert [(x.id, x.reason) for x in m.missing] == [("help_block", "absent")]


@pytest.mark.parametrize("bad", ["{count.__class__}", "{count!r}", "{count:>20}", "{0}", "{total}"])
def test_translator_placeholders_are_data_not_code(campaign, locales, bad):
    po = locales / "ja/LC_MESSAGES/messages.po"
    edit_entry(po, "fig_boys", msgstr_plural={0: f"男子は{bad}人"})
    with pytest.raises(CatalogError) as err:
        localize(campaign, "ja", "students", locales)
    assert str(err.value).startswith(f"{po}:") and "message 'fig_boys'" in str(err.value)
    assert err.value.line and err.value.line > 1


def test_fill_leaves_braces_that_are_escaped():
    assert fill("{{literal}} {n}", {"n": "3"}) == "{literal} 3"


def test_translator_credit_comes_from_the_catalog(campaign):
    assert localize(campaign, "ja", "students", LOCALES).translators == "kit"


def test_source_locale_needs_no_catalog(campaign, tmp_path):
    empty = tmp_path / "none"
    empty.mkdir()
    m = localize(campaign, "en", "students", empty)
    assert m.complete and m.title == campaign.message("headline_students").text
