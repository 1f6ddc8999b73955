"""`kit catalog compile` writes .mo files whose every lookup equals msgfmt's."""

from __future__ import annotations

import gettext
import io
import subprocess
from pathlib import Path

from kit.catalog.mofile import compile_mo
from kit.catalog.pofile import load_po

from ..conftest import LOCALES, tool

CATALOG = """msgid ""
msgstr ""
"Project-Id-Version: test\\n"
"POT-Creation-Date: 2026-01-01 00:00+0000\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
"Language: de\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"

msgid "Open"
msgstr "Öffnen"

msgctxt ""
msgid "Open"
msgstr "Offen (leerer Kontext)"

msgctxt "door"
msgid "Open"
msgstr "Auf"

msgid "file"
msgid_plural "files"
msgstr[0] "Datei"
msgstr[1] ""

msgid "none"
msgid_plural "nones"
msgstr[0] ""
msgstr[1] "keine"

#, fuzzy
msgid "Draft"
msgstr "Entwurf"

msgid "Empty"
msgstr ""

#~ msgid "Gone"
#~ msgstr "Weg"
"""


def lookups(data: bytes) -> tuple[dict[str | tuple[str, int], str], list[int]]:
    t = gettext.GNUTranslations(io.BytesIO(data))
    return t._catalog, [t.plural(n) for n in range(20)]  # type: ignore[attr-defined]


def test_every_lookup_equals_msgfmt_including_empty_context_and_partial_plurals(tmp_path):
    po = tmp_path / "de.po"
    po.write_text(CATALOG, "utf-8")
    subprocess.run([tool("msgfmt", "gettext"), "-o", str(tmp_path / "gnu.mo"), str(po)], check=True)
    ours = compile_mo(load_po(po))
    assert lookups(ours.data) == lookups((tmp_path / "gnu.mo").read_bytes())
    t = gettext.GNUTranslations(io.BytesIO(ours.data))
    assert (t.gettext("Open"), t.pgettext("", "Open"), t.pgettext("door", "Open")) == (
        "Öffnen",
        "Offen (leerer Kontext)",
        "Auf",
    )
    assert t.ngettext("file", "files", 1) == "Datei"  # a partly translated plural is kept
    assert (ours.messages, ours.fuzzy, ours.total) == (4, 1, 7)


def test_shipped_catalogs_compile_as_msgfmt_compiles(tmp_path):
    for po in sorted(LOCALES.glob("*/LC_MESSAGES/messages.po")):
        subprocess.run(
            [tool("msgfmt", "gettext"), "-o", str(tmp_path / "gnu.mo"), str(po)], check=True
        )
        assert lookups(compile_mo(load_po(po)).data) == lookups(
            (tmp_path / "gnu.mo").read_bytes()
        ), po


def test_compile_command_reports_messages_and_drafts(kit, locales: Path):
    result = kit("catalog", "compile", "ja", "vi", "--locales", str(locales))
    assert result.exit_code == 0, result.output
    lines = result.stderr.splitlines()
    assert (
        lines[0].startswith(f"wrote {locales / 'ja/LC_MESSAGES/messages.mo'} (")
        and "messages" in lines[0]
    )
    assert "a draft, nothing in it is reviewed yet" in lines[1]
