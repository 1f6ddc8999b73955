"""The layout gate (tests/layout_gate.py) on the poster matrix, read from the PDFs alone.

Every locale x audience x size, plus bilingual pairs, must hold: no glyph of one line in
another's ink, no glyph across a rule or card edge, right-to-left paragraphs aligned
right, no run below its floor, no bad line break, social images filled. The default run
checks a representative subset; the whole matrix is behind the `layout_matrix` marker:

    python -m pytest -m layout_matrix tests/test_layout_gate.py

The posters are rendered and measured in parallel worker processes (spawned: Typst's
threads do not survive a fork).
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from kit.render.sizes import SIZES

from .conftest import LOCALES
from .layout_gate import Report, check, lines, read_page

LOCALE_NAMES = ["ar", "en", "es", "fil", "id", "ja", "ja@easy", "ko", "ne", "pt_BR", "th", "vi",
                "zh_Hans"]
AUDIENCES = ["students", "guardians"]
PAIRS = [("ja", "en"), ("en", "ja"), ("ar", "en"), ("ko", "ja")]
# Bilingual posters carry twice the text: they must fit these sizes; on the others they
# may instead be refused, with the error that says so.
BILINGUAL_SIZES = ("b4", "a3")


def case_id(locale: str, second: str | None, audience: str, size: str) -> str:
    return f"{locale}{'+' + second if second else ''}-{audience}-{size}"


def full_matrix() -> list[tuple[str, str | None, str, str]]:
    single = [(loc, None, a, s) for loc in LOCALE_NAMES for a in AUDIENCES for s in SIZES]
    pairs = [(a, b, aud, s) for a, b in PAIRS for aud in AUDIENCES for s in SIZES]
    return single + pairs


def subset() -> list[tuple[str, str | None, str, str]]:
    """Every locale once, the sizes and audiences taken in turn; the scripts that reach
    furthest (Arabic, Easy Japanese with furigana) on paper and both images; two
    bilingual pairs."""
    sizes = list(SIZES)
    turn = [(loc, None, AUDIENCES[i % 2], sizes[i % len(sizes)])
            for i, loc in enumerate(LOCALE_NAMES)]
    tall = [(loc, None, "students", s) for loc in ("ar", "ja@easy") for s in ("a4", "square",
                                                                             "story")]
    pairs = [("ja", "en", "guardians", "a3"), ("ar", "en", "students", "b4")]
    return list(dict.fromkeys(turn + tall + pairs))


_STATE: dict[str, Any] = {}


def _init() -> None:
    from kit.campaign import load_campaign

    _STATE["campaign"] = load_campaign()


@dataclass
class Measured:
    report: Report
    translator_line: str  # the line that names the translators
    label: str  # the credit's label, "Translation" in the poster's language


def _measure(case: tuple[str, str | None, str, str]) -> tuple[str, Measured | str]:
    """Render one poster (drafts allowed, marked as such) and measure its PDF."""
    from kit.errors import KitError
    from kit.localize import localize
    from kit.render.poster import PosterOptions, render_poster

    locale, second, audience, size = case
    campaign = _STATE["campaign"]
    first = localize(campaign, locale, audience, LOCALES, drafts=True)
    other = localize(campaign, second, audience, LOCALES, drafts=True) if second else None
    draft = any(m.missing for m in (first, other) if m is not None)
    try:
        pdf = render_poster(first, other, PosterOptions(size=size, draft=draft))
    except KitError as e:
        return case_id(*case), str(e)
    report = check(pdf)
    label = first.labels["label_translation"].text if "label_translation" in first.labels else ""
    return case_id(*case), Measured(report, next((t for t in report.texts if "kit" in t), ""),
                                    label)


@pytest.fixture(scope="module")
def measured(request: pytest.FixtureRequest) -> dict[str, Measured | str]:
    """Every poster this session's tests ask for, rendered and measured at once."""
    wanted = {item.callspec.params["case"] for item in request.session.items
              if item.module is request.module and hasattr(item, "callspec")
              and isinstance(item.callspec.params.get("case"), tuple)}
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=os.cpu_count() or 1, initializer=_init,
                             mp_context=context) as pool:
        return dict(pool.map(_measure, sorted(wanted, key=str), chunksize=2))


def assert_holds(case: tuple[str, str | None, str, str], measured: Measured | str) -> None:
    locale, second, audience, size = case
    if isinstance(measured, str):
        result = measured
        # Only a bilingual poster may be refused, only on the smaller sizes, and only as
        # too long for the page: never printed below its floor instead.
        assert second and size not in BILINGUAL_SIZES, result
        assert "does not fit even at the" in result and "too long" in result, result
        return
    result = measured.report
    assert not result.failures(), result.failures()
    assert result.size == size
    if size in ("square", "story"):  # composed for their frame: no empty band over 10 %
        assert result.largest_gap <= 0.10, result.largest_gap
    if locale == "ja@easy" and SIZES[size].kind == "print":
        assert result.furigana and min(result.furigana) >= 6
    if locale != "en":  # the translator credit: its label and the name on one line
        line = measured.translator_line
        assert line and any(c in line for c in measured.label if not c.isspace()), line


@pytest.mark.parametrize("case", subset(), ids=lambda c: case_id(*c))
def test_poster_layout_holds(case, measured):
    assert_holds(case, measured[case_id(*case)])


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """The whole matrix only when asked for with -m layout_matrix (CI asks)."""
    if metafunc.function.__name__ == "test_poster_layout_holds_on_the_whole_matrix":
        asked = "layout_matrix" in (metafunc.config.getoption("markexpr") or "")
        cases = full_matrix() if asked else []
        metafunc.parametrize("case", cases, ids=[case_id(*c) for c in cases])


@pytest.mark.layout_matrix
def test_poster_layout_holds_on_the_whole_matrix(case, measured):
    assert_holds(case, measured[case_id(*case)])


# ---- the gate itself must see what it is for --------------------------------------------

def typst_pdf(tmp_path: Path, body: str, page: str = "width: 200pt, height: auto") -> bytes:
    from kit.render.poster.compile import compiler

    (tmp_path / "t.typ").write_text(
        f'#set page({page}, margin: 10pt)\n'
        '#set text(font: ("Noto Sans", "Noto Sans Arabic", "Noto Sans CJK JP"))\n' + body,
        "utf-8")
    return compiler().compile(input=str(tmp_path / "t.typ"), root=str(tmp_path), format="pdf")


def test_gate_finds_lines_run_into_each_other(tmp_path):
    loose = check(typst_pdf(tmp_path, "#set par(leading: 0.6em)\n#lorem(30)"))
    assert not loose.collisions
    tight = check(typst_pdf(tmp_path, "#set par(leading: -0.2em)\n" + "Ggjpqy Ggjpqy " * 12))
    assert len(tight.collisions) > 10


def test_gate_finds_glyphs_across_a_rule_and_off_the_page(tmp_path):
    crossed = check(typst_pdf(tmp_path, "#set text(size: 20pt)\n"
                              "#box[Ggjpqy#place(bottom + left, dy: -2pt, line(length: 100pt))]"))
    assert crossed.crossings
    off = check(typst_pdf(tmp_path, "#place(dx: 185pt)[Wide]"))
    assert off.off_page


def test_gate_finds_right_to_left_paragraphs_aligned_left(tmp_path):
    text = "لا ترسل أبدًا صورًا عارية لمن تعرّفت إليه عبر الإنترنت " * 2
    right = check(typst_pdf(tmp_path, f'#set text(lang: "ar")\n{text}'))
    assert right.rtl_paragraphs == 1 and not right.rtl_misaligned
    left = check(typst_pdf(tmp_path, f'#set text(lang: "ar")\n#align(left)[{text}]'))
    assert left.rtl_misaligned


def test_gate_finds_small_runs_and_bad_breaks(tmp_path):
    small = check(typst_pdf(tmp_path, "#text(size: 7pt)[note] body text here",
                            page="width: 210mm, height: 297mm"))
    assert small.size == "a4"
    assert [size for _, size, _ in small.below_floor] == [7]  # the note; the body is 11 pt
    broken = check(typst_pdf(tmp_path, "text text text text text (#linebreak()+10%) more"))
    assert broken.bad_breaks


def test_gate_lines_keep_marks_with_their_letters():
    from kit.campaign import load_campaign
    from kit.localize import localize
    from kit.render.poster import PosterOptions, render_poster

    material = localize(load_campaign(), "th", "students", LOCALES, drafts=True)
    page = read_page(render_poster(material, None, PosterOptions(size="a4", draft=True)))
    # Thai tone marks and upper vowels sit on their own heights; they are still counted
    # in their letters' line, not as lines of their own.
    found = lines(page.glyphs)
    assert not [ln for ln in found if all("\u0e31" <= g.char <= "\u0e4e" for g in ln.ink)]
