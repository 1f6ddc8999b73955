"""`kit contact-sheet`: every poster of a matrix on one PNG, to look at all of them at once."""

from __future__ import annotations

import os
from pathlib import Path

import click

from kit.cli.common import (
    KitCommand,
    campaign_option,
    catalogs,
    csv_choice,
    file_option,
    load_campaign,
    locale_list_option,
    locales_option,
    sizes_option,
    write_output,
)
from kit.render import SIZES


@click.command("contact-sheet", cls=KitCommand)
@file_option("The PNG sheet to write.", required=True)
@locale_list_option(
    "Locales, comma-separated. Default: every complete one (and the drafts, with --draft)."
)
@click.option("--pairs", default="", help="Bilingual posters too, comma-separated: ja+en,ar+en.")
@sizes_option(",".join(SIZES), "Sizes, comma-separated: the sheet's columns.")
@click.option("--audiences", default=None, help="Audiences, comma-separated. Default: all.")
@click.option(
    "--draft", is_flag=True, help="Include draft catalogs; their posters are marked DRAFT."
)
@click.option(
    "--ppi",
    type=click.FloatRange(8, 72),
    default=24.0,
    show_default=True,
    help="Pixels per inch of each thumbnail.",
)
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=None,
    help="Parallel processes. Default: one per core.",
)
@locales_option
@campaign_option
def contact_sheet(
    output: Path,
    locale_list: str | None,
    pairs: str,
    sizes: str,
    audiences: str | None,
    draft: bool,
    ppi: float,
    workers: int | None,
    locales_dir: Path | None,
    campaign_file: Path | None,
) -> None:
    """Write one PNG with every poster of the matrix as a labelled thumbnail.

    One row per locale (or bilingual pair) and audience, one column per size. A poster
    that cannot be made, such as a translation too long for its size, shows why in its
    cell; the sheet is still written.

    \b
    Examples:
      kit contact-sheet --draft --output sheet.png
      kit contact-sheet --locale ja,en --pairs ja+en --sizes a4,a3 -o ja-en.png
    """
    from kit.batch.plan import choose_locales
    from kit.locales import available_locales, resolve_locale
    from kit.render.poster.contact import Cell, thumbnails
    from kit.render.poster.contact import contact_sheet as sheet

    campaign = load_campaign(campaign_file)
    locales = catalogs(locales_dir)
    size_list = csv_choice(sizes, list(SIZES), "--sizes")
    audience_list = (
        csv_choice(audiences, list(campaign.audiences), "--audiences")
        if audiences
        else list(campaign.audiences)
    )
    requested = [x.strip() for x in locale_list.split(",") if x.strip()] if locale_list else None
    chosen = choose_locales(campaign, locales, requested, draft)
    available = available_locales(locales, campaign)
    rows: list[tuple[str, str | None]] = [(loc, None) for loc in chosen]
    for pair in (p.strip() for p in pairs.split(",") if p.strip()):
        first, plus, second = pair.partition("+")
        if not plus or not first or not second:
            raise click.BadParameter(f"{pair!r} is not a pair such as ja+en", param_hint="--pairs")
        rows.append((resolve_locale(first, available), resolve_locale(second, available)))
    cells = [
        Cell(loc, second, aud, size)
        for loc, second in rows
        for aud in audience_list
        for size in size_list
    ]
    click.echo(f"rendering {len(cells)} poster(s)", err=True)
    images = thumbnails(cells, campaign.path, locales, draft, ppi, workers or os.cpu_count() or 1)
    refused = sum(isinstance(i, str) for i in images)
    if refused:
        click.echo(f"{refused} poster(s) could not be made; their cells say why", err=True)
    write_output(output, sheet(cells, images, len(size_list)))
