"""`kit studio`: the translator's workbench in the browser."""

from __future__ import annotations

from pathlib import Path

import click

from kit.cli.common import (
    KitCommand,
    audience_option,
    campaign_option,
    locales_option,
    second_locale_option,
    size_option,
)
from kit.errors import KitError


@click.command(cls=KitCommand)
@click.argument("locale")
@audience_option
@size_option("The poster size previewed (changeable in the page). Default: as kit poster.")
@second_locale_option("A second language shown under the first on the preview (bilingual poster).")
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=0,
    help="Port on 127.0.0.1. Default: a free one.",
)
@click.option("--no-browser", is_flag=True, help="Print the address only; open no browser.")
@locales_option
@campaign_option
def studio(
    locale: str,
    audience_name: str | None,
    size: str | None,
    second_locale: str | None,
    port: int,
    no_browser: bool,
    locales_dir: Path | None,
    campaign_file: Path | None,
) -> None:
    """Translate a catalog in the browser, with the poster redrawn as you type.

    Serves a page on 127.0.0.1 only and prints its address (with a secret token) as the
    first line. Each message shows its English source, note, length budget and kit's
    checks as you type; every change is saved to the PO file within two seconds, as a
    draft until you mark it reviewed. A change another program makes to the file meanwhile
    is never overwritten. Ctrl-C stops the server.

    \b
    Examples:
      kit studio ja
      kit studio ja@easy --audience guardians --size a3
      kit studio vi --second-locale en --no-browser --port 8765
    """
    import threading
    import webbrowser

    from kit.api import Request
    from kit.locales import catalog_path
    from kit.render import poster_size
    from kit.studio.server import StudioServer
    from kit.studio.session import Session

    req = Request.open(campaign_file, locales_dir, write=True)
    who = req.audience(audience_name)
    name = req.catalog(locale)
    if not catalog_path(req.locales, name).is_file():
        raise KitError(
            f"there is no catalog for {name} to edit; start one with `kit catalog init {name}`",
            file=catalog_path(req.locales, name),
        )
    req.second(locale, second_locale)
    second = req.catalog(second_locale) if second_locale else None
    # The size kit poster would print for this locale (en-GB: A4, from the en catalog).
    size = size or poster_size(locale, name)
    session = Session(req.campaign, req.locales, name, who, size, second)
    server = StudioServer(session, port)
    try:  # from the first line on, Ctrl-C is how the studio is stopped: exit 0
        click.echo(server.url)  # the first line on stdout: scripts and tests read it
        click.echo(f"kit studio: editing {session.path}; Ctrl-C stops", err=True)
        if not no_browser:
            # In a thread: a console browser (w3m, lynx) would otherwise hold up the server.
            threading.Thread(target=webbrowser.open, args=(server.url,), daemon=True).start()
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        session.close()
    click.echo("kit studio: stopped", err=True)
