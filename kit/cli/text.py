"""`kit text`: the material as plain text, Markdown, HTML or JSON."""

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
    warn,
    write_output,
)
from kit.render import TEXT_FORMATS


@click.command(cls=KitCommand)
@locale_option("Language of the text: a catalog name or tag such as ja, ja-JP, pt-BR.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(list(TEXT_FORMATS), case_sensitive=False),
    default=None,
    help="Output format. Default: from the output file's suffix "
    "(.txt, .md, .html or .htm, .json); plain on stdout.",
)
@second_locale_option("A second language after the first: a bilingual newsletter or page.")
@org_option(
    "Organisation profile (TOML): its name, contacts and address, printed before "
    "the source (in each language's own, from its [language.<locale>] table)."
)
@audience_option
@draft_options
@file_option("Write to this file instead of stdout.")
@locales_option
@campaign_option
def text(
    locale: str,
    fmt: str | None,
    second_locale: str | None,
    org_file: Path | None,
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
      kit text --locale ja --second-locale en --org our-ngo.toml -o letter.html
    """
    from kit import api
    from kit.render import output_format

    made = api.text(
        locale,
        format=output_format("text", output, fmt) if output else fmt or "plain",
        second_locale=second_locale,
        org=org_file,
        audience=audience_name,
        draft=draft,
        fallback=fallback,
        locales=locales_dir,
        campaign=campaign_file,
    )
    for note in made.notes:
        warn(note)
    write_output(output, made.text, reads=made.reads)
