"""`kit poster`: one printable poster or social image."""

from __future__ import annotations

from pathlib import Path

import click

from kit.cli.common import (
    KitCommand,
    audience_option,
    campaign_option,
    draft_options,
    file_option,
    locale_option,
    locales_option,
    org_option,
    second_locale_option,
    site_url_option,
    size_option,
    warn,
    write_output,
)
from kit.render import POSTER_FORMATS


@click.command(cls=KitCommand)
@locale_option("Language of the poster: a catalog name or tag such as ja, pt-BR.")
@second_locale_option(
    "A second language shown under the first, smaller (bilingual poster); on paper "
    "too small for both, each language gets a side of its own (see --sides)."
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
@size_option(
    "Paper (a4, a3, b4 JIS, letter) or social image (square 1080x1080 px, "
    "story 1080x1920 px). Default: the --org profile's `paper`, else Letter "
    "where the locale's region uses it (CLDR), else A4."
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
@file_option("The poster file to write (.pdf, .png or .svg).", required=True)
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
    from kit import api
    from kit.render import output_format

    made = api.poster(
        locale,
        second_locale=second_locale,
        audience=audience_name,
        size=size,
        format=output_format("poster", output, fmt),
        org=org_file,
        site_url=site_url,
        draft=draft,
        fallback=fallback,
        bleed=bleed,
        ppi=ppi,
        sides=sides,
        locales=locales_dir,
        campaign=campaign_file,
    )
    for note in made.notes:
        warn(note)
    write_output(output, made.data, reads=made.reads)
    if made.sides == 2:
        click.echo(
            f"{output}: two-sided: {made.materials[0].locale} on the front, {second_locale} on "
            f"the back (the {made.size} page cannot hold both at their floors); print on both "
            "sides",
            err=True,
        )
