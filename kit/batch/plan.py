"""The build's matrix: which files to make, and for each a key over everything that
shapes it, so an unchanged file is never made twice and a changed one always is.

A key covers the inputs (campaign, the locale's catalogs, for posters the organisation
with its logo's content hash, the job's own options) and the program: every source file
of kit that takes part in making that kind of file (a change to kit/render/poster.py
rebuilds the posters, not the texts), the fonts, and the versions of the libraries that
lay out and format (Typst, Babel, BudouX, segno, Jinja2) and of Python.
"""

from __future__ import annotations

import functools
import hashlib
import json
import platform
from dataclasses import dataclass
from importlib import metadata, resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kit.batch.orgs import Org, is_slug
from kit.errors import KitError

if TYPE_CHECKING:
    from kit.campaign import Campaign
    from kit.profile import Profile
    from kit.render.poster import SiteLink

THUMB_PPI = 24.0
DEFAULT_ORG = "kit"  # the folder when no organisation is given

# Libraries whose version can change an output, by the kind of file they shape.
_LIBRARIES = {"poster": ("typst", "babel", "budoux", "segno"), "text": ("babel", "jinja2")}


@dataclass(frozen=True, slots=True)
class Job:
    org: str  # its folder
    locale: str
    audience: str
    kind: str  # "poster", "thumb" or "text"
    size: str  # poster size, or "" for text
    format: str  # pdf/png/svg, or txt/md/html
    path: str  # relative to the output folder
    draft: bool
    key: str = ""  # hash of every input
    site: SiteLink | None = None  # a poster's: the `kit site` its QR code opens


def _part(relative: str) -> str | None:
    """Which outputs a file of the kit package shapes: "poster", "text", "all" or None."""
    if relative.startswith(("cli/", "studio/", "batch/gallery", "data/templates/gallery")):
        return None  # the command line, the translator's studio and the gallery index
    if "/__pycache__/" in relative:
        return None
    if relative.startswith("data/fonts/"):
        return "poster" if relative.endswith((".ttf", ".otf", "manifest.json")) else None
    if not relative.endswith((".py", ".typ", ".j2")):
        return None
    if relative.startswith(("render/", "data/templates/")) and "poster" in relative:
        return "poster"
    if relative in ("render/text.py", "render/html.py") or relative.endswith(".j2"):
        return "text"
    return "all"


def source_root() -> Path:
    """The kit package's folder, whose files are part of every key."""
    return Path(str(resources.files("kit")))


@functools.cache
def program_fingerprint(kind: str, root: Path) -> str:
    """The hash of kit's own files under `root` and the library versions that shape
    `kind` ("poster" or "text"). Once per process: a few dozen small files and the fonts."""
    h = hashlib.sha256(f"python {platform.python_version()}\0".encode())
    for name in _LIBRARIES[kind]:
        try:
            version = metadata.version(name)
        except metadata.PackageNotFoundError:
            version = "absent"
        h.update(f"{name} {version}\0".encode())
    for path in sorted(_files(root)):
        relative = path.relative_to(root).as_posix()
        if _part(relative) in ("all", kind):
            h.update(relative.encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


def _files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()]


def _sha(*parts: bytes | str) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode("utf-8") if isinstance(part, str) else part)
        h.update(b"\0")
    return h.hexdigest()


def profile_fingerprint(org: Org, text: bool = False) -> str:
    """What of an organisation shows on its posters, its logo by content hash (hashing
    repr(profile) hashed the logo's bytes once per row); with `text`, what shows in its
    texts: the same without the logo and the paper."""
    p = org.profile
    if p is None:
        return "none"
    return _sha(json.dumps(_shown(p, text), ensure_ascii=False))


def _shown(p: Profile, text: bool) -> list[Any]:
    logo = [p.logo.sha256, p.logo.kind, p.logo.alt] if p.logo and not text else None
    languages = [[k, v.name, list(v.contacts or ())] for k, v in p.languages]
    partner = _shown(p.partner, text) if p.partner else None
    return [p.name, list(p.contacts), p.url, logo, None if text else p.paper, languages, partner]


def choose_locales(
    campaign: Campaign,
    locales_dir: Path,
    requested: list[str] | None,
    draft: bool,
    fallback: bool = False,
) -> list[str]:
    """The locales a build makes: those asked for, else every complete catalog (and the
    drafts, with draft; the incomplete ones too, with draft and fallback). Pseudo-locales
    are built only when named."""
    from kit.catalog.stats import locale_statuses
    from kit.locales import available_locales, resolve_locale

    if requested:
        available = available_locales(locales_dir, campaign)
        return list(dict.fromkeys(resolve_locale(x, available) for x in requested))
    # Only then are all catalogs read: a broken one must not stop `--locale ja`.
    wanted = (
        {"complete"}
        | ({"draft"} if draft else set())
        | ({"incomplete"} if draft and fallback else set())
    )
    return [s.locale for s in locale_statuses(campaign, locales_dir) if s.status in wanted]


def _check_names(org: str, locale: str, audience: str) -> None:
    """Every name that becomes a folder is checked here, whatever checked it before."""
    from kit.campaign import is_id
    from kit.locales import is_catalog_name

    if not (org == DEFAULT_ORG or is_slug(org)):
        raise KitError(f"{org!r} is not a folder name kit makes for an organisation")
    if not is_catalog_name(locale):
        raise KitError(f"{locale!r} is not a catalog name such as ja, pt_BR or ja@easy")
    if not is_id(audience):
        raise KitError(f"{audience!r} is not an audience id")


PAIR = "+"  # a bilingual poster's folder: ja+vi, the first language on top or in front


def plan(
    campaign: Campaign,
    locales_dir: Path,
    locales: list[str],
    audiences: list[str],
    sizes: list[str],
    formats: list[str],
    orgs: list[Org],
    draft: bool,
    pairs: list[tuple[str, str]] | None = None,
    paper: str | None = None,
    site_url: str | None = None,
) -> list[Job]:
    """Every job of the matrix, with its key. "auto" in sizes is `paper`, else the
    organisation's (its profile's `paper`), else each locale's (the first language's, for
    a pair): Letter where the region uses it, A4 elsewhere. Pairs get posters and
    thumbnails on the paper sizes (a social image has no second side); their texts are
    each language's own. Posters point to `site_url`, else to their organisation's
    site_url, if any: a site of the build's locales."""
    from kit.render import POSTER_FORMATS, SIZES, poster_size

    for value, known in [
        *((s, SIZES) for s in sizes if s != "auto"),
        *((f, POSTER_FORMATS) for f in formats),
    ]:
        if value not in known:
            raise KitError(f"unknown size or format {value!r}")
    pairs = pairs or []
    keys = _Keys(campaign, locales_dir, [*locales, *(x for p in pairs for x in p)], draft)
    keys.site = (site_url, tuple(locales))
    jobs = []
    for org in orgs:
        for locale in locales:
            if org.locales is not None and locale not in org.locales:
                continue
            auto = paper or poster_size(locale, paper=_org_paper(org))
            locale_sizes = dict.fromkeys(auto if s == "auto" else s for s in sizes)
            for audience in audiences:
                _check_names(org.slug, locale, audience)
                jobs += keys.jobs(org, locale, audience, list(locale_sizes), formats)
        for first, second in pairs:
            if org.locales is not None and not {first, second} <= set(org.locales):
                continue
            auto = paper or poster_size(first, paper=_org_paper(org))
            paper_sizes = [
                s
                for s in dict.fromkeys(auto if s == "auto" else s for s in sizes)
                if SIZES[s].kind == "print"
            ]
            for audience in audiences:
                _check_names(org.slug, first, audience)
                _check_names(org.slug, second, audience)
                jobs += keys.jobs(org, f"{first}{PAIR}{second}", audience, paper_sizes, formats)
    return jobs


def _org_paper(org: Org) -> str | None:
    return org.profile.paper if org.profile else None


class _Keys:
    """The parts of every key that do not depend on the job, computed once."""

    def __init__(self, campaign: Campaign, locales_dir: Path, locales: list[str], draft: bool):
        self.draft = draft
        self.program = {kind: program_fingerprint(kind, source_root()) for kind in _LIBRARIES}
        self.campaign = _sha(campaign.path.read_bytes())
        self.catalogs = {
            loc: _catalogs_hash(locales_dir, loc, locales) for loc in dict.fromkeys(locales)
        }
        self.profiles: dict[tuple[str, bool], str] = {}
        self.site: tuple[str | None, tuple[str, ...]] = (None, ())  # --site-url, locales

    def jobs(
        self, org: Org, locale: str, audience: str, sizes: list[str], formats: list[str]
    ) -> list[Job]:
        from kit.render import text_suffixes

        if (org.slug, False) not in self.profiles:  # orgs come one after another
            self.profiles = {(org.slug, t): profile_fingerprint(org, t) for t in (False, True)}
        out = []
        for size in sizes:
            out += [
                self.job(org, locale, audience, "poster", size, fmt, f"poster-{size}.{fmt}")
                for fmt in formats
            ]
            out.append(self.job(org, locale, audience, "thumb", size, "png", f"thumb-{size}.png"))
        if PAIR not in locale:
            out += [
                self.job(org, locale, audience, "text", "", ext, f"text.{ext}")
                for ext in text_suffixes()
            ]
        return out

    def job(
        self, org: Org, locale: str, audience: str, kind: str, size: str, fmt: str, name: str
    ) -> Job:
        from kit.render.poster import SiteLink

        path = f"{org.slug}/{locale}/{audience}/{name}"
        url = self.site[0] or (org.profile.site_url if org.profile else None)
        site = SiteLink(url, self.site[1]) if url and kind != "text" else None
        shown = [site.url, list(site.locales)] if site else None
        spec = json.dumps([org.slug, locale, audience, kind, size, fmt, path, self.draft, shown])
        key = _sha(
            self.program["text" if kind == "text" else "poster"],
            self.campaign,
            *(self.catalogs[loc] for loc in locale.split(PAIR)),
            self.profiles[org.slug, kind == "text"],  # a text prints its lines, not its logo
            spec,
        )
        return Job(org.slug, locale, audience, kind, size, fmt, path, self.draft, key, site)


def _catalogs_hash(locales_dir: Path, locale: str, locales: list[str]) -> str:
    """The locale's catalog and those of its language (ja@easy beside ja): a variant may
    take messages from its language's catalog."""
    from kit.locales import catalog_path, language_of

    family = [
        loc
        for loc in sorted({*locales, *_catalog_names(locales_dir)})
        if language_of(loc) == language_of(locale)
    ]
    parts = []
    for loc in family:
        path = catalog_path(locales_dir, loc)
        parts.append(f"{loc}:" + (_sha(path.read_bytes()) if path.is_file() else "source"))
    return _sha(*parts)


def _catalog_names(locales_dir: Path) -> list[str]:
    from kit.locales import is_catalog_name

    if not locales_dir.is_dir():
        return []
    return [p.name for p in locales_dir.iterdir() if is_catalog_name(p.name)]
