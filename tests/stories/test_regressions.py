"""Defects found by a second read of the code, each pinned by the behaviour a user sees."""

from __future__ import annotations

import json

import polib

from kit.catalog.merge import merge
from kit.catalog.pofile import Catalog, load_po
from kit.render.text import md_escape

from ..catalog.test_sheets import read_csv, write_csv
from ..cli.test_cli import assert_one_line_error
from ..conftest import edit_entry, manifest

SMALL = ["--sizes", "a4", "--formats", "pdf", "--audiences", "students"]


def test_update_keeps_the_active_translation_over_an_obsolete_one_with_its_context(kit, locales):
    po = locales / "ja/LC_MESSAGES/messages.po"
    with po.open("a", encoding="utf-8") as f:
        f.write(
            '\n#~ msgctxt "headline_students"\n#~ msgid "Never send nude photos"\n'
            '#~ msgstr "古い見出し"\n'
        )
    assert kit("catalog", "update", "ja", "--locales", str(locales)).exit_code == 0
    entries = [e for e in load_po(po) if e.msgctxt == "headline_students"]
    active = next(e for e in entries if not e.obsolete)
    assert active.msgstr == "裸の写真は、撮らない・送らない。相手がだれでも" and not active.fuzzy
    assert any(e.obsolete and e.msgstr == "古い見出し" for e in entries)


def test_merge_prefers_active_entries_in_any_order():
    catalog = Catalog()
    catalog.metadata = {"Plural-Forms": "nplurals=1; plural=0;", "Language": "ja"}
    catalog.append(polib.POEntry(msgctxt="a", msgid="old", msgstr="古い", obsolete=True))
    catalog.append(polib.POEntry(msgctxt="a", msgid="new", msgstr="新しい"))
    template = Catalog()
    template.append(polib.POEntry(msgctxt="a", msgid="new"))
    merged, _ = merge(catalog, template)
    assert [(e.msgstr, e.obsolete) for e in merged] == [("新しい", False), ("古い", True)]


def test_a_sheet_without_the_fuzzy_column_leaves_drafts_drafts(kit, locales, tmp_path):
    sheet = tmp_path / "vi.csv"
    kit("catalog", "export", "vi", "--to", str(sheet), "--locales", str(locales))
    rows = [{k: v for k, v in r.items() if k != "fuzzy"} for r in read_csv(sheet)]
    write_csv(sheet, rows)
    assert (
        kit("catalog", "import", str(sheet), "--locale", "vi", "--locales", str(locales)).exit_code
        == 0
    )
    vi = next(
        d
        for d in json.loads(kit("locales", "--format", "json", "--locales", str(locales)).stdout)
        if d["locale"] == "vi"
    )
    assert vi["status"] == "draft"


def test_a_plural_missing_a_form_is_untranslated_not_english_labelled_spanish(kit, locales):
    po = locales / "es/LC_MESSAGES/messages.po"
    catalog = polib.pofile(str(po))
    entry = next(e for e in catalog if e.msgctxt == "fig_junior_high")
    entry.flags.remove("fuzzy")
    del entry.msgstr_plural[1]
    catalog.save(str(po))
    data = json.loads(
        kit(
            "text",
            "-l",
            "es",
            "-a",
            "guardians",
            "--format",
            "json",
            "--locales",
            str(locales),
            "--draft",
            "--fallback",
            "en",
        ).stdout
    )
    assert {"id": "fig_junior_high", "reason": "untranslated"} in data["missing"]


def test_check_works_on_pseudo_locales_and_unknown_languages(kit, locales, tmp_path):
    kit("catalog", "pseudo", "--locales", str(locales))
    result = kit("catalog", "check", "ar_XB", "en_XA", "--locales", str(locales))
    assert result.exit_code in (0, 1) and "Traceback" not in result.output
    odd = tmp_path / "xx.po"
    odd.write_text(
        'msgid ""\nmsgstr ""\n"Language: xx\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
        '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n',
        "utf-8",
    )
    assert kit("catalog", "check", str(odd)).exit_code == 0


def test_unwritable_catalog_folder_is_one_line(kit, locales):
    target = locales / "de"
    target.write_text("a file where the folder must go", "utf-8")
    assert_one_line_error(
        kit("catalog", "init", "de", "--locales", str(locales)), "cannot write the catalog"
    )


def test_build_reports_an_unwritable_output_and_builds_the_rest(kit, locales, tmp_path):
    out = tmp_path / "dist"
    (out / "kit").mkdir(parents=True)
    (out / "kit/en").write_text("in the way", "utf-8")
    result = kit(
        "build", "--output", str(out), "--locale", "ja,en", *SMALL, "--locales", str(locales)
    )
    assert result.exit_code == 3 and "Traceback" not in result.output
    assert "failed: kit/en/students/poster-a4.pdf: cannot write" in result.stderr
    assert (out / "kit/ja/students/poster-a4.pdf").is_file()


def test_a_corrupt_xlsx_is_one_line(kit, locales, tmp_path):
    sheet = tmp_path / "bad.xlsx"
    sheet.write_text("hello", "utf-8")
    assert_one_line_error(
        kit("catalog", "import", str(sheet), "--locale", "ja", "--locales", str(locales)),
        "cannot read the spreadsheet",
    )


def test_export_with_a_broken_plural_header_is_one_line(kit, locales, tmp_path):
    po = locales / "ja/LC_MESSAGES/messages.po"
    po.write_text(po.read_text("utf-8").replace("nplurals=1; plural=0;", "nplurals=2;"), "utf-8")
    assert_one_line_error(
        kit("catalog", "export", "ja", "--to", str(tmp_path / "x.csv"), "--locales", str(locales)),
        str(po),
        "Plural-Forms does not parse",
    )


def test_a_chart_total_of_zero_is_a_campaign_error(kit, campaign_file):
    campaign_file.write_text(
        campaign_file.read_text("utf-8").replace("value = 263\n", "value = 0\n"), "utf-8"
    )
    assert_one_line_error(
        kit("text", "--campaign", str(campaign_file)), "its total 'selfie_victims' is 0"
    )


def test_mail_merge_with_japanese_names_unknown_columns_and_locales(
    kit, locales, tmp_path, mail_merge
):
    result, _, out = mail_merge(
        "name,locales\n東京第一中学校,ja\n大阪第二中学校,pt-BR\n名古屋中学校,xx\n",
        "--draft",
        *SMALL,
    )
    assert "row 4: skipped: no catalog for locale 'xx'" in result.stderr
    paths = {f["path"] for f in manifest(out)["files"]}
    assert "東京第一中学校/ja/students/poster-a4.pdf" in paths
    assert "大阪第二中学校/pt_BR/students/poster-a4.pdf" in paths  # pt-BR names the pt_BR catalog
    bad = tmp_path / "bad.csv"
    bad.write_text("name,Contacts,URL\nA,x,https://example.org\n", "utf-8")
    assert_one_line_error(
        kit("build", "--output", str(out), "--orgs", str(bad), "--locales", str(locales)),
        "unknown column(s) 'Contacts', 'URL'",
    )


def test_one_broken_catalog_does_not_stop_other_locales(kit, locales, tmp_path):
    (locales / "vi/LC_MESSAGES/messages.po").write_text('msgid "a\n', "utf-8")
    result = kit(
        "build",
        "--output",
        str(tmp_path / "d"),
        "--locale",
        "ja",
        *SMALL,
        "--locales",
        str(locales),
    )
    assert result.exit_code == 0, result.output
    table = kit("locales", "--locales", str(locales))
    assert table.exit_code == 0 and "broken:" in table.stdout


def test_a_partial_build_keeps_the_rest_and_a_failed_job_removes_its_stale_output(
    kit, locales, tmp_path
):
    out = tmp_path / "d"
    args = ["build", "--output", str(out), *SMALL, "--locales", str(locales)]
    kit(*args, "--locale", "en,ja")
    kit(*args, "--locale", "ja")
    assert "0 built, 10 unchanged" in kit(*args, "--locale", "en,ja").stderr
    edit_entry(
        locales / "ja/LC_MESSAGES/messages.po", "headline_students", msgstr="長い見出し" * 80
    )
    result = kit(*args, "--locale", "ja")
    assert result.exit_code == 3 and not (out / "kit/ja/students/poster-a4.pdf").exists()


def test_build_never_deletes_other_peoples_tmp_files(kit, locales, tmp_path):
    out = tmp_path / "site"
    (out / "drafts").mkdir(parents=True)
    (out / "drafts/.budget.tmp").write_text("important", "utf-8")
    kit("build", "--output", str(out), "--locale", "ja", *SMALL, "--locales", str(locales))
    assert (out / "drafts/.budget.tmp").read_text("utf-8") == "important"


def test_locales_folder_must_exist_and_catalog_commands_take_any_tag(kit, locales, tmp_path):
    assert kit("text", "--locales", str(tmp_path / "nope")).exit_code == 2
    assert (
        kit(
            "catalog", "export", "pt-br", "--to", str(tmp_path / "p.csv"), "--locales", str(locales)
        ).exit_code
        == 0
    )
    assert kit("catalog", "check", "ja-x-easy", "--locales", str(locales)).exit_code == 0
    assert (
        kit(
            "poster",
            "--locale",
            "ja-x-easy",
            "--draft",
            "-o",
            str(tmp_path / "e.pdf"),
            "--locales",
            str(locales),
        ).exit_code
        == 0
    )


def test_markdown_setext_headings_and_entities_stay_text():
    assert md_escape("人が\n===\nAT&amp;T &#60;b&#62;") == "人が\n\\===\nAT\\&amp;T \\&#60;b\\&#62;"
    assert md_escape("---") == "\\---"
