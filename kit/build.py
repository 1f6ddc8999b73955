"""kit build: every locale, audience, size and format at once, for one organisation or many.

The matrix is a list of jobs, each producing one file from inputs named in its cache key
(campaign, catalog, profile and logo, template, fonts, kit version, options). A job whose
output is still what the manifest recorded for the same key is skipped, so a rebuild with
nothing changed costs a few hashes. Jobs run in a process pool, one Typst compiler per
worker; every file is written atomically and the manifest is rewritten after every
batch, so an interrupted build leaves no truncated file and the next run completes it.
"""

from __future__ import annotations

import csv
import hashlib
import html
import json
import multiprocessing
import os
import re
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import kit
from kit.campaign import Campaign
from kit.errors import KitError
from kit.files import atomic_write, remove_stale_temporaries
from kit.profile import Profile, profile_from_mapping

THUMB_PPI = 24.0
MANIFEST = "manifest.json"


@dataclass(frozen=True)
class Org:
    slug: str
    profile: Profile | None
    locales: tuple[str, ...] | None = None  # None: every requested locale


@dataclass(frozen=True)
class Job:
    org: str  # slug
    locale: str
    audience: str
    kind: str  # "poster", "thumb" or "text"
    size: str  # poster size, or "" for text
    format: str  # pdf/png/svg, or txt/md/html
    path: str  # relative to the output folder
    draft: bool
    key: str = ""  # hash of every input


@dataclass
class BuildReport:
    built: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (what, why)
    bad_rows: list[tuple[int, str]] = field(default_factory=list)


def slugify(name: str) -> str:
    """A folder name from an organisation's name, in any script (東京第一中学校 stays so)."""
    slug = re.sub(r"[^\w]+", "-", name.lower()).strip("-_")
    return slug[:60] or "org"


ORG_COLUMNS = ("name", "contacts", "url", "logo", "logo_alt", "locales")


def read_orgs(path: Path, report: BuildReport, available: list[str]) -> list[Org]:
    """Organisations from a CSV: name, contacts (separated by |), url, logo, logo_alt,
    locales (space-separated; empty for all). A bad row is reported and left out."""
    from kit.locales import resolve_locale

    try:
        text = path.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as e:
        raise KitError(f"cannot read the organisations file ({e})", file=path) from None
    reader = csv.DictReader(text.splitlines())
    if not reader.fieldnames or "name" not in reader.fieldnames:
        raise KitError("the first row must name the columns, with at least 'name'", file=path, line=1)
    unknown = [c for c in reader.fieldnames if c not in ORG_COLUMNS]
    if unknown:  # a misspelt column would silently print posters without contacts
        raise KitError(f"unknown column(s) {', '.join(map(repr, unknown))}; the columns are "
                       f"{', '.join(ORG_COLUMNS)}", file=path, line=1)
    orgs: list[Org] = []
    seen: set[str] = set()
    for number, row in enumerate(reader, start=2):
        row = {k: (v or "").strip() for k, v in row.items() if k}
        data: dict[str, Any] = {"name": row.get("name", "")}
        if row.get("contacts"):
            data["contacts"] = [c.strip() for c in row["contacts"].split("|") if c.strip()]
        if row.get("url"):
            data["url"] = row["url"]
        if row.get("logo"):
            data["logo"] = {"path": row["logo"], "alt": row.get("logo_alt", "")}
        try:
            profile = profile_from_mapping(data, path, path.resolve().parent, line=number)
        except KitError as e:
            report.bad_rows.append((number, e.message))
            continue
        slug = slugify(profile.name)
        if slug in seen:
            report.bad_rows.append((number, f"{profile.name!r} appears twice (same folder name {slug!r})"))
            continue
        seen.add(slug)
        try:
            locales = (tuple(resolve_locale(x, available) for x in row["locales"].split())
                       if row.get("locales") else None)
        except KitError as e:
            report.bad_rows.append((number, e.message))
            continue
        orgs.append(Org(slug, profile, locales))
    return orgs


def _sha(*parts: bytes | str) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode("utf-8") if isinstance(part, str) else part)
        h.update(b"\0")
    return h.hexdigest()


def _fingerprint_static() -> str:
    """Template, fonts and kit version: what every output depends on."""
    from kit.fonts import font_dir

    templates = resources.files("kit.render").joinpath("templates")
    parts = [kit.__version__]
    for name in sorted(p.name for p in templates.iterdir() if p.name.endswith((".typ", ".j2"))):
        parts.append(templates.joinpath(name).read_text("utf-8"))
    parts.append((font_dir() / "manifest.json").read_text("utf-8"))
    return _sha(*parts)


def choose_locales(campaign: Campaign, locales_dir: Path, requested: list[str] | None,
                   draft: bool) -> list[str]:
    """The locales a build makes: those asked for, else every complete catalog (and the
    drafts, with draft=True). Pseudo-locales are built only when named."""
    from kit.catalog.stats import locale_statuses
    from kit.locales import available_locales, resolve_locale

    if requested:
        available = available_locales(locales_dir, campaign)
        return list(dict.fromkeys(resolve_locale(x, available) for x in requested))
    # Only then are all catalogs read: a broken one must not stop `--locale ja`.
    return [s.locale for s in locale_statuses(campaign, locales_dir)
            if s.status == "complete" or (draft and s.status == "draft")]


def plan(campaign: Campaign, locales_dir: Path, locales: list[str], audiences: list[str],
         sizes: list[str], formats: list[str], orgs: list[Org], draft: bool) -> list[Job]:
    """Every job of the matrix, with its cache key. "auto" in sizes is each locale's paper."""
    from kit.locales import catalog_path
    from kit.render import default_size, text_suffixes

    static = _fingerprint_static()
    campaign_hash = _sha(campaign.path.read_bytes())
    jobs = []
    for org in orgs:
        logo = org.profile.logo.data if org.profile and org.profile.logo else b""
        profile_hash = _sha(repr(org.profile), logo)
        for locale in locales:
            if org.locales is not None and locale not in org.locales:
                continue
            catalog = catalog_path(locales_dir, locale)
            catalog_hash = _sha(catalog.read_bytes()) if catalog.is_file() else "source"
            inputs = (static, campaign_hash, catalog_hash, profile_hash)

            def job(audience: str, kind: str, size: str, fmt: str, path: str,
                    org: Org = org, locale: str = locale, inputs: tuple[str, ...] = inputs) -> Job:
                spec = json.dumps([org.slug, locale, audience, kind, size, fmt, path, draft])
                return Job(org.slug, locale, audience, kind, size, fmt, path, draft, _sha(*inputs, spec))

            base = f"{org.slug}/{locale}"
            locale_sizes = dict.fromkeys(default_size(locale) if s == "auto" else s for s in sizes)
            for audience in audiences:
                for size in locale_sizes:
                    for fmt in formats:
                        jobs.append(job(audience, "poster", size, fmt,
                                        f"{base}/{audience}/poster-{size}.{fmt}"))
                    jobs.append(job(audience, "thumb", size, "png", f"{base}/{audience}/thumb-{size}.png"))
                for ext in text_suffixes():
                    jobs.append(job(audience, "text", "", ext, f"{base}/{audience}/text.{ext}"))
    return jobs


# ---- running jobs (in worker processes) ---------------------------------------------------

_WORKER: dict[str, Any] = {}


def _init_worker(campaign_path: str, locales_dir: str, orgs: list[Org]) -> None:
    from kit.campaign import load_campaign

    _WORKER["campaign"] = load_campaign(campaign_path)
    _WORKER["locales"] = Path(locales_dir)
    _WORKER["orgs"] = {o.slug: o for o in orgs}


def _groups(jobs: list[Job]) -> list[list[Job]]:
    """Jobs that lay out the same page (one poster in several formats, its thumbnail; the
    texts of one material) go to the same worker, where Typst's memoization lays it out
    once; biggest groups first, so the pool ends evenly."""
    groups: dict[tuple[str, str, str, str], list[Job]] = {}
    for job in jobs:
        groups.setdefault((job.org, job.locale, job.audience, job.size), []).append(job)
    return sorted(groups.values(), key=len, reverse=True)


def run_group(jobs: list[Job], out_dir: str) -> list[tuple[Job, str | None, str, list[str]]]:
    return [run_job(job, out_dir) for job in jobs]


def run_job(job: Job, out_dir: str) -> tuple[Job, str | None, str, list[str]]:
    """(job, error or None, sha256 of the output, missing message ids)."""
    from kit.localize import localize
    from kit.render import render_text, text_suffixes
    from kit.render.poster import PosterOptions, render_poster

    try:
        material = localize(_WORKER["campaign"], job.locale, job.audience, _WORKER["locales"],
                            drafts=job.draft)
        missing = [m.id for m in material.missing]
        if job.kind == "text":
            data: bytes = render_text(material, text_suffixes()[job.format]).encode("utf-8")
        else:
            profile = _WORKER["orgs"][job.org].profile
            ppi = THUMB_PPI if job.kind == "thumb" else 144.0
            # A complete catalog is never marked DRAFT; an incomplete one is refused unless
            # the build allows drafts, and then marked.
            options = PosterOptions(size=job.size, format=job.format, ppi=ppi,
                                    draft=job.draft and bool(missing))
            data = render_poster(material, None, options, profile)
        atomic_write(Path(out_dir) / job.path, data)
        return job, None, hashlib.sha256(data).hexdigest(), missing
    except KitError as e:
        return job, str(e), "", []
    except OSError as e:  # e.g. a file stands where a folder must be made
        return job, f"cannot write {job.path} ({e.strerror or e})", "", []


# ---- the build -----------------------------------------------------------------------------

def _load_manifest(out: Path) -> dict[str, Any]:
    try:
        data = json.loads((out / MANIFEST).read_text("utf-8"))
        return {f["path"]: f for f in data.get("files", [])}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}


def _up_to_date(job: Job, out: Path, old: dict[str, Any]) -> bool:
    entry = old.get(job.path)
    path = out / job.path
    if not entry or entry.get("key") != job.key or not path.is_file():
        return False
    return hashlib.sha256(path.read_bytes()).hexdigest() == entry.get("sha256")


def build(campaign: Campaign, locales_dir: Path, out: Path, jobs: list[Job], orgs: list[Org],
          workers: int, report: BuildReport,
          progress: Callable[[int, int], None] = lambda done, total: None) -> dict[str, Any]:
    """Run what is not up to date; write manifest.json and index.html. Returns the manifest."""
    out.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(out, recursive=True)  # left by a build that was killed
    old = _load_manifest(out)
    planned = {job.path for job in jobs}
    # Files of earlier builds that this one does not plan (another --locale, say) stay
    # listed while they are on disk, so the gallery and the next full build still know them.
    entries: dict[str, Any] = {p: e for p, e in old.items() if p not in planned and (out / p).is_file()}
    todo = []
    for job in jobs:
        if _up_to_date(job, out, old):
            entries[job.path] = old[job.path]
            report.unchanged.append(job.path)
        else:
            todo.append(job)
    total, done = len(jobs), len(report.unchanged)
    progress(done, total)

    def record(job: Job, error: str | None, sha: str, missing: list[str]) -> None:
        nonlocal done
        done += 1
        if error:
            report.failed.append((job.path, error))
            # An older output of this job no longer matches its inputs: never leave it to
            # be published as if it were current.
            entries.pop(job.path, None)
            stale = out / job.path
            if stale.is_file():
                stale.unlink()
        else:
            report.built.append(job.path)
            entries[job.path] = _entry(job, sha, missing)
        progress(done, total)

    if todo:
        args = (str(campaign.path), str(locales_dir), orgs)
        groups = _groups(todo)
        if workers <= 1:
            _init_worker(*args)
            for group in groups:
                for result in run_group(group, str(out)):
                    record(*result)
        else:
            # Spawned, not forked: a forked child inherits Typst's (Rust) threads and locks
            # from a parent that already compiled something, and can deadlock in them.
            context = multiprocessing.get_context("spawn")
            with ProcessPoolExecutor(max_workers=workers, initializer=_init_worker, initargs=args,
                                     mp_context=context) as pool:
                futures = [pool.submit(run_group, group, str(out)) for group in groups]
                for n, future in enumerate(as_completed(futures), start=1):
                    for result in future.result():
                        record(*result)
                    if n % 20 == 0:
                        _write_manifest(out, entries, campaign)  # a kill loses little
    manifest = _write_manifest(out, entries, campaign)
    atomic_write(out / "index.html", gallery(manifest))
    return manifest


def _entry(job: Job, sha: str, missing: list[str]) -> dict[str, Any]:
    return {"path": job.path, "org": job.org, "locale": job.locale, "audience": job.audience,
            "kind": job.kind, "size": job.size, "format": job.format, "sha256": sha,
            "key": job.key, "draft": bool(missing), "untranslated": missing}


def _write_manifest(out: Path, entries: dict[str, Any], campaign: Campaign) -> dict[str, Any]:
    manifest = {"kit": kit.__version__, "campaign": campaign.id,
                "files": [entries[p] for p in sorted(entries)]}
    atomic_write(out / MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2) + "\n")
    return manifest


def gallery(manifest: dict[str, Any]) -> str:
    """index.html: thumbnails linking to every poster and text, filterable by language and
    organisation; plain HTML and a few lines of script, works offline from the folder."""
    from kit.locales import babel_locale

    files = manifest["files"]
    cards = []
    groups: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
    for f in files:
        groups.setdefault((f["org"], f["locale"], f["audience"]), []).append(f)
    langs = sorted({f["locale"] for f in files})
    orgs = sorted({f["org"] for f in files})
    for (org, locale, audience), items in sorted(groups.items()):
        for thumb in (i for i in items if i["kind"] == "thumb"):
            links = [i for i in items if i["size"] == thumb["size"] and i["kind"] == "poster"]
            link_html = " ".join(
                f'<a href="{html.escape(i["path"])}">{i["format"].upper()}</a>' for i in links)
            draft = ' <span class="draft">DRAFT</span>' if thumb["draft"] else ""
            target = html.escape(links[0]["path"] if links else thumb["path"])
            cards.append(
                f'<figure class="card" data-lang="{html.escape(locale)}" data-org="{html.escape(org)}">'
                f'<a href="{target}"><img src="{html.escape(thumb["path"])}" alt="{html.escape(audience)} '
                f'poster, {html.escape(locale)}, {html.escape(thumb["size"])}" loading="lazy"></a>'
                f'<figcaption>{html.escape(locale)} · {html.escape(audience)} · '
                f'{html.escape(thumb["size"])}{draft}<br>{link_html}</figcaption></figure>')
        texts = [i for i in items if i["kind"] == "text"]
        if texts:
            link_html = " ".join(f'<a href="{html.escape(i["path"])}">{i["format"]}</a>' for i in texts)
            cards.append(f'<figure class="card text" data-lang="{html.escape(locale)}" '
                         f'data-org="{html.escape(org)}"><figcaption>{html.escape(locale)} · '
                         f'{html.escape(audience)} · text<br>{link_html}</figcaption></figure>')

    def name(loc: str) -> str:
        try:
            return f"{loc}: {babel_locale(loc).get_display_name('en')}"
        except KitError:
            return loc

    lang_options = "".join(f'<option value="{html.escape(x)}">{html.escape(name(x))}</option>' for x in langs)
    org_options = "".join(f'<option value="{html.escape(x)}">{html.escape(x)}</option>' for x in orgs)
    template = resources.files("kit.render").joinpath("templates", "gallery.html").read_text("utf-8")
    return (template.replace("{{LANG_OPTIONS}}", lang_options)
            .replace("{{ORG_OPTIONS}}", org_options)
            .replace("{{CARDS}}", "\n".join(cards))
            .replace("{{COUNT}}", str(len(files))))


def iter_progress(stream: Any) -> Callable[[int, int], None]:
    """A one-line progress bar on a terminal; nothing when stderr is not one."""
    if not stream.isatty():
        return lambda done, total: None

    def show(done: int, total: int) -> None:
        width = 30
        filled = int(width * done / total) if total else width
        stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
        if done == total:
            stream.write("\n")
        stream.flush()
    return show


def default_workers() -> int:
    return os.cpu_count() or 1
