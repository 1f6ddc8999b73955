"""The command line as a user meets it: output, exit codes, one-line errors."""

from __future__ import annotations

import json

import pytest

from kit import __version__
from kit.campaign import load_campaign

from ..conftest import edit_entry


def test_version(kit):
    result = kit("--version")
    assert result.exit_code == 0 and __version__ in result.output


@pytest.mark.parametrize(
    "command", [[], ["text"], ["locales"], ["catalog"], ["catalog", "extract"], ["catalog", "init"]]
)
def test_every_command_has_help_with_an_example(kit, command):
    result = kit(*command, "--help")
    assert result.exit_code == 0
    assert "Example" in result.output


def test_text_ja_prints_japanese_with_figures_and_source(kit):
    result = kit("text", "--locale", "ja")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "撮らない・送らない" in out and "263人" in out and "85.9%" in out
    assert "出典：警察庁" in out and "https://mainichi.jp/" in out
    assert result.stderr == ""


def test_text_json_is_the_material_with_every_message(kit):
    result = kit("text", "--locale", "en", "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    campaign = load_campaign()
    ids = {b["id"] for s in data["sections"] for b in s["blocks"]}
    ids |= {s["heading"]["id"] for s in data["sections"] if s["heading"]}
    ids.add(data["source"]["id"])
    ids |= set(data["labels"])
    expected = {m.id for m in campaign.messages if "students" in m.audience}
    assert ids == expected
    assert data["complete"] is True and data["lang"] == "en"
    assert data["facts"]["never_met"] == "85.9%"


def test_text_html_is_a_standalone_accessible_page(kit):
    html = kit("text", "--locale", "ja", "--format", "html", "--audience", "guardians").stdout
    assert html.startswith("<!DOCTYPE html>")
    assert '<html lang="ja" dir="ltr">' in html
    assert "<title>子どもたちを「自画撮り被害」から守りましょう</title>" in html
    assert html.count("<h1") == 1 and "<h2" in html and "<ol>" in html
    assert '<a href="https://mainichi.jp/' in html


def test_markup_in_a_translation_is_shown_literally(kit, locales):
    po = locales / "ja/LC_MESSAGES/messages.po"
    edit_entry(
        po,
        "help_tell",
        msgstr='<script>alert(document.cookie)</script> *太字* [リンク](http://x) #eval("x")',
    )
    html = kit("text", "-l", "ja", "--format", "html", "--locales", str(locales)).stdout
    assert "<script>" not in html and "&lt;script&gt;alert(document.cookie)&lt;/script&gt;" in html
    md = kit("text", "-l", "ja", "--format", "markdown", "--locales", str(locales)).stdout
    assert r"\<script\>" in md and r"\*太字\*" in md and r"\[リンク\](http://x)" in md


def test_english_stands_in_for_a_missing_translation_only_when_asked(kit, locales):
    edit_entry(locales / "ja/LC_MESSAGES/messages.po", "help_tell", msgstr="")
    total = len(load_campaign().messages)
    for flags in ([], ["--draft"]):
        result = kit("text", "-l", "ja", "--format", "json", "--locales", str(locales), *flags)
        assert_one_line_error(
            result,
            f"ja: 1 of {total} messages has no translation",
            "--fallback en prints it in English",
            "`kit catalog check ja` lists it",
        )
        assert result.stdout == ""
    result = kit(
        "text",
        "-l",
        "ja",
        "--format",
        "json",
        "--locales",
        str(locales),
        "--draft",
        "--fallback",
        "en",
    )
    assert result.exit_code == 0
    assert result.stderr == "warning: ja: marked DRAFT: 1 shown in English\n"
    data = json.loads(result.stdout)
    assert data["complete"] is False and data["draft"] is True
    assert data["missing"] == [{"id": "help_tell", "reason": "untranslated"}]
    block = next(b for s in data["sections"] for b in s["blocks"] if b["id"] == "help_tell")
    assert (block["lang"], block["translated"], block["draft"]) == ("en", False, False)
    html = kit(
        "text",
        "-l",
        "ja",
        "--format",
        "html",
        "--locales",
        str(locales),
        "--draft",
        "--fallback",
        "en",
    ).stdout
    assert '<li class="fallback" lang="en" dir="ltr">Tell an adult you trust' in html
    assert html.count('<p class="draft-banner" role="note">下書き（未確認）</p>') == 2


def test_only_the_source_language_can_stand_in(kit):
    result = kit("text", "-l", "ja", "--draft", "--fallback", "ko")
    assert result.exit_code == 2 and "only the campaign's source language (en)" in result.output


def test_output_file_is_written(kit, tmp_path):
    out = tmp_path / "sub" / "ja.md"
    result = kit("text", "-l", "ja", "--format", "markdown", "--output", str(out))
    assert result.exit_code == 0 and out.read_text("utf-8").startswith("# ")
    assert f"wrote {out}" in result.stderr


def test_locales_table_and_json(kit):
    table = kit("locales").stdout
    ja = next(line for line in table.splitlines() if line.startswith("ja "))
    assert "日本語 (Japanese)" in ja and "100 %" in ja and "  complete  " in ja
    assert ja.endswith("not yet by a native speaker")  # the review column, last
    data = json.loads(kit("locales", "--format", "json").stdout)
    status = {d["locale"]: d["status"] for d in data}
    assert status["en"] == status["ja"] == "complete"
    assert all(s in ("complete", "draft") for s in status.values())


def test_locales_counts_fuzzy_and_untranslated(kit, locales):
    po = locales / "ja/LC_MESSAGES/messages.po"
    edit_entry(po, "help_tell", fuzzy=True)
    edit_entry(po, "help_block", msgstr="")
    ja = next(
        d
        for d in json.loads(kit("locales", "--format", "json", "--locales", str(locales)).stdout)
        if d["locale"] == "ja"
    )
    assert (ja["fuzzy"], ja["untranslated"], ja["status"]) == (1, 1, "incomplete")


def assert_one_line_error(result, *fragments):
    assert result.exit_code == 1, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.output
    for fragment in fragments:
        assert fragment in lines[0]


def test_unknown_locale(kit, tmp_path):
    out = tmp_path / "x.txt"
    result = kit("text", "--locale", "xx", "--output", str(out))
    assert_one_line_error(result, "no catalog for locale 'xx'", "available: ", "en, ", "ja")
    assert not out.exists()


def test_po_that_does_not_parse(kit, locales, tmp_path):
    po = locales / "ja/LC_MESSAGES/messages.po"
    lines = po.read_text("utf-8").splitlines()
    lines.insert(30, "this line is not PO")
    po.write_text("\n".join(lines) + "\n", "utf-8")
    out = tmp_path / "x.txt"
    result = kit("text", "-l", "ja", "--locales", str(locales), "--output", str(out))
    assert_one_line_error(result, f"{po}:31:", "does not parse")
    assert not out.exists()


def test_po_with_a_duplicate_message(kit, locales):
    po = locales / "ja/LC_MESSAGES/messages.po"
    text = po.read_text("utf-8")
    po.write_text(
        text
        + '\nmsgctxt "help_tell"\nmsgid "x"\nmsgstr "y"\n'
        + '\nmsgctxt "help_tell"\nmsgid "x"\nmsgstr "z"\n',
        "utf-8",
    )
    assert_one_line_error(
        kit("text", "-l", "ja", "--locales", str(locales)), str(po), "appears twice"
    )


def test_campaign_error_through_the_cli(kit, campaign_file):
    campaign_file.write_text(
        campaign_file.read_text("utf-8").replace("value = 594\n", "value = -594\n"), "utf-8"
    )
    result = kit("text", "--campaign", str(campaign_file))
    assert_one_line_error(result, str(campaign_file), "fact 'cp_victims_total'", "whole number")


def test_bad_arguments_exit_2(kit):
    assert kit("text", "--format", "pdf").exit_code == 2
    assert kit("catalog", "init", "../evil").exit_code == 2


def test_catalog_extract_check_and_init(kit, locales):
    assert kit("catalog", "extract", "--check", "--locales", str(locales)).exit_code == 0
    pot = locales / "messages.pot"
    text = pot.read_text("utf-8")
    assert "take or send nude photos" in text
    pot.write_text(text.replace("take or send nude photos", "take or send photos"), "utf-8")
    assert_one_line_error(
        kit("catalog", "extract", "--check", "--locales", str(locales)), "out of date"
    )
    assert kit("catalog", "extract", "--locales", str(locales)).exit_code == 0
    assert kit("catalog", "extract", "--check", "--locales", str(locales)).exit_code == 0

    fresh = locales.parent / "fresh"
    fresh.mkdir()
    (fresh / "messages.pot").write_bytes(pot.read_bytes())
    result = kit("catalog", "init", "ar", "--locales", str(fresh))
    assert result.exit_code == 0, result.output
    created = (fresh / "ar/LC_MESSAGES/messages.po").read_text("utf-8")
    assert '"Plural-Forms: nplurals=6;' in created and '"Language: ar\\n"' in created
    assert_one_line_error(kit("catalog", "init", "ar", "--locales", str(fresh)), "already exists")
