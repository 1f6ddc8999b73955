"""Plural rules in one place: the Plural-Forms header, its evaluation, its CLDR categories.

A catalog is data from strangers. Its plural expression is evaluated by the standard
library's own gettext evaluator (`gettext.c2py`, which validates every token and refuses
expressions too long or too deep), never eval()ed as written, and checked for n = 0..1000
before use; the result is cached per header, so a check of thousands of catalogs evaluates
each distinct formula once.

Which formula a new catalog gets: the gettext ecosystem's (translate-toolkit's table, the
one Pootle, Virtaal and Weblate's gettext defaults share with GNU msginit) where it has
one, else CLDR's (Babel). They differ for some languages (es, pt_BR: gettext 2 forms,
CLDR 3), and catalogs in the wild use both, so a catalog with either is accepted.
"""

from __future__ import annotations

import functools
import gettext
import re
from collections.abc import Callable
from dataclasses import dataclass

import polib

SAMPLE = range(1001)  # n = 0..1000: every rule in use repeats with a period within 1000
_NPLURALS = re.compile(r"nplurals\s*=\s*([0-9]+)")
# As GNU gettext finds it (strstr "plural="): "nplurals=" does not contain it.
_PLURAL = re.compile(r"plural\s*=\s*([^;\n]*)")


class PluralError(ValueError):
    """A Plural-Forms header that cannot be used; the message is one plain sentence."""


@dataclass(frozen=True)
class PluralRule:
    nplurals: int
    expression: str
    func: Callable[[int], int]

    def __call__(self, n: int) -> int:
        return self.func(n)

    @property
    def header(self) -> str:
        return f"nplurals={self.nplurals}; plural={self.expression};"

    def indices(self) -> tuple[int, ...]:
        """The form index for each n in SAMPLE: two rules agree when these are equal."""
        return _indices(self.expression)


@functools.lru_cache(maxsize=512)
def _compile(expression: str) -> Callable[[int], int]:
    try:
        return gettext.c2py(expression)  # type: ignore[attr-defined, no-any-return]
    except (ValueError, SyntaxError, RecursionError, MemoryError) as e:
        raise PluralError(f"Plural-Forms does not parse ({e})") from None


@functools.lru_cache(maxsize=512)
def _indices(expression: str) -> tuple[int, ...]:
    func = _compile(expression)
    out = []
    for n in SAMPLE:
        try:
            out.append(func(n))
        except ZeroDivisionError:
            raise PluralError(f"Plural-Forms divides by zero for n = {n}") from None
    return tuple(out)


@functools.lru_cache(maxsize=512)
def parse_plural_forms(header: str) -> PluralRule:
    """The rule of a Plural-Forms header, checked: it parses, never divides by zero and
    gives a form in 0..nplurals-1 for n = 0..1000. Raises PluralError saying what is wrong.

    Like GNU gettext, the two fields may come in either order and stray semicolons are
    ignored."""
    count = _NPLURALS.search(header)
    found = _PLURAL.search(header)
    if count is None or found is None:
        raise PluralError(f"Plural-Forms does not parse: it needs nplurals=N and plural=EXPRESSION, not {header[:80]!r}")
    digits = count.group(1).lstrip("0") or "0"
    if len(digits) > 3:
        raise PluralError(f"Plural-Forms declares nplurals={digits[:12]}..., far more forms than any language has")
    nplurals = int(digits)
    if nplurals < 1:
        raise PluralError("Plural-Forms declares nplurals=0; a language has at least one form")
    expression = found.group(1).strip()
    if not expression:
        raise PluralError("Plural-Forms has an empty plural expression")
    func = _compile(expression)
    for n, index in zip(SAMPLE, _indices(expression), strict=True):
        if not 0 <= index < nplurals:
            raise PluralError(f"Plural-Forms gives form {index} for n = {n}, but nplurals = {nplurals}")
    return PluralRule(nplurals, expression, func)


def rule_of(po: polib.POFile) -> PluralRule | None:
    """The catalog's checked rule; None when the header has no Plural-Forms.
    Raises PluralError for one that cannot be used."""
    header = po.metadata.get("Plural-Forms")
    return parse_plural_forms(header) if header is not None else None


# ---- which rule a language has -------------------------------------------------------------

def _language_keys(locale: str) -> list[str]:
    base = locale.split("@")[0].replace("-", "_")
    parts = base.split("_")
    return ["_".join(parts[:i]) for i in range(len(parts), 0, -1)]


def gettext_plural_forms(locale: str) -> str | None:
    """The gettext ecosystem's Plural-Forms for a locale (translate-toolkit's table), or None."""
    from translate.lang import data

    for key in _language_keys(locale):
        entry = data.languages.get(key)
        if entry and entry[2]:
            return f"nplurals={entry[1]}; plural={entry[2]};"
    return None


def cldr_plural_forms(locale: str) -> str | None:
    """CLDR's rule as a gettext Plural-Forms (Babel), or None for a language CLDR lacks."""
    from babel.messages.plurals import get_plural

    from kit.errors import KitError
    from kit.locales import babel_locale

    try:
        return str(get_plural(babel_locale(locale)))
    except (KitError, ValueError, LookupError):
        return None


def default_plural_forms(locale: str) -> str:
    """The rule a new catalog for `locale` gets: gettext's where it has one, else CLDR's."""
    return gettext_plural_forms(locale) or cldr_plural_forms(locale) or "nplurals=2; plural=(n != 1);"


@functools.lru_cache(maxsize=512)
def known_rules(locale: str) -> list[PluralRule]:
    """The rules accepted for a language: gettext's and CLDR's (one when they agree)."""
    out: list[PluralRule] = []
    for header in (gettext_plural_forms(locale), cldr_plural_forms(locale)):
        if header is None:
            continue
        rule = parse_plural_forms(header)
        if not any(r.nplurals == rule.nplurals and r.indices() == rule.indices() for r in out):
            out.append(rule)
    return out


def agrees(rule: PluralRule, locale: str) -> bool | None:
    """Whether a catalog's rule is gettext's or CLDR's for the language; None if neither
    source knows the language."""
    return _agrees(rule.nplurals, rule.expression, locale)


@functools.lru_cache(maxsize=4096)
def _agrees(nplurals: int, expression: str, locale: str) -> bool | None:
    rule = PluralRule(nplurals, expression, _compile(expression))
    known = known_rules(locale)
    if not known:
        return None
    return any(k.nplurals == rule.nplurals and k.indices() == rule.indices() for k in known)


def categories(rule: PluralRule, locale: str) -> list[str]:
    """A CLDR category name for each form index (one, few, other...), found by sampling:
    index i is named after the category of the first n that selects it. Forms CLDR cannot
    name are "formI"; a name taken twice gets its index."""
    from kit.errors import KitError
    from kit.locales import babel_locale

    try:
        loc = babel_locale(locale)
    except KitError:
        loc = None
    names: list[str] = []
    indices = rule.indices()
    for index in range(rule.nplurals):
        n = next((n for n, i in zip(SAMPLE, indices, strict=True) if i == index), None)
        name = loc.plural_form(n) if loc is not None and n is not None else f"form{index}"
        names.append(name if name not in names else f"{name}{index}")
    return names


# ---- what "translated" means -----------------------------------------------------------------

def translated(entry: polib.POEntry, nplurals: int | None = None) -> bool:
    """Every form has text: msgstr, or msgstr[0..nplurals-1] (the header's count; the
    entry's own forms when there is no header). Fuzzy is a separate question."""
    if not entry.msgid_plural:
        return bool(entry.msgstr)
    wanted = range(nplurals) if nplurals else entry.msgstr_plural
    return bool(entry.msgstr_plural) and all(entry.msgstr_plural.get(i) for i in wanted)


def form(entry: polib.POEntry, rule: PluralRule | None, n: int | None) -> str:
    """The translation gettext shows for n (entry.msgstr for a message without plural)."""
    if not entry.msgid_plural:
        return str(entry.msgstr)
    index = rule(n if n is not None else 1) if rule else int(n != 1)
    return str(entry.msgstr_plural.get(index, ""))
