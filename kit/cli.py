"""The `kit` command line. Every command is thin: parse, call the domain code, print.

Results go to stdout, warnings and progress to stderr. A KitError becomes one line on
stderr and exit code 1; bad arguments exit 2 (click's usage errors).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from kit import __version__
from kit.errors import KitError

EPILOG_URL = "Docs and source: see README.md."


class KitGroup(click.Group):
    """Turns a KitError anywhere below into click's one-line error, never a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except KitError as e:
            raise click.ClickException(str(e)) from None


def locales_option(f: Any) -> Any:
    return click.option(
        "--locales", "locales_dir", type=click.Path(path_type=Path, file_okay=False, exists=True),
        default=None, help="Catalog folder (LOCALE/LC_MESSAGES/messages.po). Default: the shipped one.",
    )(f)


def campaign_option(f: Any) -> Any:
    return click.option(
        "--campaign", "campaign_file", type=click.Path(path_type=Path, dir_okay=False),
        default=None, help="Campaign TOML file. Default: the shipped NPA 2017 campaign.",
    )(f)


def _load(campaign_file: Path | None, locales_dir: Path | None) -> tuple[Any, Path]:
    from kit.campaign import load_campaign
    from kit.localize import default_locales_dir

    return load_campaign(campaign_file), locales_dir or default_locales_dir()


def _write(output: Path | None, data: str | bytes) -> None:
    """Text to stdout, or any output to a file, written atomically."""
    if output is None or str(output) == "-":
        if isinstance(data, bytes):
            raise click.BadParameter("give a file name for binary output", param_hint="--output")
        click.echo(data, nl=False)
        return
    from kit.files import atomic_write

    try:
        atomic_write(output, data)
    except OSError as e:
        raise KitError(f"cannot write the output ({e.strerror})", file=output) from None
    size = f" ({len(data) // 1024} KB)" if isinstance(data, bytes) else ""
    click.echo(f"wrote {output}{size}", err=True)


@click.group(cls=KitGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kit")
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
      kit locales                           # which languages are ready
    """


@main.command()
@click.option("--locale", "-l", default="en", show_default=True,
              help="Language of the text: a catalog name or tag such as ja, ja-JP, pt-BR.")
@click.option("--format", "fmt", type=click.Choice(["plain", "markdown", "html", "json"]),
              default="plain", show_default=True, help="Output format.")
@click.option("--audience", "-a", type=click.Choice(["students", "guardians"]),
              default="students", show_default=True,
              help="students: led by the advice; guardians: parents and teachers, led by the figures.")
@click.option("--draft", is_flag=True,
              help="Show draft (fuzzy) translations awaiting review instead of English.")
@click.option("--output", "-o", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Write to this file instead of stdout.")
@locales_option
@campaign_option
def text(locale: str, fmt: str, audience: str, draft: bool, output: Path | None,
         locales_dir: Path | None, campaign_file: Path | None) -> None:
    """Print the material as text, with its source line.

    For newsletters and web pages: plain text, Markdown, a standalone accessible HTML
    page, or JSON (the localized Material, for other tools). Messages with no translation
    are shown in English and listed in a warning on stderr.

    \b
    Examples:
      kit text --locale ja
      kit text --locale ja --audience guardians --format markdown
      kit text --locale en --format json > material.json
      kit text --locale vi --draft          # a draft catalog, before review
    """
    from kit.localize import localize
    from kit.render import html as render_html
    from kit.render import text as render_text

    campaign, locales = _load(campaign_file, locales_dir)
    material = localize(campaign, locale, audience, locales, drafts=draft)
    if material.missing:
        listed = ", ".join(f"{m.id} ({m.reason})" for m in material.missing)
        shown = "as drafts awaiting review" if draft else "in English"
        click.echo(f"warning: {material.locale}: {len(material.missing)} message(s) have no "
                   f"reviewed translation and are shown {shown}: {listed}", err=True)
    renderers = {
        "plain": render_text.render_plain,
        "markdown": render_text.render_markdown,
        "json": render_text.render_json,
        "html": render_html.render_html,
    }
    _write(output, renderers[fmt](material))


@main.command()
@click.option("--locale", "-l", default="en", show_default=True,
              help="Language of the poster: a catalog name or tag such as ja, pt-BR.")
@click.option("--second-locale", default=None,
              help="A second language shown under the first, smaller (bilingual poster).")
@click.option("--audience", "-a", type=click.Choice(["students", "guardians"]),
              default="students", show_default=True,
              help="students: led by the advice; guardians: led by the figures.")
@click.option("--size", type=click.Choice(["a4", "a3", "b4", "letter", "square", "story"]),
              default=None, help="Paper (a4, a3, b4 JIS, letter) or social image (square "
              "1080x1080 px, story 1080x1920 px). Default: Letter where the locale's region "
              "uses it (CLDR), else A4.")
@click.option("--format", "fmt", type=click.Choice(["pdf", "png", "svg"]), default=None,
              help="Output format. Default: from the output file's suffix, else pdf.")
@click.option("--org", "org_file", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Organisation profile (TOML): name, logo, contacts, URL with QR code.")
@click.option("--draft", is_flag=True,
              help="Allow untranslated or fuzzy messages; the poster is marked DRAFT.")
@click.option("--bleed", type=click.FloatRange(0, 10), default=0.0, show_default=True,
              help="Bleed in mm on each side, with crop marks, for print shops.")
@click.option("--ppi", type=click.FloatRange(10, 1200), default=144.0, show_default=True,
              help="Pixels per inch for PNG (144 makes social images 1080 px wide).")
@click.option("--output", "-o", type=click.Path(path_type=Path, dir_okay=False), required=True,
              help="The poster file to write (.pdf, .png or .svg).")
@locales_option
@campaign_option
def poster(locale: str, second_locale: str | None, audience: str, size: str | None,
           fmt: str | None, org_file: Path | None, draft: bool, bleed: float, ppi: float,
           output: Path, locales_dir: Path | None, campaign_file: Path | None) -> None:
    """Make a printable poster (PDF, PNG or SVG).

    Text shrinks to fit its box down to a legibility floor for the size; a translation
    too long even then is an error naming the message. Every character is checked
    against the kit's own fonts first, so nothing prints as an empty box.

    \b
    Examples:
      kit poster --locale ja --output poster.pdf
      kit poster --locale ja --second-locale en --audience guardians --size a3 -o a3.pdf
      kit poster --locale en --size square --output post.png
      kit poster --locale ja --org our-ngo.toml --bleed 3 --output print-shop.pdf
    """
    from kit.localize import localize
    from kit.profile import load_profile
    from kit.render.poster import PosterOptions, default_size, render_poster, suffix_format

    campaign, locales = _load(campaign_file, locales_dir)
    material = localize(campaign, locale, audience, locales, drafts=draft)
    second = localize(campaign, second_locale, audience, locales, drafts=draft) if second_locale else None
    profile = load_profile(org_file) if org_file else None
    if fmt is None:
        fmt = suffix_format(output)
        if fmt is None and output.suffix:
            raise click.BadParameter(f"cannot tell the format from {output.suffix!r}: name the file "
                                     ".pdf, .png or .svg, or give --format", param_hint="--output")
        fmt = fmt or "pdf"
    # The size follows what the user asked for (en-GB: A4) even when the catalog is en.
    if size is None:
        try:
            size = default_size(locale)
        except KitError:  # a tag CLDR does not know (ja-x-easy): the catalog's language
            size = default_size(material.locale)
    # --draft allows untranslated messages; only a poster that has some is marked DRAFT
    # (as in kit build), so a reviewed catalog never prints as a draft.
    incomplete = any(m.missing for m in (material, second) if m is not None)
    options = PosterOptions(size=size, format=fmt, bleed=bleed, draft=draft and incomplete, ppi=ppi)
    for m in (material, second):
        if m is not None and m.missing and draft:
            click.echo(f"warning: {m.locale}: draft poster, {len(m.missing)} message(s) "
                       "not translated", err=True)
    data = render_poster(material, second, options, profile)
    _write(output, data)


def _csv_choice(value: str, allowed: tuple[str, ...], name: str) -> list[str]:
    items = [v.strip() for v in value.split(",") if v.strip()]
    bad = [v for v in items if v not in allowed]
    if bad or not items:
        raise click.BadParameter(f"choose from {', '.join(allowed)} (comma-separated)", param_hint=name)
    return items


@main.command()
@click.option("--output", "-o", type=click.Path(path_type=Path, file_okay=False), required=True,
              help="The folder to build into (made if missing).")
@click.option("--locale", "-l", "locale_list", default=None,
              help="Locales to build, comma-separated. Default: every complete one "
              "(and the drafts, with --draft).")
@click.option("--sizes", default="auto,square,story", show_default=True,
              help="Comma-separated: a4, a3, b4, letter, square, story, or auto (the "
              "locale's paper: Letter or A4).")
@click.option("--formats", default="pdf,png", show_default=True,
              help="Poster formats, comma-separated: pdf, png, svg. Social sizes are PNG/SVG only.")
@click.option("--audiences", default="students,guardians", show_default=True,
              help="Comma-separated: students, guardians.")
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
def build(output: Path, locale_list: str | None, sizes: str, formats: str, audiences: str,
          org_file: Path | None, orgs_file: Path | None, draft: bool, workers: int | None,
          locales_dir: Path | None, campaign_file: Path | None) -> None:
    """Build every poster and text at once, with a manifest and a gallery (index.html).

    Layout: OUTPUT/ORG/LOCALE/AUDIENCE/poster-SIZE.FORMAT, thumb-SIZE.png and text.txt,
    .md, .html. Outputs whose inputs did not change are not rebuilt; every file is
    written atomically, so an interrupted build is completed by the next run.

    \b
    Examples:
      kit build --output dist
      kit build --output dist --locale ja,en --sizes a4,a3 --formats pdf
      kit build --output schools --orgs partner-schools.csv --draft
    """
    import sys as _sys

    from kit.build import BuildReport, Org, default_workers, iter_progress, plan, read_orgs, slugify
    from kit.build import build as run_build
    from kit.catalog.stats import locale_statuses
    from kit.localize import available_locales, resolve_locale
    from kit.profile import load_profile
    from kit.render.poster import SIZES, default_size

    if org_file and orgs_file:
        raise click.BadParameter("give --org or --orgs, not both", param_hint="--orgs")
    campaign, locales = _load(campaign_file, locales_dir)
    report = BuildReport()
    available = available_locales(locales, campaign)
    if orgs_file:
        orgs = read_orgs(orgs_file, report, available)
    elif org_file:
        profile = load_profile(org_file)
        orgs = [Org(slugify(profile.name), profile)]
    else:
        orgs = [Org("kit", None)]
    if locale_list:
        chosen = list(dict.fromkeys(resolve_locale(x.strip(), available)
                                    for x in locale_list.split(",") if x.strip()))
    else:  # only then are all catalogs read: a broken one must not stop `--locale ja`
        chosen = [s.locale for s in locale_statuses(campaign, locales)
                  if s.status == "complete" or (draft and s.status == "draft")]
    size_list = _csv_choice(sizes, (*SIZES, "auto"), "--sizes")
    format_list = _csv_choice(formats, ("pdf", "png", "svg"), "--formats")
    audience_list = _csv_choice(audiences, ("students", "guardians"), "--audiences")
    jobs = []
    for loc in chosen:
        loc_sizes = list(dict.fromkeys(default_size(loc) if s == "auto" else s for s in size_list))
        jobs += plan(campaign, locales, [loc], audience_list, loc_sizes, format_list, orgs, draft)
    n = workers or default_workers()
    click.echo(f"building {len(jobs)} file(s) for {len(orgs)} organisation(s), "
               f"{len(chosen)} locale(s), {n} worker(s)", err=True)
    run_build(campaign, locales, output, jobs, orgs, n, report, iter_progress(_sys.stderr))
    for number, why in report.bad_rows:
        click.echo(f"{orgs_file}: row {number}: skipped: {why}", err=True)
    for path, why in report.failed:
        click.echo(f"failed: {path}: {why}", err=True)
    click.echo(f"{len(report.built)} built, {len(report.unchanged)} unchanged, "
               f"{len(report.failed)} failed, {len(report.bad_rows)} bad row(s); "
               f"gallery: {output / 'index.html'}", err=True)
    if report.failed or report.bad_rows:
        raise SystemExit(1)


@main.command()
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True, help="A table for people, JSON for scripts.")
@locales_option
@campaign_option
def locales(fmt: str, locales_dir: Path | None, campaign_file: Path | None) -> None:
    """List the locales with how complete their catalogs are.

    \b
    Examples:
      kit locales
      kit locales --format json
    """
    from kit.catalog.stats import locale_statuses

    campaign, locales = _load(campaign_file, locales_dir)
    rows = locale_statuses(campaign, locales)
    if fmt == "json":
        data = [r.to_dict() for r in rows]
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    from kit.textwidth import columns, pad

    labels = [r.name if r.name == r.english_name else f"{r.name} ({r.english_name})" for r in rows]
    width = max([columns(label) for label in labels] + [8])
    click.echo(f"{'locale':<8} {pad('language', width)} {'translated':>10} {'fuzzy':>5}  status")
    for r, label in zip(rows, labels, strict=True):
        done = f"{r.translated}/{r.total}"
        state = f"broken: {r.error}" if r.error else f"{r.status} ({r.percent:g} %)"
        click.echo(f"{r.locale:<8} {pad(label, width)} {done:>10} {r.fuzzy:>5}  {state}")


def _register() -> None:
    from kit.catalog.commands import catalog

    main.add_command(catalog)


_register()


if __name__ == "__main__":  # pragma: no cover
    main(sys.argv[1:])
