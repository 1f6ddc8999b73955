"""`kit build --site`: the static site (kit.render.site) beside the posters, in OUTPUT/site/.

The site is one piece: every page names every language, so a change to any catalog of
the site changes them all. Its files share one key (kit's code and fonts, the campaign,
the catalogs of its languages, its address, --draft and --fallback); the build remakes
the site only when that key changed or a file of it is not what the manifest recorded,
and records each file in the manifest like any other output.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kit.campaign import Campaign

FOLDER = "site"


@dataclass(frozen=True)
class SiteSpec:
    locales: tuple[str, ...]  # the build's, in its order
    audiences: tuple[str, ...]  # the build's
    url: str | None
    draft: bool
    fallback: bool


def site_key(campaign: Campaign, locales_dir: Path, spec: SiteSpec) -> str:
    from kit.batch.plan import _catalogs_hash, _sha, program_fingerprint, source_root

    root = source_root()
    locales = list(spec.locales)
    return _sha(
        program_fingerprint("text", root),
        program_fingerprint("poster", root),  # the fonts the site ships
        _sha(campaign.path.read_bytes()),
        *(_catalogs_hash(locales_dir, loc, locales) for loc in locales),
        repr((spec.audiences, spec.url, spec.draft, spec.fallback)),
    )


def site_files(
    campaign: Campaign, locales_dir: Path, spec: SiteSpec
) -> dict[str, tuple[bytes, dict[str, Any]]]:
    """Every file of the site by its path in the site's folder, with what a manifest says
    of it (a page: its locale, audience and messages not final). `kit site` writes them
    as they are; `kit build --site` into OUTPUT/site/."""
    from kit.printable import printable
    from kit.render.site import page_path, render_site

    audiences = list(spec.audiences)
    materials = {
        loc: dict(
            zip(
                audiences,
                printable(campaign, locales_dir, [loc], audiences, spec.draft, spec.fallback),
                strict=True,
            )
        )
        for loc in spec.locales
    }
    source = materials.get(campaign.source_locale)
    title = campaign.title if source is None else next(iter(source.values())).title
    pages = {page_path(loc, aid): m for loc, by in materials.items() for aid, m in by.items()}
    out = {}
    for path, data in render_site(materials, title, spec.url).items():
        m = pages.get(path)
        meta: dict[str, Any] = {
            "locale": m.locale if m else "",
            "audience": m.audience if m else "",
            "draft": bool(m and m.missing),
            "untranslated": [x.id for x in m.missing if x.reason != "fuzzy"] if m else [],
            "awaiting_review": [x.id for x in m.missing if x.reason == "fuzzy"] if m else [],
            "review": (m.review or "none recorded") if m else "",
        }
        out[path] = (data, meta)
    return out


def site_entry(path: str, sha256: str, key: str, meta: dict[str, Any]) -> dict[str, Any]:
    return {
        "path": path,
        "org": "",
        "org_name": None,
        "kind": "site",
        "size": "",
        "format": path.rpartition(".")[2],
        "sha256": sha256,
        "key": key,
        **meta,
    }
