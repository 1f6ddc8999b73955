"""What a command may print: one rule for kit text, kit poster and kit build.

A locale whose catalog has messages awaiting review (fuzzy) prints only when drafts are
asked for, and then marked DRAFT; one with messages not translated at all only when the
source language is also asked to stand in for them. Every locale a command names is
decided before anything is made, and a refusal is one sentence with counts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from kit.campaign import Campaign
from kit.errors import KitError
from kit.locales import available_locales, resolve_locale
from kit.localize import localize, open_catalog
from kit.material import Material


@dataclass(frozen=True)
class Readiness:
    """How far a locale's catalog is from printable without asking: messages of the
    campaign still awaiting review (fuzzy) and without any translation."""

    locale: str
    total: int
    fuzzy: int
    untranslated: int

    def refused(self, draft: bool, fallback: bool) -> bool:
        if not self.fuzzy and not self.untranslated:
            return False
        return not draft or (self.untranslated > 0 and not fallback)


def readiness(campaign: Campaign, locale: str, locales_dir: Path) -> Readiness:
    """The catalog's state for a resolved locale name (the source locale without a catalog
    is complete)."""
    catalog = open_catalog(campaign, locale, locales_dir)
    states = list(catalog.status(campaign).values()) if catalog else []
    return Readiness(
        locale,
        len(campaign.messages),
        states.count("fuzzy"),
        states.count("untranslated") + states.count("absent"),
    )


def _count(n: int, total: int, one: str, many: str) -> str:
    return f"{n} of {total} messages {one if n == 1 else many}"


def refusal(
    refused: Sequence[Readiness], draft: bool, source_locale: str, can_fall_back: bool = True
) -> str:
    """One sentence with counts for the locales refused, saying what would print them and
    where they are listed; locales in the same state share one clause."""
    clauses: dict[str, list[str]] = {}
    for r in refused:
        parts = []
        if r.fuzzy and not draft:
            parts.append(_count(r.fuzzy, r.total, "awaits review", "await review"))
        if r.untranslated:
            none = ("has no translation", "have no translation")
            parts.append(
                _count(r.untranslated, r.total, *none)
                if not parts
                else f"{r.untranslated} {none[r.untranslated != 1]}"
            )
        clauses.setdefault(" and ".join(parts), []).append(r.locale)
    fuzzy = not draft and any(r.fuzzy for r in refused)
    missing = any(r.untranslated for r in refused)
    fallback = f"--fallback {source_locale}"
    them = "it" if sum(r.untranslated + (0 if draft else r.fuzzy) for r in refused) == 1 else "them"
    if missing and not can_fall_back:
        remedy = "each needs a translation first" + (
            ", and --draft for those awaiting review" if fuzzy else ""
        )
    elif draft:
        remedy = f"{fallback} prints {them} in English"
    elif not missing:
        remedy = f"--draft prints {them} marked DRAFT"
    elif not fuzzy:
        remedy = f"--draft {fallback} prints {them} in English, marked DRAFT"
    else:
        remedy = f"--draft {fallback} prints them marked DRAFT, the missing ones in English"
    names = " ".join(r.locale for r in refused)
    states = "; ".join(f"{', '.join(locs)}: {state}" for state, locs in clauses.items())
    return f"{states}; {remedy}; `kit catalog check {names}` lists {them}"


def publishable(
    campaign: Campaign, locales_dir: Path, draft: bool, fallback: bool
) -> tuple[list[str], list[str]]:
    """The locales `kit site` publishes (every catalog but pseudo-locales, by the rule
    above) and those it leaves out as not ready: the languages a poster pointing to the
    site may name."""
    from kit.locales import is_pseudo

    shown = [x for x in available_locales(locales_dir, campaign) if not is_pseudo(x)]
    ready = [x for x in shown if not readiness(campaign, x, locales_dir).refused(draft, fallback)]
    return ready, [x for x in shown if x not in ready]


def printable(
    campaign: Campaign,
    locales_dir: Path,
    locales: Sequence[str],
    audiences: Sequence[str],
    draft: bool = False,
    fallback: bool | None = False,
) -> list[Material]:
    """The materials a command prints, one per locale and audience (locale by locale), by
    one rule for every command: a locale with messages awaiting review is refused unless
    draft, and one with messages not translated at all unless draft and fallback (the
    source language shown in their place; None: the command offers no fallback). Every
    locale is decided before any material is made, so a command refusing one writes nothing.

    Raises KitError: one line naming every refused locale with its counts, or the first
    message that may not print (see localize).
    """
    available = available_locales(locales_dir, campaign)
    names = list(dict.fromkeys(resolve_locale(x, available) for x in locales))
    refused = [
        r
        for r in (readiness(campaign, n, locales_dir) for n in names)
        if r.refused(draft, bool(fallback))
    ]
    if refused:
        raise KitError(refusal(refused, draft, campaign.source_locale, fallback is not None))
    return [localize(campaign, n, a, locales_dir, drafts=draft) for n in names for a in audiences]


def marked_draft(allowed: bool, *materials: Material | None) -> bool:
    """Whether a poster is marked DRAFT, by one rule for kit poster, the build and the
    studio: drafts are allowed and it shows a message that is not final (awaiting
    review, or the source in its place). A reviewed catalog never prints as a draft."""
    return allowed and any(m.missing for m in materials if m is not None)
