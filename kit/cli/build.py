"""`kit build`: the whole matrix, with a manifest and a gallery."""

from __future__ import annotations

import signal
import sys
from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from kit.cli.common import (
    InputPath,
    KitCommand,
    campaign_option,
    csv_choice,
    draft_options,
    folder_option,
    locale_list_option,
    locales_option,
    org_option,
    site_url_option,
    sizes_option,
    warn,
)
from kit.render import POSTER_FORMATS, SIZES

if TYPE_CHECKING:
    from kit.batch.run import BuildReport

_SHOWN = 10  # failures listed per reason; the rest are counted


@click.command(cls=KitCommand)
@folder_option("The folder to build into (made if missing).")
@locale_list_option(
    "Locales to build, comma-separated. Default: every complete one "
    "(and the drafts, with --draft; the incomplete ones too, with --draft --fallback en). "
    "Pseudo-locales only when named."
)
@click.option(
    "--pairs",
    default=None,
    help="Bilingual posters too, comma-separated pairs such as ja+vi,ja+pt_BR (the first "
    "language on top, or on the front): on the paper sizes asked for, each on one side "
    "when both languages fit it, else a side each. Their texts are each language's own.",
)
@sizes_option(
    "auto,square,story",
    "Comma-separated: a4, a3, b4, letter, square, story, or auto (--paper, else "
    "the --org profile's `paper`, else the locale's: Letter or A4).",
)
@click.option(
    "--paper",
    type=click.Choice(["a4", "a3", "b4", "letter"]),
    default=None,
    help="The paper `auto` stands for, in every language: the organisation's region "
    "decides, not the language's (an NGO in Japan prints A4 for Filipino families too).",
)
@click.option(
    "--formats",
    default="pdf,png",
    show_default=True,
    help="Poster formats, comma-separated: pdf, png, svg (social sizes too).",
)
@click.option(
    "--audiences",
    default=None,
    help="Comma-separated audiences of the campaign. Default: all of them.",
)
@org_option(
    "One organisation profile (TOML) for every poster; with --orgs, the NGO's "
    "branding printed beside each school of the CSV."
)
@click.option(
    "--orgs",
    "orgs_file",
    type=InputPath(path_type=Path, dir_okay=False),
    default=None,
    help="A CSV of organisations (name, contacts with | between lines, url, logo, "
    "logo_alt, locales): one set each. A bad row is reported; the rest still build.",
)
@click.option(
    "--site",
    "make_site",
    is_flag=True,
    help="Also write OUTPUT/site/: the advice in each language of the build as a static "
    "site (as `kit site`), its address --site-url; remade only when what shapes it changed.",
)
@site_url_option
@click.option(
    "--print-file",
    is_flag=True,
    help="Also write OUTPUT/print-SIZE.pdf: every PDF poster of each paper size in one "
    "file, for a print shop (one-sided ones get a blank back when some are two-sided).",
)
@click.option(
    "--zip",
    "make_zip",
    is_flag=True,
    help="Also write OUTPUT/build.zip: every file of the build, with the manifest and "
    "gallery, to send on in one piece.",
)
@draft_options
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=None,
    help="Parallel processes. Default: one per core.",
)
@click.option(
    "--wait",
    is_flag=True,
    help="If another build is writing to the folder, wait for it instead of stopping.",
)
@locales_option
@campaign_option
def build(
    output: Path,
    locale_list: str | None,
    pairs: str | None,
    sizes: str,
    paper: str | None,
    formats: str,
    audiences: str | None,
    org_file: Path | None,
    orgs_file: Path | None,
    make_site: bool,
    site_url: str | None,
    print_file: bool,
    make_zip: bool,
    draft: bool,
    fallback: str | None,
    workers: int | None,
    wait: bool,
    locales_dir: Path | None,
    campaign_file: Path | None,
) -> None:
    """Build every poster and text at once, with a manifest and a gallery (index.html).

    Layout: OUTPUT/ORG/LOCALE/AUDIENCE/poster-SIZE.FORMAT, thumb-SIZE.png and text.txt,
    .md, .html, where ORG is the organisation's folder (`kit` without --org or --orgs);
    a pair's posters are in OUTPUT/ORG/FIRST+SECOND/AUDIENCE/.
    Outputs whose inputs did not change are not rebuilt (kit's own code and its
    libraries count as inputs); every file is put in place whole, so a build stopped
    by Ctrl-C, or killed, is completed by the next run. One build at a time per folder.

    \b
    Examples:
      kit build --output dist
      kit build --output dist --locale ja,en --sizes a4,a3 --formats pdf
      kit build --output school --locale ja --pairs ja+vi,ja+pt_BR,ja+fil --sizes a4 --draft
      kit build --output schools --orgs partner-schools.csv --draft
      kit build --output ngo --org our-ngo.toml --orgs partner-schools.csv --paper a4
      kit build --output shop --locale ja --sizes a3 --formats pdf --print-file --zip
      kit build --output review --draft --fallback en
      kit build --output ngo --org our-ngo.toml --site --site-url https://example.org/advice/
    """
    from kit import api
    from kit.batch.run import BuildIncomplete, BuildInterrupted
    from kit.campaign import load_campaign
    from kit.locales import campaign_file as resolve

    audience_list = None
    if audiences:  # checked against the campaign's own, case-insensitively
        campaign = load_campaign(resolve(campaign_file))
        audience_list = csv_choice(audiences, list(campaign.audiences), "--audiences")
    bar: Any = None

    def start(jobs: int, workers: int) -> None:
        nonlocal bar
        label = f"building {jobs} file(s), {workers} worker(s)"
        # click hides the bar when stderr is not a terminal, and prints the label once.
        bar = click.progressbar(length=jobs, label=label, file=sys.stderr)
        bar.__enter__()

    def progress(done: int, total: int) -> None:
        bar.update(done - bar.pos)

    try:
        result = api.build(
            output,
            locale=[x.strip() for x in locale_list.split(",") if x.strip()]
            if locale_list
            else None,
            pairs=_pairs(pairs),
            sizes=csv_choice(sizes, [*SIZES, "auto"], "--sizes"),
            paper=paper,
            formats=csv_choice(formats, POSTER_FORMATS, "--formats"),
            audiences=audience_list,
            org=org_file,
            orgs=orgs_file,
            site=make_site,
            site_url=site_url,
            print_file=print_file,
            zip=make_zip,
            draft=draft,
            fallback=fallback,
            workers=workers,
            wait=wait,
            locales=locales_dir,
            campaign=campaign_file,
            on_start=start,
            on_progress=progress,
            on_wait=lambda holder: click.echo(f"waiting for {holder}", err=True),
        )
    except (BuildIncomplete, BuildInterrupted) as e:
        _report(e.report, orgs_file)
        if isinstance(e, BuildInterrupted):
            name = signal.Signals(e.signal).name
            click.echo(f"stopped by {name}: {e.message}; run the same command to finish", err=True)
            click.get_current_context().exit(e.exit_code)
        raise
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)
    _report(result.report, orgs_file)
    for path, size in result.bundles:
        what = "zip" if path.suffix == ".zip" else "print file"
        click.echo(f"{what}: {path} ({size // 1024} KB)", err=True)
    click.echo(result.summary, err=True)


def _pairs(pairs: str | None) -> list[tuple[str, str]]:
    """--pairs ja+vi,ja+pt_BR as (first, second) pairs."""
    out = []
    for pair in (p.strip() for p in (pairs or "").split(",") if p.strip()):
        first, plus, second = pair.partition("+")
        if not plus or not first.strip() or not second.strip():
            raise click.BadParameter(f"{pair!r} is not a pair such as ja+vi", param_hint="--pairs")
        out.append((first.strip(), second.strip()))
    return out


def _report(report: BuildReport, orgs_file: Path | None) -> None:
    """The CSV rows left out, the warnings, and one line per failed file, at most _SHOWN
    per reason: 5000 schools failing for one broken catalog need one reason, not 5000."""
    for where, why in report.bad_rows:
        click.echo(f"{orgs_file}: {where}: skipped: {why}", err=True)
    for where, why in report.warnings:
        warn(f"{where}: {why}")
    by_reason: dict[str, list[str]] = defaultdict(list)
    for path, why in report.failed:
        by_reason[why].append(path)
    for why, paths in by_reason.items():
        paths.sort()
        for path in paths[:_SHOWN]:
            click.echo(f"failed: {path}: {why}", err=True)
        if len(paths) > _SHOWN:
            click.echo(f"failed: {len(paths) - _SHOWN} more file(s) for the same reason", err=True)
