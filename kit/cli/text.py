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
    org_option,
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
    "(.txt, .md, .html or .htm, .json); plain on stdout.",
)
@click.option(
    "--second-locale",
    default=None,
    help="A second language after the first: a bilingual newsletter or page.",
)
@org_option(
    "Organisation profile (TOML): its name, contacts and address, printed before "
    "the source (in each language's own, from its [language.<locale>] table)."
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
    from kit.locales import available_locales, resolve_locale
    from kit.printable import printable
    from kit.profile import load_profile
    from kit.render import render_text

    fmt = _format(fmt, output)
    campaign = load_campaign(campaign_file)
    locales = catalogs(locales_dir)
    if second_locale:
        available = available_locales(locales, campaign)
        if resolve_locale(second_locale, available) == resolve_locale(locale, available):
            raise click.BadParameter(
                f"{second_locale!r} is the same catalog as --locale {locale!r}",
                param_hint="--second-locale",
            )
    materials = printable(
        campaign,
        locales,
        [locale, *([second_locale] if second_locale else [])],
        [audience(campaign, audience_name)],
        draft,
        fallback_allowed(campaign, fallback),
    )
    profile = load_profile(org_file) if org_file else None
    warn_draft(materials)
    second = materials[1] if second_locale else None
    write_output(output, render_text(materials[0], fmt, profile, second))


# What a suffix says the file is. Anything else (.docx, .rtf, .pdf) is refused without
# --format, as kit poster does: written as plain text it would not open as what its name
# says.
_SUFFIXES = {
    ".txt": "plain",
    ".text": "plain",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".json": "json",
}


def _format(fmt: str | None, output: Path | None) -> str:
    """The format to write: --format, else the output's suffix, else plain on stdout."""
    if output is None:
        return fmt or "plain"
    suffix = output.suffix.lower()
    implied = _SUFFIXES.get(suffix)
    if suffix and implied is None and not fmt:
        raise click.BadParameter(
            f"kit text cannot write a {suffix} file: name it .txt, .md, .html (or .htm) or "
            ".json, or use kit poster for a PDF",
            param_hint="--output",
        )
    if fmt and implied and fmt != implied:
        raise click.BadParameter(
            f"the file name says {implied} ({output.suffix}) but --format says {fmt}",
            param_hint="--output",
        )
    if not fmt and not implied:
        raise click.BadParameter(
            f"cannot tell the format of {output.name!r}: give it a suffix (.txt, .md, "
            ".html, .json) or pass --format",
            param_hint="--output",
        )
    return fmt or implied or "plain"
