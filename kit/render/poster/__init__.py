"""Posters: Material -> Typst -> PDF, PNG or SVG. The only package that knows Typst.

    phrases.py  where lines may break, per script (BudouX phrases, line rules, furigana)
    data.py     the template's data, typed: options, component specs, panels, floors
    compile.py  the Typst compile, overflow reported as data, errors as the kit's
    pdfboxes.py TrimBox and BleedBox for print shops
    textlayer.py the PDF's text: the glyphs drawn as outlines (outlines.py), each line
                 written invisibly over them (glyphless.py), each run tagged
    templates/poster.typ (in kit/render) lays it out

Translations reach Typst only as JSON data (sys.inputs), never as markup, and only the
kit's own fonts are used. Before compiling, every character is checked against those
fonts, so a missing glyph is an error rather than a silent box (tofu).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from kit.errors import KitError
from kit.fonts import missing_glyphs
from kit.material import Block, Material
from kit.profile import Profile, ProfileError
from kit.render.poster.data import PosterData, PosterOptions, SiteLink, poster_data
from kit.render.poster.pdfboxes import set_print_boxes
from kit.render.poster.sides import join_pdf, side_by_side
from kit.render.poster.textlayer import describe_svg, finish_poster, printed_runs
from kit.render.poster.typeset import (
    Overflow,
    TypstFailure,
    compile_poster,
    overflow_error,
    timestamp,
)
from kit.render.sizes import POSTER_FORMATS, SIZES

__all__ = [
    "PosterData",
    "Poster",
    "PosterOptions",
    "SiteLink",
    "check_poster_glyphs",
    "make_poster",
    "poster_data",
    "render_poster",
]


def check_poster_glyphs(data: PosterData, locale: str, profile: Profile | None = None) -> None:
    """Every character must have a glyph in the fonts chosen for it, or it would print as
    an empty box. Raises KitError naming the locale, message id and characters; for a
    line of the organisation's, ProfileError naming the profile's file and key."""
    problems = []
    for run in data.texts:
        missing = missing_glyphs(run.text, run.fonts)
        if not missing:
            continue
        chars = ", ".join(f"{c!r} (U+{ord(c):04X})" for c in missing)
        line = run.id.removeprefix("organisation.")
        if profile is not None and line != run.id:
            path, row, key = profile.for_locale(locale.split("+")[0]).field_of(int(line))
            raise ProfileError(
                f"{key} holds characters none of the kit's fonts has ({chars}); write them "
                "another way (the fonts cover Latin, Japanese, Chinese, Korean, Devanagari, "
                "Thai and Arabic script)",
                file=path,
                line=row,
            )
        problems.append(f"message {run.id!r} ({run.lang}): {chars}")
    figures = " ".join(getattr(c, "value", "") for col in data.columns for c in col.components)
    missing = missing_glyphs(figures + data.source_url, data.fonts)
    if missing:
        problems.append("figures: " + ", ".join(f"{c!r} (U+{ord(c):04X})" for c in missing))
    if problems:
        raise KitError(
            f"locale {locale}: the kit's fonts have no glyph for: " + "; ".join(problems)
        )


SIDES = ("auto", "one", "two")


@dataclass(frozen=True)
class Poster:
    data: bytes  # the file: PDF, PNG or SVG
    # 1, or 2 for a two-sided bilingual poster: each language on a side of its own (PDF
    # pages 1 and 2; a PNG or SVG shows the sides side by side).
    sides: int
    shown: tuple[str, ...] = ()  # the ids of the messages and lines it prints
    # The sizes chosen, {"body": pt, "headline": pt}: a one-sided poster's, for the next
    # preview's PosterOptions.fit_hint.
    sizes: dict[str, float] | None = None


def render_poster(
    material: Material,
    second: Material | None = None,
    options: PosterOptions | None = None,
    profile: Profile | None = None,
) -> bytes:
    """Compile the poster and return the file's bytes (PDF, PNG or SVG)."""
    return make_poster(material, second, options, profile).data


def make_poster(
    material: Material,
    second: Material | None = None,
    options: PosterOptions | None = None,
    profile: Profile | None = None,
) -> Poster:
    """The poster, in one language or two. A bilingual poster is set on one side when
    the page holds both languages at their floors; when it does not (options.sides
    "auto"), or when asked ("two"), each language gets a side of its own, whole, with a
    line at its top in the other language saying that that one is overleaf."""
    options = options or PosterOptions()
    _check_options(material, second, options)
    if second is None:
        data, out, overflows, sizes = _compiled(material, None, options, profile)
        if overflows:
            raise overflow_error(
                overflows, material, None, profile, options.size, options.site is not None
            )
        return Poster(_finished(out, options, data), 1, _ids(data), sizes)
    if options.sides != "two":
        data, out, overflows, sizes = _compiled(material, second, options, profile)
        if not overflows:
            return Poster(_finished(out, options, data), 1, _ids(data), sizes)
        if options.sides == "one" or SIZES[options.size].kind != "print":  # images: one side
            raise overflow_error(
                overflows, material, second, profile, options.size, options.site is not None
            )
    return _two_sided(material, second, options, profile)


def _ids(*data: PosterData) -> tuple[str, ...]:
    return tuple(sorted({run.id for d in data for run in d.texts}))


def _two_sided(
    material: Material, second: Material, options: PosterOptions, profile: Profile | None
) -> Poster:
    title = f"{material.title} / {second.title}"
    # A hint is one side's sizes: neither side of two starts from it.
    options = dataclasses.replace(options, fit_hint=None)
    if options.format == "pdf":
        (front_data, front), (back_data, back) = (
            _side(material, second, options, profile),
            _side(second, material, options, profile),
        )
        return Poster(join_pdf(front, back, title), 2, _ids(front_data, back_data))
    # A preview image of both sides, drawn from each side's SVG.
    svg = dataclasses.replace(options, format="svg")
    (data, front), (back_data, back) = (
        _side(material, second, svg, profile),
        _side(second, material, svg, profile),
    )
    page = data.page
    outer = 2 * (page.bleed + page.slug)
    size = (page.width + outer, page.height + outer)
    image = side_by_side(front, back, options.format, size, options.ppi)
    if options.format == "svg":
        runs = printed_runs(data) + printed_runs(back_data)
        image = describe_svg(image, title, data.lang, runs)
    return Poster(image, 2, _ids(data, back_data))


def _check_options(material: Material, second: Material | None, options: PosterOptions) -> None:
    if options.size not in SIZES:
        raise KitError(f"unknown size {options.size!r}; choose from {', '.join(SIZES)}")
    if options.format not in POSTER_FORMATS:
        raise KitError(
            f"unknown format {options.format!r}; choose from {', '.join(POSTER_FORMATS)}"
        )
    if options.sides not in SIDES:
        raise KitError(f"unknown sides {options.sides!r}; choose from {', '.join(SIDES)}")
    if options.sides == "two" and (second is None or SIZES[options.size].kind != "print"):
        raise KitError(
            "only a bilingual poster on paper can have two sides: give a second language "
            "and a paper size (a4, letter, b4, a3)"
        )
    for m in (material, second):  # the commands refuse first (kit.printable); this holds too
        if m is not None and m.missing and not options.draft:
            listed = ", ".join(f"{x.id} ({x.reason})" for x in m.missing)
            raise KitError(
                f"locale {m.locale}: {len(m.missing)} message(s) are not translated: "
                f"{listed}. Finish them, or pass --draft for a poster marked DRAFT."
            )


def _compiled(
    material: Material,
    second: Material | None,
    options: PosterOptions,
    profile: Profile | None,
    overleaf: Material | None = None,
) -> tuple[PosterData, bytes, list[Overflow], dict[str, float]]:
    data = poster_data(material, second, options, profile, overleaf)
    where = material.locale + (f"+{second.locale}" if second else "")
    check_poster_glyphs(data, where, profile)
    try:
        out, overflows, sizes = compile_poster(data, options, profile, timestamp(material))
    except TypstFailure as e:
        raise _blame(e, material, second, options, profile) from None
    return data, out, overflows, sizes


def _side(
    material: Material, other: Material, options: PosterOptions, profile: Profile | None
) -> tuple[PosterData, bytes]:
    """One side of a two-sided poster: `material` alone, `other`'s line overleaf, marked
    DRAFT only when its own language is not final."""
    options = dataclasses.replace(options, draft=options.draft and not material.complete)
    data, out, overflows, _ = _compiled(material, None, options, profile, other)
    if overflows:
        raise overflow_error(
            overflows, material, None, profile, options.size, options.site is not None
        )
    return data, _finished(out, options, data)


def _finished(out: bytes, options: PosterOptions, data: PosterData) -> bytes:
    if options.format == "pdf" and options.bleed:
        out = set_print_boxes(out, data.page.slug + options.bleed, data.page.slug)
    # Typst's text layer garbles Thai, Devanagari and Arabic, and its SVG holds no text.
    return finish_poster(out, options.format, data)


def _plain(material: Material, ids: set[str]) -> Material:
    """The material with the texts of `ids` replaced by a plain word, to test them away."""

    def block(b: Block) -> Block:
        return dataclasses.replace(b, text="x", ruby=None) if b.id in ids else b

    sections = tuple(
        dataclasses.replace(
            s, heading=s.heading and block(s.heading), blocks=tuple(map(block, s.blocks))
        )
        for s in material.sections
    )
    return dataclasses.replace(material, sections=sections, source=block(material.source))


def _blame(
    failure: TypstFailure,
    material: Material,
    second: Material | None,
    options: PosterOptions,
    profile: Profile | None,
) -> KitError:
    """Typst failed on a poster kit's checks passed. Find the one message whose text, made
    plain, lets it compile (halving the suspects each try), so the user learns what to
    change; when none does, say it is kit's fault. Runs only on this rare path."""
    where = material.locale + (f"+{second.locale}" if second else "")

    def compiles(ids: set[str]) -> bool:
        first, other = _plain(material, ids), second and _plain(second, ids)
        try:
            compile_poster(
                poster_data(first, other, options, profile), options, profile, timestamp(first)
            )
        except TypstFailure:
            return False
        return True

    suspects = sorted({b.id for m in (material, second) if m for b in m.blocks()})
    if compiles(set(suspects)):
        while len(suspects) > 1:
            half = suspects[: len(suspects) // 2]
            suspects = half if compiles(set(half)) else suspects[len(half) :]
        if compiles(set(suspects)):
            return KitError(
                f"locale {where}: this translation cannot be typeset ({failure.message}). "
                "Rewrite it, or report it to kit with the catalog: kit should have refused "
                "it with a plainer reason.",
                msgid=suspects[0],
            )
    return KitError(
        f"locale {where}: kit could not lay out this poster ({failure.message}), and no single "
        "message is to blame: this is a fault in kit. Please report it with the catalog."
    )
