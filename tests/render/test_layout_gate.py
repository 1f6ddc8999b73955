"""The layout gate (tests/render/layout_gate.py) on the poster matrix, read from the PDFs alone.

Every locale x audience x size, plus bilingual pairs, must hold: no glyph of one line in
another's ink, no glyph across a rule or card edge, right-to-left paragraphs aligned
right, no run below its floor, no bad line break, social images filled. NGOs print their
organisation's footer on every poster, so a representative set of locales is measured
with one too: the example profile, and the longest a profile may be (three contact lines
of 80 characters, a name of 80, a long address). The default run checks a representative
subset; the whole matrix is behind the `layout_matrix` marker:

    python -m pytest -m layout_matrix tests/render/test_layout_gate.py

Bilingual posters, every ordered pair of the shipped locales on every paper size for both
audiences, are made (on one side, or a side each when one cannot hold both) and hold
too: every pair once, the sizes and audiences in turn, with `-m bilingual_pairs` (CI
runs it); all 1248 with `-m bilingual_matrix`.

The posters are rendered and measured in parallel worker processes (spawned: Typst's
threads do not survive a fork).
"""

from __future__ import annotations

import dataclasses
import itertools
import multiprocessing
import os
import re
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from kit.profile import MAX_LINE, example_profile_path
from kit.render.sizes import SIZES

from ..conftest import LOCALES, SHIPPED_LOCALES
from .layout_gate import Report, check, lines, page_count, read_page, typst_layout


@pytest.fixture(autouse=True, scope="module")
def _as_typst_laid_it_out():
    """The gate measures Typst's layout (see layout_gate.typst_layout)."""
    with typst_layout():
        yield


LOCALE_NAMES = SHIPPED_LOCALES
AUDIENCES = ["students", "guardians"]
PAIRS = [("ja", "en"), ("en", "ja"), ("ar", "en"), ("ko", "ja")]
PAPER = [s for s in SIZES if SIZES[s].kind == "print"]
# Bilingual social images carry twice the text on one side: they may be refused, with the
# error that says so (a social image has no other side).
SOCIAL = [s for s in SIZES if SIZES[s].kind != "print"]
ALL_PAIRS = list(itertools.permutations(LOCALE_NAMES, 2))

# Organisation footers: the scripts that reach furthest or run longest, on every size.
PROFILE_LOCALES = ["ja", "en", "ar", "th", "ne", "ja@easy", "zh_Hans", "ko", "vi"]
PROFILE_PAIRS = [("ja", "en")]
# The longest profile kit accepts: every line at MAX_LINE characters, the address broken
# by one piece too long for a narrow column.
LONG_PROFILE: dict[str, Any] = {
    "name": "Example Regional Network for the Online Safety of Children and Youth (fictional)",
    "contacts": [
        "Talk first to a teacher you trust, the school nurse or the counselling room team",
        "Counselling room: 2nd floor, by the library, open on all school days after lunch",
        "Parents and guardians: ask the head teacher's office for a meeting in confidence",
    ],
    "url": "https://example.org/regional-network-for-online-safety-of-children-and-families/"
    "contact",
    "logo": {"path": "example-logo.svg", "alt": "Logo of the fictional network: a shield"},
}
# Posters the long profile leaves too little room for even at every floor (Easy Japanese
# sets its text larger to keep its furigana at theirs): refused with the error that names
# the profile's field, never printed smaller.
# Letter joined them when the footer took a "Where to get help" heading (issue 23): 1 %.
LONG_REFUSED = {("ja@easy", None, "students", "square"), ("ja@easy", None, "students", "letter")}

Case = tuple[str, str | None, str, str, str | None]  # locale, second, audience, size, profile


def case_id(
    locale: str, second: str | None, audience: str, size: str, profile: str | None = None
) -> str:
    pair = f"{locale}{'+' + second if second else ''}"
    return f"{pair}-{audience}-{size}" + (f"-{profile}" if profile else "")


def full_matrix() -> list[Case]:
    """Every locale, audience and size without a profile; with the example profile, the
    profile locales and pairs on every size and audience; with the long one, on every
    size, the audiences taken in turn (and both, for the pairs on the sizes they must
    fit), and where it is refused."""
    sizes = list(SIZES)
    single: list[Case] = [
        (loc, None, a, s, None) for loc in LOCALE_NAMES for a in AUDIENCES for s in sizes
    ]
    pairs: list[Case] = [(a, b, aud, s, None) for a, b in PAIRS for aud in AUDIENCES for s in sizes]
    example: list[Case] = [
        (loc, second, a, s, "example")
        for loc, second in [(x, None) for x in PROFILE_LOCALES] + PROFILE_PAIRS
        for a in AUDIENCES
        for s in sizes
    ]
    long: list[Case] = [
        (loc, None, AUDIENCES[(i + j) % 2], s, "long")
        for i, loc in enumerate(PROFILE_LOCALES)
        for j, s in enumerate(sizes)
    ]
    long += [(a, b, aud, s, "long") for a, b in PROFILE_PAIRS for aud in AUDIENCES for s in PAPER]
    long += [(*c, "long") for c in sorted(LONG_REFUSED, key=str)]
    return list(dict.fromkeys(single + pairs + example + long))


def bilingual_matrix() -> list[Case]:
    """Every ordered pair of the shipped locales, on every paper size, for both audiences."""
    return [(a, b, aud, s, None) for a, b in ALL_PAIRS for s in PAPER for aud in AUDIENCES]


def bilingual_pairs() -> list[Case]:
    """Every ordered pair once, the paper sizes and audiences taken in turn (each of the
    eight combinations for about twenty pairs)."""
    turns = [(s, aud) for s in PAPER for aud in AUDIENCES]
    return [(a, b, *turns[i % len(turns)][::-1], None) for i, (a, b) in enumerate(ALL_PAIRS)]


def subset() -> list[Case]:
    """Every locale once, the sizes and audiences taken in turn; the scripts that reach
    furthest (Arabic, Easy Japanese with furigana) on paper and both images; two
    bilingual pairs; organisation footers on the square (the README's school), on Easy
    Japanese Letter (the fullest page), and the long profile where it is refused."""
    sizes = list(SIZES)
    turn: list[Case] = [
        (loc, None, AUDIENCES[i % 2], sizes[i % len(sizes)], None)
        for i, loc in enumerate(LOCALE_NAMES)
    ]
    tall: list[Case] = [
        (loc, None, "students", s, None)
        for loc in ("ar", "ja@easy")
        for s in ("a4", "square", "story")
    ]
    # The school's pairs of the issue on A4 and Letter (a side each), Easy Japanese beside
    # English, Arabic beside Japanese both ways: on one side or two, as each needs.
    pairs: list[Case] = [
        ("ja", "en", "guardians", "a3", None),
        ("ar", "en", "students", "b4", None),
        ("ja", "vi", "students", "a4", None),
        ("vi", "ja", "guardians", "a4", None),
        ("ja", "pt_BR", "guardians", "letter", None),
        ("fil", "ja", "students", "letter", None),
        ("ja@easy", "en", "students", "b4", None),
        ("en", "ja@easy", "guardians", "a3", None),
        ("ar", "ja", "guardians", "a4", None),
        ("ja", "ar", "students", "b4", None),
    ]
    org: list[Case] = [
        ("ja", None, "students", "square", "example"),
        ("ar", None, "guardians", "story", "long"),
        ("ja@easy", None, "students", "letter", "example"),
        ("ja@easy", None, "students", "letter", "long"),
        ("ja", "en", "students", "b4", "long"),
    ]
    # Pointing to the site (--site-url), with the example profile or none ("+site").
    site: list[Case] = [
        ("ar", None, "students", "a4", "example+site"),
        ("ja", "en", "guardians", "a3", "example+site"),
        ("ja@easy", None, "students", "a3", "example+site"),
        ("th", None, "guardians", "letter", "+site"),
        ("ne", "ja", "students", "b4", "+site"),
    ]
    return list(dict.fromkeys(turn + tall + pairs + org + site))


_STATE: dict[str, Any] = {}


def _init() -> None:
    from kit.campaign import load_campaign
    from kit.profile import load_profile, profile_from_mapping

    _STATE["campaign"] = load_campaign()
    example = example_profile_path()
    _STATE["profiles"] = {
        "example": load_profile(example),
        "long": profile_from_mapping(LONG_PROFILE, example, example.parent),
    }


# The line that ends with the catalogs' translator (Last-Translator: kit), or starts with
# it in a right-to-left line; the gate's texts have no spaces, so the label runs into it
# (Traduçãokit).
CREDIT = re.compile(r"^kit|kit$")


@dataclass
class Side:
    report: Report
    translator_line: str  # the line that names the translators
    label: str  # the credit's label, "Translation" in the side's language
    locale: str  # the side's first language


@dataclass
class Measured:
    sides: list[Side]  # one, or two for a bilingual poster with a language a side
    overleaf: list[str]  # each side's line saying the other language is overleaf

    @property
    def report(self) -> Report:
        return self.sides[0].report


def _measure(case: Case) -> tuple[str, Measured | str]:
    """Render one poster (drafts allowed, marked as such) and measure its PDF."""
    from kit.errors import KitError
    from kit.localize import localize
    from kit.render.poster import PosterOptions, SiteLink, render_poster

    locale, second, audience, size, profile = case
    campaign = _STATE["campaign"]
    first = localize(campaign, locale, audience, LOCALES, drafts=True)
    other = localize(campaign, second, audience, LOCALES, drafts=True) if second else None
    draft = any(m.missing for m in (first, other) if m is not None)
    org, _, site = (profile or "").partition("+")
    link = SiteLink("https://example.org/advice/", tuple(SHIPPED_LOCALES)) if site else None
    try:
        with typst_layout():
            pdf = render_poster(
                first,
                other,
                PosterOptions(size=size, draft=draft, site=link),
                _STATE["profiles"].get(org),
            )
    except KitError as e:
        return case_id(*case), str(e)
    materials = [first] if page_count(pdf) == 1 or other is None else [first, other]
    sides, overleaf = [], []
    for number, m in enumerate(materials):
        report = check(pdf, number)
        label = m.labels["label_translation"].text if "label_translation" in m.labels else ""
        sides.append(
            Side(
                report,
                next((t for t in report.texts if CREDIT.search(t)), ""),
                label,
                m.locale,
            )
        )
        if len(materials) == 2:  # the top lines (furigana first): the other's language
            overleaf.append("".join(report.texts[:4]))
    return case_id(*case), Measured(sides, overleaf)


@pytest.fixture(scope="module")
def measured(request: pytest.FixtureRequest) -> dict[str, Measured | str]:
    """Every poster this session's tests ask for, rendered and measured at once."""
    wanted = {
        item.callspec.params["case"]
        for item in request.session.items
        if isinstance(item, pytest.Function)  # what has a module: pytest types items as Item
        and item.module is request.module
        and hasattr(item, "callspec")
        and isinstance(item.callspec.params.get("case"), tuple)
    }
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(
        max_workers=os.cpu_count() or 1, initializer=_init, mp_context=context
    ) as pool:
        return dict(pool.map(_measure, sorted(wanted, key=str), chunksize=2))


def assert_holds(case: Case, measured: Measured | str) -> None:
    locale, second, audience, size, profile = case
    if isinstance(measured, str):
        error = measured
        if profile == "long" and case[:4] in LONG_REFUSED:
            # The organisation's lines are what leaves too little room: the error says
            # which of the profile's fields to shorten, naming the profile.
            assert "the organisation's footer leaves too little room" in error, error
            assert "'contacts'" in error and "example.toml" in error, error
            return
        # Only a bilingual social image may be refused (paper has a second side), and
        # only as too long for it: never printed below its floor instead.
        assert second and size in SOCIAL, error
        assert "does not fit even at the" in error and "too long" in error, error
        return
    assert not (profile == "long" and case[:4] in LONG_REFUSED), (
        "fits now: drop it from LONG_REFUSED"
    )
    if len(measured.sides) == 2:  # each side names the other's language, in that language
        assert second and size in PAPER
        for top, other in zip(measured.overleaf, (second, locale), strict=True):
            assert set(squash(overleaf_line(other))) <= set(squash(top)), (top, other)
    for side in measured.sides:
        result = side.report
        assert not result.failures(), result.failures()
        assert result.size == size
        if size in ("square", "story"):  # composed for their frame: no empty band over 10 %
            assert result.largest_gap <= 0.10, result.largest_gap
        if "ja@easy" in (side.locale, second if len(measured.sides) == 1 else None) and (
            size in PAPER
        ):
            assert result.furigana and min(result.furigana) >= 6
        if side.locale != "en":  # the translator credit: its label and the name on one line
            line = side.translator_line
            assert line and any(c in line for c in side.label if not c.isspace()), line
        org, _, site = (profile or "").partition("+")
        if org:  # every line of the profile is printed, whole, on each side
            printed = " ".join(result.texts)
            assert profile_lines(org) <= words(printed), profile
        if site:  # and the site's address (a narrow column breaks it after a slash)
            ends = [t for t in result.texts if t.startswith("https://example.org/")]
            assert [e for e in ends if e.endswith("/advice/")] or (
                "https://example.org/" in ends and "advice/" in result.texts
            ), profile


def squash(text: str) -> str:
    return "".join(text.split())


def overleaf_line(locale: str) -> str:
    from kit.campaign import load_campaign
    from kit.localize import localize

    material = localize(load_campaign(), locale, "students", LOCALES, drafts=True)
    return material.labels["label_other_side"].text


def profile_lines(profile: str) -> set[str]:
    from kit.profile import load_profile

    if profile == "long":
        texts = [LONG_PROFILE["name"], *LONG_PROFILE["contacts"]]
    else:
        found = load_profile(example_profile_path())
        texts = [found.name, *found.contacts]
    return words(" ".join(texts))


def words(text: str) -> set[str]:
    return set(text.replace("\u200b", "").replace("\u00a0", " ").split())


def test_the_long_profile_is_as_long_as_a_profile_may_be():
    assert len(LONG_PROFILE["name"]) == MAX_LINE
    assert [len(c) for c in LONG_PROFILE["contacts"]] == [MAX_LINE] * 3


@pytest.mark.parametrize("case", subset(), ids=lambda c: case_id(*c))
def test_poster_layout_holds(case, measured):
    assert_holds(case, measured[case_id(*case)])


_MATRICES = {
    "test_poster_layout_holds_on_the_whole_matrix": ("layout_matrix", full_matrix),
    "test_bilingual_posters_hold_for_every_pair": ("bilingual_pairs", bilingual_pairs),
    "test_bilingual_posters_hold_on_the_whole_matrix": ("bilingual_matrix", bilingual_matrix),
}


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """A matrix only when asked for with its marker (-m layout_matrix: CI asks)."""
    if metafunc.function.__name__ in _MATRICES:
        marker, matrix = _MATRICES[metafunc.function.__name__]
        asked = marker in (metafunc.config.getoption("markexpr") or "")
        cases = matrix() if asked else []
        metafunc.parametrize("case", cases, ids=[case_id(*c) for c in cases])


@pytest.mark.layout_matrix
def test_poster_layout_holds_on_the_whole_matrix(case, measured):
    assert_holds(case, measured[case_id(*case)])


@pytest.mark.bilingual_pairs
def test_bilingual_posters_hold_for_every_pair(case, measured):
    assert_holds(case, measured[case_id(*case)])


@pytest.mark.bilingual_matrix
def test_bilingual_posters_hold_on_the_whole_matrix(case, measured):
    assert_holds(case, measured[case_id(*case)])


# ---- the gate itself must see what it is for --------------------------------------------


def typst_pdf(tmp_path: Path, body: str, page: str = "width: 200pt, height: auto") -> bytes:
    from kit.render.poster.typeset import compiler

    (tmp_path / "t.typ").write_text(
        f"#set page({page}, margin: 10pt)\n"
        '#set text(font: ("Noto Sans", "Noto Sans Arabic", "Noto Sans CJK JP"))\n' + body,
        "utf-8",
    )
    return compiler().compile(input=str(tmp_path / "t.typ"), root=str(tmp_path), format="pdf")


def test_gate_finds_lines_run_into_each_other(tmp_path):
    loose = check(typst_pdf(tmp_path, "#set par(leading: 0.6em)\n#lorem(30)"))
    assert not loose.collisions
    tight = check(typst_pdf(tmp_path, "#set par(leading: -0.2em)\n" + "Ggjpqy Ggjpqy " * 12))
    assert len(tight.collisions) > 10


def test_gate_finds_glyphs_across_a_rule_and_off_the_page(tmp_path):
    crossed = check(
        typst_pdf(
            tmp_path,
            "#set text(size: 20pt)\n"
            "#box[Ggjpqy#place(bottom + left, dy: -2pt, line(length: 100pt))]",
        )
    )
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
    small = check(
        typst_pdf(
            tmp_path, "#text(size: 7pt)[note] body text here", page="width: 210mm, height: 297mm"
        )
    )
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


@pytest.mark.parametrize(("audience", "size"), [("students", "a3"), ("guardians", "b4")])
def test_easy_japanese_beside_english_takes_a_side_each_unless_both_fit(audience, size):
    """As the README says: on one side only on the guardians' B4; elsewhere asked for one
    side it is refused with the floor's error (never printed smaller), and by default it
    is a side each, both holding."""
    from kit.errors import KitError
    from kit.localize import localize
    from kit.render.poster import PosterOptions, make_poster

    _init()
    first, second = (
        localize(_STATE["campaign"], loc, audience, LOCALES, drafts=True)
        for loc in ("ja@easy", "en")
    )
    options = PosterOptions(size=size, draft=True)
    poster = make_poster(first, second, options)
    assert [check(poster.data, n).failures() for n in range(page_count(poster.data))] == [
        []
    ] * poster.sides
    if size == "b4":
        assert poster.sides == 1
        return
    assert poster.sides == 2
    with pytest.raises(KitError, match=r"does not fit even at the 13\.33 pt floor"):
        make_poster(first, second, dataclasses.replace(options, sides="one"))
