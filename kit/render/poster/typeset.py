"""Compiling the poster with Typst, and Typst's failures as the kit's errors.

Only the kit's fonts are used, through one compiler per process (Typst memoizes layout
within a process, so the second format of the same poster costs little). A panel whose
text does not fit even at the floor is still laid out, at the floor, and reported as data
(`metadata(..) <kit-overflow>`), which the query after the compile reads back.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kit.data import path as data_path
from kit.errors import KitError
from kit.fonts import font_dir
from kit.material import Material
from kit.profile import Profile, ProfileError
from kit.render.poster.data import PosterData, PosterOptions, qr_code


@dataclass(frozen=True)
class Overflow:
    """A panel whose text is too long at the floor, as the template reports it."""

    panel: str
    ids: list[str]  # the panel's own messages
    ratio: float  # the room it needs over the room it has
    floor: float
    widest: str | None = None  # the message whose widest word or phrase is too wide for it
    org: bool = False  # it would fit beside the footer without the organisation's lines


@functools.cache
def compiler() -> Any:
    """One Typst compiler per process, with only the kit's fonts (cold start ~80 ms)."""
    import typst

    fonts = typst.Fonts(
        include_system_fonts=False, include_embedded_fonts=False, font_paths=[str(font_dir())]
    )
    return typst.Compiler(font_paths=fonts, ignore_system_fonts=True)


def template() -> bytes:
    return data_path("templates", "poster.typ").read_bytes()


def timestamp(material: Material) -> dt.datetime:
    """A fixed creation date, so identical inputs give byte-identical files."""
    day = dt.date.fromisoformat(material.revised)
    return dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)


def compile_poster(
    data: PosterData, options: PosterOptions, profile: Profile | None, when: dt.datetime
) -> tuple[bytes, list[Overflow], dict[str, float]]:
    """The file's bytes, the panels that overflowed and the sizes chosen (body, headline).
    Raises KitError when Typst fails."""
    import typst

    with tempfile.TemporaryDirectory(prefix="kit-poster-") as tmp:
        root = Path(tmp)
        (root / "poster.typ").write_bytes(template())
        if profile and profile.logo:
            (root / f"logo.{profile.logo.kind}").write_bytes(profile.logo.data)
        if profile and profile.url:
            qr_code(profile.url).save(str(root / "qr.svg"), kind="svg", border=0, dark="#1d3a6e")
        if data.site:
            qr_code(data.site.url).save(
                str(root / data.site.qr), kind="svg", border=0, dark="#1d3a6e"
            )
        typst_compiler = compiler()
        try:
            out = typst_compiler.compile(
                input=str(root / "poster.typ"),
                root=str(root),
                format=options.format,
                ppi=options.ppi,
                sys_inputs={"data": data.to_json()},
                timestamp=when,
                # PDF/UA-1 makes Typst enforce a title, alt texts and tagging; PDF/A-2a a
                # self-contained, archivable file that fails on text it cannot display.
                pdf_standards=["a-2a", "ua-1"] if options.format == "pdf" else [],
            )
            # Memoized: the query reads the layout the compile made.
            found = json.loads(typst_compiler.query("<kit-overflow>", field="value"))
            (sizes,) = json.loads(typst_compiler.query("<kit-fit>", field="value"))
        except typst.TypstError as e:
            if profile and profile.logo and "decode image" in e.message:
                raise KitError(
                    f"the logo cannot be read as a {profile.logo.kind.upper()} image ({e.message})",
                    file=profile.path,
                ) from None
            raise TypstFailure(e.message) from None
    if isinstance(out, list):  # several pages: the layout keeps a poster to one
        raise KitError(f"the poster ran to {len(out)} pages")
    return out, [Overflow(**o) for o in found], {k: sizes[k] for k in ("body", "headline")}


class TypstFailure(KitError):
    """Typst refused a poster that passed kit's own checks: render_poster finds the message
    to blame before the user sees it."""


def overflow_error(
    overflows: list[Overflow],
    material: Material,
    second: Material | None,
    profile: Profile | None = None,
    size: str = "",
    site: bool = False,
) -> KitError:
    """The error for the worst panel: which of its messages, by how much, what to do; or,
    when it is the organisation's lines that leave too little room, which of them. `site`:
    the poster points to a site, whose QR code takes room too."""
    larger = (
        "print this size without --site-url, or choose a larger --size"
        if site
        else ("choose a larger --size")
    )
    worst = max(overflows, key=lambda o: o.ratio)
    texts = {b.id: b.text for b in material.blocks()} | (
        {b.id: b.text for b in second.blocks()} if second else {}
    )
    locales = material.locale + (f"+{second.locale}" if second else "")
    over = max(worst.ratio - 1, 0.01)
    if profile is not None and worst.org:
        return ProfileError(
            f"locale {locales}: the organisation's footer leaves too little room on the "
            f"{size} poster: beside it, the {worst.panel} text does not fit even at the "
            f"{worst.floor:g} pt floor ({over:.0%} too long). The profile's {_largest(profile)} "
            f"take the most room: shorten them, or {larger}.",
            file=profile.path,
        )
    if worst.widest:
        named = worst.widest
        why = f"a word or phrase of {named!r} is wider than the {worst.panel}"
    else:
        named = max(worst.ids, key=lambda i: len(texts.get(i, "")))
        why = f"the longest message is {named!r}"
    # The template's ratio for a panel left no room at all (see `fill` in poster.typ).
    much = "there is no room left for it" if worst.ratio >= 1e6 else f"it is {over:.0%} too long"
    return KitError(
        f"locale {locales}: the {worst.panel} text does not fit even at the {worst.floor:g} pt "
        f"floor: {much} (messages {', '.join(worst.ids)}; {why}). "
        f"Shorten the translation, or {larger}.",
        msgid=named,
    )


def _largest(profile: Profile) -> str:
    """The profile's field with the most text, as the error names it."""
    fields = {
        "'name'": profile.name,
        "'contacts'": " ".join(profile.contacts),
        "'url'": profile.url or "",
    }
    return max(fields, key=lambda k: len(fields[k]))
