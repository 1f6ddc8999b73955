"""`kit build`: the whole matrix, with a manifest and a gallery."""

from __future__ import annotations

import dataclasses
import signal
import sys
from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from kit.cli.common import (
    campaign_option,
    catalogs,
    command_inputs,
    csv_choice,
    draft_options,
    fallback_allowed,
    folder_option,
    load_campaign,
    locales_option,
    org_option,
    refuse_to_overwrite,
    site_url_option,
    warn,
)
from kit.errors import KitError
from kit.render import POSTER_FORMATS, SIZES

if TYPE_CHECKING:
    from kit.batch.orgs import Org
    from kit.batch.run import BuildReport
    from kit.campaign import Campaign

_SHOWN = 10  # failures listed per reason; the rest are counted


@click.command()
@folder_option("The folder to build into (made if missing).")
@click.option(
    "--locale",
    "-l",
    "locale_list",
    default=None,
    help="Locales to build, comma-separated. Default: every complete one "
    "(and the drafts, with --draft; the incomplete ones too, with --draft --fallback en). "
    "Pseudo-locales only when named.",
)
@click.option(
    "--pairs",
    default=None,
    help="Bilingual posters too, comma-separated pairs such as ja+vi,ja+pt_BR (the first "
    "language on top, or on the front): on the paper sizes asked for, each on one side "
    "when both languages fit it, else a side each. Their texts are each language's own.",
)
@click.option(
    "--sizes",
    default="auto,square,story",
    show_default=True,
    help="Comma-separated: a4, a3, b4, letter, square, story, or auto (--paper, else "
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
    type=click.Path(path_type=Path, dir_okay=False),
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
    from kit.batch.plan import choose_locales, plan
    from kit.batch.run import GALLERY, BuildReport, claim
    from kit.batch.run import build as run_build
    from kit.printable import printable

    campaign = load_campaign(campaign_file)
    locales = catalogs(locales_dir)
    size_list = csv_choice(sizes, [*SIZES, "auto"], "--sizes")
    format_list = csv_choice(formats, POSTER_FORMATS, "--formats")
    audience_list = (
        csv_choice(audiences, list(campaign.audiences), "--audiences")
        if audiences
        else list(campaign.audiences)
    )
    report = BuildReport()
    requested = [x.strip() for x in locale_list.split(",") if x.strip()] if locale_list else None
    english = fallback_allowed(campaign, fallback)
    chosen = choose_locales(campaign, locales, requested, draft, english)
    pair_list = _pairs(pairs, campaign, locales)
    # Refuses a locale not ready to print before anything is written.
    paired = [x for p in pair_list for x in p]
    printable(
        campaign, locales, list(dict.fromkeys(chosen + paired)), audience_list, draft, english
    )
    orgs, logos = _organisations(
        org_file, orgs_file, campaign, locales, list(dict.fromkeys(chosen + paired)), report
    )
    jobs = plan(
        campaign,
        locales,
        chosen,
        audience_list,
        size_list,
        format_list,
        orgs,
        draft,
        pair_list,
        paper,
        site_url,
    )
    from kit.batch.bundle import ZIP, print_name
    from kit.batch.site import FOLDER, SiteSpec

    site = None
    if make_site:
        if any(o.slug == FOLDER for o in orgs):
            raise KitError(
                f"an organisation's folder would be {FOLDER}/, where --site writes the site: "
                "rename the organisation, or build the site apart (kit site)"
            )
        site = SiteSpec(tuple(chosen), tuple(audience_list), site_url, draft, english)

    refuse_to_overwrite(
        [output / name for name in ("manifest.json", GALLERY, ZIP)]
        + [output / print_name(s) for s in SIZES]
        + [output / job.path for job in jobs],
        command_inputs(logos),
        "--output",
        manifests=False,
    )
    n = min(workers or default_workers(), max(len(jobs), 1))
    label = (
        f"building {len(jobs)} file(s) for {len(orgs)} organisation(s), "
        f"{len(chosen)} locale(s), {n} worker(s)"
    )
    with claim(output, wait, lambda holder: click.echo(f"waiting for {holder}", err=True)):
        # click hides the bar when stderr is not a terminal, and prints the label once.
        with click.progressbar(length=len(jobs), label=label, file=sys.stderr) as bar:

            def progress(done: int, total: int) -> None:
                bar.update(done - bar.pos)

            manifest = run_build(
                campaign, locales, output, jobs, orgs, n, report, progress=progress, site=site
            )
        if not report.interrupted and (print_file or make_zip):
            paths = {job.path for job in jobs}
            if site is not None:
                paths |= {e["path"] for e in manifest["files"] if e["kind"] == "site"}
            _bundle(output, manifest, paths, print_file, make_zip)
    _failures(report.failed)
    summary = (
        f"{len(report.built)} built, {len(report.unchanged)} unchanged, "
        f"{len(report.failed)} failed, {len(report.bad_rows)} bad row(s); "
        f"gallery: {output / GALLERY}"
    )
    if report.interrupted:
        name = signal.Signals(report.interrupted).name
        click.echo(f"stopped by {name}: {summary}; run the same command to finish", err=True)
        click.get_current_context().exit(128 + report.interrupted)
    if report.failed or report.bad_rows:
        raise KitError(summary)
    click.echo(summary, err=True)


def _bundle(
    output: Path, manifest: dict[str, Any], paths: set[str], print_file: bool, make_zip: bool
) -> None:
    """The print files and the zip, from the files the build made."""
    from kit.batch.bundle import ZIP, build_zip, print_files
    from kit.batch.run import GALLERY
    from kit.files import atomic_write

    made = print_files(output, manifest, paths) if print_file else {}
    for name, data in made.items():
        atomic_write(output / name, data, follow_links=False)
        click.echo(f"print file: {output / name} ({len(data) // 1024} KB)", err=True)
    if make_zip:
        data = build_zip(output, manifest, paths, ["manifest.json", GALLERY, *made])
        atomic_write(output / ZIP, data, follow_links=False)
        click.echo(f"zip: {output / ZIP} ({len(data) // 1024} KB)", err=True)


def _pairs(pairs: str | None, campaign: Campaign, locales: Path) -> list[tuple[str, str]]:
    """The --pairs, each language resolved to its catalog (ja-JP -> ja)."""
    from kit.locales import available_locales, resolve_locale

    if not pairs:
        return []
    available = available_locales(locales, campaign)
    out = []
    for pair in (p.strip() for p in pairs.split(",") if p.strip()):
        first, plus, second = pair.partition("+")
        if not plus or not first.strip() or not second.strip():
            raise click.BadParameter(f"{pair!r} is not a pair such as ja+vi", param_hint="--pairs")
        a, b = resolve_locale(first.strip(), available), resolve_locale(second.strip(), available)
        if a == b:
            raise click.BadParameter(
                f"{pair!r} names one catalog twice; a bilingual poster needs two languages",
                param_hint="--pairs",
            )
        out.append((a, b))
    return list(dict.fromkeys(out))


def _organisations(
    org_file: Path | None,
    orgs_file: Path | None,
    campaign: Campaign,
    locales: Path,
    chosen: list[str],
    report: BuildReport,
) -> tuple[list[Org], list[Path]]:
    """The organisations to build for, and the logo files they read. Rows left out and
    rows asking for locales this build does not make are reported here, before the build."""
    from kit.batch.orgs import Org, read_orgs, slugify, unbuilt
    from kit.batch.plan import DEFAULT_ORG
    from kit.locales import available_locales
    from kit.profile import LogoCache, load_profile

    logos = LogoCache()
    ngo = load_profile(org_file, logos=logos) if org_file else None
    if not orgs_file:
        if ngo is None:
            return [Org(DEFAULT_ORG, None)], []
        return [Org(slugify(ngo.name), ngo)], list(logos.by_path)
    rows = read_orgs(orgs_file, available_locales(locales, campaign), logos)
    if ngo is not None:  # each school beside the NGO's branding, in the school's folder
        if ngo.logo and any(o.profile and o.profile.logo for o in rows.orgs):
            warn(f"{orgs_file}: the schools' logos are not printed: the --org profile's is")
        rows.orgs = [
            dataclasses.replace(o, profile=ngo.with_partner(o.profile))
            for o in rows.orgs
            if o.profile
        ]
    orgs, bad, warnings = unbuilt(rows.orgs, chosen)
    report.bad_rows += rows.bad + bad
    for where, why in report.bad_rows:
        click.echo(f"{orgs_file}: {where}: skipped: {why}", err=True)
    for where, why in warnings:
        warn(f"{orgs_file}: {where}: {why}")
    return orgs, list(rows.logos.by_path)


def _failures(failed: list[tuple[str, str]]) -> None:
    """One line per failed file, at most _SHOWN per reason: 5000 schools failing for one
    broken catalog need one reason, not 5000 lines."""
    by_reason: dict[str, list[str]] = defaultdict(list)
    for path, why in failed:
        by_reason[why].append(path)
    for why, paths in by_reason.items():
        paths.sort()
        for path in paths[:_SHOWN]:
            click.echo(f"failed: {path}: {why}", err=True)
        if len(paths) > _SHOWN:
            click.echo(f"failed: {len(paths) - _SHOWN} more file(s) for the same reason", err=True)


def default_workers() -> int:
    import os

    return os.cpu_count() or 1
