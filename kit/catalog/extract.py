"""From a campaign to messages.pot, through Babel's extraction machinery.

`extract_campaign` is a Babel extraction method (registered as the `kit-campaign` entry
point), so `pybabel extract -F babel.cfg` gives the same messages as `kit catalog extract`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterator, Mapping
from pathlib import Path
from typing import IO, Any

import polib
from babel.messages.extract import extract

import kit
from kit.campaign import Campaign, Message, parse_campaign, placeholders
from kit.catalog.pofile import Catalog, format_po
from kit.localize import format_fact


def translator_comments(campaign: Campaign, msg: Message) -> list[str]:
    """The `#.` lines a translator sees: the note, the budget, what each placeholder holds."""
    lines = [msg.note, f"Length budget: {msg.budget} columns (a CJK character counts as two)."]
    for name, fact_id in msg.args.items():
        fact = campaign.facts[fact_id]
        example = format_fact(fact, campaign.source_locale)
        lines.append(f"{{{name}}} = {example}: {fact.meaning}.")
    if msg.provenance == "npa":
        lines.append("Provenance: the NPA's own figures or advice.")
    else:
        lines.append("Provenance: common advice of child-safety bodies, not the NPA's.")
    return lines


def wording_header(campaign: Campaign) -> str:
    """The campaign's rules of protective wording, as lines of a catalog's header comment."""
    if not campaign.wording:
        return ""
    rules = "".join(f"\n- {rule}" for rule in campaign.wording)
    return (
        f"\n\nRules for every translation (a child who has already sent a photo reads it):{rules}"
    )


def extract_campaign(
    fileobj: IO[bytes],
    keywords: Collection[str],
    comment_tags: Collection[str],
    options: Mapping[str, Any],
) -> Iterator[tuple[int, str, tuple[str, ...], list[str]]]:
    """Babel extraction method: yields (line, function, (context, msgid[, plural]), notes)."""
    path = Path(getattr(fileobj, "name", "<campaign>"))
    campaign = parse_campaign(fileobj.read().decode("utf-8"), path)
    for msg in campaign.messages:
        comments = translator_comments(campaign, msg)
        if msg.plural:
            yield msg.line, "npgettext", (msg.id, msg.text, msg.plural), comments
        else:
            yield msg.line, "pgettext", (msg.id, msg.text), comments


def build_pot(campaign: Campaign, reference: str) -> Catalog:
    """The template catalog for a campaign. Deterministic: the date is the campaign's."""
    pot = Catalog()
    created = dt.datetime.combine(campaign.revised, dt.time()).strftime("%Y-%m-%d %H:%M+0000")
    pot.header = (
        f"Messages of the kit campaign {campaign.id!r}: {campaign.title}\n"
        "Extracted by `kit catalog extract`; do not edit by hand." + wording_header(campaign)
    )
    pot.metadata = {
        "Project-Id-Version": f"{campaign.id}",
        "Report-Msgid-Bugs-To": "",
        "POT-Creation-Date": created,
        "PO-Revision-Date": "YEAR-MO-DA HO:MI+ZONE",
        "Last-Translator": "FULL NAME <EMAIL@ADDRESS>",
        "Language-Team": "LANGUAGE <LL@li.org>",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
    }
    pot.metadata_is_fuzzy = True
    with campaign.path.open("rb") as f:
        # By name, as pybabel resolves it, so both paths run the same code.
        for lineno, message, comments, context in extract(f"{__name__}:extract_campaign", f):
            singular, plural = message if isinstance(message, tuple) else (message, None)
            entry = polib.POEntry(
                msgctxt=context,
                msgid=singular,
                comment="\n".join(comments),
                occurrences=[(reference, str(lineno))],
            )
            if plural is not None:
                entry.msgid_plural = plural
                entry.msgstr_plural = {0: "", 1: ""}
            if placeholders(singular) or (plural and placeholders(plural)):
                entry.flags.append("python-brace-format")
            pot.append(entry)
    return pot


def reference_for(path: Path) -> str:
    """How the POT names the campaign file: package-relative for the shipped one."""
    path = path.resolve()
    package_root = Path(kit.__file__).resolve().parent.parent
    for base in (package_root, Path.cwd()):
        if path.is_relative_to(base):
            return path.relative_to(base).as_posix()
    return path.name


def render_pot(campaign: Campaign) -> str:
    return format_po(build_pot(campaign, reference_for(campaign.path)))
