"""kit's PO reader and writer against what GNU gettext reads and writes: charsets, escapes,
layouts msgfmt accepts, #~| previous strings, and what kit refuses to write."""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

import polib
import pytest

from kit.catalog.pofile import Catalog, encode_po, load_po, save_po
from kit.errors import CatalogError

from ..conftest import tool

HEADER = (
    'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset={charset}\\n"\n'
    '"Language: {lang}\\n"\n"Plural-Forms: {plural}\\n"\n\n'
)


def write(
    tmp_path: Path,
    body: str,
    charset="UTF-8",
    lang="fr",
    plural="nplurals=2; plural=(n > 1);",
    encoding=None,
) -> Path:
    path = tmp_path / "x.po"
    path.write_bytes(
        (HEADER.format(charset=charset, lang=lang, plural=plural) + body).encode(
            encoding or charset
        )
    )
    return path


def msgcat(path: Path) -> bytes:
    return subprocess.run(
        [tool("msgcat", "gettext"), str(path)], capture_output=True, check=True
    ).stdout


def test_iso_8859_15_is_read_and_written_in_its_charset_as_msgcat_does(tmp_path):
    path = write(
        tmp_path, 'msgid "Price in euros"\nmsgstr "Prix en € (œuvre)"\n', charset="ISO-8859-15"
    )
    po = load_po(path)
    assert po[0].msgstr == "Prix en € (œuvre)"
    assert encode_po(po) == msgcat(path)


def test_layouts_msgfmt_accepts(tmp_path):
    body = '\tmsgid\t"tab"\n  msgstr "indented"\r\n\nmsgid "a" "b"\nmsgstr "c"\n'
    path = write(tmp_path, body, plural="plural=(n!=1); nplurals=2;;")
    assert [(e.msgid, e.msgstr) for e in load_po(path)] == [("tab", "indented"), ("ab", "c")]
    assert encode_po(load_po(path)) == msgcat(path)


def test_octal_and_hex_escapes_are_bytes_of_the_charset(tmp_path):
    path = write(tmp_path, 'msgid "a"\nmsgstr "\\303\\251 \\x41\\101"\n')
    assert load_po(path)[0].msgstr == "é AA"
    latin = write(tmp_path, 'msgid "a"\nmsgstr "\\777\\xe9"\n', charset="ISO-8859-1")
    assert load_po(latin)[0].msgstr == "ÿé"  # \777 is the byte 0xFF, as gettext stores it


@pytest.mark.parametrize(
    ("body", "line", "fragment"),
    [
        ('msgid "a"\nmsgstr "\\xe9"\n', 8, "not valid UTF-8"),
        ('msgid "a"\nmsgstr "\\q"\n', 8, "invalid escape"),
        ('msgid "a"\nmsgstr "open\n', 8, "no closing quote"),
        ('msgid "a"\nmsgstr[0] "x"\n', 8, "without msgid_plural"),
        ('msgid "a"\nmsgstr "x"\n\n#~ msgid "a"\n#~ msgstr "y"\n', 10, "appears twice"),
        # A comment ends the message: the string after it continues nothing.
        ('msgid "a"\nmsgstr "x"\n# note\n"y"\n', 10, "belongs to no keyword"),
    ],
)
def test_what_gettext_refuses_is_refused_with_file_and_line(tmp_path, body, line, fragment):
    path = write(tmp_path, body)
    with pytest.raises(CatalogError) as e:
        load_po(path)
    assert (e.value.line, e.value.file) == (line, str(path)) and fragment in e.value.message
    assert (
        subprocess.run([tool("msgcat", "gettext"), str(path)], capture_output=True).returncode != 0
    )


def test_a_nul_escape_is_refused_where_gettext_silently_cuts_the_string(tmp_path):
    path = write(tmp_path, 'msgid "a"\nmsgstr "x\\0y"\n')
    with pytest.raises(CatalogError, match="NUL") as e:
        load_po(path)
    assert e.value.line == 8
    assert b'msgstr "x"' in msgcat(path)  # what gettext makes of it: "y" is gone


def test_obsolete_previous_strings_round_trip_as_msgcat_writes_them(tmp_path):
    # Poedit and msgcat write #~| ; kit wrote #~ #| before, which gettext reads the same
    body = (
        '#, fuzzy\n#~| msgid "Old source"\n#~ msgid "New source"\n#~ msgstr "Traduction"\n\n'
        '#, fuzzy\n#~ #| msgid "Old two"\n#~ msgid "Two"\n#~ msgstr "Deux"\n'
    )
    path = write(tmp_path, body)
    po = load_po(path)
    assert [(e.previous_msgid, e.obsolete) for e in po] == [("Old source", True), ("Old two", True)]
    assert encode_po(po) == msgcat(path)
    assert '#~| msgid "Old two"' in encode_po(po).decode()


def test_reading_needs_no_temporary_file(tmp_path, monkeypatch):
    # A nearly full TMPDIR used to be reported as "the catalog does not parse".
    path = write(tmp_path, 'msgid "a"\nmsgstr "b"\n')

    def refuse(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(tempfile, "NamedTemporaryFile", refuse)
    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    assert load_po(path)[0].msgstr == "b"


def test_line_separators_inside_strings_stay_inside(tmp_path):
    path = write(tmp_path, 'msgid "a"\nmsgstr "one\u2028two\x1cthree"\n')
    assert load_po(path)[0].msgstr == "one\u2028two\x1cthree"
    assert encode_po(load_po(path)) == msgcat(path)


def _campaign_catalog(msgstr: str) -> Catalog:
    po = Catalog()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "ja"}
    po.append(polib.POEntry(msgctxt="help_tell", msgid="Tell an adult.", msgstr=msgstr))
    return po


@pytest.mark.parametrize("bad", ["\u202e", "\x07", "\x1b[31m"])
def test_save_refuses_in_kit_catalogs_what_kit_then_refuses_to_read(tmp_path, bad):
    target = tmp_path / "messages.po"
    with pytest.raises(CatalogError, match=r"\[?help_tell|U\+"):
        save_po(_campaign_catalog(f"話して{bad}。"), target)
    assert not target.exists()


def test_save_keeps_foreign_catalogs_as_they_are(tmp_path):
    # Django's Hebrew catalog holds U+202E in a translation: update must not drop it.
    po = Catalog()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "he"}
    po.append(polib.POEntry(msgid="%(truncated_text)s…", msgstr="%(truncated_text)s\u202e…"))
    save_po(po, tmp_path / "he.po")
    assert load_po(tmp_path / "he.po")[0].msgstr == "%(truncated_text)s\u202e…"
