"""What every command shares: the error root, the common options, loading, writing.

Results go to stdout, warnings and progress to stderr. A KitError becomes one line on
stderr and exit code 1; bad arguments exit 2 (click's usage errors). Nothing else exits.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from kit.errors import KitError

if TYPE_CHECKING:
    from kit.campaign import Campaign
    from kit.material import Material
    from kit.render.poster import SiteLink

F = TypeVar("F", bound=Callable[..., Any])


class KitGroup(click.Group):
    """Turns a KitError anywhere below into click's one-line error, never a traceback;
    so too an error of the machine rather than of kit or its input (a full disk, a
    temporary folder out of inodes), which no command can do anything about."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except KitError as e:
            raise click.ClickException(str(e)) from None
        except OSError as e:
            where = f"{e.filename}: " if e.filename else ""
            raise click.ClickException(f"{where}{e.strerror or e}") from None
        except KeyboardInterrupt:
            # Ctrl-C before a command's own handling (kit build's) begins: exit as a shell
            # expects (128 + SIGINT), not click's "Aborted!" and 1.
            click.echo("stopped by Ctrl-C", err=True)
            raise click.exceptions.Exit(130) from None


def folder_option(help: str) -> Callable[[F], F]:
    """--output/-o FOLDER, required: where a command that writes many files writes them."""
    return click.option(
        "--output",
        "-o",
        type=click.Path(path_type=Path, file_okay=False),
        required=True,
        help=help,
    )


def locales_option(f: F) -> F:
    return click.option(
        "--locales",
        "locales_dir",
        type=click.Path(path_type=Path, file_okay=False, exists=True),
        default=None,
        help="Catalog folder (LOCALE/LC_MESSAGES/messages.po). Default: the "
        "project's (a [tool.kit] locales setting, or ./locales with messages.pot), else the "
        "catalogs installed with kit.",
    )(f)


def campaign_option(f: F) -> F:
    return click.option(
        "--campaign",
        "campaign_file",
        type=click.Path(path_type=Path, dir_okay=False),
        default=None,
        help="Campaign TOML file. Default: the project's ([tool.kit] campaign), "
        "else the shipped NPA 2017 campaign.",
    )(f)


def format_option(people: str, help: str) -> Callable[[F], F]:
    """--format PEOPLE|json: `people` (table, text) is the default."""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice([people, "json"]),
        default=people,
        show_default=True,
        help=help,
    )


def org_option(help: str) -> Callable[[F], F]:
    """--org PROFILE.toml, with what the command does with the profile."""
    return click.option(
        "--org",
        "org_file",
        type=click.Path(path_type=Path, dir_okay=False),
        default=None,
        help=help,
    )


def site_url_option(f: F) -> F:
    """--site-url URL: the `kit site` a poster points to with a QR code."""

    def check(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
        from kit.fields import url_problem

        if value is not None and (problem := url_problem(value)):
            raise click.BadParameter(f"{value!r} {problem}")
        return value

    return click.option(
        "--site-url",
        default=None,
        metavar="URL",
        callback=check,
        help="The address of the advice in every language (`kit site`, published): a paper "
        "poster prints a QR code to it and says, in its languages, that the advice is there "
        "in others, naming a few (social images, seen on a phone, do not). Default: the "
        "--org profile's site_url.",
    )(f)


def site_link(
    campaign: Campaign, locales_dir: Path, url: str | None, draft: bool, fallback: bool
) -> SiteLink | None:
    """The site a poster points to: at `url`, holding what `kit site` with the same
    --draft and --fallback publishes."""
    if url is None:
        return None
    from kit.printable import publishable
    from kit.render.poster import SiteLink

    return SiteLink(url, tuple(publishable(campaign, locales_dir, draft, fallback)[0]))


def audience_option(f: F) -> F:
    return click.option(
        "--audience",
        "-a",
        "audience_name",
        default=None,
        help="One of the campaign's audiences; the shipped campaign has students (led by the "
        "advice) and guardians (parents and teachers, led by the figures). Default: the first.",
    )(f)


def draft_options(f: F) -> F:
    """--draft and --fallback, the two ways to print a locale that is not complete."""
    f = click.option(
        "--fallback",
        "fallback",
        default=None,
        metavar="LOCALE",
        help="With --draft: show messages that have no translation in the campaign's source "
        "language (en) instead of refusing the locale.",
    )(f)
    return click.option(
        "--draft",
        is_flag=True,
        help="Print a locale whose translations await review (fuzzy), marked DRAFT in every "
        "format; without it such a locale is refused.",
    )(f)


def fallback_allowed(campaign: Campaign, value: str | None) -> bool:
    """Whether --fallback was given, and names the one language that can stand in for a
    missing translation: the campaign's source language."""
    if value is None:
        return False
    from kit.errors import LocaleError
    from kit.locales import language_of

    try:
        same = language_of(value) == language_of(campaign.source_locale)
    except LocaleError:
        same = False
    if not same:
        raise click.BadParameter(
            f"only the campaign's source language ({campaign.source_locale}) "
            "can stand in for a missing translation",
            param_hint="--fallback",
        )
    return True


def warn_draft(materials: list[Material]) -> None:
    """One line on stderr per material printed as a draft: what in it is not reviewed."""
    for m in materials:
        blocks = [*m.blocks(), *m.labels.values()]
        drafts = sum(b.draft for b in blocks)
        english = sum(not b.translated and not b.draft for b in blocks)
        if drafts or english:
            parts = [f"{drafts} message(s) await review"] if drafts else []
            parts += [f"{english} shown in English"] if english else []
            warn(f"{m.locale}: marked DRAFT: {', '.join(parts)}")


def size_choice() -> click.Choice[str]:
    from kit.render import SIZES

    return click.Choice(list(SIZES), case_sensitive=False)


def load_campaign(campaign_file: Path | None) -> Campaign:
    from kit.campaign import load_campaign as load
    from kit.locales import campaign_file as resolve

    return load(resolve(campaign_file))


def catalogs(locales_dir: Path | None, *, write: bool = False) -> Path:
    from kit.locales import locales_dir as resolve

    return resolve(locales_dir, write=write)


def audience(campaign: Campaign, value: str | None, hint: str = "--audience") -> str:
    """The audience asked for, checked against the campaign's own."""
    if value is None:
        return next(iter(campaign.audiences))
    if value not in campaign.audiences:
        raise click.BadParameter(
            f"{value!r} is not an audience of campaign {campaign.id!r}; "
            f"choose from {', '.join(campaign.audiences)}",
            param_hint=hint,
        )
    return value


def csv_choice(value: str, allowed: list[str] | tuple[str, ...], hint: str) -> list[str]:
    """A comma-separated option's items, each one of `allowed` (case-insensitive)."""
    by_lower = {a.lower(): a for a in allowed}
    items = [v.strip() for v in value.split(",") if v.strip()]
    bad = [v for v in items if v.lower() not in by_lower]
    if bad or not items:
        raise click.BadParameter(
            f"choose from {', '.join(allowed)} (comma-separated)", param_hint=hint
        )
    return list(dict.fromkeys(by_lower[v.lower()] for v in items))


# Options that name what a command writes, not what it reads.
_OUTPUT_OPTIONS = ("output", "target")


def command_inputs(extra: Iterable[Path] = ()) -> list[Path]:
    """Every file the running command reads or depends on, from its own options: the
    campaign, the catalogs and template of its catalog folder, a profile and its logo,
    any other file given, the project's settings and kit's own package files."""
    import kit
    from kit.campaign import default_campaign_path
    from kit.locales import TEMPLATE, campaign_file, find_project
    from kit.locales import locales_dir as resolve_locales
    from kit.profile import LogoCache, load_profile

    ctx = click.get_current_context(silent=True)
    params: dict[str, Any] = {}
    while ctx is not None:
        params = {**ctx.params, **params}
        ctx = ctx.parent
    paths = [*extra]
    for name, value in params.items():
        for item in value if isinstance(value, tuple) else (value,):
            if name not in _OUTPUT_OPTIONS and (
                isinstance(item, Path) or (isinstance(item, str) and item.endswith((".po", ".pot")))
            ):
                paths.append(Path(item))
    # A setting or profile that cannot be read is the command's own error to report;
    # here it only means there is no file behind it to protect.
    with contextlib.suppress(KitError, OSError):
        paths.append(campaign_file(params.get("campaign_file")) or default_campaign_path())
    with contextlib.suppress(KitError, OSError):
        project = find_project()
        paths += [project.settings] if project else []
    with contextlib.suppress(KitError, OSError):
        locales = resolve_locales(params.get("locales_dir"))
        paths += [locales / TEMPLATE, *locales.glob("*/LC_MESSAGES/*.po")]
    if params.get("org_file"):
        logos = LogoCache()
        with contextlib.suppress(KitError, OSError):
            load_profile(params["org_file"], logos=logos)
        paths += list(logos.by_path)
    package = Path(kit.__file__).resolve().parent
    paths += [p for p in package.rglob("*") if "__pycache__" not in p.parts]
    return paths


def refuse_to_overwrite(
    outputs: Iterable[Path], inputs: Iterable[Path], hint: str, *, manifests: bool = True
) -> None:
    """A usage error when an output is a file kit reads (a catalog, the campaign, the
    template, a profile, a logo, a build's manifest): writing it would destroy the input."""
    from kit.batch.manifest import is_manifest
    from kit.files import file_ids, overwrites

    ids = file_ids(inputs)
    for output in outputs:
        clash = overwrites(output, ids) or (output if manifests and is_manifest(output) else None)
        if clash is not None:
            raise click.BadParameter(
                f"{output} is {clash}, which kit reads: writing it would "
                "destroy it; choose another name",
                param_hint=hint,
            )


def write_output(output: Path | None, data: str | bytes, *, replaces: Path | None = None) -> None:
    """Text to stdout, or any output to a file, written atomically. The file may not be
    one the command reads, except `replaces`: the one input the command exists to
    rewrite (extract's template)."""
    if output is None or str(output) == "-":
        if isinstance(data, bytes):
            raise click.BadParameter("give a file name for binary output", param_hint="--output")
        click.echo(data, nl=False)
        return
    from kit.files import atomic_write, file_ids, overwrites

    inputs = command_inputs()
    if replaces is not None:
        own = file_ids([replaces])
        inputs = [p for p in inputs if overwrites(p, own) is None]
    refuse_to_overwrite([output], inputs, "--output")
    try:
        atomic_write(output, data)
    except OSError as e:
        raise KitError(f"cannot write the output ({e.strerror or e})", file=output) from None
    size = f" ({len(data) / 1024:.0f} KB)" if isinstance(data, bytes) else ""
    click.echo(f"wrote {output}{size}", err=True)


def warn(message: str) -> None:
    click.echo(f"warning: {message}", err=True)
