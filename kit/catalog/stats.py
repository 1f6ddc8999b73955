"""How complete each locale's catalog is, against the campaign."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kit.campaign import Campaign
from kit.errors import KitError
from kit.locales import available_locales, bcp47, display_names, is_pseudo
from kit.localize import open_catalog


@dataclass(frozen=True)
class LocaleStatus:
    locale: str
    lang: str
    name: str  # the language's own name for itself, from CLDR
    english_name: str
    total: int
    translated: int
    fuzzy: int
    untranslated: int  # empty or absent from the catalog
    # Words of the English source, per state (as translators plan and are paid).
    translated_words: int = 0
    fuzzy_words: int = 0
    untranslated_words: int = 0
    error: str | None = None  # the catalog could not be read
    review: str = "none recorded"  # the catalog's X-Review header: who reviewed it, and how
    # How a Japanese catalog reads (kit.catalog.japanese.CatalogReadability.to_dict());
    # None for other languages, and where the japanese extra is not installed.
    readability: dict[str, object] | None = None

    @property
    def percent(self) -> float:
        """Reviewed: translated and not fuzzy, as a share of all messages."""
        return round(100 * self.translated / self.total, 1) if self.total else 100.0

    def to_dict(self) -> dict[str, object]:
        """The row as `--format json` prints it, with the derived percent and status."""
        return dict(vars(self), percent=self.percent, status=self.status)

    @property
    def status(self) -> str:
        if self.error:
            return "broken"
        if is_pseudo(self.locale):
            return "pseudo"  # made by `kit catalog pseudo`: for testing, never a language
        return self._status

    @property
    def _status(self) -> str:
        """complete; draft (every message has a translation, some still fuzzy: awaiting
        review); or incomplete (some messages have none)."""
        if self.translated == self.total:
            return "complete"
        return "draft" if self.untranslated == 0 else "incomplete"


def locale_statuses(
    campaign: Campaign, locales_dir: Path, readability: bool = False
) -> list[LocaleStatus]:
    """Every locale's row; with `readability`, Japanese catalogs measured too (where the
    japanese extra is installed)."""
    from kit.catalog import japanese
    from kit.locales import language_of

    measure = readability and japanese.available()
    out = []
    for name in available_locales(locales_dir, campaign):
        try:
            catalog = open_catalog(campaign, name, locales_dir)
        except KitError as e:
            out.append(
                LocaleStatus(
                    name,
                    bcp47(name),
                    name,
                    name,
                    len(campaign.messages),
                    0,
                    0,
                    len(campaign.messages),
                    error=str(e),
                )
            )
            continue
        states = (
            catalog.status(campaign) if catalog else {m.id: "translated" for m in campaign.messages}
        )
        own, english = display_names(name)
        values = list(states.values())
        words = {"translated": 0, "fuzzy": 0, "untranslated": 0}
        for msg in campaign.messages:
            state = states[msg.id] if states[msg.id] in words else "untranslated"
            words[state] += len(msg.text.split())
        out.append(
            LocaleStatus(
                locale=name,
                lang=bcp47(name),
                name=own,
                english_name=english,
                total=len(values),
                translated=values.count("translated"),
                fuzzy=values.count("fuzzy"),
                untranslated=values.count("untranslated") + values.count("absent"),
                translated_words=words["translated"],
                fuzzy_words=words["fuzzy"],
                untranslated_words=words["untranslated"],
                review=(catalog.review if catalog else None) or "none recorded",
                readability=(
                    japanese.catalog_readability(catalog.po, campaign, name).to_dict()
                    if measure and catalog and language_of(name) == "ja"
                    else None
                ),
            )
        )
    return out
