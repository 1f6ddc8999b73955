"""`kit catalog ...`: the translator's commands. Thin: parse, call kit.catalog, print."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

import click

from kit.cli.common import (
    CatalogArgument,
    InputPath,
    KitGroup,
    OutputPath,
    audience_option,
    campaign_option,
    command_inputs,
    file_option,
    format_option,
    load_campaign,
    locales_option,
    size_option,
    write_output,
)
from kit.cli.common import catalogs as catalog_folder
from kit.errors import KitError

if TYPE_CHECKING:
    from kit.campaign import Campaign


def _catalogs(locales: Path, only: tuple[str, ...]) -> list[Path]:
    from kit.api import catalog_files

    return catalog_files(locales, only)


@click.group(cls=KitGroup)
def catalog() -> None:
    """Work on the gettext catalogs: the translator's tools in one place.

    \b
    Examples:
      kit catalog extract                   # campaign -> locales/messages.pot
      kit catalog init vi                   # start Vietnamese
      kit catalog update                    # merge the template into every catalog
      kit catalog check ja                  # find problems before they reach a poster
      kit catalog export vi --to vi.xlsx    # for volunteers who prefer a spreadsheet
      kit catalog preview vi --watch        # re-render the poster on every save
    """


@catalog.command()
@file_option("Where to write the template. Default: LOCALES/messages.pot.")
@click.option(
    "--check", is_flag=True, help="Write nothing; exit 1 if the template is out of date (for CI)."
)
@locales_option
@campaign_option
def extract(
    output: Path | None, check: bool, locales_dir: Path | None, campaign_file: Path | None
) -> None:
    """Regenerate messages.pot from the campaign's messages.

    The result is deterministic: an unchanged campaign gives a byte-identical file. The
    same messages come out of `pybabel extract` with the kit-campaign method.

    \b
    Examples:
      kit catalog extract
      kit catalog extract --check
      kit catalog extract --campaign my-campaign.toml --output my.pot
    """
    from kit.catalog.extract import render_pot

    campaign = load_campaign(campaign_file)
    template = catalog_folder(locales_dir, write=not check and output is None) / "messages.pot"
    target = output or template
    new = render_pot(campaign)
    if check:
        old = target.read_text("utf-8") if target.is_file() else None
        if old != new:
            raise KitError("the template is out of date; run `kit catalog extract`", file=target)
        click.echo(f"{target} is up to date", err=True)
        return
    write_output(target, new, replaces=template)  # the template, and no other catalog


@catalog.command()
@click.argument("locale")
@locales_option
def init(locale: str, locales_dir: Path | None) -> None:
    """Start the catalog for a new LOCALE from the template.

    LOCALE may be written as BCP 47 or POSIX (pt-BR, pt_BR); the catalog is named as
    gettext names it (pt_BR). Sets the Language and the Plural-Forms of the gettext
    ecosystem (CLDR's where gettext has none). Refuses a second catalog for a language
    that has one (ja-JP when ja exists) and never overwrites a catalog.

    \b
    Examples:
      kit catalog init fr
      kit catalog init pt-PT
    """
    from kit.catalog.create import init_catalog
    from kit.errors import LocaleError
    from kit.locales import catalog_path, parse_tag, resolve_locale

    try:
        name = parse_tag(locale).name
    except LocaleError as e:
        raise click.BadParameter(str(e), param_hint="LOCALE") from None
    locales = catalog_folder(locales_dir, write=True)
    existing = [p.parts[-3] for p in sorted(locales.glob("*/LC_MESSAGES/messages.po"))]
    try:
        same = resolve_locale(name, existing)
    except LocaleError:
        same = None
    if same is not None:
        raise KitError(
            f"a catalog for {locale!r} already exists as {same!r}; work on that one "
            "(kit catalog update), not a second one",
            file=catalog_path(locales, same),
        )
    path = init_catalog(locales / "messages.pot", locales, name)
    click.echo(f"created {path}", err=True)


@catalog.command()
@click.argument("catalogs", nargs=-1, type=CatalogArgument())
@click.option(
    "--check",
    is_flag=True,
    help="Write nothing; exit 1 if any catalog is out of date with the template.",
)
@locales_option
def update(catalogs: tuple[str, ...], check: bool, locales_dir: Path | None) -> None:
    """Merge the template into the catalogs (every one, or the LOCALEs or files given).

    As GNU msgmerge --previous merges, and writes what it writes: a message whose source
    changed gets the most similar old translation, marked fuzzy, with the previous
    source shown (#|). In kit's campaign catalogs, where every message has its own
    context, a changed source keeps its own translation. Messages gone from the template
    are kept as obsolete (#~) and return with them: no translation is ever dropped.

    \b
    Examples:
      kit catalog update
      kit catalog update ja vi
      kit catalog update --check            # in CI: are the catalogs merged?
    """
    from kit.catalog.merge import merge
    from kit.catalog.pofile import encode_po, load_po, save_po
    from kit.files import remove_stale_temporaries

    locales = catalog_folder(locales_dir, write=not check)
    template = load_po(locales / "messages.pot")
    stale = []
    for path in _catalogs(locales, catalogs):
        remove_stale_temporaries(path.parent)  # left by an update that was killed
        merged, report = merge(load_po(path), template)
        if encode_po(merged) == path.read_bytes():
            click.echo(f"{path}: up to date", err=True)
            continue
        stale.append(path)
        summary = (
            f"{len(report.new)} new, {len(report.fuzzy)} changed (fuzzy), "
            f"{len(report.obsoleted)} obsolete, {len(report.revived)} returned"
        )
        if check:
            click.echo(f"{path}: out of date ({summary})", err=True)
        else:
            save_po(merged, path)
            click.echo(f"{path}: updated ({summary})", err=True)
    if check and stale:
        raise KitError(f"{len(stale)} catalog(s) out of date; run `kit catalog update`")


@catalog.command()
@click.argument("catalogs", nargs=-1, type=CatalogArgument())
@click.option(
    "--strict",
    is_flag=True,
    help="Untranslated and fuzzy messages, and kit's own checks on catalogs that "
    "are not kit's, are errors.",
)
@format_option("text", "Lines for people, or every finding as JSON for tools.")
@click.option("--verbose", "-v", is_flag=True, help="List every warning, not only their counts.")
@locales_option
@campaign_option
def check(
    catalogs: tuple[str, ...],
    strict: bool,
    fmt: str,
    verbose: bool,
    locales_dir: Path | None,
    campaign_file: Path | None,
) -> None:
    """Check catalogs (every one, or the LOCALEs or PO files given) in one pass.

    Errors are listed one line each, then one summary line per catalog with its warnings
    by kind (each warning with --verbose). First what `msgfmt -c` checks, as errors:
    Plural-Forms, plural counts, format strings where the flags say so (c-format,
    python-format, python-brace-format, javascript-format), leading and trailing
    newlines. Then kit's own checks: on kit's campaign catalogs, placeholders, figures
    typed in, furigana, characters the posters cannot show are errors; untranslated,
    fuzzy, same-as-source, whitespace, length budgets, invisible characters and markup
    are warnings. On other catalogs kit's checks are warnings (errors with --strict).
    Works on any gettext PO file. Exit 1 when there are errors.

    \b
    Examples:
      kit catalog check
      kit catalog check ja --strict
      kit catalog check path/to/other.po --format json
    """
    from kit import api
    from kit.catalog.check import ERROR

    campaign = load_campaign(campaign_file)
    findings = []
    by_file = api.check(catalogs, strict=strict, locales=locales_dir, campaign=campaign)
    for path, found in by_file.items():
        findings.extend(found)
        if fmt == "text":
            for f in found:
                if verbose or f.severity == ERROR:
                    click.echo(str(f))
            click.echo(_summary(path, found), err=True)
            readability = _readability_line(path, campaign)
            if readability:
                click.echo(readability, err=True)
    if fmt == "json":
        click.echo(json.dumps([f.to_dict() for f in findings], ensure_ascii=False, indent=2))
    errors = sum(f.severity == ERROR for f in findings)
    summary = f"{errors} error(s), {len(findings) - errors} warning(s)"
    if errors:
        raise KitError(summary)
    click.echo(summary, err=True)


def _readability_line(path: Path, campaign: Campaign) -> str | None:
    """How a Japanese catalog reads (kit.catalog.japanese), or what to install to know."""
    from kit.catalog import japanese
    from kit.catalog.pofile import load_po
    from kit.locales import language_of

    try:
        po = load_po(path)
    except KitError:
        return None  # the check has said why
    locale = po.metadata.get("Language") or path.parts[-3]
    if language_of(locale) != "ja":
        return None
    if not japanese.available():
        return f"{path}: readability and furigana not checked: {japanese.EXTRA}"
    return f"{path}: {japanese.catalog_readability(po, campaign, locale).summary()}"


def _summary(path: Path, findings: list) -> str:  # type: ignore[type-arg]
    """One line per catalog: its counts, and the warnings by kind (details with --verbose)."""
    from kit.catalog.check import ERROR

    errors = sum(f.severity == ERROR for f in findings)
    kinds = Counter(f.code for f in findings if f.severity != ERROR)
    detail = f" ({', '.join(f'{n} {code}' for code, n in kinds.most_common())})" if kinds else ""
    return f"{path}: {errors} error(s), {len(findings) - errors} warning(s){detail}"


@catalog.command()
@click.argument("locales", nargs=-1)
@format_option("table", "A table for people, JSON for scripts.")
@locales_option
@campaign_option
def stats(
    locales: tuple[str, ...], fmt: str, locales_dir: Path | None, campaign_file: Path | None
) -> None:
    """Translated, fuzzy and untranslated messages and words, per locale (every catalog,
    or the LOCALES named, as every catalog command takes them).

    Words are counted in the English source, as translators are paid and planned.
    Japanese catalogs also show how they read: jReadability of the whole text as printed
    (higher is easier; 4.5 and up is elementary) and the longest sentence; with `--format
    json`, each message's too (needs the japanese extra).

    \b
    Examples:
      kit catalog stats
      kit catalog stats fr pt-BR
      kit catalog stats --format json
    """
    from kit.catalog import japanese
    from kit.catalog.stats import locale_statuses
    from kit.locales import available_locales, language_of, resolve_locale

    campaign = load_campaign(campaign_file)
    folder = catalog_folder(locales_dir)
    rows = locale_statuses(campaign, folder, readability=True)
    if locales:
        available = available_locales(folder, campaign)
        wanted = {resolve_locale(x, available) for x in locales}
        rows = [r for r in rows if r.locale in wanted]
    if fmt == "json":
        click.echo(json.dumps([r.to_dict() for r in rows], ensure_ascii=False, indent=2))
    else:
        click.echo(
            f"{'locale':<8} {'translated':>10} {'fuzzy':>6} {'untransl.':>9} "
            f"{'words done':>10} {'fuzzy':>6} {'to do':>6}  {'status':<10}  readability"
        )
        for r in rows:
            reads = (
                f"{r.readability['score']:.2f} {r.readability['level']}, longest sentence "
                f"{r.readability['longest_sentence']}"
                if r.readability
                else "-"
            )
            click.echo(
                f"{r.locale:<8} {r.translated:>10} {r.fuzzy:>6} {r.untranslated:>9} "
                f"{r.translated_words:>10} {r.fuzzy_words:>6} {r.untranslated_words:>6}  "
                f"{r.status:<10}  {reads}"
            )
    if any(language_of(r.locale) == "ja" for r in rows) and not japanese.available():
        click.echo(f"readability of Japanese catalogs not measured: {japanese.EXTRA}", err=True)


@catalog.command()
@click.argument("locale")
@format_option("text", "Each suggestion for people, or JSON for tools.")
@click.option(
    "--apply",
    is_flag=True,
    help="Write the suggestions into the catalog, each message changed marked fuzzy for review.",
)
@locales_option
@campaign_option
def furigana(
    locale: str, fmt: str, apply: bool, locales_dir: Path | None, campaign_file: Path | None
) -> None:
    """Suggest furigana for every kanji word of a Japanese catalog written without one.

    Readings come from UniDic (unidic-lite, through MeCab) for each word in its
    sentence, written in the catalog's notation, ｜漢字《かんじ》; where the dictionary
    knows other readings, they are listed to choose from. A dictionary is often wrong on
    compounds (自画撮り read じがとり, not じがどり): read each suggestion. Nothing is
    written unless --apply is given, and then every message changed is marked fuzzy, so
    no suggestion reaches a reviewed poster unread. Needs the japanese extra (pip install
    'safety-message-kit[japanese]').

    \b
    Examples:
      kit catalog furigana ja@easy
      kit catalog furigana ja@easy --format json
      kit catalog furigana ja@easy --apply
    """
    from kit.catalog import japanese
    from kit.catalog.pofile import load_po, save_po
    from kit.locales import language_of

    path = _catalogs(catalog_folder(locales_dir, write=apply), (locale,))[0]
    po = load_po(path)
    name = po.metadata.get("Language") or path.parts[-3]
    if language_of(name) != "ja":
        raise KitError(f"furigana are for Japanese catalogs; this one is {name!r}", file=path)
    japanese.tagger()  # one line naming the extra, before any work, where it is missing
    suggestions = japanese.catalog_suggestions(po, load_campaign(campaign_file), name)
    if fmt == "json":
        click.echo(json.dumps([s.to_dict() for s in suggestions], ensure_ascii=False, indent=2))
    else:
        for s in suggestions:
            form = f" msgstr[{s.form}]" if s.form is not None else ""
            words = ", ".join(
                f"{w.base}《{w.reading}》"
                + (f" (or {' / '.join(w.alternatives)})" if w.alternatives else "")
                for w in s.words
            )
            click.echo(f"{path}:{s.line}: [{s.id}]{form} {words}")
            click.echo(f"    {s.suggested}")
    count = sum(len(s.words) for s in suggestions)
    if apply and suggestions:
        changed = japanese.apply_suggestions(po, suggestions)
        save_po(po, path)
        click.echo(
            f"{path}: wrote {count} reading(s) into {changed} message(s), each marked fuzzy "
            "for review",
            err=True,
        )
    else:
        hint = "; nothing written (review them, then --apply)" if suggestions else ""
        click.echo(
            f"{path}: {count} reading(s) suggested in {len(suggestions)} message(s){hint}", err=True
        )


@catalog.command()
@click.option(
    "--locale",
    "pseudo_locales",
    multiple=True,
    type=click.Choice(["en_XA", "ar_XB"]),
    help="Which pseudo-locale (default: both).",
)
@locales_option
def pseudo(pseudo_locales: tuple[str, ...], locales_dir: Path | None) -> None:
    """Make pseudo-locales to test layout before any translator has started.

    en_XA: accented and about 40 % longer, in brackets. ar_XB: right-to-left. The
    placeholders stay as they are; posters and text render with them like any locale.
    They are for testing: `kit locales` and `kit build` leave them out unless named.

    \b
    Examples:
      kit catalog pseudo
      kit poster --locale en_XA --output pseudo.pdf
    """
    from kit.catalog.pofile import load_po, save_po
    from kit.catalog.pseudo import pseudo_catalog
    from kit.locales import PSEUDO_LOCALES, catalog_path

    locales = catalog_folder(locales_dir, write=True)
    template = load_po(locales / "messages.pot")
    for name in pseudo_locales or tuple(PSEUDO_LOCALES):
        path = catalog_path(locales, name)
        save_po(pseudo_catalog(template, name), path)
        click.echo(f"wrote {path}", err=True)


@catalog.command(name="export")
@click.argument("locale")
@click.option(
    "--to",
    "target",
    type=OutputPath(path_type=Path, dir_okay=False),
    required=True,
    help="The spreadsheet to write: FILE.xlsx or FILE.csv.",
)
@locales_option
def export_(locale: str, target: Path, locales_dir: Path | None) -> None:
    """Export a catalog to a spreadsheet, one row per message.

    Columns: id, note, source, source_plural, fuzzy, source_hash, state_hash,
    translation, and one translation column per CLDR plural category. Cells that would
    start a formula are made inert. Edit the translation columns, then `kit catalog
    import`.

    \b
    Examples:
      kit catalog export vi --to vi.xlsx
      kit catalog export ja --to ja.csv
    """
    from kit.catalog.pofile import load_po
    from kit.catalog.sheets import export_sheet

    path = _catalogs(catalog_folder(locales_dir), (locale,))[0]
    try:
        data = export_sheet(load_po(path), target)
    except KitError as e:
        raise KitError(e.message, file=e.file or path, line=e.line, msgid=e.msgid) from None
    write_output(target, data)


@catalog.command(name="import")
@click.argument("sheet", type=InputPath(path_type=Path, dir_okay=False))
@click.option("--locale", "locale", required=True, help="The catalog to merge into.")
@click.option("--dry-run", is_flag=True, help="Report what would change; write nothing.")
@locales_option
@campaign_option
def import_(
    sheet: Path, locale: str, dry_run: bool, locales_dir: Path | None, campaign_file: Path | None
) -> None:
    """Merge a spreadsheet made by `kit catalog export` into a catalog.

    Nothing is dropped: an empty cell never erases a translation. A new or changed
    translation comes in as a draft (fuzzy) until someone reviews it. Refused, and
    listed by row and column: rows whose source changed since export, unknown ids, and
    translations `kit catalog check` calls an error (a lost placeholder, a typed
    figure). Conflicts: duplicates, and rows edited in a sheet older than a review or
    edit made since in the catalog. Every other row is applied. CSV from Excel with
    semicolons is read as such.

    \b
    Examples:
      kit catalog import vi.xlsx --locale vi
      kit catalog import ja.csv --locale ja --dry-run
    """

    from kit.catalog.check import ERROR, check_po
    from kit.catalog.pofile import Catalog, encode_po, load_po, save_po
    from kit.catalog.sheets import import_sheet, read_sheet
    from kit.locales import language_of

    path = _catalogs(catalog_folder(locales_dir, write=not dry_run), (locale,))[0]
    po = load_po(path)
    records = read_sheet(sheet)
    campaign = load_campaign(campaign_file)

    def errors(po: Catalog, ids: set[str]) -> dict[str, list[str]]:
        """What `kit catalog check` calls an error in these messages."""
        found: dict[str, list[str]] = {}
        only: set[str | None] = set(ids)
        for f in check_po(po, path, campaign, False, language_of(campaign.source_locale), only):
            if f.severity == ERROR and f.msgid in ids:
                found.setdefault(f.msgid, []).append(f"{f.code}: {f.message}")
        return found

    try:
        report = import_sheet(po, records, errors)
    except KitError as e:
        raise KitError(e.message, file=e.file or path, line=e.line, msgid=e.msgid) from None
    for number, why in report.refused:
        click.echo(f"{sheet}: row {number}: refused: {why}", err=True)
    for number, why in report.conflicts:
        click.echo(f"{sheet}: row {number}: conflict: {why}", err=True)
    changed = encode_po(po) != path.read_bytes()
    if changed and not dry_run:
        save_po(po, path)
    verb = "would update" if dry_run else "updated"
    summary = (
        f"{path}: {verb} {len(report.updated)} message(s), {report.unchanged} unchanged, "
        f"{len(report.refused)} refused, {len(report.conflicts)} conflict(s)"
    )
    if report.refused or report.conflicts:
        raise KitError(summary)
    click.echo(summary, err=True)


@catalog.command(name="compile")
@click.argument("catalogs", nargs=-1, type=CatalogArgument())
@locales_option
def compile_(catalogs: tuple[str, ...], locales_dir: Path | None) -> None:
    """Compile .mo files beside the catalogs, for use in other apps (fuzzy excluded).

    Says how many messages each .mo holds; a draft catalog (every message still fuzzy)
    gives a .mo with none, and is named as such.

    \b
    Example:
      kit catalog compile
    """
    from kit.catalog.mofile import compile_mo
    from kit.catalog.pofile import load_po
    from kit.files import atomic_write

    for path in _catalogs(catalog_folder(locales_dir, write=True), catalogs):
        result = compile_mo(load_po(path))
        target = path.with_suffix(".mo")
        try:
            atomic_write(target, result.data)
        except OSError as e:
            raise KitError(f"cannot write the output ({e.strerror or e})", file=target) from None
        note = f"; {result.fuzzy} fuzzy left out" if result.fuzzy else ""
        if result.total and not result.messages:
            note += ": a draft, nothing in it is reviewed yet"
        click.echo(f"wrote {target} ({result.messages} of {result.total} messages{note})", err=True)


@catalog.command()
@click.argument("locale")
@audience_option
@size_option("The poster size previewed.", default="a4")
@file_option("The preview PNG. Default: preview-LOCALE.png in the current folder.")
@click.option("--watch", is_flag=True, help="Render again whenever the catalog is saved.")
@click.option(
    "--interval",
    type=click.FloatRange(0.1, 60),
    default=0.5,
    show_default=True,
    help="Seconds between looks at the catalog, with --watch.",
)
@locales_option
@campaign_option
def preview(
    locale: str,
    audience_name: str | None,
    size: str,
    output: Path | None,
    watch: bool,
    interval: float,
    locales_dir: Path | None,
    campaign_file: Path | None,
) -> None:
    """Render the poster of a catalog as PNG and show the check's findings.

    With --watch it runs until Ctrl-C, re-rendering each time the PO file is saved, so a
    translator sees at once whether the text fits; after the first pass it prints only
    the findings that are new or gone. Untranslated messages show as a draft.

    \b
    Examples:
      kit catalog preview vi
      kit catalog preview vi --watch --size a3
    """
    from kit.api import Request, refuse_to_overwrite
    from kit.catalog.preview import ShownFindings, preview_once, watch_file

    campaign = load_campaign(campaign_file)
    locales = catalog_folder(locales_dir)
    who = Request(campaign, locales).audience(audience_name)
    path = _catalogs(locales, (locale,))[0]
    target = output or Path(f"preview-{locale}.png")
    refuse_to_overwrite([target], command_inputs(), "output")
    shown = ShownFindings()

    def once() -> None:
        result = preview_once(campaign, locales, locale, who, size, target)
        fixed, new = shown.update(result.findings)
        for finding in fixed:
            click.echo(f"fixed: {finding}", err=True)
        for finding in new:
            click.echo(str(finding), err=True)
        click.echo(result.status, err=True)

    if not watch:
        once()
        return
    try:  # with --watch, Ctrl-C is how it stops, from the first render on: exit 0
        once()
        click.echo(f"watching {path} (Ctrl-C to stop)", err=True)
        watch_file(path, once, interval)
    except KeyboardInterrupt:
        click.echo("stopped", err=True)
