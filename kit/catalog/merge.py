"""Merge a template into a catalog, as msgmerge does, but never guessing across messages.

msgmerge fuzzy-matches a changed source against *any* old message by similarity, which
can move a translation to a different message. Here a message's identity is its context
(msgctxt, the campaign's stable id): a changed source keeps its own translation, marked
fuzzy with the previous source (#|) for the translator; nothing moves to another id.
Messages that leave the template are kept as obsolete (#~) and come back when they return.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

import polib

from kit.plural import PluralError, default_plural_forms, parse_plural_forms


@dataclass
class MergeReport:
    kept: int = 0  # same source, translation carried over as it was
    fuzzy: list[str] = field(default_factory=list)  # source changed: translation kept, fuzzy
    new: list[str] = field(default_factory=list)  # new messages, untranslated
    obsoleted: list[str] = field(default_factory=list)
    revived: list[str] = field(default_factory=list)  # back from obsolete

    @property
    def changed(self) -> bool:
        return bool(self.fuzzy or self.new or self.obsoleted or self.revived)


def _key(entry: polib.POEntry) -> str:
    return entry.msgctxt if entry.msgctxt is not None else "\x00" + entry.msgid


def _label(entry: polib.POEntry) -> str:
    return entry.msgctxt or entry.msgid


def _nplurals(po: polib.POFile) -> int:
    header = po.metadata.get("Plural-Forms")
    language = po.metadata.get("Language")
    try:
        if header is None and language:
            header = default_plural_forms(language)
        return parse_plural_forms(header).nplurals if header else 2
    except PluralError:
        return 2


def _carry(old: polib.POEntry, new: polib.POEntry, nplurals: int) -> bool:
    """Copy old's translation into new; True when the shapes differ (so it needs review)."""
    new.tcomment = old.tcomment
    if new.msgid_plural:
        if old.msgid_plural:
            new.msgstr_plural = {i: old.msgstr_plural.get(i, "") for i in range(nplurals)}
            return False
        new.msgstr_plural = {i: old.msgstr if i == 0 else "" for i in range(nplurals)}
        return bool(old.msgstr)
    if old.msgid_plural:
        new.msgstr = old.msgstr_plural.get(0, "")
        return bool(new.msgstr)
    new.msgstr = old.msgstr
    return False


def _has_translation(entry: polib.POEntry) -> bool:
    return bool(entry.msgstr) or any(entry.msgstr_plural.values())


def merge(catalog: polib.POFile, template: polib.POFile) -> tuple[polib.POFile, MergeReport]:
    """A new catalog: the template's messages in its order, with catalog's translations."""
    report = MergeReport()
    nplurals = _nplurals(catalog)
    # Active entries win over obsolete ones with the same context (a file merged with
    # msgmerge --no-fuzzy-matching then edited can hold both); the obsolete one stays.
    old = {_key(e): e for e in sorted(catalog, key=lambda e: not e.obsolete)}
    out = polib.POFile(wrapwidth=79)
    out.header = catalog.header
    out.metadata = dict(catalog.metadata)
    if "POT-Creation-Date" in template.metadata:
        out.metadata["POT-Creation-Date"] = template.metadata["POT-Creation-Date"]
    out.metadata_is_fuzzy = catalog.metadata_is_fuzzy
    seen = set()
    for t in template:
        if t.obsolete:
            continue
        key = _key(t)
        seen.add(key)
        entry = polib.POEntry(msgctxt=t.msgctxt, msgid=t.msgid, msgid_plural=t.msgid_plural,
                              comment=t.comment, occurrences=list(t.occurrences),
                              flags=[f for f in t.flags if f != "fuzzy"])
        if t.msgid_plural:
            entry.msgstr_plural = {i: "" for i in range(nplurals)}
        previous = old.get(key)
        if previous is None or not (_has_translation(previous) or previous.tcomment):
            if previous is None:
                report.new.append(_label(t))
            elif previous.obsolete:
                report.revived.append(_label(t))
            out.append(entry)
            continue
        reshaped = _carry(previous, entry, nplurals)
        source_changed = (previous.msgid, previous.msgid_plural) != (t.msgid, t.msgid_plural)
        if previous.fuzzy or source_changed or reshaped:
            entry.flags.insert(0, "fuzzy")  # first, as msgmerge writes it
        if source_changed and _has_translation(previous):
            # The source the translation was made from, so the translator sees what changed.
            entry.previous_msgctxt = previous.msgctxt
            entry.previous_msgid = previous.previous_msgid if previous.fuzzy and previous.previous_msgid else previous.msgid
            if previous.msgid_plural or previous.previous_msgid_plural:
                entry.previous_msgid_plural = previous.previous_msgid_plural or previous.msgid_plural
            report.fuzzy.append(_label(t))
        elif previous.fuzzy and previous.previous_msgid:
            entry.previous_msgctxt = previous.previous_msgctxt
            entry.previous_msgid = previous.previous_msgid
            entry.previous_msgid_plural = previous.previous_msgid_plural
        if previous.obsolete:
            report.revived.append(_label(t))
        elif not source_changed:
            report.kept += 1
        out.append(entry)
    carried = {id(old[k]) for k in seen if k in old}
    for e in catalog:
        if id(e) in carried or (_key(e) in seen and not e.obsolete) or not _has_translation(e):
            continue
        gone = copy.deepcopy(e)
        if not gone.obsolete:
            report.obsoleted.append(_label(e))
        gone.obsolete = True
        gone.occurrences = []
        out.append(gone)
    return out, report
