"""`kit locales`: which languages are ready."""

from __future__ import annotations

import json
from pathlib import Path

import click

from kit.cli.common import (
    KitCommand,
    campaign_option,
    catalogs,
    format_option,
    load_campaign,
    locales_option,
)


@click.command(cls=KitCommand)
@format_option("table", "A table for people, JSON for scripts.")
@click.option(
    "--all",
    "show_all",
    is_flag=True,
    help="Also list the pseudo-locales (en_XA, ar_XB), which are for testing layout.",
)
@locales_option
@campaign_option
def locales(fmt: str, show_all: bool, locales_dir: Path | None, campaign_file: Path | None) -> None:
    """List the locales with how complete and how reviewed their catalogs are.

    complete: every message translated and reviewed; draft: every message translated,
    some awaiting review (fuzzy); incomplete: some messages have no translation.
    review: who reviewed the catalog and how, as its X-Review header says ("none
    recorded" when it says nothing). The last line (on stderr) says which catalog
    folder was read, and why that one.

    \b
    Examples:
      kit locales
      kit locales --format json
    """
    from kit.catalog.stats import locale_statuses
    from kit.locales import locales_origin
    from kit.textwidth import columns, pad

    folder = catalogs(locales_dir)
    rows = [
        r
        for r in locale_statuses(load_campaign(campaign_file), folder)
        if show_all or r.status != "pseudo"
    ]
    if fmt == "json":
        click.echo(json.dumps([r.to_dict() for r in rows], ensure_ascii=False, indent=2))
        return
    table = [("locale", "language", "translated", "reviewed", "status", "review")]
    for r in rows:
        label = r.name if r.name == r.english_name else f"{r.name} ({r.english_name})"
        state = f"broken: {r.error}" if r.error else r.status
        table.append(
            (
                r.locale,
                label,
                f"{r.translated + r.fuzzy}/{r.total}",
                f"{r.percent:g} %",
                state,
                r.review,
            )
        )
    widths = [max(columns(row[i]) for row in table) for i in range(5)]
    for row in table:
        cells = [
            pad(row[0], widths[0]),
            pad(row[1], widths[1]),
            pad(row[2], widths[2], ">"),
            pad(row[3], widths[3], ">"),
            pad(row[4], widths[4]),
            row[5],
        ]
        click.echo("  ".join(cells).rstrip())
    click.echo(f"catalogs: {folder} ({locales_origin(locales_dir)[1]})", err=True)
