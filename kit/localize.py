"""Localization in one place: (campaign, locale) -> Material.

Catalog lookup (context and plurals, as gettext does it) and every number, percentage,
change, date and period formatted by Babel from CLDR data. Nothing else in the kit formats
a figure or looks up a translation. Locale names are kit.locales' concern, plural rules
kit.plural's.

A message about to be shown that the catalog check calls an error (a typed figure, a lost
placeholder, bidi or terminal control characters) is never localized; whether a locale may
print at all is kit.printable's rule.
"""

from __future__ import annotations

import gettext
import re
import string
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from babel import Locale
from babel.dates import format_date, format_interval
from babel.numbers import format_decimal, format_percent, get_plus_sign_symbol

from kit.campaign import PLACEHOLDER, Campaign, Fact, Message, typed_figures
from kit.catalog.pofile import Catalog, load_po
from kit.errors import CatalogError, KitError
from kit.fields import BIDI_CLASS
from kit.locales import (
    available_locales,
    babel_locale,
    bcp47,
    catalog_path,
    installed_locales_dir,
    language_of,
    resolve_locale,
)
from kit.material import Block, Material, Missing, Section
from kit.plural import PluralError, PluralRule, form, rule_of, translated
from kit.ruby import has_ruby, parse_ruby, ruby_problems, strip_ruby


def format_fact(fact: Fact, locale: str | Locale) -> str:
    """A figure as a reader of `locale` writes it, from CLDR data. Never rounds a figure."""
    loc = locale if isinstance(locale, Locale) else babel_locale(locale)
    if fact.kind == "count":
        return format_decimal(fact.value, locale=loc)
    if fact.kind in ("percent", "change"):
        # Decimal keeps the digits as reported (85.9, 10); no quantization to the locale's
        # default of zero decimals, which would turn 85.9 % into 86 %.
        text = format_percent(fact.value / 100, locale=loc, decimal_quantization=False)
        if fact.kind == "change" and fact.value > 0:
            text = get_plus_sign_symbol(loc) + text
        return text
    if fact.kind == "date":
        return format_date(fact.value, "long", locale=loc)
    start, end = fact.value
    return format_interval(start, end, "yMMMM", locale=loc)


def fill(template: str, values: dict[str, str]) -> str:
    """Put figures into a message. Only plain {name} fields: no attribute access, index,
    conversion or format spec, since the template may come from a translator.

    Raises ValueError naming what is wrong.
    """
    out: list[str] = []
    for literal, name, spec, conversion in string.Formatter().parse(template):
        out.append(literal)
        if name is None:
            continue
        if conversion or spec or not name.isidentifier():
            raise ValueError(f"placeholder {{{name}}} must be written plainly, like {{count}}")
        if name not in values:
            known = ", ".join("{" + v + "}" for v in values) or "none"
            raise ValueError(f"placeholder {{{name}}} is not in the source text (it has {known})")
        out.append(values[name])
    return "".join(out)


def figure_values(msg: Message, campaign: Campaign, locale: str) -> dict[str, str]:
    """The message's placeholders as printed for locale ("0000" each where the locale is
    one Babel does not know: a catalog under check may name any)."""
    try:
        return {name: format_fact(campaign.facts[fid], locale) for name, fid in msg.args.items()}
    except KitError:
        return {name: "0000" for name in msg.args}


def printed(text: str, msg: Message, campaign: Campaign, locale: str) -> str:
    """A translation as the reader sees it: ruby readings removed, figures filled in
    (placeholders the message does not have stay as written)."""
    shown = strip_ruby(text)
    for name, value in figure_values(msg, campaign, locale).items():
        shown = shown.replace("{" + name + "}", value)
    return shown


@dataclass
class _Lookup:
    """One message's localized template, or why there is none."""

    template: str
    translated: bool
    reason: str = ""
    line: int | None = None
    draft: bool = False  # a fuzzy translation, shown because drafts were asked for


class Translations:
    """A PO file opened for lookups, as gettext looks up: by (context, source), the form
    for n chosen by the header's plural rule, fuzzy entries only when drafts are asked for."""

    def __init__(self, path: Path, po: Catalog | None = None) -> None:
        """The catalog at path, or `po` already in memory (an editor's unsaved state),
        named by path in errors."""
        self.path = path
        self.po = po if po is not None else load_po(path)
        self.entries = {(e.msgctxt, e.msgid): e for e in self.po if not e.obsolete}
        # The rule is evaluated for every plural message: it must be safe first.
        try:
            self.rule: PluralRule | None = rule_of(self.po)
        except PluralError as e:
            raise CatalogError(str(e), file=path, line=_header_line(path, "Plural-Forms")) from None
        self.nplurals = self.rule.nplurals if self.rule else None
        # A catalog that writes furigana (Easy Japanese) gets them on the dates kit writes.
        self.uses_ruby = any(
            has_ruby(text)
            for e in self.entries.values()
            for text in [e.msgstr, *e.msgstr_plural.values()]
        )

    @property
    def translators(self) -> str | None:
        who = self.po.metadata.get("Last-Translator", "").strip()
        return who if who and not who.startswith("FULL NAME") else None

    @property
    def review(self) -> str | None:
        """Who reviewed the catalog and how, as its X-Review header says: kit never infers a
        review from the fuzzy flags alone."""
        return self.po.metadata.get("X-Review", "").strip() or None

    def lookup(self, msg: Message, n: int | None, drafts: bool = False) -> _Lookup:
        entry = self.entries.get((msg.id, msg.text))
        if (
            entry is None
            or (msg.plural is not None) != bool(entry.msgid_plural)
            or (msg.plural is not None and entry.msgid_plural != msg.plural)
        ):
            return _Lookup(_source_form(msg, n), False, "absent")
        complete = translated(entry, self.nplurals)
        if entry.fuzzy:
            if drafts and complete:
                return _Lookup(form(entry, self.rule, n), False, "fuzzy", entry.linenum, draft=True)
            return _Lookup(_source_form(msg, n), False, "fuzzy", entry.linenum)
        if not complete:
            # A plural entry with a missing form is untranslated: gettext would fall back
            # to English for that form without a word.
            return _Lookup(_source_form(msg, n), False, "untranslated", entry.linenum)
        return _Lookup(form(entry, self.rule, n), True, line=entry.linenum)

    def status(self, campaign: Campaign) -> dict[str, str]:
        """message id -> "translated", "fuzzy", "untranslated" or "absent"."""
        out = {}
        for msg in campaign.messages:
            found = self.lookup(msg, 1)
            out[msg.id] = "translated" if found.translated else found.reason
        return out


def _poster_layout(campaign: Campaign, audience: str) -> dict[str, object] | None:
    layout = campaign.posters.get(audience)
    if layout is None:
        return None
    return {"widths": list(layout.widths), **layout.formats}


def _header_line(path: Path, field: str) -> int | None:
    for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
        if line.startswith(f'"{field}:'):
            return number
    return None


# Bidi controls could show a different sentence from the one reviewed; kit sets direction
# itself, from the locale.
_BIDI_CONTROLS = re.compile(f"[{BIDI_CLASS}]")
_CONTROL_NAMES = {
    "\x1b": "ESC",
    "\x07": "BEL",
    "\x08": "BS",
    "\r": "CR",
    "\x00": "NUL",
    "\x9b": "CSI",
    "\x9d": "OSC",
    "\x7f": "DEL",
}


def _printing_problem(template: str, source: str, language: str) -> str | None:
    """What the catalog check calls an error in the text about to print, as one sentence;
    None when it may print. Figures come only from the placeholders, so a figure typed
    into a message whose source has no digits is refused, named as the translator typed
    it."""
    controls = [c for c in template if unicodedata.category(c) == "Cc" and c not in "\n\t"]
    if controls:
        names = ", ".join(dict.fromkeys(_CONTROL_NAMES.get(c, f"U+{ord(c):04X}") for c in controls))
        return (
            f"the translation holds control characters ({names}), which could drive a "
            "terminal or hide text; remove them"
        )
    bidi = _BIDI_CONTROLS.search(template)
    if bidi:
        return (
            f"the translation holds the bidi control U+{ord(bidi.group()):04X}, which can "
            "reorder what a reader sees; remove it"
        )
    wanted = list(dict.fromkeys(PLACEHOLDER.findall(source)))
    lost = [p for p in wanted if p not in template]
    typed = typed_figures(template, source)
    if typed:
        figures = ", ".join(repr(t) for t in typed)
        where = f"in place of {', '.join(lost)}" if lost else "outside the placeholders"
        return (
            f"{figures} is typed {where}: figures come only from the campaign's facts, "
            f"so write the placeholder{'s' if len(lost) > 1 else ''} instead"
        )
    if lost:
        return f"the translation drops {', '.join(lost)}: the figure would not be shown"
    if language == "ja":
        problems = ruby_problems(template)
        if problems:
            return "the furigana notation is broken: " + "; ".join(problems)
    return None


# Readings of the date words Babel writes in Japanese; the days with their own reading
# take it on the number and 日 together.
_JA_DATE_WORDS = {"年": "ねん", "月": "がつ", "日": "にち"}
_JA_DAYS = {
    1: "ついたち",
    2: "ふつか",
    3: "みっか",
    4: "よっか",
    5: "いつか",
    6: "むいか",
    7: "なのか",
    8: "ようか",
    9: "ここのか",
    10: "とおか",
    14: "じゅうよっか",
    20: "はつか",
    24: "にじゅうよっか",
}


def with_date_readings(text: str) -> str:
    """A Japanese date or period with furigana in the catalogs' notation: 2017年9月22日 ->
    2017｜年《ねん》9｜月《がつ》22｜日《にち》, and 9月1日 -> 9｜月《がつ》｜1日《ついたち》."""

    def one(m: re.Match[str]) -> str:
        number, word = m.group(1), m.group(2)
        if word == "日" and int(number) in _JA_DAYS:
            return f"｜{number}日《{_JA_DAYS[int(number)]}》"
        return f"{number}｜{word}《{_JA_DATE_WORDS[word]}》"

    return re.sub(r"(\d+)([年月日])", one, text)


def _source_form(msg: Message, n: int | None) -> str:
    if msg.plural is None:
        return msg.text
    return gettext.NullTranslations().ngettext(msg.text, msg.plural, n if n is not None else 1)


def open_catalog(campaign: Campaign, locale: str, locales_dir: Path) -> Translations | None:
    """The catalog for a resolved locale; None for the source locale when it has none."""
    path = catalog_path(locales_dir, locale)
    if locale == campaign.source_locale and not path.is_file():
        return None
    return Translations(path)


def _facts_in_text(campaign: Campaign, facts: dict[str, str], readings: bool) -> dict[str, str]:
    """The facts as a message's text holds them: with `readings` (Japanese written with
    furigana), dates and periods carry the readings of 年, 月 and 日 too."""
    if not readings:
        return dict(facts)
    return facts | {
        fid: with_date_readings(facts[fid])
        for fid, f in campaign.facts.items()
        if f.kind in ("date", "period")
    }


def localize(
    campaign: Campaign,
    locale: str,
    audience: str = "students",
    locales_dir: Path | None = None,
    drafts: bool = False,
    catalog: Translations | None = None,
) -> Material:
    """The campaign's material for one audience in one locale.

    A message with no usable translation (absent, empty or fuzzy) is shown in the source
    language and listed in Material.missing, so the caller can warn and mark it a draft.
    With drafts=True, fuzzy translations (drafts awaiting review) are shown instead, and
    still listed in Material.missing. Whether a command may print such a material at all
    is kit.printable's decision. A message about to be shown that the catalog check calls an
    error (a typed figure, a lost placeholder, control characters) raises CatalogError.
    `catalog`, when given, is used instead of the one on disk (kit studio previews what is
    being typed).
    """
    locales_dir = locales_dir or installed_locales_dir()
    if audience not in campaign.audiences:
        raise KitError(
            f"unknown audience {audience!r}; choose from {', '.join(campaign.audiences)}"
        )
    name = resolve_locale(locale, available_locales(locales_dir, campaign))
    catalog = catalog if catalog is not None else open_catalog(campaign, name, locales_dir)
    loc = babel_locale(name)
    lang, direction = bcp47(name), "rtl" if loc.character_order == "right-to-left" else "ltr"
    source_lang = bcp47(campaign.source_locale)
    facts = {fid: format_fact(f, loc) for fid, f in campaign.facts.items()}
    language = language_of(name)
    in_text = _facts_in_text(
        campaign, facts, language == "ja" and catalog is not None and catalog.uses_ruby
    )
    missing: list[Missing] = []

    def block(msg: Message) -> Block:
        values = {name: in_text[fid] for name, fid in msg.args.items()}
        n = campaign.facts[msg.args[msg.plural_arg]].value if msg.plural_arg else None
        found = catalog.lookup(msg, n, drafts) if catalog else _Lookup(_source_form(msg, n), True)
        if not found.translated:
            missing.append(Missing(msg.id, found.reason))
        shown = found.translated or found.draft
        file = catalog.path if catalog and shown else campaign.path
        line = found.line if shown else msg.line or None
        problem = _printing_problem(
            found.template,
            msg.text + (msg.plural or ""),
            language if shown else language_of(campaign.source_locale),
        )
        if problem:
            raise CatalogError(f"locale {name}: {problem}", file=file, line=line, msgid=msg.id)
        try:
            text = fill(found.template, values)
        except ValueError as e:
            raise CatalogError(f"locale {name}: {e}", file=file, line=line, msgid=msg.id) from None
        url = campaign.citations[msg.citation].url if msg.citation else None
        if shown:
            # Furigana notation is Japanese only: Chinese uses 《》 as title marks.
            ruby = None
            if language == "ja" and has_ruby(text):
                ruby = tuple((seg.text, seg.reading) for seg in parse_ruby(text))
                text = strip_ruby(text)
            return Block(
                msg.id,
                msg.role,
                text,
                lang,
                direction,
                msg.provenance,
                translated=found.translated,
                draft=found.draft,
                ruby=ruby,
                url=url,
            )
        return Block(
            msg.id, msg.role, text, source_lang, "ltr", msg.provenance, translated=False, url=url
        )

    sections = []
    for sid in campaign.audiences[audience].sections:
        spec = campaign.sections[sid]
        msgs = [
            m
            for m in campaign.messages
            if m.section == sid
            and audience in m.audience
            and m.id != spec.heading
            and m.role not in ("source", "label")
        ]
        if not msgs:
            continue
        heading = block(campaign.message(spec.heading)) if spec.heading else None
        sections.append(Section(sid, spec.style, heading, tuple(block(m) for m in msgs)))
    source = block(campaign.source_message)
    labels = {m.id: block(m) for m in campaign.messages if m.role == "label"}
    values = {
        fid: float(f.value)
        for fid, f in campaign.facts.items()
        if f.kind in ("count", "percent", "change")
    }
    headline = next((b for s in sections for b in s.blocks if b.role == "headline"), None)
    return Material(
        campaign=campaign.id,
        locale=name,
        lang=lang,
        dir=direction,
        audience=audience,
        title=headline.text if headline else campaign.title,
        sections=tuple(sections),
        facts=facts,
        source=source,
        source_url=campaign.source_citation.url,
        revised=campaign.revised.isoformat(),
        values=values,
        labels=labels,
        poster=_poster_layout(campaign, audience),
        translators=catalog.translators if catalog and name != campaign.source_locale else None,
        review=catalog.review if catalog else None,
        missing=tuple(missing),
    )
