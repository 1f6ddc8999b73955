"""`kit helplines`: the official helplines a profile may opt in to, with their sources."""

from __future__ import annotations

import json
from dataclasses import asdict

import click

from kit.cli.common import KitCommand, format_option


@click.command("helplines", cls=KitCommand)
@format_option("table", "Lines for people, JSON for scripts.")
def helplines_command(fmt: str) -> None:
    """List the official helplines a profile may print, each with its source page.

    kit prints none of them unless a profile names it: add `helplines = ["jp-24h-sos"]`
    (any of the ids below) to the profile. Each number was checked against its official
    page on the date shown; open the page before relying on it.

    \b
    Examples:
      kit helplines
      kit helplines --format json
    """
    from kit.helplines import helplines

    found = list(helplines().values())
    if fmt == "json":
        click.echo(json.dumps([asdict(h) for h in found], ensure_ascii=False, indent=2))
        return
    for h in found:
        click.echo(f"{h.id}: {h.line}")
        click.echo(f"    {h.publisher}; source {h.source}" + (f" and {h.also}" if h.also else ""))
        click.echo(f"    checked {h.checked}")
