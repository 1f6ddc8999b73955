"""`kit catalog update`: msgmerge's merge, without ever moving a translation to another id."""

from __future__ import annotations

import random
import shutil
import subprocess
from pathlib import Path

import polib

from kit.catalog.merge import merge
from kit.catalog.po import load_po
from kit.catalog.pofmt import format_po

from .conftest import tool

DATA = Path(__file__).parent / "data" / "merge"


def test_golden_triple_before_plus_template_gives_after():
    merged, report = merge(load_po(DATA / "before.po"), load_po(DATA / "template.pot"))
    assert format_po(merged) == (DATA / "after.po").read_text("utf-8")
    assert report.fuzzy == ["changed", "to_plural"]
    assert report.new == ["No context!", "brand_new"]
    assert report.obsoleted == ["removed", "No context"]
    assert report.revived == ["returning"]


def test_after_matches_gnu_msgmerge_except_where_it_would_guess():
    # msgmerge fuzzy-matches "No context!" to the old "No context" by similarity; kit keeps
    # that translation as obsolete instead. Everything else is the same, byte for byte.
    gnu = subprocess.run([tool("msgmerge", "gettext"), "-q", "--previous", str(DATA / "before.po"),
                          str(DATA / "template.pot"), "-o", "-"],
                         capture_output=True, text=True, check=True).stdout
    ours = (DATA / "after.po").read_text("utf-8")
    gnu_blocks = [b.strip() for b in gnu.split("\n\n")]
    differing = [b.strip() for b in ours.split("\n\n") if b.strip() not in gnu_blocks]
    assert differing == ['#: campaign.toml:51\nmsgid "No context!"\nmsgstr ""',
                         '#~ msgid "No context"\n#~ msgstr "文脈なし"']


def test_merging_again_changes_nothing():
    path = DATA / "after.po"
    twice, report = merge(load_po(path), load_po(DATA / "template.pot"))
    assert format_po(twice) == path.read_text("utf-8") and not report.changed


def _translations(po: polib.POFile) -> set[tuple]:
    return {(e.msgctxt, e.msgid, e.msgstr, tuple(sorted(e.msgstr_plural.items())))
            for e in po if e.msgstr or any(e.msgstr_plural.values())}


def test_no_translation_is_ever_lost_or_moved_random_templates():
    rng = random.Random(20261125)
    before = load_po(DATA / "before.po")
    translated = {(e.msgctxt or "", e.msgstr or e.msgstr_plural.get(0)) for e in before
                  if e.msgstr or any(e.msgstr_plural.values())}
    for _ in range(200):
        template = polib.POFile()
        for ctx in rng.sample(["kept", "changed", "removed", "to_plural", "returning", "x", "y"],
                              rng.randint(0, 7)):
            template.append(polib.POEntry(msgctxt=ctx, msgid=rng.choice(["Same source", "Other"])))
        merged, _ = merge(before, template)
        # Every translation survives (active or obsolete), under its own context.
        kept = {(e.msgctxt or "", e.msgstr or e.msgstr_plural.get(0)) for e in merged}
        assert translated <= kept


def test_update_command_and_check(kit, tmp_path):
    locales = tmp_path / "locales"
    (locales / "ja/LC_MESSAGES").mkdir(parents=True)
    shutil.copy(DATA / "template.pot", locales / "messages.pot")
    po = locales / "ja/LC_MESSAGES/messages.po"
    shutil.copy(DATA / "before.po", po)
    result = kit("catalog", "update", "--check", "--locales", str(locales))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{po}: out of date (2 new, 2 changed (fuzzy), 2 obsolete, 1 returned)",
        "Error: 1 catalog(s) out of date; run `kit catalog update`"]
    assert po.read_text("utf-8") == (DATA / "before.po").read_text("utf-8")  # --check writes nothing
    result = kit("catalog", "update", "--locales", str(locales))
    assert result.exit_code == 0 and "2 new, 2 changed (fuzzy), 2 obsolete, 1 returned" in result.stderr
    assert po.read_text("utf-8") == (DATA / "after.po").read_text("utf-8")
    assert kit("catalog", "update", "--check", "--locales", str(locales)).exit_code == 0
