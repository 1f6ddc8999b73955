"""`kit text`: the material as plain text, Markdown, HTML or JSON."""

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
    warn_draft,
    write_output,
)
from kit.render import TEXT_FORMATS


@click.command()
@click.option(
    "--locale",
    "-l",
    default="en",
    show_default=True,
    help="Language of the text: a catalog name or tag such as ja, ja-JP, pt-BR.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(list(TEXT_FORMATS), case_sensitive=False),
    default=None,
    help="Output format. Default: from the output file's suffix "
    "(.txt, .md, .html, .json), else plain.",
)
@audience_option
@draft_options
@click.option(
    "--output",
    "-o",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Write to this file instead of stdout.",
)
@locales_option
@campaign_option
def text(
    locale: str,
    fmt: str | None,
    audience_name: str | None,
    draft: bool,
    fallback: str | None,
    output: Path | None,
    locales_dir: Path | None,
    campaign_file: Path | None,
) -> None:
    """Print the material as text, with its source line.

    For newsletters and web pages: plain text, Markdown, a standalone accessible HTML
    page, or JSON (the localized Material, for other tools). A catalog still awaiting
    review is refused unless --draft, and then every format opens with its DRAFT label;
    messages with no translation at all need --fallback en as well. A translation the
    catalog check calls an error (a figure typed in, a placeholder lost, control
    characters) is refused, naming its message.

    \b
    Examples:
      kit text --locale ja
      kit text --locale ja --audience guardians --format markdown
      kit text --locale en --format json > material.json
      kit text --locale vi --draft          # a draft catalog, before review
    """
    from kit.printable import printable
    from kit.render import render_text, text_suffixes

    implied = text_suffixes().get(output.suffix.lower().lstrip(".")) if output else None
    if output and output.suffix.lower() == ".json":
        implied = "json"
    if output and fmt and implied and fmt != implied:
        raise click.BadParameter(
            f"the file name says {implied} ({output.suffix}) but --format says {fmt}",
            param_hint="--output",
        )
    fmt = fmt or implied or "plain"
    campaign = load_campaign(campaign_file)
    [material] = printable(
        campaign,
        catalogs(locales_dir),
        [locale],
        [audience(campaign, audience_name)],
        draft,
        fallback_allowed(campaign, fallback),
    )
    warn_draft([material])
    write_output(output, render_text(material, fmt))
