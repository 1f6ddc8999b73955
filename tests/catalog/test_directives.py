"""`kit catalog check` follows the format flags as `msgfmt -c` does, and kit's own rules
apply with their severities: errors on kit's catalogs, warnings on others."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from kit.campaign import load_campaign
from kit.catalog.check import check_file

from ..conftest import tool

HEADER = (
    'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Language: {lang}\\n"\n'
    '"Plural-Forms: {plural}\\n"\n\n'
)
DE = "nplurals=2; plural=(n != 1);"


def write(tmp_path: Path, body: str, lang="de", plural=DE) -> Path:
    path = tmp_path / "x.po"
    path.write_text(HEADER.format(lang=lang, plural=plural) + body, "utf-8")
    return path


def errors(path: Path, **kw) -> list[str]:
    return [f.code for f in check_file(path, **kw) if f.severity == "error"]


def msgfmt_rejects(path: Path) -> bool:
    return (
        subprocess.run(
            [tool("msgfmt", "gettext"), "-c", "-o", "/dev/null", str(path)], capture_output=True
        ).returncode
        != 0
    )


@pytest.mark.parametrize(
    ("body", "rejected"),
    [
        # c-format: a swap of %s and %d, positional arguments, %%
        ('#, c-format\nmsgid "%s of %d"\nmsgstr "%d von %s"\n', True),
        ('#, c-format\nmsgid "%s of %d"\nmsgstr "%2$d von %1$s"\n', False),
        ('#, c-format\nmsgid "%d%% done"\nmsgstr "%d %% fertig"\n', False),
        ('#, c-format\nmsgid "%d%% done"\nmsgstr "%d % fertig"\n', True),
        # python-format: named and unnamed
        (
            '#, python-format\nmsgid "%(name)s has %(count)d"\nmsgstr "%(count)d bei %(name)s"\n',
            False,
        ),
        (
            '#, python-format\nmsgid "%(name)s has %(count)d"\nmsgstr "%(count)s bei %(name)s"\n',
            True,
        ),
        ('#, python-format\nmsgid "%(name)s"\nmsgstr "%(nom)s"\n', True),
        ('#, python-format\nmsgid "%s and %s"\nmsgstr "%s und"\n', True),
        # without a flag, nothing is a format string
        ('msgid "%s of %d"\nmsgstr "%d von %s"\n', False),
        ('msgid "{count} items"\nmsgstr "{anzahl} Dinge"\n', False),
        ('#, no-python-brace-format\nmsgid "{a}"\nmsgstr "{b}"\n', False),
        # python-brace-format: {}, {0}, {x.y}, {x:>5} are understood
        ('#, python-brace-format\nmsgid "{} of {}"\nmsgstr "{} von {}"\n', False),
        ('#, python-brace-format\nmsgid "{0} of {1}"\nmsgstr "{1} von {0}"\n', False),
        ('#, python-brace-format\nmsgid "{user.name}"\nmsgstr "{user.name}!"\n', False),
        ('#, python-brace-format\nmsgid "{x:>5}"\nmsgstr "{x:>5} Stück"\n', False),
        ('#, python-brace-format\nmsgid "{x} of {y}"\nmsgstr "{x} von {z}"\n', True),
        # plural forms: a form that stands for one number may leave the count out
        (
            '#, python-format\nmsgid "one file"\nmsgid_plural "%(n)d files"\n'
            'msgstr[0] "eine Datei"\n'
            'msgstr[1] "%(n)d Dateien"\n',
            False,
        ),
        (
            '#, python-format\nmsgid "one file"\nmsgid_plural "%(n)d files"\n'
            'msgstr[0] "%(n)d Datei"\n'
            'msgstr[1] "Dateien"\n',
            True,
        ),
        # newlines at the edges
        ('msgid "line\\n"\nmsgstr "Zeile"\n', True),
        # untranslated and fuzzy messages are not checked by msgfmt
        ('#, fuzzy, c-format\nmsgid "%s of %d"\nmsgstr "%d von %s"\n', False),
    ],
)
def test_errors_exactly_where_msgfmt_c_rejects(tmp_path, body, rejected):
    path = write(tmp_path, body)
    assert msgfmt_rejects(path) == rejected
    assert bool(errors(path)) == rejected, check_file(path)


@pytest.mark.parametrize(
    ("plural", "rejected"),
    [
        ("nplurals=2; plural=(n!=1);;", False),
        ("plural=(n != 1); nplurals=2;", False),
        ("nplurals=2; plural=" + "(" * 15 + "n != 1" + ")" * 15 + ";", False),
        ("nplurals=2; plural=" + "(" * 300 + "n" + ")" * 300 + ";", True),
        ("nplurals=2; plural=n/0;", True),
        ("nplurals=1; plural=n;", True),
    ],
)
def test_plural_forms_as_msgfmt_reads_them_and_never_an_internal_error(tmp_path, plural, rejected):
    path = write(
        tmp_path,
        'msgid "file"\nmsgid_plural "files"\nmsgstr[0] "Datei"\nmsgstr[1] "Dateien"\n',
        plural=plural,
    )
    found = check_file(path)
    assert not any(f.code == "internal" for f in found), found
    assert msgfmt_rejects(path) == rejected
    assert bool([f for f in found if f.severity == "error"]) == rejected, found


def test_a_template_with_plurals_needs_no_plural_forms(tmp_path):
    path = tmp_path / "x.pot"
    path.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "file"\nmsgid_plural "files"\nmsgstr[0] ""\nmsgstr[1] ""\n',
        "utf-8",
    )
    assert errors(path) == [] and not msgfmt_rejects(path)


def test_kits_own_checks_are_warnings_on_foreign_catalogs_errors_with_strict(tmp_path):
    # ZWNJ is needed in Persian; an HTML entity is no typed figure.
    path = write(
        tmp_path,
        '#, python-brace-format\nmsgid "{n} books"\nmsgstr "{n} کتاب\u200cها"\n\n'
        '#, python-brace-format\nmsgid "{n} quotes"\nmsgstr "{n} &#39;x&#39;"\n\n'
        '#, python-brace-format\nmsgid "{} of {}"\nmsgstr "{}"\n',
        lang="fa",
        plural="nplurals=2; plural=(n > 1);",
    )
    found = check_file(path)
    assert not msgfmt_rejects(path)  # gettext 0.21 does not read {} as a placeholder
    assert [(f.code, f.severity) for f in found] == [("placeholder-missing", "warning")]
    assert [f.code for f in check_file(path, strict=True) if f.severity == "error"] == [
        "placeholder-missing"
    ]


CAMPAIGN = (
    '#, python-brace-format\nmsgctxt "fig_boys"\n'
    'msgid "{count} of the victims was a boy. It can happen to anyone."\n'
    'msgid_plural "{count} of the victims were boys. It can happen to anyone."\n'
)


@pytest.mark.parametrize(
    ("msgstr", "code"),
    [
        ("男子も{count:>9999}人いました。", "placeholder-syntax"),
        ("男子も{count!r}人いました。", "placeholder-syntax"),
        ("男子も{count}人いました。😀", "no-glyph"),
        ("男子も{count}人いました。\ue000", "no-glyph"),
        ("男子も{count}人\ufeffいました。", "invisible"),
        ("男子も{count}人、263人いました。", "typed-figure"),
    ],
)
def test_campaign_rules_are_errors_on_kits_catalogs(tmp_path, msgstr, code):
    path = write(
        tmp_path, CAMPAIGN + f'msgstr[0] "{msgstr}"\n', lang="ja", plural="nplurals=1; plural=0;"
    )
    assert code in errors(path, campaign=load_campaign()), check_file(
        path, campaign=load_campaign()
    )
