"""Properties over generated input (hypothesis): nothing the kit writes and reads back is
ever lost or changed, and the catalog check never crashes, whatever the catalog holds."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

import polib
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kit.catalog.check import check_file
from kit.catalog.merge import merge
from kit.catalog.pofile import Catalog, format_po, load_po, save_po
from kit.catalog.sheets import export_sheet, import_sheet, read_sheet

SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
# Any Unicode a PO file can hold: everything but NUL (which gettext forbids) and lone
# surrogates (which no UTF-8 file can hold).
TEXT = st.text(st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00"), max_size=60)
# What kit writes into its own catalogs' translations: no bidi or control characters
# (save_po and import refuse them; tests/catalog/test_pofile_read.py shows how).
SAFE = st.text(
    st.characters(
        blacklist_categories=("Cs", "Cc"),
        blacklist_characters="\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069",
    )
    | st.sampled_from("\n\t"),
    max_size=60,
)
HEADER = {
    "Content-Type": "text/plain; charset=UTF-8",
    "Language": "ar",
    "Plural-Forms": "nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : "
    "n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5);",
}


@st.composite
def catalogs(draw, text=TEXT, translations=SAFE, contexts=True):
    po = polib.POFile()
    po.metadata = dict(HEADER)
    if contexts:
        keys = [
            (c, draw(text.filter(bool)))
            for c in draw(st.lists(text.filter(bool), unique=True, max_size=8))
        ]
    else:  # a foreign catalog: contexts shared or absent, keys unique on (msgctxt, msgid)
        keys = draw(
            st.lists(
                st.tuples(st.none() | st.sampled_from(["a", "b"]), text.filter(bool)),
                unique=True,
                max_size=8,
            )
        )
    for ctx, msgid in keys:
        entry = polib.POEntry(msgctxt=ctx, msgid=msgid)
        if draw(st.booleans()):
            entry.msgid_plural = draw(text.filter(bool))
            entry.msgstr_plural = {i: draw(translations) for i in range(6)}
        else:
            entry.msgstr = draw(translations)
        if draw(st.booleans()):
            entry.flags.append("fuzzy")
        po.append(entry)
    return po


def snapshot(po: polib.POFile) -> list[tuple[object, ...]]:
    # gettext writes no fuzzy flag on an untranslated message (msgstr[0] empty)
    return [
        (
            e.msgctxt,
            e.msgid,
            e.msgid_plural,
            e.msgstr,
            tuple(sorted(e.msgstr_plural.items())),
            e.fuzzy and bool(e.msgstr_plural.get(0) if e.msgid_plural else e.msgstr),
            e.obsolete,
        )
        for e in po
    ]


@SETTINGS
@given(catalogs())
def test_po_write_then_read_is_lossless(po):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "x.po"
        save_po(po, path)
        again = load_po(path)
        assert snapshot(again) == snapshot(po)
        assert format_po(again) == path.read_text("utf-8")  # and stable when written again


@SETTINGS
@given(catalogs(), st.sampled_from([".csv", ".xlsx"]))
def test_spreadsheet_export_then_import_is_lossless(po, suffix):
    # XLSX cannot hold most C0 control characters at all (kit says so, see test_sheets);
    # the property is over every other character.
    if suffix == ".xlsx" and any(
        c in text
        for e in po
        for text in (e.msgid, e.msgid_plural, e.msgctxt or "", e.msgstr, *e.msgstr_plural.values())
        for c in (chr(i) for i in range(32))
        if c not in "\t\n\r"
    ):
        return
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"x{suffix}"
        path.write_bytes(export_sheet(po, path))
        copy = Path(tmp) / "copy.po"
        save_po(po, copy)
        fresh = load_po(copy)
        for e in fresh:  # start from empty translations: the sheet must bring every one back
            if e.msgid_plural:
                e.msgstr_plural = {i: "" for i in e.msgstr_plural}
            else:
                e.msgstr = ""
        report = import_sheet(fresh, read_sheet(path))
        assert not report.refused, report.refused
        for before, after in zip(po, fresh, strict=True):
            forms = list(before.msgstr_plural.values()) if before.msgid_plural else [before.msgstr]
            if before.msgid_plural and not all(forms):
                continue  # a partly empty plural is reported as a conflict, not applied
            # Every text comes back; each one the sheet brought into an emptied entry is
            # new to it, so a draft until reviewed, whatever the sheet's fuzzy cell says.
            assert (after.msgstr, after.msgstr_plural, after.fuzzy) == (
                before.msgstr,
                before.msgstr_plural,
                True,
            ) or not any(forms)


def _texts(po: polib.POFile) -> set[str]:
    out: set[str] = set()
    for e in po:
        out.update(e.msgstr_plural.values() if e.msgid_plural else [e.msgstr])
    return out


@SETTINGS
@given(
    st.booleans().flatmap(lambda ours: st.tuples(catalogs(contexts=ours), catalogs(contexts=ours)))
)
def test_update_never_loses_a_translation(pair):
    old, template = pair
    for e in template:
        e.msgstr, e.msgstr_plural = "", {i: "" for i in e.msgstr_plural}
    merged, _ = merge(old, template)
    texts = _texts(merged)
    for e in old:
        # Translated as gettext defines it: the first form has text.
        first = e.msgstr_plural.get(0) if e.msgid_plural else e.msgstr
        if first:
            # active, fuzzy or obsolete, never gone: the translation (its first form when
            # the message lost its plural, as msgmerge keeps it) is still in the catalog
            assert first in texts, (e.msgctxt, e.msgid)
    # and the merged catalog is one gettext can read back: written, read, the same
    with tempfile.TemporaryDirectory() as tmp:
        save_po(merged, Path(tmp) / "m.po")
        assert _texts(load_po(Path(tmp) / "m.po")) == texts


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.sampled_from(
                [
                    'msgid ""',
                    'msgstr ""',
                    '"Language: ja\\n"',
                    '"Plural-Forms: nplurals=2; plural=n>1;\\n"',
                    'msgctxt "help_tell"',
                    'msgid_plural "x"',
                    'msgstr[0] "{count}"',
                    'msgstr[1] "a"',
                    "#, fuzzy",
                    '#~ msgid "old"',
                    '"{count} {{x}}"',
                    'msgstr "#eval(1) 263"',
                    "",
                ]
            ),
            TEXT.map(lambda t: f'msgstr "{t}"'),
            TEXT,
        ),
        max_size=30,
    )
)
def test_check_never_crashes(lines):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "x.po"
        path.write_text("\n".join(lines), "utf-8")
        findings = check_file(path)
        assert all(f.severity in ("error", "warning") for f in findings)
        assert not any(f.code == "internal" for f in findings), findings


def test_xlsx_refuses_what_it_cannot_hold_with_a_clear_error(tmp_path):
    import pytest

    from kit.errors import KitError

    po = Catalog()
    po.metadata = dict(HEADER)
    po.append(polib.POEntry(msgctxt="a", msgid="x", msgstr="bell\x07"))
    with pytest.raises(KitError, match=r"message 'a'.*U\+0007.*\.csv"):
        export_sheet(po, tmp_path / "x.xlsx")
    assert io.BytesIO(export_sheet(po, tmp_path / "x.csv")).getvalue()
