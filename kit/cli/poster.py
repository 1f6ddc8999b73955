"""`kit poster`: one printable poster or social image."""

from __future__ import annotations

from pathlib import Path

import click

from kit.cli.common import (
    audience,
    audience_option,
    campaign_option,
    catalogs,
    draft_options,
    fallback_allowed,
    load_campaign,
    locales_option,
    org_option,
    site_link,
    site_url_option,
    size_choice,
    warn_draft,
    write_output,
)
from kit.errors import KitError
from kit.render import POSTER_FORMATS


@click.command()
@click.option(
    "--locale",
    "-l",
    default="en",
    show_default=True,
    help="Language of the poster: a catalog name or tag such as ja, pt-BR.",
)
@click.option(
    "--second-locale",
    default=None,
    help="A second language shown under the first, smaller (bilingual poster); on paper "
    "too small for both, each language gets a side of its own (see --sides).",
)
@click.option(
    "--sides",
    type=click.Choice(["auto", "one", "two"]),
    default="auto",
    show_default=True,
    help="A bilingual paper poster: on one side when both languages fit it at their "
    "floors, else a side each (auto); one side or refused (one); a side each (two). Two "
    "sides make a two-page PDF to print double-sided, and a PNG or SVG of both side by side.",
)
@audience_option
@click.option(
    "--size",
    type=size_choice(),
    default=None,
    help="Paper (a4, a3, b4 JIS, letter) or social image (square 1080x1080 px, "
    "story 1080x1920 px). Default: the --org profile's `paper`, else Letter "
    "where the locale's region uses it (CLDR), else A4.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(POSTER_FORMATS, case_sensitive=False),
    default=None,
    help="Output format. Default: from the output file's suffix, else pdf.",
)
@org_option("Organisation profile (TOML): name, logo, contacts, URL with QR code.")
@site_url_option
@draft_options
@click.option(
    "--bleed",
    type=click.FloatRange(0, 10),
    default=0.0,
    show_default=True,
    help="Bleed in mm on each side, with crop marks, for print shops.",
)
@click.option(
    "--ppi",
    type=click.FloatRange(10, 1200),
    default=144.0,
    show_default=True,
    help="Pixels per inch for PNG (144 makes social images 1080 px wide).",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(path_type=Path, dir_okay=False),
    required=True,
    help="The poster file to write (.pdf, .png or .svg).",
)
@locales_option
@campaign_option
def poster(
    locale: str,
    second_locale: str | None,
    sides: str,
    audience_name: str | None,
    size: str | None,
    fmt: str | None,
    org_file: Path | None,
    site_url: str | None,
    draft: bool,
    fallback: str | None,
    bleed: float,
    ppi: float,
    output: Path,
    locales_dir: Path | None,
    campaign_file: Path | None,
) -> None:
    """Make a printable poster (PDF, PNG or SVG).

    Text shrinks to fit its box down to a legibility floor for the size; a translation
    too long even then is an error naming the message. Every character is checked
    against the kit's own fonts first, so nothing prints as an empty box. A catalog still
    awaiting review needs --draft (the poster is then marked DRAFT), one with messages not
    translated --draft --fallback en; a figure typed into a translation is refused.

    \b
    Examples:
      kit poster --locale ja --output poster.pdf
      kit poster --locale ja --second-locale en --audience guardians --size a3 -o a3.pdf
      kit poster --locale ja --second-locale vi --size a4 -o ja-vi.pdf   # a side each
      kit poster --locale en --size square --output post.png
      kit poster --locale ja --org our-ngo.toml --bleed 3 --output print-shop.pdf
      kit poster --locale ja --site-url https://example.org/advice/ -o poster.pdf
    """
    from kit.locales import available_locales, resolve_locale
    from kit.printable import printable
    from kit.profile import load_profile
    from kit.render import default_size, suffix_format
    from kit.render.poster import PosterOptions, make_poster

    implied = suffix_format(output)
    if implied is None and output.suffix and not fmt:
        raise click.BadParameter(
            f"cannot tell the format from {output.suffix!r}: name the file .pdf, .png or .svg",
            param_hint="--output",
        )
    if fmt and implied and fmt != implied:
        raise click.BadParameter(
            f"the file name says {implied} ({output.suffix}) but --format says "
            f"{fmt}: the file would not open as what its name says",
            param_hint="--output",
        )
    fmt = fmt or implied or "pdf"
    campaign = load_campaign(campaign_file)
    locales = catalogs(locales_dir)
    who = audience(campaign, audience_name)
    if second_locale:
        available = available_locales(locales, campaign)
        if resolve_locale(second_locale, available) == resolve_locale(locale, available):
            raise click.BadParameter(
                f"{second_locale!r} is the same catalog as --locale {locale!r}; "
                "a bilingual poster needs two languages",
                param_hint="--second-locale",
            )
    materials = printable(
        campaign,
        locales,
        [locale, *([second_locale] if second_locale else [])],
        [who],
        draft,
        fallback_allowed(campaign, fallback),
    )
    material, second = materials[0], (materials[1] if second_locale else None)
    profile = load_profile(org_file) if org_file else None
    # The size follows the organisation's paper (an NGO in Japan prints A4 in every
    # language), else what the user asked for (en-GB: A4) even when the catalog is en.
    if size is None and profile is not None and profile.paper:
        size = profile.paper
    if size is None:
        try:
            size = default_size(locale)
        except KitError:  # a tag CLDR does not know (ja-x-easy): the catalog's language
            size = default_size(material.locale)
    # --draft admits drafts (and, with --fallback, English for missing messages); only a
    # poster that shows some is marked DRAFT, so a reviewed catalog never prints as one.
    incomplete = any(m.missing for m in (material, second) if m is not None)
    allowed = fallback_allowed(campaign, fallback)
    site = site_link(
        campaign, locales, site_url or (profile.site_url if profile else None), draft, allowed
    )
    options = PosterOptions(
        size=size,
        format=fmt,
        bleed=bleed,
        draft=draft and incomplete,
        ppi=ppi,
        sides=sides,
        site=site,
    )
    warn_draft(materials)
    made = make_poster(material, second, options, profile)
    write_output(output, made.data)
    if made.sides == 2:
        click.echo(
            f"{output}: two-sided: {material.locale} on the front, {second_locale} on the back "
            f"(the {size} page cannot hold both at their floors); print on both sides",
            err=True,
        )
