"""What every command shares: the error root, the common options, loading, writing.

Results go to stdout, warnings and progress to stderr. A KitError becomes one line on
stderr and its exit code (kit/errors.py: 1 bad input, 3 a build that made only part);
a wrong argument (click's, or kit.api's RequestError) is click's usage error, exit 2.
Every path option says whether the command reads it (InputPath) or writes it
(OutputPath): what it reads, no output may overwrite.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from kit.errors import KitError, RequestError

if TYPE_CHECKING:
    from kit.campaign import Campaign

F = TypeVar("F", bound=Callable[..., Any])


def _click_error(e: KitError) -> click.ClickException:
    """The KitError as click's one-line error, with the exit code its class gives."""
    if isinstance(e, RequestError):
        return click.BadParameter(e.message, param_hint=_hint(e.param))
    # click keeps the exit code on the class (ClickException.exit_code): one made for it.
    failed: type[click.ClickException] = type(
        "Failed", (click.ClickException,), {"exit_code": e.exit_code}
    )
    return failed(str(e))


def _hint(param: str) -> str:
    """kit.api's argument as the CLI's option: second_locale -> --second-locale."""
    return "--" + param.replace("_", "-")


class KitCommand(click.Command):
    """A command whose RequestError is shown as a usage error of this command."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except RequestError as e:
            raise click.BadParameter(e.message, ctx=ctx, param_hint=_hint(e.param)) from None


class KitGroup(click.Group):
    """Turns a KitError anywhere below into click's one-line error, never a traceback;
    so too an error of the machine rather than of kit or its input (a full disk, a
    temporary folder out of inodes), which no command can do anything about. Its
    commands (and those of its subgroups) are KitCommands."""

    command_class = KitCommand

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except KitError as e:
            raise _click_error(e) from None
        except OSError as e:
            where = f"{e.filename}: " if e.filename else ""
            raise click.ClickException(f"{where}{e.strerror or e}") from None
        except KeyboardInterrupt:
            # Ctrl-C before a command's own handling (kit build's) begins: exit as a shell
            # expects (128 + SIGINT), not click's "Aborted!" and 1.
            click.echo("stopped by Ctrl-C", err=True)
            raise click.exceptions.Exit(130) from None


class InputPath(click.Path):
    """A file or folder the command reads: no output of the command may replace it."""


class OutputPath(click.Path):
    """A file or folder the command writes, checked against every InputPath first."""


def folder_option(help: str) -> Callable[[F], F]:
    """--output/-o FOLDER, required: where a command that writes many files writes them."""
    return output_option(help, folder=True, required=True)


def file_option(help: str, *, required: bool = False) -> Callable[[F], F]:
    """--output/-o FILE: the one file a command writes (without it, stdout, where allowed)."""
    return output_option(help, folder=False, required=required)


def output_option(help: str, *, folder: bool, required: bool) -> Callable[[F], F]:
    return click.option(
        "--output",
        "-o",
        type=OutputPath(path_type=Path, file_okay=not folder, dir_okay=folder),
        required=required,
        default=None,
        help=help,
    )


def locale_option(help: str) -> Callable[[F], F]:
    """--locale/-l LOCALE, English unless given: the language of one output."""
    return click.option("--locale", "-l", default="en", show_default=True, help=help)


def locale_list_option(help: str) -> Callable[[F], F]:
    """--locale/-l LOCALE,LOCALE...: the languages of a matrix (build, contact sheet)."""
    return click.option("--locale", "-l", "locale_list", default=None, help=help)


def second_locale_option(help: str) -> Callable[[F], F]:
    """--second-locale LOCALE: a bilingual poster, text or preview."""
    return click.option("--second-locale", default=None, help=help)


def size_option(help: str, default: str | None = None) -> Callable[[F], F]:
    """--size SIZE, one of kit.render.SIZES (any case)."""
    return click.option(
        "--size", type=size_choice(), default=default, show_default=default is not None, help=help
    )


def sizes_option(default: str, help: str) -> Callable[[F], F]:
    """--sizes SIZE,SIZE...: the sizes of a matrix (csv_choice checks them)."""
    return click.option("--sizes", default=default, show_default=True, help=help)


def locales_option(f: F) -> F:
    return click.option(
        "--locales",
        "locales_dir",
        type=InputPath(path_type=Path, file_okay=False, exists=True),
        default=None,
        help="Catalog folder (LOCALE/LC_MESSAGES/messages.po). Default: the "
        "project's (a [tool.kit] locales setting, or ./locales with messages.pot), else the "
        "catalogs installed with kit.",
    )(f)


def campaign_option(f: F) -> F:
    return click.option(
        "--campaign",
        "campaign_file",
        type=InputPath(path_type=Path, dir_okay=False),
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
        type=InputPath(path_type=Path, dir_okay=False),
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


def command_inputs(extra: Iterable[Path] = ()) -> list[Path]:
    """Every file the running command reads: the values of its InputPath options and
    CatalogArgument arguments, what the catalog folder, campaign and profile options
    resolve to (by default too: the project's settings, its campaign and catalogs, a
    profile's logo), `extra`, and kit's own package files."""
    from kit.api import Request, package_files

    ctx = click.get_current_context(silent=True)
    params: dict[str, Any] = {}
    paths = [*extra]
    while ctx is not None:
        params = {**ctx.params, **params}
        for param in ctx.command.params:
            value = ctx.params.get(param.name or "")
            items = value if isinstance(value, tuple) else (value,)
            if isinstance(param.type, InputPath):
                paths += [Path(v) for v in items if v is not None]
            elif isinstance(param.type, CatalogArgument):
                paths += [Path(v) for v in items if v and v.endswith((".po", ".pot"))]
        ctx = ctx.parent
    # A setting, campaign or profile that cannot be read is the command's own error to
    # report; here it only means there is no file behind it to protect.
    with contextlib.suppress(KitError, OSError):
        req = Request.open(params.get("campaign_file"), params.get("locales_dir"))
        with contextlib.suppress(KitError, OSError):
            req.profile(params.get("org_file"))
        paths += req.reads
    return paths + package_files()


class CatalogArgument(click.types.StringParamType):
    """A locale (ja, pt-BR) or the path of a PO file: read, when it is a path."""

    name = "LOCALE|FILE"


def write_output(
    output: Path | None,
    data: str | bytes,
    *,
    reads: Iterable[Path] = (),
    replaces: Path | None = None,
) -> None:
    """Text to stdout, or any output to a file, written atomically. The file may not be
    one the command reads (its options, and `reads`: what kit.api says a result was made
    from), except `replaces`: the one input the command exists to rewrite (extract's
    template)."""
    if output is None or str(output) == "-":
        if isinstance(data, bytes):
            raise click.BadParameter("give a file name for binary output", param_hint="--output")
        click.echo(data, nl=False)
        return
    from kit.api import refuse_to_overwrite
    from kit.files import atomic_write, file_ids, overwrites

    inputs = command_inputs(reads)
    if replaces is not None:
        own = file_ids([replaces])
        inputs = [p for p in inputs if overwrites(p, own) is None]
    refuse_to_overwrite([output], inputs, "output")
    try:
        atomic_write(output, data)
    except OSError as e:
        raise KitError(f"cannot write the output ({e.strerror or e})", file=output) from None
    size = f" ({len(data) / 1024:.0f} KB)" if isinstance(data, bytes) else ""
    click.echo(f"wrote {output}{size}", err=True)


def warn(message: str) -> None:
    click.echo(f"warning: {message}", err=True)
