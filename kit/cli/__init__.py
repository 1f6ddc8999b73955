"""The `kit` command line: one module per command group, each only parsing, calling the
domain code and printing. Shared options and the error root are in kit/cli/common.py."""

from __future__ import annotations

import click

from kit.cli.build import build
from kit.cli.catalog import catalog
from kit.cli.common import KitGroup
from kit.cli.contact_sheet import contact_sheet
from kit.cli.helplines import helplines_command
from kit.cli.init import init
from kit.cli.locales import locales
from kit.cli.poster import poster
from kit.cli.site import site
from kit.cli.studio import studio
from kit.cli.text import text


@click.group(cls=KitGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="safety-message-kit", prog_name="kit")
def main() -> None:
    """Localized safety material on children coerced into sending nude selfies.

    kit turns the Japanese National Police Agency's figures and advice (January-June 2017)
    into text and posters in each language of its gettext catalogs.

    \b
    Examples:
      kit text --locale ja                  # Japanese text for students
      kit text --locale en --format html --audience guardians --output letter.html
      kit poster --locale ja --output poster.pdf
      kit build --output dist               # everything, with a gallery
      kit site --output site --draft        # the advice in every language, as a website
      kit contact-sheet --draft -o sheet.png  # every poster on one picture
      kit locales                           # which languages are ready
      kit studio ja                         # translate in the browser, poster beside
      kit init our-kit                      # the catalogs and campaign, to edit
      kit helplines                         # official helplines a profile may print
    """


for command in (
    text,
    poster,
    build,
    contact_sheet,
    locales,
    catalog,
    studio,
    init,
    helplines_command,
    site,
):
    main.add_command(command)
