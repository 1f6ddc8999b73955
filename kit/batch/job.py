"""What a build worker does (kit.batch.workers runs it): one job in, one file out.

The worker is given the campaign and catalog folder once, and with each task only what
its jobs need: the one organisation's profile, its logo by content hash (read from the
run's folder, where the parent wrote each distinct logo once). The file is written into
the run's folder; the parent moves it into place, so only the parent decides what
appears in the output and the manifest always lists exactly that.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kit.batch.plan import THUMB_PPI, Job
from kit.batch.workers import JobFailed
from kit.errors import KitError
from kit.profile import Profile

_STATE: dict[str, Any] = {}


@dataclass(frozen=True)
class Done:
    file: str  # in the run's folder
    sha256: str
    missing: tuple[str, ...]  # message ids not final: drafts shown, or the source shown
    review: str | None  # who reviewed the catalog, from its X-Review header
    sides: int = 1  # a bilingual poster with a language a side has 2
    fuzzy: tuple[str, ...] = ()  # of `missing`, the drafts shown (awaiting review)


def init(campaign_path: str, locales_dir: str, run_dir: str) -> None:
    from kit.campaign import load_campaign

    _STATE["campaign"] = load_campaign(campaign_path)
    _STATE["locales"] = Path(locales_dir)
    _STATE["run"] = Path(run_dir)
    _STATE["count"] = 0


@functools.lru_cache(maxsize=16)
def _material(locale: str, audience: str, draft: bool) -> Any:
    from kit.localize import localize

    return localize(_STATE["campaign"], locale, audience, _STATE["locales"], drafts=draft)


@functools.lru_cache(maxsize=4)
def _logo_bytes(name: str) -> bytes:
    folder: Path = _STATE["run"]
    return (folder / "logos" / name).read_bytes()


def run(job: Job, org: tuple[Profile, int | None] | None) -> Done:
    """Render one job. `org` is the profile (its logo without bytes) and its CSV line."""
    from kit.batch.plan import PAIR
    from kit.printable import marked_draft
    from kit.render import render_text, text_suffixes
    from kit.render.poster import PosterOptions, make_poster

    profile, line = org if org else (None, None)
    sides = 1
    try:
        first, _, other = job.locale.partition(PAIR)
        material = _material(first, job.audience, job.draft)
        second = _material(other, job.audience, job.draft) if other else None
        shown = [m for m in (material, second) if m is not None]
        # A pair's untranslated messages are named with their locale: vi:advice_source.
        missing = tuple(f"{x.locale}:{m.id}" if second else m.id for x in shown for m in x.missing)
        fuzzy = tuple(
            f"{x.locale}:{m.id}" if second else m.id
            for x in shown
            for m in x.missing
            if m.reason == "fuzzy"
        )
        review = (
            material.review
            if second is None  # a pair's entry says who reviewed each of its languages
            else " / ".join(f"{x.locale}: {x.review or 'none recorded'}" for x in shown)
        )
        if job.kind == "text":
            data = render_text(material, text_suffixes()[job.format], profile).encode("utf-8")
        else:
            if profile is not None and profile.logo is not None:
                logo = profile.logo
                data_ = _logo_bytes(f"{logo.sha256}.{logo.kind}")
                profile = dataclasses.replace(profile, logo=dataclasses.replace(logo, data=data_))
            ppi = THUMB_PPI if job.kind == "thumb" else 144.0
            options = PosterOptions(
                size=job.size,
                format=job.format,
                ppi=ppi,
                draft=marked_draft(job.draft, material, second),
                site=job.site,
            )
            made = make_poster(material, second, options, profile)
            data, sides = made.data, made.sides
    except KitError as e:
        if profile is not None and e.file == str(profile.path) and e.line is None:
            e = KitError(e.message, file=e.file, line=line, msgid=e.msgid)  # name the CSV row
        raise JobFailed(str(e)) from None
    _STATE["count"] += 1
    target = _STATE["run"] / "files" / f"{os.getpid()}-{_STATE['count']}.{job.format}"
    try:
        target.write_bytes(data)
    except OSError as e:
        raise JobFailed(
            f"cannot write a temporary file in {target.parent} ({e.strerror or e})"
        ) from None
    return Done(str(target), hashlib.sha256(data).hexdigest(), missing, review, sides, fuzzy)
