"""`kit catalog update`: msgmerge's merge, without ever moving a translation to another id."""

from __future__ import annotations

import shutil
import subprocess

import polib

from kit.catalog.merge import merge
from kit.catalog.pofile import Catalog, format_po, load_po

from ..conftest import TESTS, tool

DATA = TESTS / "data" / "merge"


def test_golden_triple_before_plus_template_gives_after():
    merged, report = merge(load_po(DATA / "before.po"), load_po(DATA / "template.pot"))
    assert format_po(merged) == (DATA / "after.po").read_text("utf-8")
    assert report.fuzzy == ["changed", "to_plural", "No context!"]
    assert report.new == ["brand_new"]
    assert report.obsoleted == ["removed"]
    assert report.revived == ["returning"]


def test_after_is_what_gnu_msgmerge_previous_writes_byte_for_byte():
    # Including the fuzzy match of the context-less "No context!" to the old "No context"
    # by similarity, with the previous source shown.
    gnu = subprocess.run(
        [
            tool("msgmerge", "gettext"),
            "-q",
            "--previous",
            str(DATA / "before.po"),
            str(DATA / "template.pot"),
            "-o",
            "-",
        ],
        capture_output=True,
        check=True,
    ).stdout
    assert gnu == (DATA / "after.po").read_bytes()


def test_a_unique_context_keeps_its_own_translation_where_msgmerge_would_guess():
    # kit's campaigns: the context is the message's stable id. Its source is rewritten
    # beyond recognition; msgmerge would leave it untranslated (or take a similar
    # sentence from another id); kit keeps its own translation, fuzzy, with #|.
    old = Catalog()
    old.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "ja"}
    old.append(
        polib.POEntry(
            msgctxt="help_tell", msgid="Tell an adult you trust.", msgstr="信頼できる大人に話して。"
        )
    )
    old.append(
        polib.POEntry(
            msgctxt="help_block", msgid="Block the account.", msgstr="アカウントをブロック。"
        )
    )
    template = Catalog()
    template.append(polib.POEntry(msgctxt="help_tell", msgid="Talk to someone safe, today."))
    template.append(polib.POEntry(msgctxt="help_block", msgid="Block the account."))
    merged, report = merge(old, template)
    tell = next(e for e in merged if e.msgctxt == "help_tell")
    assert (tell.msgstr, tell.fuzzy, tell.previous_msgid) == (
        "信頼できる大人に話して。",
        True,
        "Tell an adult you trust.",
    )
    assert report.fuzzy == ["help_tell"] and report.kept == 1


def test_shared_contexts_are_matched_on_context_and_msgid_like_msgmerge(tmp_path):
    # msgctxt "abbrev. month" names twelve messages: each keeps its own translation.
    months = ["Jan.", "Feb.", "March", "April", "May", "June"]
    old = Catalog()
    old.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "de"}
    for m in months:
        old.append(polib.POEntry(msgctxt="abbrev. month", msgid=m, msgstr=m.upper()))
    template = Catalog()
    for m in months[1:] + ["Sept."]:
        template.append(polib.POEntry(msgctxt="abbrev. month", msgid=m))
    merged, _ = merge(old, template)
    active = {e.msgid: (e.msgstr, e.fuzzy) for e in merged if not e.obsolete}
    assert all(active[m] == (m.upper(), False) for m in months[1:])
    assert [e.msgid for e in merged if e.obsolete] == ["Jan."]  # kept, not dropped
    (tmp_path / "old.po").write_text(format_po(old), "utf-8")
    (tmp_path / "new.pot").write_text(format_po(template), "utf-8")
    gnu = subprocess.run(
        [
            tool("msgmerge", "gettext"),
            "-q",
            "--previous",
            str(tmp_path / "old.po"),
            str(tmp_path / "new.pot"),
            "-o",
            "-",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert format_po(merged) == gnu


def test_merging_again_changes_nothing():
    path = DATA / "after.po"
    twice, report = merge(load_po(path), load_po(DATA / "template.pot"))
    assert format_po(twice) == path.read_text("utf-8") and not report.changed


def test_update_command_and_check(kit, tmp_path):
    locales = tmp_path / "locales"
    (locales / "ja/LC_MESSAGES").mkdir(parents=True)
    shutil.copy(DATA / "template.pot", locales / "messages.pot")
    po = locales / "ja/LC_MESSAGES/messages.po"
    shutil.copy(DATA / "before.po", po)
    result = kit("catalog", "update", "--check", "--locales", str(locales))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{po}: out of date (1 new, 3 changed (fuzzy), 1 obsolete, 1 returned)",
        "Error: 1 catalog(s) out of date; run `kit catalog update`",
    ]
    assert po.read_text("utf-8") == (DATA / "before.po").read_text(
        "utf-8"
    )  # --check writes nothing
    result = kit("catalog", "update", "--locales", str(locales))
    assert (
        result.exit_code == 0
        and "1 new, 3 changed (fuzzy), 1 obsolete, 1 returned" in result.stderr
    )
    assert po.read_text("utf-8") == (DATA / "after.po").read_text("utf-8")
    assert kit("catalog", "update", "--check", "--locales", str(locales)).exit_code == 0
