"""`kit build`: the whole matrix, with a manifest and a gallery."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from kit.cli.common import campaign_option, catalogs, csv_choice, load_campaign, locales_option
from kit.errors import KitError
from kit.render import POSTER_FORMATS, SIZES


@click.command()
@click.option("--output", "-o", type=click.Path(path_type=Path, file_okay=False), required=True,
              help="The folder to build into (made if missing).")
@click.option("--locale", "-l", "locale_list", default=None,
              help="Locales to build, comma-separated. Default: every complete one "
              "(and the drafts, with --draft). Pseudo-locales only when named.")
@click.option("--sizes", default="auto,square,story", show_default=True,
              help="Comma-separated: a4, a3, b4, letter, square, story, or auto (the "
              "locale's paper: Letter or A4).")
@click.option("--formats", default="pdf,png", show_default=True,
              help="Poster formats, comma-separated: pdf, png, svg (social sizes too).")
@click.option("--audiences", default=None,
              help="Comma-separated audiences of the campaign. Default: all of them.")
@click.option("--org", "org_file", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="One organisation profile (TOML) for every poster.")
@click.option("--orgs", "orgs_file", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="A CSV of organisations (name, contacts with | between lines, url, logo, "
              "logo_alt, locales): one set each. A bad row is reported; the rest still build.")
@click.option("--draft", is_flag=True, help="Include draft catalogs; their posters are marked DRAFT.")
@click.option("--workers", type=click.IntRange(1, 64), default=None,
              help="Parallel processes. Default: one per core.")
@locales_option
@campaign_option
def build(output: Path, locale_list: str | None, sizes: str, formats: str, audiences: str | None,
          org_file: Path | None, orgs_file: Path | None, draft: bool, workers: int | None,
          locales_dir: Path | None, campaign_file: Path | None) -> None:
    """Build every poster and text at once, with a manifest and a gallery (index.html).

    Layout: OUTPUT/ORG/LOCALE/AUDIENCE/poster-SIZE.FORMAT, thumb-SIZE.png and text.txt,
    .md, .html, where ORG is the organisation's folder (`kit` without --org or --orgs).
    Outputs whose inputs did not change are not rebuilt; every file is written
    atomically, so an interrupted build is completed by the next run.

    \b
    Examples:
      kit build --output dist
      kit build --output dist --locale ja,en --sizes a4,a3 --formats pdf
      kit build --output schools --orgs partner-schools.csv --draft
    """
    from kit.build import BuildReport, Org, choose_locales, default_workers, iter_progress, plan, read_orgs, slugify
    from kit.build import build as run_build
    from kit.locales import available_locales
    from kit.printable import printable
    from kit.profile import load_profile

    if org_file and orgs_file:
        raise click.BadParameter("give --org or --orgs, not both", param_hint="--orgs")
    campaign = load_campaign(campaign_file)
    locales = catalogs(locales_dir)
    size_list = csv_choice(sizes, [*SIZES, "auto"], "--sizes")
    format_list = csv_choice(formats, POSTER_FORMATS, "--formats")
    audience_list = csv_choice(audiences, list(campaign.audiences), "--audiences") if audiences \
        else list(campaign.audiences)
    report = BuildReport()
    if orgs_file:
        orgs = read_orgs(orgs_file, report, available_locales(locales, campaign))
    elif org_file:
        profile = load_profile(org_file)
        orgs = [Org(slugify(profile.name), profile)]
    else:
        orgs = [Org("kit", None)]
    requested = [x.strip() for x in locale_list.split(",") if x.strip()] if locale_list else None
    chosen = choose_locales(campaign, locales, requested, draft)
    # Refuses a locale not ready to print before anything is written (no English fallback here).
    printable(campaign, locales, chosen, audience_list, draft, fallback=None)
    jobs = plan(campaign, locales, chosen, audience_list, size_list, format_list, orgs, draft)
    n = workers or default_workers()
    click.echo(f"building {len(jobs)} file(s) for {len(orgs)} organisation(s), "
               f"{len(chosen)} locale(s), {n} worker(s)", err=True)
    run_build(campaign, locales, output, jobs, orgs, n, report, iter_progress(sys.stderr))
    for number, why in report.bad_rows:
        click.echo(f"{orgs_file}: row {number}: skipped: {why}", err=True)
    for path, why in report.failed:
        click.echo(f"failed: {path}: {why}", err=True)
    summary = (f"{len(report.built)} built, {len(report.unchanged)} unchanged, "
               f"{len(report.failed)} failed, {len(report.bad_rows)} bad row(s); "
               f"gallery: {output / 'index.html'}")
    if report.failed or report.bad_rows:
        raise KitError(summary)
    click.echo(summary, err=True)
