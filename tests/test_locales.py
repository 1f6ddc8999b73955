"""Locale names as users type them, and where the catalogs are: a translator's checkout
gets the catalog commands' writes; the installed package never does."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

import kit
from kit.errors import KitError, LocaleError
from kit.locales import find_project, locales_dir, parse_tag, resolve_locale
from kit.textwidth import columns

from .conftest import CAMPAIGN, LOCALES, manifest

AVAILABLE = sorted(p.parts[-3] for p in LOCALES.glob("*/LC_MESSAGES/messages.po"))


@pytest.mark.parametrize(
    ("typed", "catalog"),
    [
        ("ja", "ja"),
        ("ja-JP", "ja"),
        ("ja_JP", "ja"),
        ("JA-jp", "ja"),
        ("ja-x-easy", "ja@easy"),
        ("ja_JP@easy", "ja@easy"),
        ("zh", "zh_Hans"),
        ("zh-CN", "zh_Hans"),
        ("zh-Hans", "zh_Hans"),
        ("zh_Hans_CN", "zh_Hans"),
        ("zh-SG", "zh_Hans"),
        ("pt", "pt_BR"),
        ("pt-br", "pt_BR"),
        ("pt_BR", "pt_BR"),
        ("en-GB", "en"),
        ("en_US", "en"),
        ("es-MX", "es"),
        ("ar-EG", "ar"),
    ],
)
def test_bcp47_and_posix_names_find_the_catalog(typed, catalog):
    assert resolve_locale(typed, AVAILABLE) == catalog


@pytest.mark.parametrize(
    ("typed", "hint"),
    [
        ("zh-TW", None),  # Traditional Chinese is not zh_Hans
        ("pt-PT", None),  # European Portuguese is not pt_BR
        ("jp", "did you mean ja (Japanese)?"),  # the country code
        ("english", "did you mean en (English)?"),
        ("日本語", "did you mean ja (Japanese) or ja@easy (Easy Japanese)?"),
        ("Japanese", "did you mean ja (Japanese) or ja@easy (Easy Japanese)?"),
        ("vietnamese", "did you mean vi (Vietnamese)?"),
        ("../../etc/passwd", None),
    ],
)
def test_unknown_names_are_refused_with_a_suggestion_where_there_is_one(typed, hint):
    with pytest.raises(LocaleError) as caught:
        resolve_locale(typed, AVAILABLE)
    message = str(caught.value)
    assert message.startswith(f"no catalog for locale {typed!r}")
    assert (hint in message) if hint else "did you mean" not in message
    assert "\n" not in message


def test_catalog_names_are_the_gettext_form():
    assert parse_tag("pt-PT").name == "pt_PT"
    assert parse_tag("zh-hans-cn").name == "zh_Hans_CN"
    assert parse_tag("ja-x-easy").name == "ja@easy"
    for bad in ("../x", "a/b", "", "ja JP", "x" * 40, "ja@../x"):
        with pytest.raises(LocaleError):
            parse_tag(bad)


# ---- where the catalogs are ---------------------------------------------------------------


def _checkout(tmp_path: Path) -> Path:
    """A translator's checkout: a pyproject with [tool.kit], the catalogs, the campaign."""
    root = tmp_path / "checkout"
    shutil.copytree(LOCALES, root / "po")
    (root / "campaign").mkdir(parents=True)
    shutil.copy(CAMPAIGN, root / "campaign" / "npa.toml")
    (root / "pyproject.toml").write_text(
        '[project]\nname = "our-campaign"\n\n[tool.kit]\nlocales = "po"\n'
        'campaign = "campaign/npa.toml"\n',
        "utf-8",
    )
    (root / "docs" / "deep").mkdir(parents=True)
    return root


def test_the_project_setting_is_found_upward_and_a_kit_toml_too(tmp_path, monkeypatch):
    root = _checkout(tmp_path)
    monkeypatch.chdir(root / "docs" / "deep")
    project = find_project()
    assert project is not None and project.locales == root / "po"
    assert locales_dir(write=True) == root / "po"
    other = tmp_path / "other"
    shutil.copytree(LOCALES, other / "catalogs")
    (other / "kit.toml").write_text('locales = "catalogs"\n', "utf-8")
    monkeypatch.chdir(other)
    assert locales_dir() == other / "catalogs"


def test_a_locales_folder_with_a_template_is_found_without_settings(tmp_path, monkeypatch):
    shutil.copytree(LOCALES, tmp_path / "plain" / "locales")
    monkeypatch.chdir(tmp_path / "plain")
    assert locales_dir(write=True) == Path("locales")


def test_a_broken_settings_file_is_one_line_naming_it(tmp_path, monkeypatch):
    (tmp_path / "pyproject.toml").write_text("[tool.kit\n", "utf-8")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(KitError, match="pyproject.toml: cannot read the project settings"):
        find_project()


def test_writing_inside_the_package_is_refused_saying_what_to_pass():
    inside = Path(kit.__file__).parent / "data" / "campaigns"
    with pytest.raises(KitError, match="give --locales DIR"):
        locales_dir(inside, write=True)
    assert locales_dir(inside) == inside  # reading is fine


def _tree_hash(folder: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(
        p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts
    ):
        h.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


def test_catalog_commands_in_a_checkout_write_there_and_never_into_the_package(
    kit, tmp_path, monkeypatch
):
    package_file = __import__("kit").__file__
    assert package_file is not None
    package = Path(package_file).parent
    before = _tree_hash(package)
    root = _checkout(tmp_path)
    monkeypatch.chdir(root / "docs")
    pot = root / "po" / "messages.pot"
    pot.unlink()
    for args in (["extract"], ["init", "fr"], ["update"], ["pseudo"], ["compile"]):
        result = kit("catalog", *args)
        assert result.exit_code == 0, (args, result.output)
    assert pot.is_file()
    assert (root / "po/fr/LC_MESSAGES/messages.po").is_file()
    assert (root / "po/en_XA/LC_MESSAGES/messages.po").is_file()
    assert (root / "po/ja/LC_MESSAGES/messages.mo").is_file()
    assert _tree_hash(package) == before


def test_init_refuses_a_second_catalog_for_a_language_naming_the_first(kit, locales):
    for typed in ("ja-JP", "ja_JP", "zh-CN"):
        result = kit("catalog", "init", typed, "--locales", str(locales))
        assert result.exit_code == 1 and "already exists as" in result.stderr
    result = kit("catalog", "init", "pt-PT", "--locales", str(locales))
    assert result.exit_code == 0, result.output
    assert (locales / "pt_PT/LC_MESSAGES/messages.po").is_file()


# ---- pseudo-locales are for testing only --------------------------------------------------


def test_pseudo_locales_are_never_listed_or_built_unless_named(kit, locales, tmp_path):
    assert kit("catalog", "pseudo", "--locales", str(locales)).exit_code == 0
    table = kit("locales", "--locales", str(locales)).stdout
    assert "en_XA" not in table and "ar_XB" not in table
    rows = json.loads(kit("locales", "--all", "--format", "json", "--locales", str(locales)).stdout)
    assert {r["locale"]: r["status"] for r in rows}["en_XA"] == "pseudo"
    out = tmp_path / "dist"
    result = kit(
        "build",
        "--output",
        str(out),
        "--sizes",
        "a4",
        "--formats",
        "pdf",
        "--audiences",
        "students",
        "--locales",
        str(locales),
    )
    assert result.exit_code == 0, result.output
    built = {f["locale"] for f in manifest(out)["files"]}
    assert built == {"en", "ja"}
    result = kit(
        "build",
        "--output",
        str(out),
        "--locale",
        "en_XA",
        "--sizes",
        "a4",
        "--formats",
        "pdf",
        "--audiences",
        "students",
        "--locales",
        str(locales),
    )
    assert result.exit_code == 0, result.output
    assert (out / "kit/en_XA/students/poster-a4.pdf").is_file()


# ---- small frictions ----------------------------------------------------------------------


def test_kit_locales_columns_line_up_in_display_width_for_every_script(kit):
    lines = kit("locales").stdout.splitlines()
    header = lines[0]
    at = columns(header[: header.index("translated")])
    for line in lines[1:]:
        cells = line.split("  ")
        # The count column ends where the header's does, whatever the language name's script.
        count = next(c for c in cells if "/" in c)
        end = columns(line[: line.index(count) + len(count)])
        assert end == at + len("translated"), line


def test_size_names_and_suffixes_are_not_case_sensitive_and_must_agree(kit, tmp_path):
    result = kit("poster", "-l", "ja", "--size", "A4", "-o", str(tmp_path / "x.PDF"))
    assert result.exit_code == 0, result.output
    result = kit("poster", "-l", "ja", "--format", "png", "-o", str(tmp_path / "x.pdf"))
    assert result.exit_code == 2 and "the file name says pdf" in result.output
    assert not (tmp_path / "x.pdf").exists()
    result = kit("poster", "-l", "ja", "--second-locale", "ja-JP", "-o", str(tmp_path / "y.pdf"))
    assert result.exit_code == 2 and "is the same catalog as --locale" in result.output


def test_check_prints_one_summary_line_per_catalog_and_details_when_asked(kit):
    result = kit("catalog", "check")
    summaries = [line for line in result.stderr.splitlines() if "error(s)" in line]
    assert len(summaries) == len(AVAILABLE) + 1  # one per catalog, and the total
    assert any("(42 fuzzy)" in s or "fuzzy)" in s for s in summaries)
    assert "fuzzy: [" not in result.stdout  # warnings are counted, not listed
    verbose = kit("catalog", "check", "ar", "--verbose")
    assert "warning: fuzzy: [headline_students]" in verbose.stdout


def test_compile_says_how_many_messages_each_mo_holds_and_names_drafts(kit, locales):
    result = kit("catalog", "compile", "ja", "ar", "--locales", str(locales))
    assert result.exit_code == 0, result.output
    ja, ar = result.stderr.strip().splitlines()
    total = len(list(__import__("polib").pofile(str(locales / "ja/LC_MESSAGES/messages.po"))))
    assert f"({total} of {total} messages)" in ja
    assert "(0 of" in ar and "a draft, nothing in it is reviewed yet" in ar


def test_an_installed_kit_s_catalogs_are_found_the_standard_way(tmp_path):
    """importlib.resources finds the shipped catalogs and data (kit.data, kit.data.locales),
    from outside the checkout, with kit installed as a user installs it (an editable
    install reads the checkout's locales/ instead: CI installs it as users do)."""
    import subprocess
    import sys

    script = (
        "import importlib.resources as r, kit, kit.locales\n"
        "print(kit.__file__)\n"
        "locales = r.files('kit.data.locales')\n"
        "print(locales.joinpath('ja/LC_MESSAGES/messages.po').is_file(),"
        " locales.joinpath('messages.pot').is_file(),"
        " r.files('kit.data').joinpath('fonts/OFL.txt').is_file())\n"
        "print(kit.locales.installed_locales_dir())\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True
    )
    where = run.stdout.splitlines()[:1]
    if where and "site-packages" not in where[0]:
        pytest.skip(f"kit is imported from {where[0]}, not an installed copy")
    assert run.returncode == 0, run.stderr
    out = run.stdout.splitlines()
    assert out[1] == "True True True"
    assert out[2].endswith("kit/data/locales") and "site-packages" in out[2]
