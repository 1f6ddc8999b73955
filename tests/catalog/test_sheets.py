"""The spreadsheet round trip: export, edit, import, with nothing lost or executed."""

from __future__ import annotations

import csv
import io
from typing import cast

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from kit.catalog.sheets import neutralize, restore

from ..conftest import edit_entry


def read_csv(path):
    return list(csv.DictReader(io.StringIO(path.read_bytes().decode("utf-8-sig"), newline="")))


def write_csv(path, rows):
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_bytes(buf.getvalue().encode("utf-8-sig"))


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_export_then_import_unedited_is_byte_identical(kit, locales, tmp_path, suffix):
    po = locales / "ja/LC_MESSAGES/messages.po"
    before = po.read_bytes()
    sheet = tmp_path / f"ja.{suffix}"
    assert (
        kit("catalog", "export", "ja", "--to", str(sheet), "--locales", str(locales)).exit_code == 0
    )
    result = kit("catalog", "import", str(sheet), "--locale", "ja", "--locales", str(locales))
    assert result.exit_code == 0, result.output
    assert "updated 0 message(s)" in result.stderr
    assert po.read_bytes() == before


def test_columns_follow_cldr_plural_categories(kit, locales, tmp_path):
    sheet = tmp_path / "en.csv"
    kit("catalog", "export", "en", "--to", str(sheet), "--locales", str(locales))
    rows = read_csv(sheet)
    assert list(rows[0]) == [
        "id",
        "note",
        "source",
        "source_plural",
        "fuzzy",
        "source_hash",
        "state_hash",
        "translation",
        "translation_one",
        "translation_other",
    ]
    victims = next(r for r in rows if r["id"] == "fig_victims")
    assert victims["translation_one"].startswith("In {period}, {count} child was")
    assert victims["translation"] == ""


def test_an_edit_is_imported_and_formulas_stay_text(kit, locales, tmp_path):
    po = locales / "ja/LC_MESSAGES/messages.po"
    edit_entry(po, "help_block", msgstr='=HYPERLINK("http://evil")')
    sheet = tmp_path / "ja.xlsx"
    kit("catalog", "export", "ja", "--to", str(sheet), "--locales", str(locales))
    wb = openpyxl.load_workbook(sheet)
    ws = cast(Worksheet, wb.active)  # openpyxl's type allows none or a chart sheet
    header = [c.value for c in ws[1]]
    for row in ws.iter_rows(min_row=2):
        cells = dict(zip(header, row, strict=True))
        if cells["id"].value == "help_block":
            assert cells["translation"].value == '\'=HYPERLINK("http://evil")'
            assert cells["translation"].data_type == "s"  # text, not a formula
        if cells["id"].value == "help_tell":
            cells["translation"].value = "家族や先生に相談しよう。"
    wb.save(sheet)
    result = kit("catalog", "import", str(sheet), "--locale", "ja", "--locales", str(locales))
    assert result.exit_code == 0 and "updated 1 message(s)" in result.stderr
    text = po.read_text("utf-8")
    assert 'msgstr "家族や先生に相談しよう。"' in text
    assert 'msgstr "=HYPERLINK(\\"http://evil\\")"' in text  # restored exactly, never evaluated


def test_stale_unknown_duplicate_and_broken_rows_are_refused_by_row(kit, locales, tmp_path):
    po = locales / "ja/LC_MESSAGES/messages.po"
    sheet = tmp_path / "ja.csv"
    kit("catalog", "export", "ja", "--to", str(sheet), "--locales", str(locales))
    rows = read_csv(sheet)
    index = {r["id"]: i for i, r in enumerate(rows)}
    rows[index["help_tell"]]["source_hash"] = "000000000000"  # stale
    rows[index["help_block"]]["id"] = "no_such_message"  # unknown
    rows[index["fig_never_met"]]["translation"] = "{shares}は会ったことがない"  # broken
    rows[index["help_stop"]]["translation"] = "新しい訳"
    rows.append(dict(rows[index["help_stop"]], translation="もう一つの訳"))  # duplicate
    rows[index["heading_help"]]["translation"] = ""  # empty: no erase
    write_csv(sheet, rows)
    before = po.read_text("utf-8")
    result = kit("catalog", "import", str(sheet), "--locale", "ja", "--locales", str(locales))
    assert result.exit_code == 1
    err = result.stderr

    def row(name: str) -> int:
        return index[name] + 2

    assert f"row {row('help_tell')}: refused: 'help_tell': the source changed" in err
    assert f"row {row('help_block')}: refused: no message 'no_such_message'" in err
    assert f"row {row('fig_never_met')}: refused: 'fig_never_met': placeholder {{shares}}" in err
    assert (
        f"row {len(rows) + 1}: conflict: 'help_stop' appears again "
        f"(first at row {row('help_stop')})" in err
    )
    after = po.read_text("utf-8")
    assert 'msgstr "新しい訳"' in after and "もう一つの訳" not in after
    assert "もし、こんなことが起きたら" in after  # the empty cell erased nothing
    assert before.count("msgstr") == after.count("msgstr")


@pytest.mark.parametrize(
    "text", ["=1+1", "+81 3", "-x", "@SUM(A1)", "\tx", "\rx", "'=x", "''x", "'x", "ok", ""]
)
def test_neutralize_and_restore_are_exact(text):
    cell = neutralize(text)
    assert restore(cell) == text
    assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))


def test_a_sheet_without_the_needed_columns(kit, locales, tmp_path):
    sheet = tmp_path / "x.csv"
    sheet.write_text("a,b\n1,2\n", "utf-8")
    result = kit("catalog", "import", str(sheet), "--locale", "ja", "--locales", str(locales))
    assert result.exit_code == 1 and "lacks column(s) id, source, source_hash" in result.stderr


def round_trip(kit, locales, sheet, mid, **cells):
    """Export ja, set cells of one row, import it back: the row as exported."""
    kit("catalog", "export", "ja", "--to", str(sheet), "--locales", str(locales))
    rows = read_csv(sheet)
    row = next(r for r in rows if r["id"] == mid)
    exported = dict(row)
    row.update(cells)
    write_csv(sheet, rows)
    result = kit("catalog", "import", str(sheet), "--locale", "ja", "--locales", str(locales))
    assert result.exit_code == 0, result.output
    return exported


def test_a_new_text_from_a_sheet_is_a_draft_until_reviewed(kit, locales, tmp_path):
    """Issue 23: a volunteer fills `translation` and leaves `fuzzy` empty; that is not a
    review (as in the studio, an edit is a draft). Clearing the cell of a row whose text
    is unchanged is one."""
    from kit.catalog.pofile import load_po

    po = locales / "ja/LC_MESSAGES/messages.po"
    sheet = tmp_path / "ja.csv"

    def entry():
        return next(e for e in load_po(po) if e.msgctxt == "help_tell")

    new = "家族や先生に相談しよう。"
    assert round_trip(kit, locales, sheet, "help_tell", translation=new)["fuzzy"] == ""
    assert entry().msgstr == new and entry().fuzzy
    # The reviewer's pass: a fresh export shows it as a draft; clearing the cell reviews it.
    assert round_trip(kit, locales, sheet, "help_tell", fuzzy="")["fuzzy"] == "yes"
    assert entry().msgstr == new and not entry().fuzzy


def test_import_refuses_what_check_calls_an_error_by_row_and_column(kit, locales, tmp_path):
    """Issue 23: `(44,3 %)` typed for {share} imported ("0 refused"), then check reported
    placeholder-missing and typed-figure. Import refuses it, naming the columns."""
    po = locales / "en/LC_MESSAGES/messages.po"
    before = po.read_bytes()
    sheet = tmp_path / "en.csv"
    kit("catalog", "export", "en", "--to", str(sheet), "--locales", str(locales))
    rows = read_csv(sheet)
    number = next(i for i, r in enumerate(rows) if r["id"] == "fig_share") + 2
    for column in ("translation_one", "translation_other"):
        rows[number - 2][column] = rows[number - 2][column].replace("{share}", "44,3 %")
    write_csv(sheet, rows)
    result = kit("catalog", "import", str(sheet), "--locale", "en", "--locales", str(locales))
    assert result.exit_code == 1
    line = next(x for x in result.stderr.splitlines() if f"row {number}: refused:" in x)
    assert "'fig_share'" in line and "placeholder-missing" in line and "typed-figure" in line
    assert "column translation_one drops {share}" in line
    assert "column translation_other drops {share}" in line
    assert "1 refused" in result.stderr
    assert po.read_bytes() == before  # nothing of the row was applied
    checked = kit("catalog", "check", "en", "--locales", str(locales))
    assert checked.exit_code == 0, checked.output


def test_a_stale_sheet_does_not_undo_a_review(kit, locales, tmp_path):
    """Issue 23: a sheet exported while a message was a draft, edited elsewhere after the
    message was reviewed, set it fuzzy again with "0 conflict(s)"."""
    from kit.catalog.pofile import load_po

    po = locales / "ja/LC_MESSAGES/messages.po"
    edit_entry(po, "help_tell", fuzzy=True)
    edit_entry(po, "help_stop", fuzzy=True)
    sheet = tmp_path / "ja.csv"
    kit("catalog", "export", "ja", "--to", str(sheet), "--locales", str(locales))
    edit_entry(po, "help_tell", fuzzy=False)  # reviewed in the studio after the export
    edit_entry(po, "help_stop", fuzzy=False, msgstr="見直した訳")
    rows = read_csv(sheet)
    index = {r["id"]: i for i, r in enumerate(rows)}
    rows[index["heading_help"]]["translation"] = "こまったときは"  # the volunteer's edit
    rows[index["help_stop"]]["translation"] = "ボランティアの訳"  # edited on both sides
    write_csv(sheet, rows)
    result = kit("catalog", "import", str(sheet), "--locale", "ja", "--locales", str(locales))
    assert result.exit_code == 1
    assert (
        f"row {index['help_stop'] + 2}: conflict: 'help_stop': the message was reviewed or "
        "edited in the catalog since this sheet was exported" in result.stderr
    )
    assert "updated 1 message(s)" in result.stderr and "1 conflict(s)" in result.stderr
    entries = {e.msgctxt: e for e in load_po(po)}
    assert not entries["help_tell"].fuzzy  # the review stands: the row was as exported
    assert entries["help_stop"].msgstr == "見直した訳" and not entries["help_stop"].fuzzy
    assert entries["heading_help"].msgstr == "こまったときは" and entries["heading_help"].fuzzy


def test_french_excel_csv_semicolons_and_numbers(kit, locales, tmp_path):
    """Issue 23: French Excel saves CSV with semicolons, and reads a hash of digits and
    one e (516354965e91) as the number 5.16E+99. The semicolons are read; kit's hashes
    start with a letter so Excel keeps them; an old sheet's mangled hash is named."""
    from kit.catalog.pofile import load_po

    po = locales / "ja/LC_MESSAGES/messages.po"
    sheet = tmp_path / "ja.csv"
    kit("catalog", "export", "ja", "--to", str(sheet), "--locales", str(locales))
    rows = read_csv(sheet)
    assert all(r["source_hash"][0].isalpha() and r["state_hash"][0].isalpha() for r in rows)
    index = {r["id"]: i for i, r in enumerate(rows)}
    rows[index["help_tell"]]["translation"] = "家族や先生に相談しよう。"
    rows[index["help_stop"]]["translation"] = "やりとりをやめよう。"
    rows[index["help_stop"]]["source_hash"] = "5,16E+99"  # as Excel shows a kit 0.2 hash
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(rows[0]), delimiter=";", lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    sheet.write_bytes(buf.getvalue().encode("utf-8-sig"))
    result = kit("catalog", "import", str(sheet), "--locale", "ja", "--locales", str(locales))
    assert "updated 1 message(s)" in result.stderr, result.output
    assert "'help_stop': the source_hash cell reads '5,16E+99', a number" in result.stderr
    assert "source changed" not in result.stderr
    entries = {e.msgctxt: e for e in load_po(po)}
    assert entries["help_tell"].msgstr == "家族や先生に相談しよう。"


def test_a_kit_0_2_sheet_still_imports(kit, locales, tmp_path):
    """Sheets exported before the hashes took a letter (and before state_hash) apply."""
    from kit.catalog.pofile import load_po

    po = locales / "ja/LC_MESSAGES/messages.po"
    sheet = tmp_path / "ja.csv"
    kit("catalog", "export", "ja", "--to", str(sheet), "--locales", str(locales))
    rows = read_csv(sheet)
    for r in rows:
        r["source_hash"] = r["source_hash"][1:]
        del r["state_hash"]
    next(r for r in rows if r["id"] == "help_tell")["translation"] = "相談しよう。"
    write_csv(sheet, rows)
    result = kit("catalog", "import", str(sheet), "--locale", "ja", "--locales", str(locales))
    assert result.exit_code == 0 and "updated 1 message(s)" in result.stderr, result.output
    assert next(e for e in load_po(po) if e.msgctxt == "help_tell").msgstr == "相談しよう。"


def test_a_csv_that_is_not_utf8_names_the_line_and_the_fix(kit, locales, tmp_path):
    sheet = tmp_path / "fr.csv"
    sheet.write_bytes("id;source;source_hash\nhelp_tell;été;s1\n".encode("cp1252"))
    result = kit("catalog", "import", str(sheet), "--locale", "ja", "--locales", str(locales))
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f'{sheet}:2: the CSV is not UTF-8 (Excel\'s plain "CSV" is not)' in result.stderr


def test_rows_of_messages_sharing_a_context_are_each_checked_and_undone():
    """One context may name several messages (Jan., Feb.): a refused row of each must be
    undone, not only the last one's."""
    import polib

    from kit.catalog.pofile import Catalog
    from kit.catalog.sheets import import_sheet, rows, source_hash

    po = Catalog()
    po.metadata = {"Language": "fr", "Plural-Forms": "nplurals=2; plural=(n > 1);"}
    for month in ("Jan.", "Feb."):
        po.append(polib.POEntry(msgctxt="abbrev. month", msgid=month, msgstr=month.lower()))
    sheet = rows(po)
    for row in sheet:
        row["translation"] = "bad " + row["source"]
    records = list(enumerate(sheet, start=2))

    def check(po, ids):
        assert ids == {"abbrev. month"}
        return {"abbrev. month": ["an error"]}

    report = import_sheet(po, records, check)
    assert [n for n, _ in report.refused] == [2, 3] and report.updated == []
    assert [(e.msgstr, e.fuzzy) for e in po] == [("jan.", False), ("feb.", False)]
    assert all(r["source_hash"] == source_hash(e) for r, e in zip(sheet, po, strict=True))
