"""Merge a template into a catalog as GNU msgmerge --previous does, never losing a
translation.

A message is keyed on (msgctxt, msgid). A template message found in the catalog (active
or obsolete) takes its translation. One that is not is matched, in this order:

1. by its context alone, where the context names one message in the template and one in
   the catalog (kit's campaigns give every message a stable id as its context): a
   changed English source keeps its own translation, fuzzy, with the previous source
   (#|) for the translator;
2. as msgmerge matches it (gettext 0.21, msgl-fsearch.c and fstrcmp.c): the most similar
   translated message of the catalog, similarity being 2 * (longest common subsequence of
   the UTF-8 bytes) / (sum of the lengths), above 0.6, among messages sharing a
   4-character sequence with it, a same or absent context winning ties by 0.00001. The
   translation is copied, fuzzy, with the previous source. One old message may serve
   several new ones.

Old messages that served no template message are kept as obsolete (#~), never dropped,
and come back when their message returns.

Kit's own because (bench/libraries_vs_gettext.py): on 260 real merge pairs, polib's
POFile.merge and Babel's Catalog.update, written out, differ from msgmerge --previous on
all 260; kit's equals it byte for byte on every one.
"""

from __future__ import annotations

import copy
import math
import re
from collections import Counter
from dataclasses import dataclass, field

import polib

from kit.catalog.pofile import Catalog
from kit.plural import PluralError, parse_plural_forms

THRESHOLD = 0.6
_BONUS = 0.00001
_SHORT_MAX = 28  # msgmerge's SHORT_MSG_MAX: 12 bytes * (2 / 0.6 - 1)


@dataclass
class MergeReport:
    kept: int = 0  # same message, translation carried over
    fuzzy: list[str] = field(default_factory=list)  # source changed: a translation offered, fuzzy
    new: list[str] = field(default_factory=list)  # new messages, untranslated
    obsoleted: list[str] = field(default_factory=list)
    revived: list[str] = field(default_factory=list)  # back from obsolete

    @property
    def changed(self) -> bool:
        return bool(self.fuzzy or self.new or self.obsoleted or self.revived)


def _label(entry: polib.POEntry) -> str:
    return str(entry.msgctxt or entry.msgid)


def _translated(entry: polib.POEntry) -> bool:
    """msgmerge's test, not kit's (kit.plural.translated): the first form has text."""
    return bool(entry.msgstr_plural.get(0) if entry.msgid_plural else entry.msgstr)


def _nplurals(po: Catalog) -> int:
    """nplurals of the catalog's header, as msgmerge reads it (2 when there is none)."""
    header = po.metadata.get("Plural-Forms")
    if not header:
        return 2
    try:
        return parse_plural_forms(header).nplurals
    except PluralError:
        m = re.search(r"nplurals\s*=\s*([0-9]+)", header)
        return int(m.group(1)) if m and 0 < int(m.group(1)) < 1000 else 2


# ---- similarity, as msgmerge computes it ------------------------------------------------


def lcs_length(a: bytes, b: bytes) -> int:
    """Length of the longest common subsequence of two byte strings (bit-parallel)."""
    if len(a) < len(b):
        a, b = b, a
    masks: dict[int, int] = {}
    for i, byte in enumerate(a):
        masks[byte] = masks.get(byte, 0) | (1 << i)
    full = (1 << len(a)) - 1
    v = full
    for byte in b:
        u = v & masks.get(byte, 0)
        v = ((v + u) | (v - u)) & full
    return len(a) - bin(v).count("1")


class _Candidate:
    __slots__ = ("entry", "index", "raw", "counts")

    def __init__(self, entry: polib.POEntry, index: int) -> None:
        self.entry = entry
        self.index = index
        self.raw = entry.msgid.encode("utf-8")
        self.counts: Counter[int] | None = None


def _weight(
    query: bytes, query_counts: Counter[int], cand: _Candidate, msgctxt: str | None, lower: float
) -> float:
    """fuzzy_search_goal_function: the similarity, plus the bonus for a same or absent
    context; 0.0 when it is certainly below `lower`."""
    bonus = 0.0
    if cand.entry.msgctxt is None or (msgctxt is not None and msgctxt == cand.entry.msgctxt):
        bonus = _BONUS
        lower -= bonus * 1.01
    x, y = len(query), len(cand.raw)
    total = x + y
    if x == 0 or y == 0:
        return float(total == 0) + bonus
    if lower > 0:
        if 2.0 * min(x, y) / total < lower:
            return 0.0
        if total >= 20:
            if cand.counts is None:
                cand.counts = Counter(cand.raw)
            diff = sum(abs(query_counts.get(k, 0) - v) for k, v in cand.counts.items())
            diff += sum(v for k, v in query_counts.items() if k not in cand.counts)
            if 1.0 - diff / total < lower:
                return 0.0
    return (2 * lcs_length(query, cand.raw)) / total + bonus


class FuzzyIndex:
    """The catalog's translated messages, indexed by their 4-character sequences."""

    def __init__(self, entries: list[polib.POEntry]) -> None:
        self.grams: dict[str, list[_Candidate]] = {}
        self.short: dict[int, list[_Candidate]] = {}
        for index, entry in enumerate(entries):
            if not _translated(entry):
                continue
            cand = _Candidate(entry, index)
            text = entry.msgid
            seen: set[str] = set()
            for i in range(len(text) - 3):
                gram = text[i : i + 4]
                if gram not in seen:
                    seen.add(gram)
                    self.grams.setdefault(gram, []).append(cand)
            if len(cand.raw) <= _SHORT_MAX:
                self.short.setdefault(len(cand.raw), []).append(cand)

    def search(self, msgctxt: str | None, msgid: str) -> polib.POEntry | None:
        query = msgid.encode("utf-8")
        counts = Counter(query)
        best, best_weight = None, THRESHOLD
        if len(msgid) >= 4:
            hits: Counter[_Candidate] = Counter()
            for i in range(len(msgid) - 3):
                for cand in self.grams.get(msgid[i : i + 4], ()):
                    hits[cand] += 1
            order = sorted(hits.items(), key=lambda kv: (-kv[1], kv[0].index))
            for cand, _ in order:
                w = _weight(query, counts, cand, msgctxt, best_weight)
                if w > best_weight:
                    best, best_weight = cand.entry, w
            return best
        length = len(query)
        low = math.ceil(length / (2 / THRESHOLD - 1))
        high = int(length * (2 / THRESHOLD - 1))
        for size in range(low, high + 1):
            for cand in self.short.get(size, ()):
                w = _weight(query, counts, cand, msgctxt, best_weight)
                if w > best_weight:
                    best, best_weight = cand.entry, w
        return best


# ---- the merge ---------------------------------------------------------------------------

_KNOWN_FIELDS = [
    "Project-Id-Version",
    "Report-Msgid-Bugs-To",
    "POT-Creation-Date",
    "PO-Revision-Date",
    "Last-Translator",
    "Language-Team",
    "Language",
    "MIME-Version",
    "Content-Type",
    "Content-Transfer-Encoding",
]


def _merge_metadata(old: dict[str, str], template: dict[str, str]) -> dict[str, str]:
    """msgmerge's header: the catalog's fields in gettext's order, then the others as they
    were, with Report-Msgid-Bugs-To and POT-Creation-Date from the template."""
    lower = {k.lower(): k for k in old}
    out: dict[str, str] = {}
    for name in _KNOWN_FIELDS:
        if name in ("Report-Msgid-Bugs-To", "POT-Creation-Date") and name in template:
            out[name] = template[name]
        elif name.lower() in lower:
            out[lower[name.lower()]] = old[lower[name.lower()]]
    for key, value in old.items():
        if key not in out:
            out[key] = value
    return out


def _new_entry(template: polib.POEntry) -> polib.POEntry:
    return polib.POEntry(
        msgctxt=template.msgctxt,
        msgid=template.msgid,
        msgid_plural=template.msgid_plural,
        comment=template.comment,
        occurrences=list(template.occurrences),
        flags=[f for f in template.flags if f != "fuzzy"],
    )


def _carry(old: polib.POEntry, entry: polib.POEntry, force_fuzzy: bool, nplurals: int) -> None:
    """message_merge: the translation and translator comments of `old` on the template's
    message `entry`, fuzzy where msgmerge makes it fuzzy, with the previous source."""
    from kit.catalog.check import format_mismatch

    entry.tcomment = old.tcomment
    fuzzy = old.fuzzy or force_fuzzy
    if entry.msgid_plural:
        if old.msgid_plural:
            entry.msgstr_plural = dict(old.msgstr_plural)
            fuzzy = fuzzy or old.msgid_plural != entry.msgid_plural
        else:
            entry.msgstr_plural = {i: old.msgstr for i in range(nplurals)}
            fuzzy = True
    else:
        if old.msgid_plural:
            entry.msgstr = old.msgstr_plural.get(0, "")
            fuzzy = fuzzy or len(old.msgstr_plural) > 1
        else:
            entry.msgstr = old.msgstr
    if not fuzzy and format_mismatch(entry, old.flags):
        fuzzy = True  # msgmerge must not turn a catalog msgfmt -c accepts into one it rejects
    if fuzzy:
        entry.flags.insert(0, "fuzzy")
        if old.fuzzy:
            entry.previous_msgctxt = old.previous_msgctxt
            entry.previous_msgid = old.previous_msgid
            entry.previous_msgid_plural = old.previous_msgid_plural
        else:
            entry.previous_msgctxt = old.msgctxt
            entry.previous_msgid = old.msgid
            entry.previous_msgid_plural = old.msgid_plural or None
    if not fuzzy or not _translated(entry):
        entry.previous_msgctxt = entry.previous_msgid = entry.previous_msgid_plural = None


def _context_matches(
    catalog: list[polib.POEntry], template: list[polib.POEntry], exact: set[tuple[str | None, str]]
) -> dict[str, polib.POEntry]:
    """Contexts that name one message in the template and one translated message in the
    catalog (active before obsolete), which no exact match takes: kit's stable ids."""
    in_template = Counter(t.msgctxt for t in template if t.msgctxt is not None)
    found: dict[str, list[polib.POEntry]] = {}
    for e in catalog:
        if e.msgctxt is not None and in_template.get(e.msgctxt) == 1:
            found.setdefault(e.msgctxt, []).append(e)
    out = {}
    for ctx, entries in found.items():
        active = [e for e in entries if not e.obsolete] or entries
        if (
            len(active) == 1
            and (ctx, active[0].msgid) not in exact
            and (_translated(active[0]) or active[0].tcomment)
        ):
            out[ctx] = active[0]
    return out


def merge(catalog: Catalog, template: Catalog) -> tuple[Catalog, MergeReport]:
    """A new catalog: the template's messages in its order with the catalog's translations,
    then every old translation no template message took, as obsolete."""
    report = MergeReport()
    nplurals = _nplurals(catalog)
    old = list(catalog)
    refs = [t for t in template if not t.obsolete]
    find = _Finder(old, refs)
    out = _merged_header(catalog, template)
    used: set[int] = set()
    for t in refs:
        entry = _new_entry(t)
        if t.msgid_plural:
            entry.msgstr_plural = dict.fromkeys(range(nplurals), "")
        found, how = find(t)
        if found is None:
            report.new.append(_label(t))
        else:
            used.add(id(found))
            _carry(found, entry, how != "exact", nplurals)
            if _translated(found) and (how != "exact" or (entry.fuzzy and not found.fuzzy)):
                report.fuzzy.append(_label(t))
            elif found.obsolete:
                report.revived.append(_label(t))
            else:
                report.kept += 1
        out.append(entry)
    # What no template message took stays as obsolete; untranslated, gettext drops it.
    for e in old:
        if id(e) not in used and _translated(e):
            gone = copy.deepcopy(e)
            if not gone.obsolete:
                report.obsoleted.append(_label(e))
                gone.comment = ""
                gone.occurrences = []
            gone.obsolete = True
            out.append(gone)
    return out, report


class _Finder:
    """The old message a template message takes: the one with its context and msgid,
    else the one its context alone names (kit's stable ids), else the most similar
    (msgmerge's fuzzy match; the index is built when first needed)."""

    def __init__(self, old: list[polib.POEntry], refs: list[polib.POEntry]) -> None:
        self.old = old
        self.by_key: dict[tuple[str | None, str], polib.POEntry] = {}
        for e in old:  # an active entry wins over an obsolete one with the same key
            key = (e.msgctxt, e.msgid)
            if key not in self.by_key or (self.by_key[key].obsolete and not e.obsolete):
                self.by_key[key] = e
        template_keys: set[tuple[str | None, str]] = {(t.msgctxt, t.msgid) for t in refs}
        self.by_context = _context_matches(old, refs, template_keys & set(self.by_key))
        self.index: FuzzyIndex | None = None

    def __call__(self, t: polib.POEntry) -> tuple[polib.POEntry | None, str]:
        found = self.by_key.get((t.msgctxt, t.msgid))
        if found is not None:
            return found, "exact"
        if t.msgctxt in self.by_context:
            return self.by_context[t.msgctxt], "context"
        if self.index is None:
            self.index = FuzzyIndex(self.old)
        return self.index.search(t.msgctxt, t.msgid), "similar"


def _merged_header(catalog: Catalog, template: Catalog) -> Catalog:
    """An empty catalog with the merged header, as msgmerge writes it."""
    out = Catalog()
    out.header = catalog.header
    out.metadata = _merge_metadata(catalog.metadata, template.metadata)
    if not catalog.metadata and not getattr(catalog, "kit_header", None):
        out.header, out.metadata = template.header, dict(template.metadata)
    out.metadata_is_fuzzy = catalog.metadata_is_fuzzy
    template_utf8 = re.search(r"charset=utf-?8", template.metadata.get("Content-Type", ""), re.I)
    content_type = out.metadata.get("Content-Type")
    if template_utf8 and content_type and "charset=" in content_type:
        # msgmerge converts the catalog to the template's UTF-8
        out.metadata["Content-Type"] = re.sub(r"charset=[^\s;]+", "charset=UTF-8", content_type)
    if list(out.metadata.items()) == list(catalog.metadata.items()):
        out.kit_header = getattr(catalog, "kit_header", None)
    return out
