"""The corpus of broken and hostile inputs (tests/corpus/cases.toml): for each, one clear
line and exit 1 (or a usage error), or a safe literal rendering; never a traceback, never a
partial output file, never a read outside the allowed folders, never a file written,
changed or deleted outside the output folder, never a school lost from a mail-merge."""

from __future__ import annotations

import re
import shutil
import tomllib
import unicodedata
from pathlib import Path
from typing import Any

import pytest

from ..conftest import CAMPAIGN, TESTS, edit_entry, manifest
from ..render.test_poster import pdf_text, squash

CORPUS = TESTS / "corpus"
CASES = tomllib.loads((CORPUS / "cases.toml").read_text("utf-8"))["case"]


def case_id(case: dict[str, Any]) -> str:
    what = case.get("file") or case.get("name") or case.get("text") or " ".join(case["command"])
    return f"{case['use']}:{what[:40]}"


def snapshot(*folders: Path) -> dict[Path, tuple[int, int, int]]:
    return {
        p: (p.stat().st_size, p.stat().st_mtime_ns, p.stat().st_ino)
        for folder in folders
        for p in folder.rglob("*")
        if p.is_file()
    }


def expand(text: str) -> str:
    """<<x*N>> stands for x repeated N times."""
    return re.sub(r"<<(.+?)\*(\d+)>>", lambda m: m.group(1) * int(m.group(2)), text)


def edited(text: str, edits: list[list[str]]) -> str:
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, expand(new), 1)
    return text


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_corpus_case(kit, locales, tmp_path, case):
    out = tmp_path / "out" / "result.pdf"
    dist = tmp_path / "out" / "dist"
    catalog = locales / "ja/LC_MESSAGES/messages.po"
    campaign = tmp_path / "campaign.toml"
    shutil.copy(CAMPAIGN, campaign)
    file = CORPUS / case["file"] if "file" in case else None
    if case["use"] == "campaign" and "edit" in case:
        campaign.write_text(edited(campaign.read_text("utf-8"), case["edit"]), "utf-8")
        file = campaign
    places = {
        "{out}": out,
        "{dist}": dist,
        "{file}": file,
        "{catalog}": catalog,
        "{campaign}": campaign,
        "{locales}": locales,
    }
    args = []
    for arg in case["command"]:
        for key, value in places.items():
            arg = arg.replace(key, str(value))
        args.append(arg)
    if case["use"] == "catalog":
        if file:
            shutil.copy(file, catalog)
        if "edit" in case:
            catalog.write_text(edited(catalog.read_text("utf-8"), case["edit"]), "utf-8")
    if case["use"] == "translation":
        edit_entry(catalog, "help_tell", msgstr=expand(case["text"]) * case.get("repeat", 1))
    if case["use"] not in ("campaign",):
        args += ["--locales", str(locales)] if args[0] != "catalog" or args[1] != "check" else []
    before = snapshot(tmp_path, CORPUS)
    result = kit(*args)
    assert result.exit_code == case["exit"], result.output
    assert "Traceback" not in result.output
    for fragment in case.get("expect", []):
        assert fragment in result.output, (fragment, result.output)
    after = snapshot(tmp_path, CORPUS)
    changed = {p for p in before.keys() | after.keys() if before.get(p) != after.get(p)}
    assert all(p.is_relative_to(tmp_path / "out") for p in changed), sorted(changed)
    if case["exit"] != 0:
        assert not out.exists()  # nothing half-written
    reports = case["use"] in ("sheet", "po", "orgs") or args[:2] == ["catalog", "check"]
    if case["exit"] == 1 and not reports:  # those report per row or finding
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    for literal in case.get("literal", []):
        shown = pdf_text(out.read_bytes()) if out.exists() else result.stdout
        assert visible(literal) in visible(shown), literal
    if "built" in case:  # every good school of a mail-merge is there, whatever the bad ones did
        files = manifest(dist)["files"]
        assert sorted({f["org"] for f in files}) == sorted(case["built"])
        assert all((dist / f["path"]).is_file() for f in files)


def visible(text: str) -> str:
    """What a reader sees: no spacing, no invisible format characters (ZWSP, ZWJ, WJ)."""
    return "".join(c for c in squash(text) if unicodedata.category(c) != "Cf")


def test_every_corpus_file_is_used():
    used = {c["file"] for c in CASES if "file" in c} | {f for c in CASES for f in c.get("with", [])}
    on_disk = {
        p.relative_to(CORPUS).as_posix()
        for p in CORPUS.rglob("*")
        if p.is_file() and p.name != "cases.toml" and p.suffix != ".png"
    }
    assert on_disk == used


# ---- cases too big, or too odd, to keep as files: made here -------------------------------


def test_a_ten_megabyte_line_is_read_and_checked(kit, locales):
    edit_entry(
        locales / "ja/LC_MESSAGES/messages.po", "help_tell", msgstr="長" * (10 * 1024 * 1024 // 3)
    )
    result = kit("catalog", "check", "ja", "--verbose", "--locales", str(locales))
    assert result.exit_code == 0 and "length-budget: [help_tell]" in result.stdout


def test_a_hundred_thousand_entries(kit, tmp_path):
    lines = [
        'msgid ""',
        'msgstr ""',
        '"Content-Type: text/plain; charset=UTF-8\\n"',
        '"Language: de\\n"',
        '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"',
        "",
    ]
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
