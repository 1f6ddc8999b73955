"""The corpus of broken and hostile inputs (tests/corpus/cases.toml): for each, one clear
line and exit 1 (or a usage error), or a safe literal rendering; never a traceback, never a
partial output file, never a read outside the allowed folders."""

from __future__ import annotations

import shutil
import tomllib
import unicodedata
from pathlib import Path

import pytest

from .conftest import edit_entry
from .test_poster import pdf_text, squash

CORPUS = Path(__file__).parent / "corpus"
CASES = tomllib.loads((CORPUS / "cases.toml").read_text("utf-8"))["case"]


def case_id(case: dict) -> str:
    return f"{case['use']}:{case.get('file', case.get('text', ' '.join(case['command']))[:24])}"


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_corpus_case(kit, locales, tmp_path, case):
    out = tmp_path / "out" / "result.pdf"
    file = CORPUS / case["file"] if "file" in case else None
    args = [a.replace("{out}", str(out)).replace("{file}", str(file)) for a in case["command"]]
    if case["use"] == "catalog":
        shutil.copy(file, locales / "ja/LC_MESSAGES/messages.po")
    if case["use"] == "translation":
        edit_entry(locales / "ja/LC_MESSAGES/messages.po", "help_tell",
                   msgstr=case["text"] * case.get("repeat", 1))
    if case["use"] not in ("campaign",):
        args += ["--locales", str(locales)] if args[0] != "catalog" or args[1] != "check" else []
    result = kit(*args)
    assert result.exit_code == case["exit"], result.output
    assert "Traceback" not in result.output
    for fragment in case.get("expect", []):
        assert fragment in result.output, (fragment, result.output)
    if case["exit"] != 0:
        assert not out.exists()  # nothing half-written
    if case["exit"] == 1 and case["use"] not in ("sheet", "po"):  # those report per row/finding
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    for literal in case.get("literal", []):
        shown = pdf_text(out.read_bytes()) if out.exists() else result.stdout
        assert visible(literal) in visible(shown), literal


def visible(text: str) -> str:
    """What a reader sees: no spacing, no invisible format characters (ZWSP, ZWJ, WJ)."""
    return "".join(c for c in squash(text) if unicodedata.category(c) != "Cf")


def test_every_corpus_file_is_used():
    used = {c["file"] for c in CASES if "file" in c}
    on_disk = {p.relative_to(CORPUS).as_posix() for p in CORPUS.rglob("*")
               if p.is_file() and p.name != "cases.toml" and p.suffix != ".png"}
    assert on_disk == used


# ---- cases too big, or too odd, to keep as files: made here -------------------------------

def test_a_ten_megabyte_line_is_read_and_checked(kit, locales):
    edit_entry(locales / "ja/LC_MESSAGES/messages.po", "help_tell", msgstr="長" * (10 * 1024 * 1024 // 3))
    result = kit("catalog", "check", "ja", "--verbose", "--locales", str(locales))
    assert result.exit_code == 0 and "length-budget: [help_tell]" in result.stdout


def test_a_hundred_thousand_entries(kit, tmp_path):
    lines = ['msgid ""', 'msgstr ""', '"Content-Type: text/plain; charset=UTF-8\\n"',
             '"Language: de\\n"', '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"', ""]
    for i in range(100_000):
        lines += [f'msgctxt "m{i}"', f'msgid "Message number {i}"', f'msgstr "Nachricht {i}"', ""]
    path = tmp_path / "big.po"
    path.write_text("\n".join(lines), "utf-8")
    result = kit("catalog", "check", str(path), "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip() == "[]"  # the digits are the source's own: nothing typed in
    assert "0 error(s), 0 warning(s)" in result.stderr


def test_a_fifty_megabyte_logo_is_refused_unread(kit, tmp_path):
    logo = tmp_path / "logo.png"
    with logo.open("wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n")
        f.truncate(50 * 1024 * 1024)  # sparse: no 50 MB on disk
    profile = tmp_path / "org.toml"
    profile.write_text('name = "A"\n[logo]\npath = "logo.png"\nalt = "x"\n', "utf-8")
    out = tmp_path / "p.pdf"
    result = kit("poster", "-l", "ja", "--org", str(profile), "-o", str(out))
    assert result.exit_code == 1 and "51200 KB; the limit is 2048 KB" in result.stderr
    assert not out.exists()


def test_a_logo_symlink_out_of_the_folder_is_refused(kit, tmp_path):
    (tmp_path / "org").mkdir()
    (tmp_path / "org/logo.png").symlink_to("/etc/passwd")
    profile = tmp_path / "org/profile.toml"
    profile.write_text('name = "A"\n[logo]\npath = "logo.png"\nalt = "x"\n', "utf-8")
    result = kit("poster", "-l", "ja", "--org", str(profile), "-o", str(tmp_path / "p.pdf"))
    assert result.exit_code == 1 and "leaves the profile's folder" in result.stderr
