"""`kit catalog check`: each check on crafted catalogs, firing and staying quiet."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kit.campaign import load_campaign
from kit.catalog.check import check_file
from kit.plural import parse_plural_forms

from ..conftest import LOCALES

HEADER = """msgid ""
msgstr ""
"Language: {lang}\\n"
"MIME-Version: 1.0\\n"
"Content-Type: text/plain; charset={charset}\\n"
"Content-Transfer-Encoding: 8bit\\n"
"Plural-Forms: {plural}\\n"

"""
JA_PLURAL = "nplurals=1; plural=0;"


def write(tmp_path: Path, body: str, lang="ja", plural=JA_PLURAL, charset="UTF-8") -> Path:
    path = tmp_path / "crafted.po"
    path.write_text(HEADER.format(lang=lang, plural=plural, charset=charset) + body, "utf-8")
    return path


def codes(path: Path, strict=False) -> dict[str, str]:
    return {f.code: f.severity for f in check_file(path, load_campaign(), strict)}


def entry(
    msgstr: str,
    msgid="Tell an adult you trust, such as someone in your family or a teacher.",
    ctxt="help_tell",
    flags="",
) -> str:
    esc = msgstr.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    flag_line = f"#, {flags}\n" if flags else ""
    return f'{flag_line}msgctxt "{ctxt}"\nmsgid "{msgid}"\nmsgstr "{esc}"\n'


VICTIMS = (
    '#, python-brace-format\nmsgctxt "fig_victims"\n'
    'msgid "In {period}, {count} child was made to take and send nude selfies, '
    'a record high ({change} on a year earlier)."\n'
    'msgid_plural "In {period}, {count} children were made to take and send nude selfies, '
    'a record high ({change} on a year earlier)."\n'
)


@pytest.mark.parametrize(
    ("body", "expected", "severity"),
    [
        (entry("信頼できる大人に相談する。"), None, None),
        (entry(""), "untranslated", "warning"),
        (entry("信頼できる大人に相談する。", flags="fuzzy"), "fuzzy", "warning"),
        (VICTIMS + 'msgstr[0] "{period}に{count}人（{change}）"\n', None, None),
        (VICTIMS + 'msgstr[0] "{period}に{count}人"\n', "placeholder-missing", "error"),
        (
            VICTIMS + 'msgstr[0] "{period}に{count}人（{change}）{extra}"\n',
            "placeholder-extra",
            "error",
        ),
        (VICTIMS + 'msgstr[0] "{period}に{kazu}人（{change}）"\n', "placeholder-renamed", "error"),
        (VICTIMS + 'msgstr[0] "{period}に{count人（{change}）"\n', "placeholder-syntax", "error"),
        (
            VICTIMS + 'msgstr[0] "{period}に{count}人（{change}）"\nmsgstr[1] "x"\n',
            "plural-count",
            "error",
        ),
        (VICTIMS + 'msgstr[0] "{period}に263人（{change}）"\n', "placeholder-missing", "error"),
        (
            VICTIMS + 'msgstr[0] "{period}に{count}人、前年は238人（{change}）"\n',
            "typed-figure",
            "error",
        ),
        (
            entry("Tell an adult you trust, such as someone in your family or a teacher."),
            "same-as-source",
            "warning",
        ),
        (entry(" 信頼できる大人に相談する。"), "whitespace", "warning"),
        (entry("信頼できる\n大人に相談する。"), "newlines", "warning"),
        (entry("信頼できる大人に相談\u202eする。"), "bidi-control", "error"),
        (entry("信頼できる大人に\u200b相談する。"), "invisible", "warning"),
        (entry('信頼できる大人に #eval("1") 相談する。'), "markup", "warning"),
        (entry("信頼できる<b>大人</b>に相談する。"), "markup", "warning"),
        (entry("信頼できる[大人](http://x)に相談する。"), "markup", "warning"),
        (entry("信頼できる大人に相談する。" * 5), "length-budget", "warning"),
        (entry("｜信頼《しんらい》できる｜大人《おとな》に相談する。"), None, None),
        (entry("｜しんらい《しんらい》できる大人に相談する。"), "ruby", "error"),
        (entry("｜信頼《》できる大人に相談する。"), "ruby", "error"),
        (entry("信頼《しんらい できる大人に相談する。"), "ruby", "error"),
    ],
    ids=lambda v: v if isinstance(v, str) and len(v) < 24 else None,
)
def test_each_check_fires_on_its_problem_only(tmp_path, body, expected, severity):
    found = codes(write(tmp_path, body))
    if expected is None:
        assert found == {}
    else:
        assert found.get(expected) == severity, found


def test_length_budget_is_measured_as_printed_figures_filled(tmp_path):
    # {count} is 263 on the page, ruby readings take no room: within budget.
    text = (
        "｜被害《ひがい》にあった子どもには、男子も{count}人いました。"
        "だれにでも起こりうることです。"
    )
    body = (
        '#, python-brace-format\nmsgctxt "fig_boys"\n'
        'msgid "{count} of the victims was a boy. It can happen to anyone."\n'
        'msgid_plural "{count} of the victims were boys. It can happen to anyone."\n'
        f'msgstr[0] "{text}"\n'
    )
    assert codes(write(tmp_path, body)) == {}


def test_strict_makes_untranslated_and_fuzzy_errors(tmp_path):
    assert codes(write(tmp_path, entry("")), strict=True) == {"untranslated": "error"}


@pytest.mark.parametrize(
    ("plural", "code", "severity"),
    [
        ("nplurals=2; plural=(n != 1);", "plural-forms-rule", "warning"),
        ("nplurals=1; plural=n/0;", "plural-forms", "error"),
        ("nplurals=1; plural=(n%0);", "plural-forms", "error"),
        ("nplurals=1; plural=n == 1 ? 1 : 0;", "plural-forms", "error"),  # form 1 of 1
        ("nplurals=one; plural=0;", "plural-forms", "error"),
        ("nplurals=1; plural=__import__('os');", "plural-forms", "error"),
    ],
)
def test_plural_forms_header(tmp_path, plural, code, severity):
    found = codes(write(tmp_path, entry("相談する。"), plural=plural))
    assert found.get(code) == severity, found


def test_header_language_and_charset(tmp_path):
    # msgfmt -c only warns about a missing Language
    assert codes(write(tmp_path, entry("相談する。"), lang="")) == {"header-language": "warning"}
    # UTF-8 text under an ISO-8859-1 header would be read garbled: refused
    (finding,) = check_file(write(tmp_path, entry("相談する。"), charset="ISO-8859-1"))
    assert finding.code == "parse" and "declares charset=ISO-8859-1" in finding.message
    # a real Latin-1 catalog is read as such
    path = tmp_path / "latin1.po"
    path.write_bytes(
        (
            HEADER.format(lang="fr", plural="nplurals=2; plural=(n > 1);", charset="ISO-8859-1")
            + 'msgid "Coffee"\nmsgstr "Café"\n'
        ).encode("latin-1")
    )
    assert [f.code for f in check_file(path)] == []


def test_plural_expression_evaluator_matches_c_semantics():
    ar = parse_plural_forms(
        "nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : "
        "n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5);"
    )
    assert [ar(n) for n in (0, 1, 2, 3, 10, 11, 99, 100, 102, 111)] == [
        0,
        1,
        2,
        3,
        3,
        4,
        4,
        5,
        5,
        4,
    ]
    ru = parse_plural_forms(
        "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : "
        "n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);"
    )
    assert [ru(n) for n in (1, 2, 5, 11, 21, 22, 25)] == [0, 1, 2, 2, 0, 1, 2]
    with pytest.raises(ValueError):
        parse_plural_forms("nplurals=2; plural=n; import os;")


def test_a_file_that_does_not_parse_is_a_finding_not_a_crash(tmp_path):
    path = tmp_path / "broken.po"
    path.write_text('msgid "a"\nmsgstr "b"\ngarbage here\n', "utf-8")
    (finding,) = check_file(path)
    assert (finding.code, finding.severity, finding.line) == ("parse", "error", 3)
    path.write_bytes(b'msgid "a"\nmsgstr "\xff\xfe"\n')
    assert check_file(path)[0].code == "parse"


def test_shipped_reviewed_catalogs_have_no_errors():
    for locale in ("en", "ja"):
        found = check_file(LOCALES / locale / "LC_MESSAGES" / "messages.po", load_campaign())
        assert [str(f) for f in found] == []


def test_check_command_text_json_and_exit_codes(kit, tmp_path):
    good = write(tmp_path, entry("信頼できる大人に相談する。"))
    result = kit("catalog", "check", str(good))
    assert (
        result.exit_code == 0
        and result.stdout == ""
        and "0 error(s), 0 warning(s)" in result.stderr
    )
    bad = tmp_path / "bad.po"
    bad.write_text(
        HEADER.format(lang="ja", plural=JA_PLURAL, charset="UTF-8")
        + VICTIMS
        + 'msgstr[0] "{period}に{count}人"\n',
        "utf-8",
    )
    result = kit("catalog", "check", str(bad))
    assert result.exit_code == 1
    line = result.stdout.strip()
    assert line.startswith(
        f"{bad}:9: error: placeholder-missing: [fig_victims]"
    )  # the entry starts at its flags
    data = json.loads(kit("catalog", "check", str(bad), "--format", "json").stdout)
    assert data == [
        {
            "severity": "error",
            "code": "placeholder-missing",
            "file": str(bad),
            "line": 9,
            "locale": "ja",
            "msgid": "fig_victims",
            "message": "msgstr[0] drops {change}: the figure would not be shown",
        }
    ]
