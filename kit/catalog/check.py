"""Catalog checks: one pass over any gettext PO file, each problem a Finding.

Each check is a small function (po, entry, context) -> iterable of Finding, in the manner
of Babel's checkers, with richer findings: severity, code, file, line, message id and a
sentence. The checker never raises on a bad file: a file that does not parse is a finding.
"""

from __future__ import annotations

import re
import string
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

import polib

from kit.campaign import Campaign
from kit.catalog.po import load_po
from kit.errors import KitError
from kit.locales import language_of
from kit.plural import PluralError, agrees, cldr_plural_forms, gettext_plural_forms, parse_plural_forms
from kit.textwidth import columns

ERROR, WARNING = "error", "warning"


@dataclass(frozen=True)
class Finding:
    severity: str
    code: str
    file: str
    line: int | None
    locale: str | None
    msgid: str | None  # the message's context (kit's stable id) or its msgid
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        what = f" [{self.msgid}]" if self.msgid else ""
        return f"{where}: {self.severity}: {self.code}:{what} {self.message}"

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


@dataclass
class Context:
    """What the checks know about the file as a whole."""

    path: Path
    locale: str | None
    nplurals: int | None
    plural: Callable[[int], int] | None
    source_language: str
    campaign: Campaign | None
    strict: bool


def _finding(ctx: Context, severity: str, code: str, message: str,
             entry: polib.POEntry | None = None) -> Finding:
    msgid = (entry.msgctxt or entry.msgid) if entry is not None else None
    line = entry.linenum if entry is not None else None
    return Finding(severity, code, str(ctx.path), line, ctx.locale, msgid, message)


def _forms(entry: polib.POEntry) -> list[tuple[str, str]]:
    """(label, translation) for each form: ("msgstr", s) or ("msgstr[1]", s)."""
    if entry.msgid_plural:
        return [(f"msgstr[{i}]", entry.msgstr_plural[i]) for i in sorted(entry.msgstr_plural, key=int)]
    return [("msgstr", entry.msgstr)]


def _translated(entry: polib.POEntry) -> bool:
    return all(text for _, text in _forms(entry))


# ---- header -------------------------------------------------------------------------------

def check_header(po: polib.POFile, ctx: Context) -> Iterator[Finding]:
    meta = po.metadata
    content_type = meta.get("Content-Type", "")
    charset = re.search(r"charset=([\w.-]+)", content_type)
    if not charset:
        yield _finding(ctx, ERROR, "header-charset", "the header has no Content-Type charset")
    elif charset.group(1).upper() not in ("UTF-8", "UTF8"):
        yield _finding(ctx, WARNING, "header-charset",
                       f"charset is {charset.group(1)}; kit reads and writes UTF-8")
    if not meta.get("Language"):
        yield _finding(ctx, ERROR, "header-language", "the header has no Language")
    raw = meta.get("Plural-Forms")
    if raw is None:
        if any(e.msgid_plural for e in po):
            yield _finding(ctx, ERROR, "plural-forms", "plural messages but no Plural-Forms header")
        return
    try:
        rule = parse_plural_forms(raw)
    except PluralError as e:
        yield _finding(ctx, ERROR, "plural-forms", str(e))
        return
    ctx.nplurals, ctx.plural = rule.nplurals, rule.func
    if ctx.locale and agrees(rule, ctx.locale) is False:
        known = " or ".join(dict.fromkeys(
            h for h in (gettext_plural_forms(ctx.locale), cldr_plural_forms(ctx.locale)) if h))
        yield _finding(ctx, WARNING, "plural-forms-rule",
                       f"Plural-Forms differs from both gettext's and CLDR's rule for {ctx.locale} ({known})")


# ---- per entry ----------------------------------------------------------------------------

def check_plural_count(entry: polib.POEntry, ctx: Context) -> Iterable[Finding]:
    if entry.msgid_plural and ctx.nplurals is not None and len(entry.msgstr_plural) != ctx.nplurals:
        yield _finding(ctx, ERROR, "plural-count",
                       f"{len(entry.msgstr_plural)} plural forms, but the header says nplurals = {ctx.nplurals}",
                       entry)


def _fields(text: str) -> list[str] | None:
    try:
        return [name for _, name, _, _ in string.Formatter().parse(text) if name is not None]
    except ValueError:
        return None


def check_placeholders(entry: polib.POEntry, ctx: Context) -> Iterator[Finding]:
    source = (_fields(entry.msgid) or []) + (_fields(entry.msgid_plural or "") or [])
    brace = "python-brace-format" in entry.flags or bool(source)
    if not brace:
        return
    expected = set(source)
    for label, text in _forms(entry):
        if not text:
            continue
        got = _fields(text)
        if got is None:
            yield _finding(ctx, ERROR, "placeholder-syntax",
                           f"{label} has an unmatched brace: write {{{{ and }}}} for literal braces", entry)
            continue
        missing, extra = sorted(expected - set(got)), sorted(set(got) - expected)
        if missing and extra and len(missing) == len(extra):
            pairs = ", ".join(f"{{{a}}} -> {{{b}}}" for a, b in zip(missing, extra, strict=True))
            yield _finding(ctx, ERROR, "placeholder-renamed", f"{label} renames {pairs}", entry)
            continue
        for name in missing:
            # In a language with one plural form, that form may leave the count implicit
            # in the singular sense; but the figure is then lost: always an error here.
            yield _finding(ctx, ERROR, "placeholder-missing",
                           f"{label} drops {{{name}}}: the figure would not be shown", entry)
        for name in extra:
            yield _finding(ctx, ERROR, "placeholder-extra",
                           f"{label} has {{{name}}}, which the source does not have", entry)
        for name in got:
            if not name.isidentifier():
                yield _finding(ctx, ERROR, "placeholder-syntax",
                               f"{label} has {{{name}}}: placeholders are plain names", entry)


_DIGIT = re.compile(r"\d")


def check_typed_figures(entry: polib.POEntry, ctx: Context) -> Iterator[Finding]:
    source_digits = bool(_DIGIT.search(entry.msgid + (entry.msgid_plural or "")))
    for label, text in _forms(entry):
        stripped = re.sub(r"\{[^{}]*\}", "", text)
        if _DIGIT.search(stripped) and not source_digits:
            severity = ERROR if "python-brace-format" in entry.flags else WARNING
            digits = "".join(sorted(set(_DIGIT.findall(stripped))))
            yield _finding(ctx, severity, "typed-figure",
                           f"{label} has digits ({digits}) outside placeholders: figures must come "
                           "from the placeholders, never be typed in", entry)


def check_untranslated(entry: polib.POEntry, ctx: Context) -> Iterator[Finding]:
    severity = ERROR if ctx.strict else WARNING
    if entry.fuzzy:
        yield _finding(ctx, severity, "fuzzy", "the translation is fuzzy (needs review)", entry)
    elif not _translated(entry):
        yield _finding(ctx, severity, "untranslated", "no translation yet", entry)


def check_same_as_source(entry: polib.POEntry, ctx: Context) -> Iterator[Finding]:
    if ctx.locale and language_of(ctx.locale) == ctx.source_language:
        return
    sources = {entry.msgid, entry.msgid_plural}
    for label, text in _forms(entry):
        if text and text in sources and re.search(r"[^\W\d_]{2}", re.sub(r"\{[^{}]*\}", "", text)):
            yield _finding(ctx, WARNING, "same-as-source", f"{label} is the same as the source", entry)


def check_whitespace(entry: polib.POEntry, ctx: Context) -> Iterator[Finding]:
    src = entry.msgid
    for label, text in _forms(entry):
        if not text:
            continue
        for edge, pick in (("leading", lambda s: s[: len(s) - len(s.lstrip())]),
                           ("trailing", lambda s: s[len(s.rstrip()):])):
            if pick(src).replace(" ", "") != pick(text).replace(" ", "") or bool(pick(src)) != bool(pick(text)):
                yield _finding(ctx, WARNING, "whitespace",
                               f"{label}: {edge} whitespace or newline differs from the source", entry)
        if src.count("\n") != text.count("\n"):
            yield _finding(ctx, WARNING, "newlines",
                           f"{label} has {text.count(chr(10))} line breaks, the source {src.count(chr(10))}", entry)


_BIDI = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_INVISIBLE = set("\u200b\u200c\u200d\u2060\ufeff\u00ad\u200e\u200f\u061c")


def check_invisible(entry: polib.POEntry, ctx: Context) -> Iterator[Finding]:
    for label, text in _forms(entry):
        bidi = sorted({c for c in text if c in _BIDI})
        if bidi:
            names = ", ".join(f"U+{ord(c):04X} {unicodedata.name(c, '')}" for c in bidi)
            yield _finding(ctx, ERROR, "bidi-control",
                           f"{label} has bidi controls ({names}): they can reorder what a reader "
                           "sees; the kit sets direction itself", entry)
        hidden = sorted({c for c in text if c in _INVISIBLE or
                         (unicodedata.category(c) == "Cc" and c not in "\n\t")})
        if hidden:
            names = ", ".join(f"U+{ord(c):04X}" for c in hidden)
            yield _finding(ctx, WARNING, "invisible", f"{label} has invisible characters ({names})", entry)


_MARKUP = [
    (re.compile(r"#[A-Za-z_][\w-]*|#[(\[{]"), "Typst code (#...)"),
    (re.compile(r"\$[^$\s][^$]*\$"), "Typst math ($...$)"),
    (re.compile(r"</?[A-Za-z][\w-]*(\s[^<>]*)?/?>"), "HTML tags"),
    (re.compile(r"!?\[[^\]]+\]\([^)]*\)"), "a Markdown link or image"),
    (re.compile(r"(?<![\w*])\*[^*\s][^*]*\*(?!\w)"), "Markdown/Typst emphasis (*...*)"),
]


def check_markup(entry: polib.POEntry, ctx: Context) -> Iterator[Finding]:
    source = entry.msgid + (entry.msgid_plural or "")
    for label, text in _forms(entry):
        for rx, what in _MARKUP:
            if rx.search(text) and not rx.search(source):
                yield _finding(ctx, WARNING, "markup",
                               f"{label} looks like {what}; kit prints it literally, as text", entry)
                break


def check_budget(entry: polib.POEntry, ctx: Context) -> Iterator[Finding]:
    if ctx.campaign is None or entry.msgctxt is None:
        return
    try:
        msg = ctx.campaign.message(entry.msgctxt)
    except KeyError:
        return
    from kit.localize import format_fact
    from kit.ruby import strip_ruby

    # Measured on the text as printed: figures filled in, ruby readings not counted.
    try:
        values = {name: format_fact(ctx.campaign.facts[fid], ctx.locale or "en")
                  for name, fid in msg.args.items()}
    except KitError:
        values = {name: "0000" for name in msg.args}
    for label, text in _forms(entry):
        if not text:
            continue
        shown = strip_ruby(text)
        for name, value in values.items():
            shown = shown.replace("{" + name + "}", value)
        width = columns(shown)
        if width > msg.budget:
            yield _finding(ctx, WARNING, "length-budget",
                           f"{label} is {width} columns; the budget is {msg.budget} "
                           f"({width - msg.budget} over)", entry)


def check_ruby(entry: polib.POEntry, ctx: Context) -> Iterator[Finding]:
    from kit.ruby import ruby_problems

    # Furigana notation is Japanese; Chinese uses 《》 as title marks.
    if not (ctx.locale or "").startswith("ja"):
        return
    for label, text in _forms(entry):
        for problem in ruby_problems(text):
            yield _finding(ctx, ERROR, "ruby", f"{label}: {problem}", entry)


ENTRY_CHECKS = [check_untranslated, check_plural_count, check_placeholders, check_typed_figures,
                check_same_as_source, check_whitespace, check_invisible, check_markup,
                check_budget, check_ruby]


def check_file(path: Path, campaign: Campaign | None = None, strict: bool = False,
               source_language: str = "en") -> list[Finding]:
    """Every finding for one PO file. Never raises for a bad file."""
    try:
        po = load_po(path)
    except KitError as e:
        return [Finding(ERROR, "parse", str(path), e.line, None, e.msgid, e.message)]
    return check_po(po, path, campaign, strict, source_language)


def check_po(po: polib.POFile, path: Path, campaign: Campaign | None = None, strict: bool = False,
             source_language: str = "en", only: set[str | None] | None = None) -> list[Finding]:
    """Every finding for a catalog already in memory (path names it in the findings).
    With `only`, the entries checked are those whose message id (msgctxt, else msgid) is
    in it, as an editor checks the message being typed; the header is always checked."""
    ctx = Context(path, po.metadata.get("Language") or None, None, None, source_language,
                  campaign, strict)
    try:
        findings = list(check_header(po, ctx))
    except Exception as e:  # noqa: BLE001 - the check must never crash the run
        findings = [Finding(ERROR, "internal", str(path), None, ctx.locale, None,
                            f"the header check failed ({e!r})")]
    for entry in po:
        if entry.obsolete or entry.msgid == "":
            continue
        if only is not None and (entry.msgctxt or entry.msgid) not in only:
            continue
        for check in ENTRY_CHECKS:
            try:
                findings.extend(check(entry, ctx))
            except Exception as e:  # noqa: BLE001 - a check must never crash the run
                findings.append(_finding(ctx, ERROR, "internal",
                                         f"{check.__name__} failed on this entry ({e!r})", entry))
    return findings
