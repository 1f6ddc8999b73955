"""The shipped catalogs: GNU gettext accepts them, they are complete, the POT is current."""

from __future__ import annotations

import subprocess
import sys

import polib
import pytest

from kit.campaign import load_campaign
from kit.catalog.extract import build_pot
from kit.catalog.pofile import Catalog, format_po

from ..conftest import LOCALES, ROOT, tool

CATALOGS = sorted(LOCALES.glob("*/LC_MESSAGES/messages.po"))


def test_there_are_english_and_japanese_catalogs():
    assert {p.parts[-3] for p in CATALOGS} >= {"en", "ja"}


@pytest.mark.parametrize(
    "path",
    [*CATALOGS, LOCALES / "messages.pot"],
    ids=lambda p: p.parts[-3] if p.suffix == ".po" else "pot",
)
def test_gnu_msgfmt_accepts_the_catalog(path, tmp_path):
    msgfmt = tool("msgfmt", "gettext")
    result = subprocess.run(
        [msgfmt, "-c", "-o", str(tmp_path / "out.mo"), str(path)],
        check=False,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "error" not in result.stderr.lower()


# Reviewed catalogs; the others are drafts awaiting review by a native speaker.
COMPLETE = {"en", "ja"}


@pytest.mark.parametrize("path", CATALOGS, ids=lambda p: p.parts[-3])
def test_catalog_holds_every_campaign_message_translated(path):
    po = polib.pofile(str(path))
    campaign = load_campaign()
    entries = {(e.msgctxt, e.msgid): e for e in po}
    locale = path.parts[-3]
    for msg in campaign.messages:
        entry = entries.get((msg.id, msg.text))
        assert entry is not None, f"{locale}: {msg.id} missing"
        forms = [entry.msgstr] if not entry.msgid_plural else list(entry.msgstr_plural.values())
        assert all(forms), f"{locale}: {msg.id} has an empty translation"
        if locale in COMPLETE:
            assert not entry.fuzzy, msg.id
        else:
            assert entry.fuzzy and "awaiting review by a native speaker" in entry.tcomment, msg.id
        assert ("python-brace-format" in entry.flags) == bool(msg.args), msg.id


@pytest.mark.parametrize("path", CATALOGS, ids=lambda p: p.parts[-3])
def test_header_plural_forms_agree_with_the_gettext_ecosystem(path, tmp_path):
    """The rule is the one translate-toolkit and GNU msginit give the language (where they
    know it), kit's default for new catalogs, and Babel's checkers find no form missing."""
    from babel.messages.pofile import read_po
    from translate.lang import data

    from kit.plural import default_plural_forms, parse_plural_forms

    po = polib.pofile(str(path))
    locale = path.parts[-3]
    assert po.metadata["Language"] == locale
    assert po.metadata["Content-Type"] == "text/plain; charset=UTF-8"
    rule = parse_plural_forms(po.metadata["Plural-Forms"])
    assert rule.indices() == parse_plural_forms(default_plural_forms(locale)).indices()
    language = locale.split("@")[0]
    known = data.languages.get(language) or data.languages.get(language.split("_")[0])
    if known:
        assert (rule.nplurals, rule.indices()) == (
            known[1],
            parse_plural_forms(f"nplurals={known[1]}; plural={known[2]};").indices(),
        ), "translate-toolkit differs"
    msginit = tool("msginit", "gettext")
    if msginit:
        out = tmp_path / "init.po"
        subprocess.run(
            [
                msginit,
                "--no-translator",
                "-l",
                language,
                "-i",
                str(LOCALES / "messages.pot"),
                "-o",
                str(out),
            ],
            capture_output=True,
            check=False,
        )
        gnu = polib.pofile(str(out)).metadata.get("Plural-Forms") if out.is_file() else None
        if gnu:
            assert parse_plural_forms(gnu).indices() == rule.indices(), "GNU msginit differs"
    with path.open("rb") as f:
        catalog = read_po(f)
    problems = [(m.id, [str(e) for e in errors]) for m, errors in catalog.check()]
    assert problems == []


def test_pot_is_up_to_date_and_deterministic():
    campaign = load_campaign()
    committed = (LOCALES / "messages.pot").read_text("utf-8")
    once = format_po(build_pot(campaign, "kit/data/campaigns/npa-2017h1.toml"))
    twice = format_po(build_pot(campaign, "kit/data/campaigns/npa-2017h1.toml"))
    assert once == twice == committed


def test_pot_carries_notes_budgets_and_flags():
    pot = polib.pofile(str(LOCALES / "messages.pot"))
    entry = next(e for e in pot if e.msgctxt == "fig_victims")
    assert "python-brace-format" in entry.flags
    assert "Length budget: 150 columns" in entry.comment
    assert "{count} = 263" in entry.comment
    assert entry.msgid_plural.startswith("In {period}, {count} children")


def test_pybabel_extract_finds_the_same_messages(tmp_path):
    out = tmp_path / "pybabel.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            str(ROOT / "babel.cfg"),
            "-o",
            str(out),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
        cwd=ROOT,
    )
    theirs = {(e.msgctxt, e.msgid, e.msgid_plural) for e in polib.pofile(str(out))}
    ours = {
        (e.msgctxt, e.msgid, e.msgid_plural) for e in polib.pofile(str(LOCALES / "messages.pot"))
    }
    assert theirs == ours and len(ours) == len(load_campaign().messages)


@pytest.mark.parametrize(
    "path",
    [*CATALOGS, LOCALES / "messages.pot"],
    ids=lambda p: p.parts[-3] if p.suffix == ".po" else "pot",
)
def test_catalog_is_formatted_exactly_as_gnu_msgcat_formats_it(path):
    # Then Poedit, msgmerge and kit can pass a catalog around without reformatting it.
    gnu = subprocess.run(
        [tool("msgcat", "gettext"), "--width=79", str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert gnu.stdout == path.read_text("utf-8")
    assert format_po(polib.pofile(str(path), klass=Catalog)) == gnu.stdout
