"""Inputs too big to keep as corpus files, made here: each is one line and exit 1, quickly,
in bounded memory."""

from __future__ import annotations

import json
import zipfile

import pytest


def one_line(result, *fragments):
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    for fragment in fragments:
        assert fragment in result.stderr, (fragment, result.stderr)


def test_an_eight_megabyte_plural_forms_header(kit, locales):
    po = locales / "ja/LC_MESSAGES/messages.po"
    chain = "n==1 ? 0 : " * (8 * 1024 * 1024 // 11) + "0"
    text = po.read_text("utf-8")
    line = text[: text.index("plural=0;")].count("\n") + 1
    po.write_text(text.replace("plural=0;", f"plural={chain};", 1), "utf-8")
    one_line(kit("text", "-l", "ja", "--locales", str(locales)), f"{po}:{line}: Plural-Forms")


def test_a_small_xlsx_holding_a_huge_cell_is_refused_unread(kit, locales, tmp_path):
    sheet = tmp_path / "ja.xlsx"
    exported = kit("catalog", "export", "ja", "--to", str(sheet), "--locales", str(locales))
    assert exported.exit_code == 0
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(sheet) as src, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":  # a cell of 80 MB, zipped to ~80 KB
                cell = b'<row r="999"><c r="A999" t="inlineStr"><is><t>%s</t></is></c></row>'
                data = data.replace(b"</sheetData>", cell % (b"a" * 80 * 2**20) + b"</sheetData>")
            dst.writestr(item, data)
    assert bomb.stat().st_size < 1024 * 1024
    before = (locales / "ja/LC_MESSAGES/messages.po").read_bytes()
    one_line(
        kit("catalog", "import", str(bomb), "--locale", "ja", "--locales", str(locales)),
        f"{bomb}: the spreadsheet holds 80 MB of data; the limit is 64 MB",
    )
    assert (locales / "ja/LC_MESSAGES/messages.po").read_bytes() == before


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("Aoba\ufeffJunior High", "'name' holds a byte-order mark (U+FEFF)"),
        ("Aoba\u0007Junior High", "'name' holds the control character U+0007"),
        ("Aoba\ue000Junior High", "'name' holds the private-use character U+E000"),
        ("Aoba\u2066Junior High", "'name' holds the bidi control U+2066"),
    ],
)
def test_what_pdf_a_or_a_terminal_refuses_is_refused_in_a_profile_first(
    kit, locales, tmp_path, name, problem
):
    profile = tmp_path / "org.toml"
    profile.write_text(f"name = {json.dumps(name)}\n", "utf-8")  # TOML's escapes are JSON's
    out = tmp_path / "p.pdf"
    one_line(
        kit("poster", "-l", "ja", "--org", str(profile), "-o", str(out), "--locales", str(locales)),
        f"{profile}: {problem}",
    )
    assert not out.exists()
