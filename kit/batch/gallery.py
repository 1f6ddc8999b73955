"""index.html: a card for every poster size and every set of texts a build made, with the
organisation, language and audience named, filterable by language and organisation.

A Jinja2 template with autoescape: organisation names come from partners' spreadsheets,
so nothing reaches the page unescaped. Plain HTML and a few lines of script: it works
offline, opened from the folder. Files a build could not make get a card of their own,
where the poster would be, saying why; the page is set in kit's own fonts (cut down to
its characters and embedded), so Japanese or Nepali names show without a system font.
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2

from kit.data import path as data_path
from kit.fonts import web_fonts

_SOURCES = (Path(__file__), data_path("templates", "gallery.html.j2"))


@dataclass
class Card:
    org: str
    org_name: str | None
    locale: str
    audience: str
    caption: str
    image: str | None = None  # the thumbnail; None for a card of texts
    target: str | None = None  # what clicking the thumbnail opens
    alt: str = ""
    draft: bool = False
    links: list[tuple[str, str]] = field(default_factory=list)  # (label, path)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (file names, why)
    site: bool = False  # the card of the site (kit build --site)


def gallery_key(
    manifest: dict[str, Any], audiences: dict[str, str], failed: list[tuple[str, str]]
) -> str:
    """What the page is made from: the page's first line records it, so an unchanged
    build skips remaking it (cutting the fonts costs more than the rest of such a build)."""
    code = [p.read_bytes() for p in _SOURCES]
    code.append(data_path("fonts", "manifest.json").read_bytes())
    data = json.dumps([manifest, audiences, failed], ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(b"\0".join([*code, data.encode()])).hexdigest()


def key_line(key: str) -> str:
    return f"<!DOCTYPE html><!-- kit gallery {key} -->\n"


def gallery(
    manifest: dict[str, Any],
    audiences: dict[str, str],
    failed: list[tuple[str, str]] | None = None,
) -> str:
    """The page for `manifest` (as written); `audiences` maps ids to display names;
    `failed`, the (path, why) of each file the build could not make."""
    files = manifest["files"]
    groups: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
    site = [f for f in files if f["kind"] == "site"]
    for f in files:
        if f["kind"] != "site":
            groups.setdefault((f["org"], f["locale"], f["audience"]), []).append(f)
    names: dict[str, str | None] = {f["org"]: f.get("org_name") or None for f in files}
    failures: dict[tuple[str, str, str], list[tuple[str, str]]] = {}
    site_failed = []
    for path, why in failed or []:
        if path.count("/") != 3:  # a file of the site
            site_failed.append((path.partition("/")[2], why))
            continue
        org, locale, audience, file = path.split("/")
        failures.setdefault((org, locale, audience), []).append((file, why))
        groups.setdefault((org, locale, audience), [])
        names.setdefault(org, None)
    cards: list[Card] = []
    if site or site_failed:
        pages = {f["locale"] for f in site if f["locale"]}
        cards.append(
            Card(
                "",
                None,
                "",
                "",
                f"site · {len(pages)} language{'' if len(pages) == 1 else 's'}",
                draft=any(f["draft"] for f in site),
                links=[("index.html", f["path"]) for f in site if f["path"] == "site/index.html"],
                failed=_by_reason(site_failed),
                site=True,
            )
        )
    for (org, locale, audience), items in sorted(groups.items()):
        who = audiences.get(audience, audience)
        name = names[org]
        prefix = [name] if name else []
        for thumb in (i for i in items if i["kind"] == "thumb"):
            posters = [i for i in items if i["kind"] == "poster" and i["size"] == thumb["size"]]
            size = thumb["size"].upper() if len(thumb["size"]) <= 2 else thumb["size"].title()
            # A bilingual poster with a language a side: PDF pages 1 and 2, shown side by side.
            two = ["two-sided"] if thumb.get("sides") == 2 else []
            caption = " · ".join([*prefix, locale, who, size, *two])
            cards.append(
                Card(
                    org,
                    names[org],
                    locale,
                    audience,
                    caption,
                    thumb["path"],
                    posters[0]["path"] if posters else thumb["path"],
                    f"Poster: {caption}",
                    thumb["draft"],
                    [(p["format"].upper(), p["path"]) for p in posters],
                )
            )
        texts = [i for i in items if i["kind"] == "text"]
        if texts:
            cards.append(
                Card(
                    org,
                    names[org],
                    locale,
                    audience,
                    " · ".join([*prefix, locale, who, "text"]),
                    draft=any(t["draft"] for t in texts),
                    links=[(t["format"], t["path"]) for t in texts],
                )
            )
        if (org, locale, audience) in failures:
            cards.append(
                Card(
                    org,
                    name,
                    locale,
                    audience,
                    " · ".join([*prefix, locale, who, "not made"]),
                    failed=_by_reason(failures[org, locale, audience]),
                )
            )
    languages = [(loc, _language(loc)) for loc in sorted({c.locale for c in cards} - {""})]
    orgs = sorted(
        {(c.org, c.org_name or c.org) for c in cards if not c.site}, key=lambda o: o[1].lower()
    )
    page = _template()
    values = {
        "cards": cards,
        "files": len(files),
        "posters": sum(1 for c in cards if c.image),
        "texts": sum(1 for c in cards if not c.image and not c.failed and not c.site),
        "site": any(c.site for c in cards),
        "failed": len(failed or []),
        "languages": languages,
        "orgs": orgs,
    }
    # Kit's fonts for the characters the page shows (rendered once without them to know).
    fonts = web_fonts(page.render(**values, fonts=[]))
    key = key_line(gallery_key(manifest, audiences, failed or []))
    return key + page.render(**values, fonts=[(f, base64.b64encode(b).decode()) for f, b in fonts])


def _by_reason(failed: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """(the files, why) once per reason: a poster and its thumbnail fail together."""
    reasons: dict[str, list[str]] = {}
    for file, why in sorted(failed):
        reasons.setdefault(why, []).append(file)
    return [(", ".join(files), why) for why, files in reasons.items()]


def _language(locale: str) -> str:
    """ "vi: Tiếng Việt (Vietnamese)": each language by its own name, then in English."""
    from kit.errors import KitError
    from kit.locales import display_names

    try:
        names = [display_names(x) for x in locale.split("+")]
    except KitError:
        return locale
    own = " + ".join(n[0] for n in names)
    english = " + ".join(n[1] for n in names)
    return f"{locale}: {own}" + (f" ({english})" if own != english else "")


def _template() -> jinja2.Template:
    source = data_path("templates", "gallery.html.j2").read_text("utf-8")
    env = jinja2.Environment(
        autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True
    )
    return env.from_string(source)
