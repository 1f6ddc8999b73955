"""kit as a library (kit/api.py): the README's Python example as written, the CLI and the
library giving the same files, errors that name the argument, and exit codes on the
exception classes."""

from __future__ import annotations

import re
import shutil
import subprocess
from typing import Any

import click
import pytest

import kit as library
from kit.batch.run import BuildIncomplete, BuildInterrupted, BuildReport
from kit.errors import CatalogError, KitError, RequestError
from kit.profile import example_profile_path
from kit.render import poster_size

from .conftest import LOCALES, ROOT, manifest, tool
from .render.test_poster import squash

README = (ROOT / "README.md").read_text("utf-8")


def _readme_python() -> str:
    section = README[README.index("### From Python") :]
    example = re.search(r"```python\n(.*?)```", section, re.S)
    assert example is not None
    return example.group(1)


def test_the_readmes_python_example_runs_as_written(tmp_path, monkeypatch):
    shutil.copytree(LOCALES, tmp_path / "locales")
    shutil.copy(example_profile_path(), tmp_path / "our-ngo.toml")
    shutil.copy(example_profile_path().parent / "example-logo.svg", tmp_path / "example-logo.svg")
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, Any] = {}  # the example's globals, as untyped as exec leaves them
    exec(compile(_readme_python(), "README.md", "exec"), namespace)
    text = squash(pdf_text_pages(tmp_path / "ja-en-a3.pdf"))
    assert "保護者" in text or "大人" in text  # the guardians' poster, in Japanese
    assert "263" in text and "Source" in text  # the figure and the English source line
    letter = (tmp_path / "letter.html").read_text("utf-8")
    assert letter.startswith("<!DOCTYPE html>") and 'lang="ja"' in letter
    assert "Example" in letter  # the profile's organisation
    listed = manifest(tmp_path / "dist")
    assert {e["path"] for e in listed["files"]} >= {"kit/ja/students/poster-a4.pdf"}
    problems = namespace["problems"]
    assert [p.parts[-3] for p in problems] == ["ja"] and isinstance(problems, dict)


def pdf_text_pages(path) -> str:
    return subprocess.run(
        [tool("pdftotext", "poppler-utils"), str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def test_the_cli_and_the_library_make_the_same_files(kit, tmp_path):
    made = library.poster("ja", size="a4", locales=LOCALES)
    result = kit("poster", "--locale", "ja", "--size", "a4", "-o", str(tmp_path / "p.pdf"))
    assert result.exit_code == 0, result.output
    assert (tmp_path / "p.pdf").read_bytes() == made.data
    assert made.format == "pdf" and made.size == "a4" and made.sides == 1
    text = kit("text", "--locale", "ja", "--format", "markdown", "--locales", str(LOCALES))
    assert text.stdout == library.text("ja", format="markdown", locales=LOCALES).text


@pytest.mark.parametrize(
    ("call", "param"),
    [
        (lambda: library.poster("ja", size="a5"), "size"),
        (lambda: library.poster("ja", format="jpg"), "format"),
        (lambda: library.poster("ja", second_locale="ja-JP"), "second_locale"),
        (lambda: library.poster("ja", audience="teachers"), "audience"),
        (lambda: library.poster("vi", draft=True, fallback="fr"), "fallback"),
        (lambda: library.poster("ja", site_url="ftp://example.org/"), "site_url"),
        (lambda: library.text("ja", format="docx"), "format"),
        (lambda: library.build("out", sizes=["a5"]), "sizes"),
        (lambda: library.build("out", pairs=[("ja", "ja-JP")]), "pairs"),
    ],
)
def test_a_wrong_argument_is_a_request_error_naming_it(call, param, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(RequestError) as caught:
        call()
    assert caught.value.param == param and caught.value.exit_code == 2
    assert not (tmp_path / "out").exists()


def test_bad_input_is_a_kit_error_with_its_file_and_line(tmp_path):
    locales = tmp_path / "locales"
    shutil.copytree(LOCALES, locales)
    po = locales / "ja" / "LC_MESSAGES" / "messages.po"
    po.write_text(po.read_text("utf-8") + '\nmsgid "unterminated\n', "utf-8")
    with pytest.raises(CatalogError) as caught:
        library.poster("ja", locales=locales)
    assert caught.value.file == str(po) and caught.value.line and caught.value.exit_code == 1


def test_the_exit_codes_are_the_exception_classes(kit, tmp_path):
    report = BuildReport(failed=[("kit/ja/students/poster-a4.pdf", "why")])
    assert KitError("x").exit_code == 1 and RequestError("x", param="size").exit_code == 2
    assert BuildIncomplete("x", report).exit_code == 3
    assert BuildInterrupted("x", 15, report).exit_code == 143
    # Through the CLI: each one's code, one line, no traceback.
    for error, code in ((KitError("a bad catalog"), 1), (BuildIncomplete("1 failed", report), 3)):

        @click.command()
        def fails(error=error) -> None:
            raise error

        from kit.cli import main

        main.add_command(fails, "fails")
        try:
            result = kit("fails")
        finally:
            main.commands.pop("fails")
        assert result.exit_code == code and result.stderr == f"Error: {error}\n"


@pytest.mark.parametrize(
    ("asked", "catalog", "paper", "size"),
    [
        ("en-US", "en", None, "letter"),
        ("en-GB", "en", None, "a4"),  # the region asked for, not the catalog's
        ("ja", "ja", None, "a4"),
        ("ja-x-easy", "ja", None, "a4"),  # a tag CLDR does not know: the catalog's
        ("en-US", "en", "a3", "a3"),  # the organisation's paper, in every language
    ],
)
def test_one_rule_for_the_size_a_poster_gets(asked, catalog, paper, size):
    assert poster_size(asked, catalog, paper) == size


def test_the_studio_and_the_build_take_the_posters_size_rule():
    """The rule is called, not copied: the studio and the build's plan ask poster_size."""
    for module in ("kit/cli/studio.py", "kit/batch/plan.py", "kit/api.py"):
        assert "poster_size(" in (ROOT / module).read_text("utf-8"), module
    callers = [
        p.relative_to(ROOT).as_posix()
        for p in (ROOT / "kit").rglob("*.py")
        if "default_size(" in p.read_text("utf-8")
    ]
    assert sorted(callers) == ["kit/render/sizes.py"]
