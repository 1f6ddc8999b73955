"""Catalogs as translators keep them (issue 30): a catalog linked in from a synced folder
is written where it lives by every command that writes one, a catalog saved as UTF-16 or
UTF-32 is named as such, the studio answers a burst of saves, and a parse error repeats
nothing of the file but the offending word."""

from __future__ import annotations

import csv
import json
import os
import stat
import threading
from pathlib import Path

import polib
import pytest

from kit.catalog.pofile import load_po

from ..conftest import tool
from ..studio.test_server import Client, start


def catalog(locales: Path, locale: str) -> Path:
    return locales / locale / "LC_MESSAGES" / "messages.po"


def link_out(locales: Path, locale: str, synced: Path) -> tuple[Path, Path]:
    """Move the locale's catalog into a synced folder and link it back, read-write for
    its owner and group only (a shared folder's file)."""
    path = catalog(locales, locale)
    synced.mkdir(exist_ok=True)
    target = synced / f"{locale}.po"
    if path.exists():
        path.rename(target)
        target.chmod(0o640)
    path.symlink_to(os.path.relpath(target, path.parent))
    return path, target


def assert_written_through(path: Path, target: Path, before: int | None) -> None:
    assert path.is_symlink() and path.resolve() == target.resolve()
    assert target.is_file() and not target.is_symlink()
    if before is not None:  # replaced by a rename (atomic), its permissions kept
        assert target.stat().st_ino != before
        assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert not [p for p in target.parent.iterdir() if p.name.startswith(".")]  # no temporaries
    assert not [p for p in path.parent.iterdir() if p.name != path.name]


def drop_entry(path: Path, msgctxt: str) -> None:
    po = polib.pofile(str(path))
    po.remove(next(e for e in po if e.msgctxt == msgctxt))
    po.save(str(path))


def test_update_writes_the_linked_catalog_where_it_lives(kit, locales, tmp_path):
    path, target = link_out(locales, "ja", tmp_path / "Sync")
    drop_entry(target, "label_other_side")
    target.chmod(0o640)
    before = target.stat().st_ino
    result = kit("catalog", "update", "ja", "--locales", str(locales))
    assert result.exit_code == 0 and "1 new" in result.stderr, result.output
    assert_written_through(path, target, before)
    assert any(e.msgctxt == "label_other_side" for e in load_po(target))
    msgfmt = tool("msgfmt", "gettext")
    import subprocess

    assert subprocess.run([msgfmt, "-c", "-o", os.devnull, str(target)]).returncode == 0


def test_import_writes_the_linked_catalog_where_it_lives(kit, locales, tmp_path):
    path, target = link_out(locales, "vi", tmp_path / "Sync")
    before = target.stat().st_ino
    sheet = tmp_path / "vi.csv"
    assert (
        kit("catalog", "export", "vi", "--to", str(sheet), "--locales", str(locales)).exit_code == 0
    )
    rows = list(csv.DictReader(sheet.read_text("utf-8-sig").splitlines()))
    row = next(r for r in rows if r["id"] == "label_other_side")
    row["translation"] = "Tiếng Việt: ở mặt sau tờ giấy"
    with sheet.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    result = kit("catalog", "import", str(sheet), "--locale", "vi", "--locales", str(locales))
    assert result.exit_code == 0, result.output
    assert_written_through(path, target, before)
    assert next(e for e in load_po(target) if e.msgctxt == "label_other_side").msgstr == (
        "Tiếng Việt: ở mặt sau tờ giấy"
    )


def test_init_creates_the_catalog_a_link_points_to(kit, locales, tmp_path):
    """A link made first, to where the synced folder will keep the new catalog."""
    (locales / "fr" / "LC_MESSAGES").mkdir(parents=True)
    path, target = link_out(locales, "fr", tmp_path / "Sync")
    assert not target.exists()
    result = kit("catalog", "init", "fr", "--locales", str(locales))
    assert result.exit_code == 0, result.output
    assert_written_through(path, target, None)
    assert load_po(target).metadata["Language"] == "fr"


def test_pseudo_writes_the_linked_catalog_where_it_lives(kit, locales, tmp_path):
    assert kit("catalog", "pseudo", "--locale", "en_XA", "--locales", str(locales)).exit_code == 0
    path, target = link_out(locales, "en_XA", tmp_path / "Sync")
    before = target.stat().st_ino
    result = kit("catalog", "pseudo", "--locale", "en_XA", "--locales", str(locales))
    assert result.exit_code == 0, result.output
    assert_written_through(path, target, before)


def test_the_studio_saves_into_the_linked_catalog(locales, tmp_path):
    path, target = link_out(locales, "ja", tmp_path / "Sync")
    before = target.stat().st_ino
    server = start(locales)
    try:
        client = Client(server)
        _, state = client.api("GET", "api/state")
        msg = next(m for m in state["messages"] if m["id"] == "tactic_listen")
        status, _ = client.api(
            "POST",
            "api/message",
            {"id": "tactic_listen", "version": msg["version"], "forms": ["聞く"]},
        )
    finally:
        server.shutdown()
        server.server_close()
    assert status == 200
    assert_written_through(path, target, before)
    assert next(e for e in load_po(target) if e.msgctxt == "tactic_listen").msgstr == "聞く"


def test_a_link_into_a_missing_folder_is_one_clear_error(kit, locales, tmp_path):
    path = catalog(locales, "ja")
    path.unlink()
    path.symlink_to(tmp_path / "gone" / "ja.po")
    (locales / "ja" / "LC_MESSAGES" / "messages.po")  # dangling
    result = kit("catalog", "init", "ja", "--locales", str(locales))
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "points into a folder that does not exist" in result.stderr
    assert path.is_symlink() and not (tmp_path / "gone").exists()


# ---- UTF-16 and UTF-32 -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("codec", "bom", "named", "iconv"),
    [
        ("utf-16-le", b"\xff\xfe", "UTF-16", "UTF-16LE"),
        ("utf-16-be", b"\xfe\xff", "UTF-16", "UTF-16BE"),
        ("utf-16-le", b"", "UTF-16", "UTF-16LE"),  # Windows tools without a mark
        ("utf-32-le", b"\xff\xfe\x00\x00", "UTF-32", "UTF-32LE"),
        ("utf-32-be", b"\x00\x00\xfe\xff", "UTF-32", "UTF-32BE"),
    ],
)
def test_a_wide_unicode_catalog_is_named_with_its_fix(kit, locales, codec, bom, named, iconv):
    path = catalog(locales, "ja")
    path.write_bytes(bom + path.read_text("utf-8").encode(codec))
    result = kit("catalog", "check", "ja", "--locales", str(locales))
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"messages.po:1: error: parse: the file is {named} text, not UTF-8" in result.stdout
    assert f"iconv -f {iconv} -t UTF-8" in result.stdout
    assert "NUL byte" not in result.output


def test_a_utf8_catalog_with_a_byte_order_mark_is_read(kit, locales):
    path = catalog(locales, "ja")
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    result = kit("catalog", "check", "ja", "--locales", str(locales))
    assert result.exit_code == 0, result.output


def test_a_utf16_spreadsheet_is_named_with_its_fix(kit, locales, tmp_path):
    sheet = tmp_path / "ja.csv"
    assert (
        kit("catalog", "export", "ja", "--to", str(sheet), "--locales", str(locales)).exit_code == 0
    )
    sheet.write_bytes(b"\xff\xfe" + sheet.read_text("utf-8-sig").encode("utf-16-le"))
    result = kit("catalog", "import", str(sheet), "--locale", "ja", "--locales", str(locales))
    assert result.exit_code == 1 and "the file is UTF-16 text, not UTF-8" in result.stderr


# ---- the studio under a burst of saves -------------------------------------------------


def test_a_burst_of_saves_is_all_answered_and_all_on_disk(locales):
    """Twenty-four saves of different messages sent at the same moment."""
    server = start(locales)
    try:
        client = Client(server)
        _, state = client.api("GET", "api/state")
        versions = {m["id"]: m["version"] for m in state["messages"]}
        # Twenty-four messages of one form each (their id is a safe text to save).
        ids = [m["id"] for m in state["messages"] if len(m["forms"]) == 1][:24]
        assert len(ids) == 24
        texts = {mid: f"{mid} の新しい訳" for mid in ids}
        barrier = threading.Barrier(len(ids))
        answers: dict[str, int | str] = {}

        def save(mid: str) -> None:
            barrier.wait()
            try:
                status, _ = client.api(
                    "POST",
                    "api/message",
                    {"id": mid, "version": versions[mid], "forms": [texts[mid]]},
                )
                answers[mid] = status
            except OSError as e:  # a reset connection: what the backlog of 5 gave
                answers[mid] = repr(e)

        threads = [threading.Thread(target=save, args=(mid,)) for mid in ids]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
    finally:
        server.shutdown()
        server.server_close()
    assert answers == {mid: 200 for mid in ids}
    on_disk = {e.msgctxt: e for e in load_po(catalog(locales, "ja"))}
    assert {mid: on_disk[mid].msgstr for mid in ids} == texts
    assert all(on_disk[mid].fuzzy for mid in ids)


def test_a_save_sent_again_after_its_answer_was_lost_is_no_conflict(studio):
    _, state = studio.api("GET", "api/state")
    version = next(m for m in state["messages"] if m["id"] == "tactic_listen")["version"]
    body = {"id": "tactic_listen", "version": version, "forms": ["話を聞いてくれる"]}
    assert studio.api("POST", "api/message", body)[0] == 200
    again, view = studio.api("POST", "api/message", body)  # the same, from the old version
    assert again == 200 and view["forms"] == ["話を聞いてくれる"]
    other = body | {"forms": ["別の訳"]}
    assert studio.api("POST", "api/message", other)[0] == 409  # a real clash still is one


@pytest.fixture
def studio(locales):
    server = start(locales)
    yield Client(server)
    server.shutdown()
    server.server_close()


# ---- what a parse error repeats --------------------------------------------------------


SECRET = "password=hunter2-do-not-repeat-this-line"


def test_a_parse_error_quotes_only_the_offending_word(kit, locales, tmp_path):
    """A catalog path linked to some other file: the error names the line and at most a
    shortened first word of it."""
    private = tmp_path / "notes.txt"
    private.write_text(f"{SECRET} and more\n", "utf-8")
    path = catalog(locales, "ja")
    path.unlink()
    path.symlink_to(private)
    result = kit("catalog", "check", "ja", "--locales", str(locales))
    assert result.exit_code == 1 and "messages.po:1: error: parse:" in result.stdout
    assert "'password=hun…'" in result.stdout
    assert "hunter2" not in result.output


def test_no_quote_of_a_broken_file_reaches_the_studio_page_or_the_manifest(
    studio, kit, locales, tmp_path
):
    path = catalog(locales, "ja")
    path.write_text(f"{SECRET}\n", "utf-8")
    status, data = studio.api("GET", "api/state")
    assert status == 503 and "does not parse" in data["error"]
    assert "password" not in json.dumps(data)
    out = tmp_path / "dist"
    kit("build", "--output", str(out), "--locale", "ja", "--sizes", "a4", "--locales", str(locales))
    for file in out.rglob("*"):
        if file.is_file():
            assert b"password" not in file.read_bytes(), file
