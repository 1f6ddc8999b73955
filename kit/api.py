"""kit as a library: the commands' work as functions, which the CLI, the studio and the
build call as a script does. The rules each command used to hold live here once: the
size a poster gets, when a poster is marked DRAFT, which catalogs a bilingual request
may pair, what a build reads and may not overwrite.

    import kit
    made = kit.poster("ja", second_locale="en", size="a3")
    Path("poster.pdf").write_bytes(made.data)

Arguments are named as the CLI's options are, with underscores (`second_locale` is
`--second-locale`, `locales` the catalog folder). A wrong argument raises
kit.errors.RequestError naming it; a problem of the input (a catalog, a profile, a
translation that does not fit) a KitError naming file, line and message id. Nothing
here prints; results carry what a caller may want to say (`notes`).
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kit.errors import KitError, LocaleError, RequestError

if TYPE_CHECKING:
    from kit.batch.orgs import Org
    from kit.batch.run import BuildReport
    from kit.campaign import Campaign
    from kit.catalog.check import Finding
    from kit.material import Material
    from kit.profile import LogoCache, Profile
    from kit.render.poster import SiteLink

PathLike = str | os.PathLike[str]

# Sizes `kit build` makes when none are asked for; "auto" is the paper of the region.
BUILD_SIZES = ("auto", "square", "story")
BUILD_FORMATS = ("pdf", "png")


@dataclass(frozen=True)
class Request:
    """What every request shares: the campaign and the catalog folder, each resolved as
    the CLI resolves its options (a project's [tool.kit] settings, else what kit ships),
    and every file read on the way, so that no output can replace one of them."""

    campaign: Campaign
    locales: Path
    reads: list[Path] = field(default_factory=list)

    @classmethod
    def open(
        cls, campaign: Campaign | PathLike | None, locales: PathLike | None, write: bool = False
    ) -> Request:
        from kit.campaign import Campaign as CampaignType
        from kit.campaign import default_campaign_path
        from kit.campaign import load_campaign as load
        from kit.locales import TEMPLATE, campaign_file, find_project
        from kit.locales import locales_dir as resolve

        reads: list[Path] = []
        if isinstance(campaign, CampaignType):
            loaded = campaign
        else:
            path = campaign_file(Path(campaign) if campaign is not None else None)
            loaded = load(path)
            reads.append(path or default_campaign_path())
        folder = resolve(Path(locales) if locales is not None else None, write=write)
        reads += [folder / TEMPLATE, *sorted(folder.glob("*/LC_MESSAGES/*.po"))]
        with contextlib.suppress(KitError, OSError):  # a broken settings file: reported above
            project = find_project()
            reads += [project.settings] if project else []
        return cls(loaded, folder, reads)

    def audience(self, value: str | None) -> str:
        """The audience asked for, checked against the campaign's own; else its first."""
        if value is None:
            return next(iter(self.campaign.audiences))
        if value not in self.campaign.audiences:
            raise RequestError(
                f"{value!r} is not an audience of campaign {self.campaign.id!r}; "
                f"choose from {', '.join(self.campaign.audiences)}",
                param="audience",
            )
        return value

    def fallback(self, value: str | None) -> bool:
        """Whether a fallback was asked for; only the campaign's source language can
        stand in for a missing translation."""
        if value is None:
            return False
        from kit.locales import language_of

        try:
            same = language_of(value) == language_of(self.campaign.source_locale)
        except LocaleError:
            same = False
        if not same:
            raise RequestError(
                f"only the campaign's source language ({self.campaign.source_locale}) "
                "can stand in for a missing translation",
                param="fallback",
            )
        return True

    def catalog(self, locale: str) -> str:
        """The catalog a locale tag names (ja-JP -> ja), or a LocaleError with suggestions."""
        from kit.locales import available_locales, resolve_locale

        return resolve_locale(locale, available_locales(self.locales, self.campaign))

    def second(self, locale: str, second: str | None, param: str = "second_locale") -> None:
        """Refuses a bilingual request that names one catalog twice."""
        if second is not None and self.catalog(second) == self.catalog(locale):
            what = (
                f"{f'{locale}+{second}'!r} names one catalog twice"
                if param == "pairs"
                else f"{second!r} is the same catalog as --locale {locale!r}"
            )
            raise RequestError(f"{what}; a bilingual poster needs two languages", param=param)

    def profile(
        self, org: Profile | PathLike | None, logos: LogoCache | None = None
    ) -> Profile | None:
        """The organisation's profile, read (with its logo) unless given as one."""
        from kit.profile import LogoCache, Profile, load_profile

        if org is None or isinstance(org, Profile):
            return org
        logos = logos if logos is not None else LogoCache()
        profile = load_profile(Path(org), logos=logos)
        self.reads.extend([Path(org), *logos.by_path])
        return profile

    def site(self, url: str | None, draft: bool, fallback: bool) -> SiteLink | None:
        """The site a poster points to: at `url`, holding what `kit site` with the same
        draft and fallback publishes."""
        if url is None:
            return None
        from kit.fields import url_problem
        from kit.printable import publishable
        from kit.render.poster import SiteLink

        if problem := url_problem(url):
            raise RequestError(f"{url!r} {problem}", param="site_url")
        return SiteLink(url, tuple(publishable(self.campaign, self.locales, draft, fallback)[0]))

    def materials(
        self, locales: Sequence[str], audiences: Sequence[str], draft: bool, fallback: bool
    ) -> list[Material]:
        from kit.printable import printable

        return printable(self.campaign, self.locales, locales, audiences, draft, fallback)


def draft_notes(materials: Iterable[Material]) -> list[str]:
    """One sentence per material printed as a draft: what in it is not reviewed."""
    notes = []
    for m in materials:
        blocks = [*m.blocks(), *m.labels.values()]
        drafts = sum(b.draft for b in blocks)
        english = sum(not b.translated and not b.draft for b in blocks)
        if drafts or english:
            parts = [f"{drafts} message(s) await review"] if drafts else []
            parts += [f"{english} shown in English"] if english else []
            notes.append(f"{m.locale}: marked DRAFT: {', '.join(parts)}")
    return notes


@dataclass(frozen=True)
class PosterResult:
    data: bytes  # the PDF, PNG or SVG
    format: str
    size: str
    sides: int  # 2: a bilingual poster set a side each, to print double-sided
    materials: tuple[Material, ...]
    reads: tuple[Path, ...]  # every file the poster was made from

    @property
    def notes(self) -> list[str]:
        return draft_notes(self.materials)


def poster(
    locale: str = "en",
    *,
    second_locale: str | None = None,
    audience: str | None = None,
    size: str | None = None,
    format: str = "pdf",
    org: Profile | PathLike | None = None,
    site_url: str | None = None,
    draft: bool = False,
    fallback: str | None = None,
    bleed: float = 0.0,
    ppi: float = 144.0,
    sides: str = "auto",
    locales: PathLike | None = None,
    campaign: Campaign | PathLike | None = None,
) -> PosterResult:
    """A printable poster (`kit poster`), or a social image (size square or story).

    Without `size`: kit.render.poster_size. `draft` admits catalogs awaiting review, and with
    `fallback="en"` messages not translated at all; only a poster that then shows some
    is marked DRAFT, so a reviewed catalog never prints as one.
    """
    from kit.printable import marked_draft
    from kit.render import POSTER_FORMATS, SIZES, poster_size
    from kit.render.poster import PosterOptions, make_poster

    if format not in POSTER_FORMATS:
        raise RequestError(f"choose from {', '.join(POSTER_FORMATS)}", param="format")
    if size is not None and size.lower() not in SIZES:
        raise RequestError(f"choose from {', '.join(SIZES)}", param="size")
    if sides not in ("auto", "one", "two"):
        raise RequestError("choose from auto, one, two", param="sides")
    req = Request.open(campaign, locales)
    who = req.audience(audience)
    req.second(locale, second_locale)
    allowed = req.fallback(fallback)
    materials = req.materials([locale, *filter(None, [second_locale])], [who], draft, allowed)
    material, second = materials[0], (materials[1] if second_locale else None)
    profile = req.profile(org)
    paper = profile.paper if profile else None
    chosen = size.lower() if size else poster_size(locale, material.locale, paper)
    site = req.site(site_url or (profile.site_url if profile else None), draft, allowed)
    options = PosterOptions(
        size=chosen,
        format=format,
        bleed=bleed,
        draft=marked_draft(draft, *materials),
        ppi=ppi,
        sides=sides,
        site=site,
    )
    made = make_poster(material, second, options, profile)
    return PosterResult(made.data, format, chosen, made.sides, tuple(materials), tuple(req.reads))


@dataclass(frozen=True)
class TextResult:
    text: str
    format: str
    materials: tuple[Material, ...]
    reads: tuple[Path, ...]

    @property
    def notes(self) -> list[str]:
        return draft_notes(self.materials)


def text(
    locale: str = "en",
    *,
    format: str = "plain",
    second_locale: str | None = None,
    org: Profile | PathLike | None = None,
    audience: str | None = None,
    draft: bool = False,
    fallback: str | None = None,
    locales: PathLike | None = None,
    campaign: Campaign | PathLike | None = None,
) -> TextResult:
    """The material as text (`kit text`): plain, markdown, html or json, with its source
    line; with `org`, the organisation's name and contacts; with `second_locale`, the
    second language after the first."""
    from kit.render import TEXT_FORMATS, render_text

    if format not in TEXT_FORMATS:
        raise RequestError(f"choose from {', '.join(TEXT_FORMATS)}", param="format")
    req = Request.open(campaign, locales)
    who = req.audience(audience)
    req.second(locale, second_locale)
    materials = req.materials(
        [locale, *filter(None, [second_locale])], [who], draft, req.fallback(fallback)
    )
    profile = req.profile(org)
    second = materials[1] if second_locale else None
    out = render_text(materials[0], format, profile, second)
    return TextResult(out, format, tuple(materials), tuple(req.reads))


def check(
    catalogs: Sequence[str] = (),
    *,
    strict: bool = False,
    locales: PathLike | None = None,
    campaign: Campaign | PathLike | None = None,
) -> dict[Path, list[Finding]]:
    """`kit catalog check`: every finding of each catalog (every one in the folder, or
    the locales or PO files named), by file. Never raises for a broken catalog: that
    is a finding with severity "error"."""
    from kit.catalog.check import check_file
    from kit.locales import language_of

    req = Request.open(campaign, locales)
    source = language_of(req.campaign.source_locale)
    return {
        path: check_file(path, req.campaign, strict, source)
        for path in catalog_files(req.locales, catalogs)
    }


def catalog_files(locales: Path, only: Sequence[str] = ()) -> list[Path]:
    """The PO files a catalog command works on: given paths, given locales (any tag
    `kit text` takes: pt-BR, ja-JP, ja-x-easy), or every catalog of the folder."""
    from kit.locales import catalog_path, resolve_locale

    found = sorted(locales.glob("*/LC_MESSAGES/messages.po"))
    if not only:
        return found
    names = [p.parts[-3] for p in found]
    return [
        Path(item)
        if item.endswith((".po", ".pot"))
        else catalog_path(locales, resolve_locale(item, names))
        for item in only
    ]


@dataclass
class BuildResult:
    """A finished build: what it made, left alone, could not make, and wrote besides."""

    output: Path
    report: BuildReport
    manifest: dict[str, Any]
    bundles: list[tuple[Path, int]]  # the print files and the zip, with their sizes

    @property
    def summary(self) -> str:
        from kit.batch.run import GALLERY

        r = self.report
        return (
            f"{len(r.built)} built, {len(r.unchanged)} unchanged, {len(r.failed)} failed, "
            f"{len(r.bad_rows)} bad row(s); gallery: {self.output / GALLERY}"
        )


def build(
    output: PathLike,
    *,
    locale: Sequence[str] | None = None,
    pairs: Sequence[tuple[str, str]] = (),
    sizes: Sequence[str] = BUILD_SIZES,
    paper: str | None = None,
    formats: Sequence[str] = BUILD_FORMATS,
    audiences: Sequence[str] | None = None,
    org: PathLike | None = None,
    orgs: PathLike | None = None,
    site: bool = False,
    site_url: str | None = None,
    print_file: bool = False,
    zip: bool = False,
    draft: bool = False,
    fallback: str | None = None,
    workers: int | None = None,
    wait: bool = False,
    locales: PathLike | None = None,
    campaign: PathLike | None = None,
    on_start: Callable[[int, int], None] = lambda jobs, workers: None,
    on_progress: Callable[[int, int], None] = lambda done, total: None,
    on_wait: Callable[[str], None] = lambda holder: None,
) -> BuildResult:
    """`kit build`: every poster and text of the matrix into `output`, with a manifest
    and a gallery; only what changed is made again.

    Raises BuildIncomplete (kit.batch.run) when some files failed or CSV rows were left
    out, BuildInterrupted when a signal stopped it: both carry the report; what was
    finished is in place, and the same call completes it.
    """
    from kit.batch.bundle import ZIP, print_name
    from kit.batch.plan import choose_locales, plan
    from kit.batch.run import GALLERY, BuildIncomplete, BuildInterrupted, BuildReport, claim
    from kit.batch.run import build as run
    from kit.batch.site import FOLDER, SiteSpec
    from kit.render import POSTER_FORMATS, SIZES

    out = Path(output)
    _choices(sizes, [*SIZES, "auto"], "sizes")
    _choices(formats, POSTER_FORMATS, "formats")
    if paper is not None and paper not in ("a4", "a3", "b4", "letter"):
        raise RequestError("choose from a4, a3, b4, letter", param="paper")
    req = Request.open(campaign, locales)
    audience_list = list(audiences) if audiences else list(req.campaign.audiences)
    _choices(audience_list, list(req.campaign.audiences), "audiences")
    english = req.fallback(fallback)
    chosen = choose_locales(
        req.campaign, req.locales, list(locale) if locale else None, draft, english
    )
    pair_list = _pairs(req, pairs)
    every = list(dict.fromkeys(chosen + [x for p in pair_list for x in p]))
    req.materials(every, audience_list, draft, english)  # a locale not ready: nothing written
    report = BuildReport()
    org_list = _organisations(req, org, orgs, every, report)
    jobs = plan(
        req.campaign,
        req.locales,
        chosen,
        audience_list,
        list(sizes),
        list(formats),
        org_list,
        draft,
        pair_list,
        paper,
        site_url,
    )
    spec = None
    if site:
        if any(o.slug == FOLDER for o in org_list):
            raise KitError(
                f"an organisation's folder would be {FOLDER}/, where the site is written: "
                "rename the organisation, or build the site apart (kit site)"
            )
        spec = SiteSpec(tuple(chosen), tuple(audience_list), site_url, draft, english)
    refuse_to_overwrite(
        [out / name for name in ("manifest.json", GALLERY, ZIP)]
        + [out / print_name(s) for s in SIZES]
        + [out / job.path for job in jobs],
        [*req.reads, *package_files()],
        "output",
        manifests=False,
    )
    n = min(workers or os.cpu_count() or 1, max(len(jobs), 1))
    bundles: list[tuple[Path, int]] = []
    with claim(out, wait, on_wait):
        on_start(len(jobs), n)
        manifest = run(
            req.campaign,
            req.locales,
            out,
            jobs,
            org_list,
            n,
            report,
            progress=on_progress,
            site=spec,
        )
        if not report.interrupted and (print_file or zip):
            paths = {job.path for job in jobs}
            if spec is not None:
                paths |= {e["path"] for e in manifest["files"] if e["kind"] == "site"}
            bundles = _bundle(out, manifest, paths, print_file, zip)
    result = BuildResult(out, report, manifest, bundles)
    if report.interrupted:
        raise BuildInterrupted(result.summary, report.interrupted, report)
    if report.failed or report.bad_rows:
        raise BuildIncomplete(result.summary, report)
    return result


def _choices(values: Sequence[str], allowed: Sequence[str], param: str) -> None:
    bad = [v for v in values if v not in allowed]
    if bad or not values:
        raise RequestError(f"choose from {', '.join(allowed)}", param=param)


def _pairs(req: Request, pairs: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    """The pairs, each language resolved to its catalog (ja-JP -> ja)."""
    out = []
    for first, second in pairs:
        req.second(first, second, param="pairs")
        out.append((req.catalog(first), req.catalog(second)))
    return list(dict.fromkeys(out))


def _organisations(
    req: Request,
    org: PathLike | None,
    orgs: PathLike | None,
    locales: list[str],
    report: BuildReport,
) -> list[Org]:
    """The organisations to build for. Rows left out, and rows asking for locales this
    build does not make, go into the report before anything is built."""
    from kit.batch.orgs import Org, read_orgs, slugify, unbuilt
    from kit.batch.plan import DEFAULT_ORG
    from kit.locales import available_locales
    from kit.profile import LogoCache

    ngo = req.profile(org)
    if not orgs:
        return [Org(slugify(ngo.name), ngo) if ngo else Org(DEFAULT_ORG, None)]
    rows = read_orgs(Path(orgs), available_locales(req.locales, req.campaign), LogoCache())
    req.reads.extend([Path(orgs), *rows.logos.by_path])
    if ngo is not None:  # each school beside the NGO's branding, in the school's folder
        if ngo.logo and any(o.profile and o.profile.logo for o in rows.orgs):
            report.warnings.append(
                (str(orgs), "the schools' logos are not printed: the --org profile's is")
            )
        rows.orgs = [
            dataclasses.replace(o, profile=ngo.with_partner(o.profile))
            for o in rows.orgs
            if o.profile
        ]
    built, bad, warnings = unbuilt(rows.orgs, locales)
    report.bad_rows += rows.bad + bad
    report.warnings += [(f"{orgs}: {where}", why) for where, why in warnings]
    return built


def _bundle(
    out: Path, manifest: dict[str, Any], paths: set[str], print_file: bool, make_zip: bool
) -> list[tuple[Path, int]]:
    """The print files and the zip, from the files the build made."""
    from kit.batch.bundle import ZIP, build_zip, print_files
    from kit.batch.run import GALLERY
    from kit.files import atomic_write

    made = print_files(out, manifest, paths) if print_file else {}
    written = []
    for name, data in made.items():
        atomic_write(out / name, data, follow_links=False)
        written.append((out / name, len(data)))
    if make_zip:
        data = build_zip(out, manifest, paths, ["manifest.json", GALLERY, *made])
        atomic_write(out / ZIP, data, follow_links=False)
        written.append((out / ZIP, len(data)))
    return written


def refuse_to_overwrite(
    outputs: Iterable[Path], inputs: Iterable[Path], param: str, *, manifests: bool = True
) -> None:
    """A RequestError when an output is a file kit reads (a catalog, the campaign, the
    template, a profile, a logo, a build's manifest): writing it would destroy the input."""
    from kit.batch.manifest import is_manifest
    from kit.files import file_ids, overwrites

    ids = file_ids(inputs)
    for output in outputs:
        clash = overwrites(output, ids) or (output if manifests and is_manifest(output) else None)
        if clash is not None:
            raise RequestError(
                f"{output} is {clash}, which kit reads: writing it would destroy it; "
                "choose another name",
                param=param,
            )


def package_files() -> list[Path]:
    """kit's own files: no output may replace one (an output folder inside the package)."""
    package = Path(__file__).resolve().parent
    return [p for p in package.rglob("*") if "__pycache__" not in p.parts]
