"""`kit site`: the advice in every language as a static site. Thin: parse, call, write."""

from __future__ import annotations

from pathlib import Path

import click

from kit.cli.common import (
    KitCommand,
    campaign_option,
    draft_options,
    folder_option,
    locales_option,
)
from kit.errors import KitError


@click.command(cls=KitCommand)
@folder_option("The folder to write the site into (made if missing).")
@draft_options
@click.option(
    "--url",
    default=None,
    metavar="BASE",
    help="Where the site will be published (https://...): pages name their canonical URL, "
    "and sitemap.xml lists them.",
)
@locales_option
@campaign_option
def site(
    output: Path,
    draft: bool,
    fallback: str | None,
    url: str | None,
    locales_dir: Path | None,
    campaign_file: Path | None,
) -> None:
    """Write the advice in every language as a static site: one page per language and
    audience, and an entry page (index.html) listing the languages by their own names,
    the reader's browser language first.

    Each page has a switcher to every other language, hreflang links for search engines,
    a print stylesheet and the source; drafts are marked as in every output. Nothing is
    fetched from elsewhere: the folder works offline, from a USB stick or on any static
    host (a web server, GitHub Pages). Languages awaiting review are left out unless
    --draft.

    \b
    Examples:
      kit site --output site
      kit site --output site --draft --fallback en
      kit site --output public --url https://example.org/advice/
    """
    from kit.api import Request
    from kit.batch.site import SiteSpec, site_files
    from kit.fields import url_problem
    from kit.files import atomic_write
    from kit.printable import publishable

    if url is not None and (problem := url_problem(url, schemes=("https", "http"))):
        raise click.BadParameter(f"{url!r}: {problem}", param_hint="--url")
    req = Request.open(campaign_file, locales_dir)
    campaign, locales, allowed = req.campaign, req.locales, req.fallback(fallback)
    wanted, left = publishable(campaign, locales, draft, allowed)
    if not wanted:
        raise KitError(
            "no language is ready to publish: pass --draft for catalogs awaiting review "
            "(and --fallback en for messages with no translation)"
        )
    spec = SiteSpec(tuple(wanted), tuple(campaign.audiences), url, draft, allowed)
    files = {path: data for path, (data, _) in site_files(campaign, locales, spec).items()}
    for path, data in files.items():
        target = output / path
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(target, data)
        except OSError as e:
            raise KitError(f"cannot write the site ({e.strerror or e})", file=target) from None
    hint = "--draft" if not draft else "--fallback en"
    note = f"; left out, not ready: {', '.join(left)} ({hint})" if left else ""
    click.echo(f"wrote {output}: {len(wanted)} languages, {len(files)} files{note}", err=True)
