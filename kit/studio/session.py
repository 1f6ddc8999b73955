"""One catalog held in memory for the studio, kept in step with the file on disk.

Each edit from the page is written at once, atomically, as msgcat writes the file. Before
every write the file is read again: if another program changed it (Poedit, git pull,
msgmerge), its version becomes the base and the edit is applied on top, so that program's
changes survive. An edit to a message the other program changed too is refused as a
conflict, for the translator to settle in the page: nothing on disk is overwritten
without their say. Each message carries a version that counts its changes; the page sends
the version its edit started from.

Typing never reviews a message: a changed text is a draft (fuzzy) until the translator
marks it reviewed, which only a finished translation without errors can be.
"""

from __future__ import annotations

import copy
import threading
from pathlib import Path
from typing import Any

import polib

from kit.campaign import Campaign, Message
from kit.catalog.check import ERROR, check_po
from kit.catalog.pofile import Catalog
from kit.errors import CatalogError
from kit.locales import babel_locale, bcp47, catalog_path, display_names, language_of
from kit.localize import Translations, format_fact, localize
from kit.plural import SAMPLE, PluralRule, categories, parse_plural_forms, rule_of
from kit.printable import marked_draft
from kit.render.sizes import SIZES
from kit.ruby import has_ruby, parse_ruby, strip_ruby
from kit.studio.disk import CatalogFile, ChangedMeanwhile, DiskProblem
from kit.textwidth import columns

PREVIEW_WIDTH = 900  # pixels: sharp in a half-screen pane, quick to draw and to send
_TWO_FORMS = "nplurals=2; plural=(n != 1);"  # what gettext assumes without a header
_NOT_CHECKED_LIVE = {"fuzzy", "untranslated"}  # the page shows the status itself


class Conflict(Exception):
    """The message changed on disk since the page's edit began; carries the disk's version."""

    def __init__(self, message: dict[str, Any]) -> None:
        super().__init__(message["id"])
        self.message = message


def _state(entry: polib.POEntry | None) -> tuple[Any, ...] | None:
    """What the page shows of an entry: its forms and whether it is fuzzy."""
    if entry is None:
        return None
    forms = tuple(sorted(entry.msgstr_plural.items())) if entry.msgid_plural else entry.msgstr
    return forms, entry.fuzzy


class Session:
    """The studio's catalog: read, checked, previewed and written here, and nowhere else."""

    def __init__(
        self,
        campaign: Campaign,
        locales: Path,
        locale: str,
        audience: str,
        size: str,
        second: str | None = None,
    ) -> None:
        self.campaign = campaign
        self.locales = locales
        self.locale = locale
        self.audience = audience
        self.size = size
        self.second = second
        self.path = catalog_path(locales, locale)
        self.lang = bcp47(locale)
        self.dir = "rtl" if babel_locale(locale).character_order == "right-to-left" else "ltr"
        self.source_language = language_of(campaign.source_locale)
        self._lock = threading.RLock()
        self._render_lock = threading.Lock()  # one Typst compile at a time
        self._sizes: dict[tuple[str, str], dict[str, float]] = {}  # the last preview's fit
        self._file = CatalogFile(self.path)
        self.po = self._file.po
        self.versions = {m.id: 0 for m in campaign.messages}
        self._states = {m.id: _state(self._entry(m)) for m in campaign.messages}
        self.revision = 0  # counts the changes other programs made to the file
        self.notice: dict[str, Any] | None = None

    # ---- lookups ----------------------------------------------------------------------------

    def message(self, mid: str) -> Message:
        try:
            return self.campaign.message(mid)
        except KeyError:
            raise ValueError(f"no message {mid!r} in the campaign") from None

    def _entry(self, msg: Message, po: Catalog | None = None) -> polib.POEntry | None:
        for entry in po if po is not None else self.po:
            if entry.msgctxt == msg.id and entry.msgid == msg.text and not entry.obsolete:
                return entry if (entry.msgid_plural or None) == msg.plural else None
        return None

    def _rule(self) -> PluralRule:
        try:
            return rule_of(self.po) or parse_plural_forms(_TWO_FORMS)
        except ValueError as e:  # PluralError: the header is broken
            raise CatalogError(str(e), file=self.path) from None

    def _nforms(self, entry: polib.POEntry) -> int:
        return self._rule().nplurals if entry.msgid_plural else 1

    def _forms(self, entry: polib.POEntry) -> list[str]:
        if not entry.msgid_plural:
            return [entry.msgstr]
        return [entry.msgstr_plural.get(i, "") for i in range(self._nforms(entry))]

    def _values(self, msg: Message) -> dict[str, str]:
        return {
            name: format_fact(self.campaign.facts[fid], self.locale)
            for name, fid in msg.args.items()
        }

    # ---- what the page shows ----------------------------------------------------------------

    def state(self, since: int | None = None) -> dict[str, Any]:
        """Everything the page needs, after taking in any change on disk; only the revision
        when it is still `since` (nothing changed on disk)."""
        with self._lock:
            self.sync()
            if since == self.revision:
                return {"revision": self.revision}
            own, english = display_names(self.locale)
            return {
                "locale": self.locale,
                "language": own,
                "language_en": english,
                "lang": self.lang,
                "dir": self.dir,
                "file": str(self.path),
                "furigana": language_of(self.locale) == "ja",
                "easy": self.locale.endswith("@easy"),
                # Readability and suggested furigana (the japanese extra, where installed).
                "dictionary": self._dictionary(),
                "audiences": [
                    {"id": a.id, "name": a.name} for a in self.campaign.audiences.values()
                ],
                "audience": self.audience,
                "sizes": list(SIZES),
                "size": self.size,
                "second": self.second,
                "revision": self.revision,
                "notice": self.notice,
                "sections": [
                    {"id": s.id, "title": self._section_title(s.id)}
                    for s in self.campaign.sections.values()
                ],
                "messages": [self.view(m) for m in self.campaign.messages],
            }

    def _section_title(self, sid: str) -> str:
        heading = self.campaign.sections[sid].heading
        return self.campaign.message(heading).text if heading else sid

    def view(self, msg: Message) -> dict[str, Any]:
        entry = self._entry(msg)
        forms = self._forms(entry) if entry is not None else []
        if entry is None:
            status = "absent"
        elif not all(forms):
            status = "untranslated"
        else:
            status = "draft" if entry.fuzzy else "reviewed"
        values = self._values(msg)
        return {
            "id": msg.id,
            "section": msg.section,
            "role": msg.role,
            "source": msg.text,
            "source_plural": msg.plural,
            "note": msg.note,
            "budget": msg.budget,
            "audiences": list(msg.audience),
            "provenance": msg.provenance,
            "args": [
                {"name": name, "fact": fid, "value": values[name]} for name, fid in msg.args.items()
            ],
            "plural": self._plural_info(msg) if msg.plural else None,
            "status": status,
            "forms": forms,
            "version": self.versions[msg.id],
            "comment": entry.tcomment if entry is not None else "",
            "previous_source": entry.previous_msgid if entry is not None else None,
            **(
                self._live(msg, entry, forms)
                if entry is not None
                else {"findings": [], "widths": [], "ruby": [], "readability": []}
            ),
        }

    def _plural_info(self, msg: Message) -> dict[str, Any]:
        """The forms by CLDR category, each with numbers that select it, and which form the
        poster prints (the one its figure selects)."""
        rule = self._rule()
        names = categories(rule, self.locale)
        examples: list[list[int]] = [[] for _ in range(rule.nplurals)]
        for n, index in zip(SAMPLE, rule.indices(), strict=True):
            examples[index].append(n)
        n = self.campaign.facts[msg.args[msg.plural_arg]].value if msg.plural_arg else 1
        return {
            "forms": [
                {"category": names[i], "examples": examples[i][:4], "more": len(examples[i]) > 4}
                for i in range(rule.nplurals)
            ],
            "n": n,
            "used": rule(n),
        }

    def check(self, mid: str, forms: list[str]) -> dict[str, Any]:
        """kit's checks for one message as typed, without saving it."""
        msg = self.message(mid)
        with self._lock:
            return self._live(msg, self._typed(msg, forms), forms)

    def _typed(self, msg: Message, forms: list[str]) -> polib.POEntry:
        """The message's entry, for forms as typed (checked to fit it)."""
        entry = self._entry(msg)
        if entry is None:
            raise ValueError(f"message {msg.id!r} is not in the catalog")
        self._check_forms(entry, forms)
        return entry

    def _live(self, msg: Message, entry: polib.POEntry, forms: list[str]) -> dict[str, Any]:
        trial = Catalog()
        trial.metadata = self.po.metadata
        trial.append(_with_forms(entry, forms))
        names = categories(self._rule(), self.locale) if entry.msgid_plural else []
        findings = [
            {"severity": f.severity, "code": f.code, "message": _plain(f.message, names)}
            for f in check_po(
                trial, self.path, self.campaign, False, self.source_language, only={msg.id}
            )
            if f.msgid is not None and f.code not in _NOT_CHECKED_LIVE
        ]
        values = self._values(msg)
        furigana = language_of(self.locale) == "ja"
        dictionary = self._dictionary()
        return {
            "findings": findings,
            # As printed: figures filled in, furigana readings not counted.
            "widths": [columns(_printed(text, values)) for text in forms],
            "ruby": [
                [[s.text, s.reading] for s in parse_ruby(text)]
                if furigana and has_ruby(text)
                else None
                for text in forms
            ],
            "readability": [
                self._readability(_printed(text, values)) if dictionary and text else None
                for text in forms
            ],
        }

    def _dictionary(self) -> bool:
        from kit.catalog import japanese

        return language_of(self.locale) == "ja" and japanese.available()

    def _readability(self, printed: str) -> dict[str, Any] | None:
        """How a message reads as printed, against the locale's target where it has one."""
        from kit.catalog import japanese

        if len(printed) > japanese.MAX_ANALYSED:
            return None
        r = japanese.measure(printed)
        target = self.campaign.readability.get(self.locale)
        return {
            **r.to_dict(),
            "target_level": target.message_level if target and r.words >= target.words else None,
            "target_sentence": target.sentence if target else None,
        }

    def furigana(self, mid: str, forms: list[str]) -> dict[str, Any]:
        """Each form with ruby suggested (kit.catalog.japanese.suggest) for every kanji word
        written without one; the page puts them in the box, as a draft, for review."""
        from kit.catalog import japanese

        msg = self.message(mid)
        with self._lock:
            self._typed(msg, forms)
        values = self._values(msg)
        if not self._dictionary():
            raise ValueError(f"suggested furigana need the japanese extra: {japanese.EXTRA}")
        suggested = [japanese.suggest(text, values) for text in forms]
        return {
            "forms": [japanese.annotate(t, s) for t, s in zip(forms, suggested, strict=True)],
            "count": sum(map(len, suggested)),
        }

    def _check_forms(self, entry: polib.POEntry, forms: object) -> None:
        if not isinstance(forms, list) or not all(isinstance(f, str) for f in forms):
            raise ValueError("forms must be a list of strings")
        if len(forms) != self._nforms(entry):
            raise ValueError(f"this message has {self._nforms(entry)} form(s), not {len(forms)}")
        if any("\0" in f for f in forms):
            raise ValueError("a translation cannot hold a NUL character")

    # ---- keeping in step with the disk ------------------------------------------------------

    def sync(self) -> list[str]:
        """Take in what another program wrote to the file; returns the messages it changed.
        Raises DiskProblem while the file is missing or does not parse."""
        with self._lock:
            theirs = self._file.theirs()
            if theirs is None:
                return []
            changed = []
            for msg in self.campaign.messages:
                now = _state(self._entry(msg, theirs))
                if now != self._states[msg.id]:
                    self.versions[msg.id] += 1
                    self._states[msg.id] = now
                    changed.append(msg.id)
            self.po = theirs
            self.revision += 1
            self.notice = {"revision": self.revision, "changed": changed}
            return changed

    def update(
        self, mid: str, version: int, forms: list[str] | None = None, reviewed: bool | None = None
    ) -> dict[str, Any]:
        """Change one message (its text, its reviewed state, or both, as undo does) and
        write the file. Raises Conflict when the message changed on disk since `version`."""
        msg = self.message(mid)
        if not isinstance(version, int) or isinstance(version, bool):
            raise TypeError("version must be the number the page was given")
        if reviewed is not None and not isinstance(reviewed, bool):
            raise TypeError("reviewed must be true or false")
        with self._lock:
            for _ in range(3):
                self.sync()
                entry = self._entry(msg)
                if version != self.versions[mid]:
                    if entry is not None and self._already(entry, forms, reviewed):
                        # A save sent again after its answer was lost (or another program
                        # wrote the very same): nothing to change, no conflict to settle.
                        return self.view(msg)
                    raise Conflict(self.view(msg))
                if entry is None:
                    raise ValueError(
                        f"message {mid!r} is not in the catalog: run `kit catalog update` to add it"
                    )
                before = copy.deepcopy(entry)
                try:
                    self._apply(msg, entry, forms, reviewed)
                    if _state(entry) == _state(before):
                        _restore(entry, before)  # memory stays what the file says
                        return self.view(msg)
                    self._file.write(self.po)
                except ChangedMeanwhile:
                    _restore(entry, before)  # sync() takes in their file, then we try again
                    continue
                except BaseException:  # a refused edit or a failed write changes nothing
                    _restore(entry, before)
                    raise
                self.versions[mid] += 1
                self._states[mid] = _state(entry)
                return self.view(msg)
            raise DiskProblem(
                "the catalog keeps changing on disk; nothing was written", file=self.path
            )

    def _already(
        self, entry: polib.POEntry, forms: list[str] | None, reviewed: bool | None
    ) -> bool:
        """The entry is already what this change would make it."""
        same_forms = forms is None or forms == self._forms(entry)
        return same_forms and (reviewed is None or reviewed == (not entry.fuzzy))

    def _apply(
        self, msg: Message, entry: polib.POEntry, forms: list[str] | None, reviewed: bool | None
    ) -> None:
        if forms is not None:
            self._check_forms(entry, forms)
            changed = forms != self._forms(entry)
            _set_forms(entry, forms)
            if changed and reviewed is None:
                # An edited text is a draft until someone says otherwise; an emptied one
                # is simply untranslated.
                _set_fuzzy(entry, any(forms))
        if reviewed is True:
            current = self._forms(entry)
            if not all(current):
                raise ValueError("only a finished translation can be marked reviewed")
            errors = [
                f["message"]
                for f in self._live(msg, entry, current)["findings"]
                if f["severity"] == ERROR
            ]
            if errors:
                raise ValueError(f"fix this first: {errors[0]}")
            _set_fuzzy(entry, False)
            entry.previous_msgctxt = entry.previous_msgid = entry.previous_msgid_plural = None
        elif reviewed is False:
            _set_fuzzy(entry, any(self._forms(entry)))

    # ---- the poster -------------------------------------------------------------------------

    def preview(
        self, audience: str, size: str, focus: str | None, edits: dict[str, list[str]]
    ) -> tuple[bytes, list[str]]:
        """The poster as PNG, with what is being typed (not yet saved) in it, and the ids of
        the messages it shows. Raises KitError (with .msgid) for a text that cannot print."""
        from kit.render.poster import PosterOptions, make_poster

        if audience not in self.campaign.audiences:
            raise ValueError(f"unknown audience {audience!r}")
        if size not in SIZES:
            raise ValueError(f"unknown size {size!r}")
        with self._lock:
            po = self._po_with(edits)
            material = localize(
                self.campaign,
                self.locale,
                audience,
                self.locales,
                drafts=True,
                catalog=Translations(self.path, po),
            )
        second = (
            localize(self.campaign, self.second, audience, self.locales, drafts=True)
            if self.second
            else None
        )
        draft = marked_draft(True, material, second)  # the studio always shows drafts
        ppi = round(25.4 * PREVIEW_WIDTH / SIZES[size].width, 1)
        with self._render_lock:
            # The fit starts from the sizes this poster had a keystroke ago (issue 27).
            hint = self._sizes.get((audience, size))
            options = PosterOptions(
                size=size, format="png", ppi=ppi, draft=draft, highlight=focus, fit_hint=hint
            )
            poster = make_poster(material, second, options)
            if poster.sizes is not None:
                self._sizes[(audience, size)] = poster.sizes
            return poster.data, list(poster.shown)

    def _po_with(self, edits: dict[str, list[str]]) -> Catalog:
        """A copy of the catalog with the forms of some messages replaced by what is being
        typed (self.po is untouched)."""
        replaced = {}
        for mid, forms in edits.items():
            entry = self._entry(self.message(mid))
            if entry is not None and forms != self._forms(entry):
                self._check_forms(entry, forms)
                replaced[id(entry)] = typed = _with_forms(entry, forms)
                _set_fuzzy(typed, any(forms))  # a draft, as it will be once saved
        if not replaced:
            return self.po
        po = Catalog()
        po.metadata = self.po.metadata
        po.extend(replaced.get(id(e), e) for e in self.po)
        return po

    def close(self) -> None:
        """Wait for a write in progress to finish (Ctrl-C must not cut one short)."""
        with self._lock:
            pass


def _with_forms(entry: polib.POEntry, forms: list[str]) -> polib.POEntry:
    out = copy.copy(entry)
    out.flags = list(entry.flags)
    out.msgstr_plural = dict(entry.msgstr_plural)
    _set_forms(out, forms)
    return out


def _set_forms(entry: polib.POEntry, forms: list[str]) -> None:
    if entry.msgid_plural:
        entry.msgstr_plural = dict(enumerate(forms))
    else:
        entry.msgstr = forms[0]


def _set_fuzzy(entry: polib.POEntry, fuzzy: bool) -> None:
    if fuzzy and "fuzzy" not in entry.flags:
        entry.flags.insert(0, "fuzzy")  # first, where msgcat writes it
    elif not fuzzy and "fuzzy" in entry.flags:
        entry.flags.remove("fuzzy")


def _restore(entry: polib.POEntry, saved: polib.POEntry) -> None:
    for key in (
        "msgstr",
        "msgstr_plural",
        "flags",
        "previous_msgctxt",
        "previous_msgid",
        "previous_msgid_plural",
    ):
        setattr(entry, key, getattr(saved, key))


def _printed(text: str, values: dict[str, str]) -> str:
    shown = strip_ruby(text)
    for name, value in values.items():
        shown = shown.replace("{" + name + "}", value)
    return shown


def _plain(sentence: str, categories: list[str]) -> str:
    """A finding in a translator's words: msgstr[1] becomes the "other" form."""
    for index, name in enumerate(categories):
        sentence = sentence.replace(f"msgstr[{index}]", f"the “{name}” form")
    if sentence.startswith("msgstr"):
        sentence = "the translation" + sentence[len("msgstr") :]
    return sentence[:1].upper() + sentence[1:]
