"""Catalog checks: one pass over any gettext PO file, each problem a Finding.

Two layers. First what `msgfmt -c` (GNU gettext 0.21) checks, with its severities: the
Plural-Forms header, the number of plural forms, format strings where a message's flags
say it is one (c-format, python-format, python-brace-format, javascript-format, with the
same leniency for plural forms that stand for one number only), and leading and trailing
newlines; like msgfmt, only on translated, non-fuzzy messages. What msgfmt rejects is an
error here; what it warns about (a missing header field), a warning.

Then kit's own checks. On kit's campaign catalogs (every message has its own context, the
campaign's stable id) the campaign rules are errors as they always were: placeholders
exactly as in the source, figures never typed in, furigana notation, characters the
posters cannot show. On any other catalog kit's checks are warnings (errors with
--strict): a foreign catalog's conventions are its own.

The checker never raises on a bad file: a file that does not parse is a finding.

Kit's own because (bench/libraries_vs_gettext.py): on 259 real catalogs, 11 of which
`msgfmt -c` refuses, Babel's checkers' verdict differs from msgfmt's on 11 and polib has
no checks; kit's verdict is msgfmt's on all 259.
"""

from __future__ import annotations

import functools
import re
import string
import unicodedata
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

import polib

from kit.campaign import PLACEHOLDER, Campaign, typed_figures
from kit.catalog import directives
from kit.catalog.pofile import Catalog, is_campaign_catalog, load_po
from kit.errors import KitError
from kit.fields import BIDI_CLASS
from kit.locales import language_of
from kit.plural import PluralError, agrees, known_rules, parse_plural_forms, translated
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
    often: tuple[bool, ...] | None  # per form: does it stand for many n? (None: unknown)
    source_language: str
    campaign: Campaign | None
    strict: bool
    ours: bool = False  # one of kit's campaign catalogs
    findings: list[Finding] = field(default_factory=list)

    @property
    def own(self) -> str:
        """The severity of kit's own checks on this catalog."""
        return ERROR if self.strict else WARNING

    def add(
        self, severity: str, code: str, message: str, entry: polib.POEntry | None = None
    ) -> None:
        msgid = (entry.msgctxt or entry.msgid) if entry is not None else None
        line = entry.linenum if entry is not None else None
        self.findings.append(
            Finding(severity, code, str(self.path), line, self.locale, msgid, message)
        )


def _forms(entry: polib.POEntry) -> list[tuple[str, str]]:
    """(label, translation) for each form: ("msgstr", s) or ("msgstr[1]", s)."""
    if entry.msgid_plural:
        return [(f"msgstr[{i}]", entry.msgstr_plural[i]) for i in sorted(entry.msgstr_plural)]
    return [("msgstr", entry.msgstr)]


def _first(entry: polib.POEntry) -> str:
    return str(entry.msgstr_plural.get(0, "") if entry.msgid_plural else entry.msgstr)


# ---- what msgfmt -c checks ------------------------------------------------------------------


@functools.lru_cache(maxsize=256)
def _often(expression: str, nplurals: int) -> tuple[bool, ...]:
    """msgfmt's plural distribution: form j stands for many n when n = 0..1000 selects it
    at least 5 times."""
    counts = Counter(parse_plural_forms(f"nplurals={nplurals}; plural={expression};").indices())
    return tuple(counts.get(j, 0) >= 5 for j in range(nplurals))


_GERMANIC = (False, True)  # msgfmt's assumption without a Plural-Forms header


def check_header(po: Catalog, ctx: Context, considered: list[polib.POEntry]) -> None:
    meta = po.metadata
    plurals = [e for e in considered if e.msgid_plural]
    content_type = meta.get("Content-Type", "")
    if "charset=" not in content_type:
        ctx.add(WARNING, "header-charset", "the header has no Content-Type charset")
    if not meta.get("Language"):
        ctx.add(WARNING, "header-language", "the header has no Language")
    raw = meta.get("Plural-Forms")
    ctx.often = _GERMANIC
    if raw is None or "plural=" not in raw or "nplurals=" not in raw:
        if plurals:
            what = "a Plural-Forms header" if raw is None else "nplurals=N; plural=EXPRESSION"
            ctx.add(
                ERROR,
                "plural-forms",
                f"the catalog has plural translations but its header lacks {what}",
                plurals[0],
            )
        ctx.often = None if raw is not None else _GERMANIC
        return
    try:
        rule = parse_plural_forms(raw)
    except PluralError as e:
        ctx.add(ERROR, "plural-forms", str(e))
        ctx.often = None
        return
    ctx.nplurals = rule.nplurals
    ctx.often = _often(rule.expression, rule.nplurals)
    counts = [len(e.msgstr_plural) for e in plurals]
    if counts and (min(counts) < rule.nplurals or max(counts) > rule.nplurals):
        ctx.often = None  # msgfmt gives up on the distribution then
    if ctx.locale and agrees(rule, ctx.locale) is False:
        known = " or ".join(r.header for r in known_rules(ctx.locale))
        ctx.add(
            WARNING,
            "plural-forms-rule",
            f"Plural-Forms differs from both gettext's and CLDR's rule for {ctx.locale} ({known})",
        )


def format_problems(
    entry: polib.POEntry, languages: list[str], often: tuple[bool, ...] | None
) -> list[str]:
    """What msgfmt -c says about the entry's format strings, for the given formats."""
    out = []
    source_label = "msgid_plural" if entry.msgid_plural else "msgid"
    source = entry.msgid_plural or entry.msgid
    forms = _forms(entry)
    several = entry.msgid_plural and len(forms) > 1
    for lang in languages:
        spec = directives.parse(lang, source)
        if spec is None or spec.invalid is not None:
            continue  # not a valid format string: msgfmt checks nothing
        check = directives.CHECKS[lang]
        for j, (label, text) in enumerate(forms):
            theirs = directives.parse(lang, text)
            assert theirs is not None
            if theirs.invalid is not None:
                out.append(
                    f"'{label}' is not a valid {lang.title()} format string, unlike "
                    f"'{source_label}'. Reason: {theirs.invalid}"
                )
                continue
            strict = not several or (often is not None and j < len(often) and often[j])
            problem = check(spec, theirs, strict, source_label, label)
            if problem:
                out.append(problem)
    return out


def format_mismatch(entry: polib.POEntry, old_flags: list[str]) -> bool:
    """Whether a merged entry fails msgfmt -c for a format the template sets and the old
    entry did not (msgmerge then marks it fuzzy)."""
    old = set(directives.format_languages(old_flags))
    new = [lang for lang in directives.format_languages(entry.flags) if lang not in old]
    return bool(new) and bool(_first(entry)) and bool(format_problems(entry, new, None))


def check_plural_count(entry: polib.POEntry, ctx: Context) -> None:
    """As many plural forms as the header's nplurals."""
    if ctx.nplurals is not None and entry.msgid_plural and len(entry.msgstr_plural) != ctx.nplurals:
        ctx.add(
            ERROR,
            "plural-count",
            f"{len(entry.msgstr_plural)} plural forms, but the "
            f"header says nplurals = {ctx.nplurals}",
            entry,
        )


def check_gettext(entry: polib.POEntry, ctx: Context) -> None:
    """msgfmt -c's checks of one translated, non-fuzzy message."""
    check_plural_count(entry, ctx)
    _check_newlines(entry, ctx)
    languages = directives.format_languages(entry.flags)
    if ctx.ours and "python-brace" in languages:
        # kit's placeholder check says the same, per placeholder, as an error
        languages.remove("python-brace")
    if languages:
        for problem in format_problems(entry, languages, ctx.often):
            ctx.add(ERROR, "format", problem, entry)


def _check_newlines(entry: polib.POEntry, ctx: Context) -> None:
    """msgfmt's rule: msgid_plural and every msgstr begin and end with a newline where the
    msgid does."""
    begins, ends = entry.msgid.startswith("\n"), entry.msgid.endswith("\n")
    plural = [("msgid_plural", entry.msgid_plural)] if entry.msgid_plural else []
    for label, text in plural + list(_forms(entry)):
        if text.startswith("\n") != begins:
            ctx.add(ERROR, "newline", f"'msgid' and '{label}' do not both begin with '\\n'", entry)
        if text.endswith("\n") != ends:
            ctx.add(ERROR, "newline", f"'msgid' and '{label}' do not both end with '\\n'", entry)


# ---- kit's own checks -----------------------------------------------------------------------


def _fields(text: str) -> list[tuple[str, str, str | None, str | None]] | None:
    """(field, base name, conversion, spec) of each {} placeholder; None if the braces do
    not parse. Positional {} fields are numbered as str.format numbers them."""
    out = []
    auto = 0
    try:
        for _, name, spec, conversion in string.Formatter().parse(text):
            if name is None:
                continue
            if name == "":
                name = str(auto)
                auto += 1
            base = re.split(r"[.\[]", name, maxsplit=1)[0]
            out.append((name, base, conversion, spec or None))
    except ValueError:
        return None
    return out


def check_placeholders(entry: polib.POEntry, ctx: Context) -> None:
    """Brace placeholders, where the message is python-brace-format: the same names as
    the source in every form; on kit's catalogs also exactly as written in the source (a
    conversion or format spec like {count!r} or {count:>9999} is refused)."""
    severity = ERROR if ctx.ours else ctx.own
    source = (_fields(entry.msgid) or []) + (_fields(entry.msgid_plural or "") or [])
    expected = {base for _, base, _, _ in source}
    written = {(base, conv, spec) for _, base, conv, spec in source}
    for label, text in _forms(entry):
        if not text:
            continue
        got = _fields(text)
        if got is None:
            ctx.add(
                severity,
                "placeholder-syntax",
                f"{label} has an unmatched brace: write {{{{ and }}}} for literal braces",
                entry,
            )
            continue
        names = {base for _, base, _, _ in got}
        missing, extra = sorted(expected - names), sorted(names - expected)
        if missing and extra and len(missing) == len(extra):
            pairs = ", ".join(f"{{{a}}} -> {{{b}}}" for a, b in zip(missing, extra, strict=True))
            ctx.add(severity, "placeholder-renamed", f"{label} renames {pairs}", entry)
            continue
        for name in missing:
            # Even where a language's form stands for one number, the figure is lost.
            ctx.add(
                severity,
                "placeholder-missing",
                f"{label} drops {{{name}}}: the figure would not be shown",
                entry,
            )
        for name in extra:
            ctx.add(
                severity,
                "placeholder-extra",
                f"{label} has {{{name}}}, which the source does not have",
                entry,
            )
        if ctx.ours:
            for name, base, conv, spec in got:
                if base in expected and (base, conv, spec) not in written or name != base:
                    shown = name + (f"!{conv}" if conv else "") + (f":{spec}" if spec else "")
                    ctx.add(
                        ERROR,
                        "placeholder-syntax",
                        f"{label} has {{{shown}}}: write "
                        f"the placeholder as the source does, {{{base}}}",
                        entry,
                    )


_DIGIT = re.compile(r"\d")
_ENTITY = re.compile(r"&#x?[0-9A-Fa-f]+;")


def check_typed_figures(entry: polib.POEntry, ctx: Context, brace: bool) -> None:
    """Figures come from the placeholders, never typed into a translation."""
    if _DIGIT.search(entry.msgid + (entry.msgid_plural or "")):
        return
    for label, text in _forms(entry):
        typed = typed_figures(_ENTITY.sub("", text), "")
        if typed:
            # In kit's own catalogs every figure is a fact of the campaign: a typed one
            # would print unchecked, so it is an error, as text and poster refuse it.
            severity = ERROR if ctx.ours else ctx.own
            figures = ", ".join(repr(t) for t in typed)
            ctx.add(
                severity,
                "typed-figure",
                f"{label} has {figures} typed outside the "
                "placeholders: figures must come from the placeholders, never be typed in",
                entry,
            )


def check_same_as_source(entry: polib.POEntry, ctx: Context) -> None:
    if ctx.locale and language_of(ctx.locale) == ctx.source_language:
        return
    sources = {entry.msgid, entry.msgid_plural}
    for label, text in _forms(entry):
        if text and text in sources and re.search(r"[^\W\d_]{2}", PLACEHOLDER.sub("", text)):
            ctx.add(
                WARNING if ctx.ours else ctx.own,
                "same-as-source",
                f"{label} is the same as the source",
                entry,
            )


def check_whitespace(entry: polib.POEntry, ctx: Context) -> None:
    src = entry.msgid
    severity = WARNING if ctx.ours else ctx.own
    lead, trail = src[: len(src) - len(src.lstrip())], src[len(src.rstrip()) :]
    for label, text in _forms(entry):
        if not text:
            continue
        for edge, mine, theirs in (
            ("leading", lead, text[: len(text) - len(text.lstrip())]),
            ("trailing", trail, text[len(text.rstrip()) :]),
        ):
            if mine.replace(" ", "") != theirs.replace(" ", "") or bool(mine) != bool(theirs):
                ctx.add(
                    severity,
                    "whitespace",
                    f"{label}: {edge} whitespace or newline differs from the source",
                    entry,
                )
        if src.count("\n") != text.count("\n"):
            ctx.add(
                severity,
                "newlines",
                f"{label} has {text.count(chr(10))} line breaks, the source {src.count(chr(10))}",
                entry,
            )


_BIDI = re.compile(f"[{BIDI_CLASS}]")
# Invisible characters worth a look. Not ZWJ and ZWNJ: Persian and Indic scripts need them.
_INVISIBLE = re.compile("[\u200b\u2060\ufeff\u00ad\u200e\u200f\u061c\x00-\x08\x0b-\x1f\x7f-\x9f]")


def check_invisible(entry: polib.POEntry, ctx: Context) -> None:
    for label, text in _forms(entry):
        bidi = sorted(set(_BIDI.findall(text)))
        if bidi:
            names = ", ".join(f"U+{ord(c):04X} {unicodedata.name(c, '')}" for c in bidi)
            ctx.add(
                ERROR if ctx.ours else ctx.own,
                "bidi-control",
                f"{label} has bidi controls ({names}): they can reorder what a reader "
                "sees; the kit sets direction itself",
                entry,
            )
        hidden = sorted(set(_INVISIBLE.findall(text)))
        if hidden:
            names = ", ".join(f"U+{ord(c):04X}" for c in hidden)
            refused = [c for c in hidden if c == "\ufeff" or unicodedata.category(c) == "Cc"]
            severity = ERROR if ctx.ours and refused else WARNING if ctx.ours else ctx.own
            ctx.add(severity, "invisible", f"{label} has invisible characters ({names})", entry)


_MARKUP = [
    (re.compile(r"#[A-Za-z_][\w-]*|#[(\[{]"), "Typst code (#...)"),
    (re.compile(r"\$[^$\s][^$]*\$"), "Typst math ($...$)"),
    (re.compile(r"</?[A-Za-z][\w-]*(\s[^<>]*)?/?>"), "HTML tags"),
    (re.compile(r"!?\[[^\]]+\]\([^)]*\)"), "a Markdown link or image"),
    (re.compile(r"(?<![\w*])\*[^*\s][^*]*\*(?!\w)"), "Markdown/Typst emphasis (*...*)"),
]


def check_markup(entry: polib.POEntry, ctx: Context) -> None:
    source = entry.msgid + (entry.msgid_plural or "")
    for label, text in _forms(entry):
        for rx, what in _MARKUP:
            if rx.search(text) and not rx.search(source):
                ctx.add(
                    WARNING,
                    "markup",
                    f"{label} looks like {what}; kit prints it literally, as text",
                    entry,
                )
                break


def check_budget(entry: polib.POEntry, ctx: Context) -> None:
    if ctx.campaign is None or entry.msgctxt is None:
        return
    try:
        msg = ctx.campaign.message(entry.msgctxt)
    except KeyError:
        return
    from kit.localize import printed

    # Measured on the text as printed: figures filled in, ruby readings not counted.
    for label, text in _forms(entry):
        if not text:
            continue
        shown = printed(text, msg, ctx.campaign, ctx.locale or "en")
        width = columns(shown)
        if width > msg.budget:
            ctx.add(
                WARNING,
                "length-budget",
                f"{label} is {width} columns; the budget is "
                f"{msg.budget} ({width - msg.budget} over)",
                entry,
            )


def check_ruby(entry: polib.POEntry, ctx: Context) -> None:
    from kit.ruby import ruby_problems

    # Furigana notation is Japanese; Chinese uses 《》 as title marks.
    if not (ctx.locale or "").startswith("ja"):
        return
    for label, text in _forms(entry):
        for problem in ruby_problems(text):
            ctx.add(ERROR, "ruby", f"{label}: {problem}", entry)


def _families(locale: str | None) -> list[str] | None:
    from kit.fonts import families_for
    from kit.locales import bcp47

    try:
        return families_for(bcp47(locale or "en"))
    except KitError:
        return None


def check_entry_glyphs(entry: polib.POEntry, ctx: Context, families: list[str]) -> None:
    """Characters the posters cannot show (emoji, private use, scripts the kit has no font
    for): `kit poster` refuses them, so the check names them first."""
    from kit.fonts import missing_glyphs

    for label, text in _forms(entry):
        missing = missing_glyphs(text, families)
        if missing:
            names = ", ".join(
                f"U+{ord(c):04X} {unicodedata.name(c, '')}".rstrip() for c in missing[:5]
            )
            ctx.add(
                ERROR,
                "no-glyph",
                f"{label} has characters the poster fonts cannot show "
                f"({names}); `kit poster` refuses them",
                entry,
            )


def check_japanese(po: Catalog, ctx: Context, only: set[str | None] | None) -> None:
    """Readability against the locale's target in the campaign, and ruby against UniDic's
    readings. Needs the japanese extra: without it nothing is checked here (the CLI says
    what to install)."""
    from kit.catalog import japanese
    from kit.localize import figure_values

    if not japanese.available() or ctx.campaign is None or ctx.locale is None:
        return
    entries = {e.msgctxt: e for e in po if e.msgctxt and not e.obsolete}
    result = japanese.catalog_readability(po, ctx.campaign, ctx.locale, only)
    for msgid, code, message in japanese.target_problems(result, whole=only is None):
        ctx.add(WARNING, code, message, entries.get(msgid) if msgid else None)
    for entry in entries.values():
        if only is not None and entry.msgctxt not in only:
            continue
        try:
            fill = figure_values(ctx.campaign.message(entry.msgctxt), ctx.campaign, ctx.locale)
        except KeyError:
            continue
        for label, text in _forms(entry):
            for word, written, dictionary in japanese.reading_differences(text, fill):
                ctx.add(
                    WARNING,
                    "furigana-reading",
                    f"{label}: {word} is written with the reading {written}; UniDic reads "
                    f"it {dictionary} here",
                    entry,
                )


# ---- the pass -------------------------------------------------------------------------------


def check_file(
    path: Path, campaign: Campaign | None = None, strict: bool = False, source_language: str = "en"
) -> list[Finding]:
    """Every finding for one PO file. Never raises for a bad file."""
    try:
        po = load_po(path)
    except KitError as e:
        return [Finding(ERROR, "parse", str(path), e.line, None, e.msgid, e.message)]
    except Exception as e:  # noqa: BLE001 - the check must never crash the run
        return [
            Finding(
                ERROR,
                "internal",
                str(path),
                None,
                None,
                None,
                f"reading the catalog failed ({e!r})",
            )
        ]
    return check_po(po, path, campaign, strict, source_language)


def check_po(
    po: Catalog,
    path: Path,
    campaign: Campaign | None = None,
    strict: bool = False,
    source_language: str = "en",
    only: set[str | None] | None = None,
) -> list[Finding]:
    """Every finding for a catalog already in memory (path names it in the findings).
    With `only`, the entries checked are those whose message id (msgctxt, else msgid) is
    in it, as an editor checks the message being typed; the header is always checked."""
    ctx = Context(
        Path(path),
        po.metadata.get("Language") or None,
        None,
        None,
        source_language,
        campaign,
        strict,
    )
    entries = [e for e in po if not e.obsolete and e.msgid != ""]
    # kit's campaign rules apply to kit's catalogs: every message its own context, and
    # (when a campaign is given) contexts the campaign knows.
    ids = {m.id for m in campaign.messages} if campaign is not None else None
    ctx.ours = is_campaign_catalog(po) and (ids is None or any(e.msgctxt in ids for e in entries))
    considered = [e for e in entries if _first(e) and not e.fuzzy]
    try:
        check_header(po, ctx, considered)
    except Exception as e:  # noqa: BLE001 - the check must never crash the run
        ctx.add(ERROR, "internal", f"the header check failed ({e!r})")
    if ctx.ours and campaign is not None and language_of(ctx.locale or "") == "ja":
        try:
            check_japanese(po, ctx, only)
        except Exception as e:  # noqa: BLE001 - the check must never crash the run
            ctx.add(ERROR, "internal", f"the Japanese check failed ({e!r})")
    families = _families(ctx.locale) if ctx.ours else None
    wanted = set(considered) if only is None else None
    for entry in entries:
        if only is not None and (entry.msgctxt or entry.msgid) not in only:
            continue
        try:
            _check_entry(
                entry,
                ctx,
                entry in wanted
                if wanted is not None
                else (bool(_first(entry)) and not entry.fuzzy),
                families,
            )
        except Exception as e:  # noqa: BLE001 - a check must never crash the run
            ctx.add(ERROR, "internal", f"checking this entry failed ({e!r})", entry)
    return ctx.findings


def _check_entry(
    entry: polib.POEntry, ctx: Context, considered: bool, families: list[str] | None
) -> None:
    severity = ERROR if ctx.strict else WARNING
    if entry.fuzzy:
        ctx.add(severity, "fuzzy", "the translation is fuzzy (needs review)", entry)
    elif not translated(entry):
        ctx.add(severity, "untranslated", "no translation yet", entry)
    if considered:
        check_gettext(entry, ctx)
    elif ctx.ours:  # beyond msgfmt, in kit's own catalogs: a draft's forms too
        check_plural_count(entry, ctx)
    if not (_first(entry) or (entry.msgid_plural and any(entry.msgstr_plural.values()))):
        return
    brace = "python-brace-format" in entry.flags
    if brace:
        check_placeholders(entry, ctx)
    if ctx.ours or brace:
        check_typed_figures(entry, ctx, brace)
    check_same_as_source(entry, ctx)
    check_whitespace(entry, ctx)
    check_invisible(entry, ctx)
    if ctx.ours:
        check_markup(entry, ctx)
        check_budget(entry, ctx)
        check_ruby(entry, ctx)
        if families:
            check_entry_glyphs(entry, ctx, families)
