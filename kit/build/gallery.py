"""index.html: a card for every poster size and every set of texts a build made, with the
organisation, language and audience named, filterable by language and organisation.

A Jinja2 template with autoescape: organisation names come from partners' spreadsheets,
so nothing reaches the page unescaped. Plain HTML and a few lines of script: it works
offline, opened from the folder.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import jinja2


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


def gallery(manifest: dict[str, Any], audiences: dict[str, str]) -> str:
    """The page for `manifest` (as written); `audiences` maps ids to display names."""
    files = manifest["files"]
    groups: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
    for f in files:
        groups.setdefault((f["org"], f["locale"], f["audience"]), []).append(f)
    names: dict[str, str | None] = {f["org"]: f.get("org_name") or None for f in files}
    cards: list[Card] = []
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
                    links=[(t["format"], t["path"]) for t in texts],
                )
            )
    return _template().render(
        cards=cards,
        files=len(files),
        posters=sum(1 for c in cards if c.image),
        texts=sum(1 for c in cards if not c.image),
        languages=[(loc, _language(loc)) for loc in sorted({c.locale for c in cards})],
        orgs=sorted({(c.org, c.org_name or c.org) for c in cards}, key=lambda o: o[1].lower()),
    )


def _language(locale: str) -> str:
    from kit.errors import KitError
    from kit.locales import display_names

    try:
        return f"{locale}: " + " + ".join(display_names(x)[1] for x in locale.split("+"))
    except KitError:
        return locale


def _template() -> jinja2.Template:
    from importlib import resources

    source = resources.files("kit.build").joinpath("gallery.html.j2").read_text("utf-8")
    env = jinja2.Environment(
        autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True
    )
    return env.from_string(source)
