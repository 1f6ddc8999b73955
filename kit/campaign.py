"""Load and validate a campaign: the facts and the source messages, as data.

A campaign is a TOML file (kit/data/campaigns/npa-2017h1.toml is the shipped one). Everything is
checked on load, so that the rest of the kit can trust it: a missing or ill-typed fact, a
placeholder naming no fact, an unknown section is one CampaignError naming file, line and id.
"""

from __future__ import annotations

import datetime as dt
import re
import string
import tomllib
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, NoReturn, TypeGuard

from kit.data import path as data_path
from kit.errors import CampaignError
from kit.fields import BIDI_CONTROLS, url_problem

FACT_KINDS = ("count", "percent", "change", "period", "date")
ROLES = ("headline", "lead", "heading", "note", "item", "subitem", "source", "label")
LIST_STYLES = ("numbered", "bulleted", "none")
PROVENANCES = ("npa", "common-practice")
# \A and \Z, not ^ and $: "$" also matches before a final newline, and "x\n" is no id.
_ID = re.compile(r"\A[a-z][a-z0-9_-]{0,63}\Z")
# Bounds that keep every figure printable by Babel: a count of people, a share of them.
MAX_COUNT = 10**12
MAX_CHANGE = 10**6  # percent, either way
_HEADER = re.compile(r'\A\[([A-Za-z0-9_-]+)\.("?)([^"\]]+)\2\]\Z')

DEFAULT_CAMPAIGN = "npa-2017h1"


@dataclass(frozen=True)
class Citation:
    id: str
    publisher: str
    report: str
    url: str
    outlet: str | None = None
    article: str | None = None
    date: dt.date | None = None


@dataclass(frozen=True)
class Fact:
    id: str
    kind: str
    # int for counts, Decimal (as written) for percent and change, date for dates,
    # (start, end) for periods.
    value: Any
    citation: str
    meaning: str
    line: int


@dataclass(frozen=True)
class Message:
    id: str
    text: str
    section: str
    role: str
    audience: tuple[str, ...]
    provenance: str
    budget: int
    note: str
    line: int
    plural: str | None = None
    plural_arg: str | None = None
    args: dict[str, str] = field(default_factory=dict)
    citation: str | None = None  # a citation the message stands for (its address is shown)


@dataclass(frozen=True)
class Section:
    id: str
    style: str
    heading: str | None = None


@dataclass(frozen=True)
class Audience:
    id: str
    name: str
    sections: tuple[str, ...]


@dataclass(frozen=True)
class ReadabilityTarget:
    """How easy a catalog in plain language must read (kit.catalog.japanese): jReadability
    of the whole text, and of each message of at least `words` words; and the longest
    sentence, in characters as printed."""

    level: float
    message_level: float
    words: int
    sentence: int


@dataclass(frozen=True)
class PosterLayout:
    """What one audience's poster shows: per format ("print", "square", "story"), a list of
    columns, each a list of components (dicts with "kind" and the ids they draw on)."""

    widths: tuple[float, ...]
    formats: dict[str, list[list[dict[str, Any]]]]


@dataclass(frozen=True)
class Campaign:
    id: str
    title: str
    source_locale: str
    revised: dt.date
    path: Path
    citations: dict[str, Citation]
    facts: dict[str, Fact]
    sections: dict[str, Section]
    audiences: dict[str, Audience]
    messages: tuple[Message, ...]
    posters: dict[str, PosterLayout] = field(default_factory=dict)
    # The rules of protective wording every translation keeps, printed for translators.
    wording: tuple[str, ...] = ()
    readability: dict[str, ReadabilityTarget] = field(default_factory=dict)  # by catalog name

    def message(self, msg_id: str) -> Message:
        for m in self.messages:
            if m.id == msg_id:
                return m
        raise KeyError(msg_id)

    @property
    def source_message(self) -> Message:
        return next(m for m in self.messages if m.role == "source")

    @property
    def source_citation(self) -> Citation:
        """The citation behind the source line: the one its first fact cites."""
        msg = self.source_message
        facts = [self.facts[f] for f in msg.args.values()]
        return self.citations[facts[0].citation] if facts else next(iter(self.citations.values()))


# A {placeholder} as written, for searching text (placeholders() parses it as str.format).
PLACEHOLDER = re.compile(r"\{[^{}]*\}")


def placeholders(text: str) -> list[str]:
    """The names of the brace placeholders in a message, in order.

    Raises ValueError for text that str.format could not take (a lone brace).
    """
    return [name for _, name, _, _ in string.Formatter().parse(text) if name is not None]


# A figure as a translator would type it: sign, digits of any script, separators, percent.
_TYPED_FIGURE = re.compile(
    r"[+\-\u2212\uff0b]?\d+(?:[.,\u066b\u066c\u00a0\u202f]\d+)*\s?[%\uff05\u066a]?"
)
_BRACED = re.compile(r"\{[^{}]*\}")


def typed_figures(translation: str, source: str) -> list[str]:
    """Figures typed into a translation, as written ('86%', '٨٦٫٩٪'), where the campaign's
    rule is that figures come only from placeholders: the source has no digits of its own."""
    if re.search(r"\d", source):
        return []
    return [m.group().strip() for m in _TYPED_FIGURE.finditer(_BRACED.sub(" ", translation))]


def default_campaign_path() -> Path:
    return data_path("campaigns", f"{DEFAULT_CAMPAIGN}.toml")


def load_campaign(path: str | Path | None = None) -> Campaign:
    """Read and validate a campaign file (the shipped one when path is None)."""
    path = Path(path) if path is not None else default_campaign_path()
    try:
        raw_text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CampaignError("campaign file not found", file=path) from None
    except (OSError, UnicodeDecodeError) as e:
        raise CampaignError(f"cannot read the campaign file ({e})", file=path) from None
    return parse_campaign(raw_text, path)


def parse_campaign(raw_text: str, path: Path) -> Campaign:
    """Validate campaign TOML text; path is only used to name the file in errors."""
    try:
        data = tomllib.loads(raw_text)
    except tomllib.TOMLDecodeError as e:
        m = re.search(r"at line (\d+)", str(e))
        raise CampaignError(
            f"not valid TOML: {e}", file=path, line=int(m.group(1)) if m else None
        ) from None
    except RecursionError:
        raise CampaignError(
            "not valid TOML: arrays or tables nested too deeply", file=path
        ) from None
    except ValueError as e:  # an integer of more than 4300 digits
        raise CampaignError(f"not valid TOML: {e}", file=path) from None
    return _Validator(path, raw_text).campaign(data)


class _Validator:
    """Turns the parsed TOML into a Campaign, failing on the first problem found."""

    def __init__(self, path: Path, raw_text: str) -> None:
        self.path = path
        # Where things are, for error messages: found in one pass, so that loading stays
        # linear in the campaign's size (a search per message made 10,000 take minutes).
        self.message_lines: list[int] = []
        self.table_lines: dict[tuple[str, str], int] = {}
        for number, text in enumerate(raw_text.splitlines(), start=1):
            text = text.strip()
            if text == "[[messages]]":
                self.message_lines.append(number)
            elif m := _HEADER.match(text):
                self.table_lines.setdefault((m.group(1), m.group(3)), number)

    def _table_line(self, table: str, key: str) -> int | None:
        return self.table_lines.get((table, key))

    def fail(self, message: str, line: int | None = None, msgid: str | None = None) -> NoReturn:
        raise CampaignError(message, file=self.path, line=line, msgid=msgid)

    # -- the parts ------------------------------------------------------------------------
    def campaign(self, data: dict[str, Any]) -> Campaign:
        revised = self._top_level(data)
        citations = {k: self.citation(k, v) for k, v in self._table(data, "citations").items()}
        facts = {k: self.fact(k, v, citations) for k, v in self._table(data, "facts").items()}
        messages = self._messages(data, facts, citations)
        known = {m.id for m in messages}
        sections = {k: self.section(k, v, known) for k, v in self._table(data, "sections").items()}
        for msg in messages:
            if msg.section not in sections:
                self.fail(f"section {msg.section!r} is not defined in [sections]", msg.line, msg.id)
        audiences = {
            k: self.audience(k, v, sections) for k, v in self._table(data, "audiences").items()
        }
        raw_posters = data.get("posters", {})
        if not isinstance(raw_posters, dict):
            self.fail("'posters' must be a table of [posters.AUDIENCE] tables")
        posters = {
            aid: self.poster(aid, raw, audiences, sections, facts, known)
            for aid, raw in raw_posters.items()
        }
        return Campaign(
            posters=posters,
            id=data["id"],
            title=data["title"],
            source_locale=data["source_locale"],
            revised=revised,
            path=self.path,
            citations=citations,
            facts=facts,
            sections=sections,
            audiences=audiences,
            messages=tuple(messages),
            wording=self._wording(data),
            readability=self._readability(data),
        )

    def _readability(self, data: dict[str, Any]) -> dict[str, ReadabilityTarget]:
        from kit.locales import is_catalog_name

        raw = data.get("readability", {})
        if not isinstance(raw, dict):
            self.fail("'readability' must be a table of [readability.\"LOCALE\"] tables")
        out = {}
        for locale, target in raw.items():
            line = self._table_line("readability", locale)
            where = f"[readability.{locale!r}]"
            if not is_catalog_name(locale) or not isinstance(target, dict):
                self.fail(f"{where} must be a table named by a catalog, such as ja@easy", line)
            keys = ("level", "message_level", "words", "sentence")
            if set(target) != set(keys):
                self.fail(f"{where} needs exactly {', '.join(map(repr, keys))}", line)
            level, message_level, words, sentence = (target[k] for k in keys)
            for key, number in (("level", level), ("message_level", message_level)):
                if not isinstance(number, int | float) or isinstance(number, bool):
                    self.fail(f"{where}: {key!r} must be a number such as 4.5", line)
            for key, count in (("words", words), ("sentence", sentence)):
                if not isinstance(count, int) or isinstance(count, bool) or count < 1:
                    self.fail(f"{where}: {key!r} must be a whole number of at least 1", line)
            out[locale] = ReadabilityTarget(float(level), float(message_level), words, sentence)
        return out

    def _wording(self, data: dict[str, Any]) -> tuple[str, ...]:
        rules = data.get("wording", [])
        if not isinstance(rules, list) or not all(isinstance(r, str) and r.strip() for r in rules):
            self.fail("top-level 'wording' must be a list of non-empty strings (the rules)")
        return tuple(r.strip() for r in rules)

    def _top_level(self, data: dict[str, Any]) -> dt.date:
        """The campaign's own keys checked (id, title, source_locale); its revision date."""
        from kit.errors import LocaleError
        from kit.locales import babel_locale, is_catalog_name

        for key, kind in (("id", str), ("title", str), ("source_locale", str)):
            if not isinstance(data.get(key), kind) or not data[key]:
                self.fail(f"top-level {key!r} must be a non-empty string")
        if not _ID.match(data["id"]):
            self.fail(f"top-level 'id' {data['id']!r} must be lower-case letters, digits, - or _")
        # The source locale names output folders (kit build): a catalog name, nothing else.
        source = data["source_locale"]
        try:
            recognised = is_catalog_name(source) and babel_locale(source) is not None
        except LocaleError:
            recognised = False
        if not recognised:
            self.fail(
                f"top-level 'source_locale' {source!r} must be a locale name such as en or "
                "pt_BR that CLDR knows"
            )
        revised = data.get("revised")
        if not isinstance(revised, dt.date) or isinstance(revised, dt.datetime):
            self.fail("top-level 'revised' must be a date such as 2026-11-25")
        return revised

    def _messages(
        self, data: dict[str, Any], facts: dict[str, Fact], citations: dict[str, Citation]
    ) -> list[Message]:
        raw_messages = data.get("messages")
        if not isinstance(raw_messages, list) or not raw_messages:
            self.fail("the campaign has no [[messages]]")
        audience_ids = list(self._table(data, "audiences"))
        messages: list[Message] = []
        ids: set[str] = set()
        for i, raw in enumerate(raw_messages):
            msg = self.message(i, raw, facts, audience_ids, citations)
            if msg.id in ids:
                self.fail("message id is used twice", msg.line, msg.id)
            ids.add(msg.id)
            messages.append(msg)
        if sum(m.role == "source" for m in messages) != 1:
            self.fail('the campaign needs exactly one message with role "source" (the citation)')
        return messages

    def _table(self, data: dict[str, Any], name: str) -> dict[str, Any]:
        table = data.get(name)
        if not isinstance(table, dict) or not table:
            self.fail(f"the campaign needs a non-empty [{name}] table")
        for key, value in table.items():
            if not isinstance(value, dict):
                self.fail(f"[{name}.{key}] must be a table", self._table_line(name, key))
            if not _ID.match(key):
                self.fail(f"{name} id {key!r} must be lower-case letters, digits, - or _")
        return table

    def citation(self, cid: str, raw: dict[str, Any]) -> Citation:
        line = self._table_line("citations", cid)
        for key in ("publisher", "report", "url"):
            if not isinstance(raw.get(key), str) or not raw[key]:
                self.fail(f"citation {cid!r}: {key!r} must be a non-empty string", line)
        problem = url_problem(raw["url"], schemes=("https",))
        if problem:
            self.fail(f"citation {cid!r}: url {problem}", line)
        for key in ("outlet", "article"):
            if raw.get(key) is not None and not isinstance(raw[key], str):
                self.fail(f"citation {cid!r}: {key!r} must be a string", line)
        date = raw.get("date")
        if date is not None and not isinstance(date, dt.date):
            self.fail(f"citation {cid!r}: 'date' must be a date such as 2017-09-22", line)
        return Citation(
            id=cid,
            publisher=raw["publisher"],
            report=raw["report"],
            url=raw["url"],
            outlet=raw.get("outlet"),
            article=raw.get("article"),
            date=date,
        )

    def fact(self, fid: str, raw: dict[str, Any], citations: dict[str, Citation]) -> Fact:
        line = self._table_line("facts", fid)
        where = f"fact {fid!r}"
        kind = raw.get("kind")
        if kind not in FACT_KINDS:
            self.fail(f"{where}: 'kind' must be one of {', '.join(FACT_KINDS)}, not {kind!r}", line)
        if not _is_key(raw.get("citation"), citations):
            self.fail(
                f"{where}: 'citation' must name one of [citations] ({raw.get('citation')!r})", line
            )
        if not isinstance(raw.get("meaning"), str) or not raw["meaning"]:
            self.fail(f"{where}: 'meaning' must be a non-empty string", line)
        value = self._fact_value(kind, raw, where, line)
        return Fact(fid, kind, value, raw["citation"], raw["meaning"], line or 0)

    def _fact_value(self, kind: str, raw: dict[str, Any], where: str, line: int | None) -> Any:
        """A fact's value, checked against its kind (see Fact.value)."""
        if kind == "period":
            start, end = raw.get("start"), raw.get("end")
            if not (_is_date(start) and _is_date(end)) or start > end:  # type: ignore[operator]
                self.fail(f"{where}: a period needs dates 'start' <= 'end'", line)
            return (start, end)
        value: Any = raw.get("value")
        if "value" not in raw:
            self.fail(f"{where}: 'value' is missing", line)
        if kind == "count" and (type(value) is not int or not 0 <= value <= MAX_COUNT):
            self.fail(
                f"{where}: a count must be a whole number from 0 to {MAX_COUNT:,}, "
                f"not {_short(value)}",
                line,
            )
        if kind in ("percent", "change"):
            low, high = (0, 100) if kind == "percent" else (-MAX_CHANGE, MAX_CHANGE)
            # nan and inf are TOML floats too: no figure of record is either.
            if type(value) not in (int, float) or not low <= value <= high:
                self.fail(
                    f"{where}: a {kind} must be a number from {low} to {high} such as "
                    f"85.9, not {_short(value)}",
                    line,
                )
            # str() of a TOML number gives back its digits as written (85.9, 10), which is
            # what keeps the reported precision: never round or pad a figure.
            return Decimal(str(value))
        if kind == "date" and not _is_date(value):
            self.fail(f"{where}: a date must be written like 2017-09-22, not {value!r}", line)
        return value

    def message(
        self,
        index: int,
        raw: Any,
        facts: dict[str, Fact],
        audiences: list[str],
        citations: dict[str, Citation],
    ) -> Message:
        line = self.message_lines[index] if index < len(self.message_lines) else None
        if not isinstance(raw, dict):
            self.fail("each [[messages]] entry must be a table", line)
        mid = raw.get("id")
        if not isinstance(mid, str) or not _ID.match(mid):
            self.fail(f"message id must be lower-case letters, digits, - or _, not {mid!r}", line)
        fields = self._message_fields(raw, audiences, line, mid)
        plural, plural_arg, args = self._message_args(raw, fields["text"], facts, line, mid)
        citation = raw.get("citation")
        if citation is not None and not _is_key(citation, citations):
            self.fail(f"'citation' {citation!r} is not in [citations]", line, mid)
        return Message(
            id=mid,
            **fields,
            line=line or 0,
            plural=plural,
            plural_arg=plural_arg,
            args=args,
            citation=citation,
        )

    def _message_fields(
        self, raw: dict[str, Any], audiences: list[str], line: int | None, mid: str
    ) -> dict[str, Any]:
        """A message's text, note, section, role, provenance, budget and audience."""

        def need(key: str, kind: type) -> Any:
            value = raw.get(key)
            if not isinstance(value, kind) or isinstance(value, bool) or not value:
                self.fail(f"{key!r} must be a non-empty {kind.__name__}", line, mid)
            return value

        text, note, section = need("text", str), need("note", str), need("section", str)
        self._printable(text, "text", line, mid)
        if not _ID.match(section):
            self.fail(f"'section' must be a section id, not {section!r}", line, mid)
        role, provenance, budget = need("role", str), need("provenance", str), need("budget", int)
        audience = need("audience", list)
        if role not in ROLES:
            self.fail(f"'role' must be one of {', '.join(ROLES)}, not {role!r}", line, mid)
        if provenance not in PROVENANCES:
            self.fail(f"'provenance' must be one of {', '.join(PROVENANCES)}", line, mid)
        if not 0 < budget <= 10_000:
            self.fail("'budget' must be a number of columns from 1 to 10000", line, mid)
        for a in audience:
            if not isinstance(a, str) or a not in audiences:
                self.fail(f"audience {a!r} is not defined in [audiences]", line, mid)
        return {
            "text": text,
            "note": note,
            "section": section,
            "role": role,
            "provenance": provenance,
            "budget": budget,
            "audience": tuple(audience),
        }

    def _printable(self, text: str, key: str, line: int | None, mid: str) -> None:
        """The source text holds nothing kit refuses to print in a translation: control
        characters (tab and newline aside) and bidi controls (kit.localize)."""
        for c in text:
            if c in BIDI_CONTROLS or (unicodedata.category(c) == "Cc" and c not in "\n\t"):
                self.fail(
                    f"{key!r} holds U+{ord(c):04X}, a control character no poster prints",
                    line,
                    mid,
                )

    def _message_args(
        self, raw: dict[str, Any], text: str, facts: dict[str, Fact], line: int | None, mid: str
    ) -> tuple[str | None, str | None, dict[str, str]]:
        """A message's plural, plural_arg and args: each placeholder names a fact through
        args, each of args is used, and the plural depends on a count."""
        plural, plural_arg = raw.get("plural"), raw.get("plural_arg")
        if (plural is None) != (plural_arg is None):
            self.fail("'plural' and 'plural_arg' go together", line, mid)
        if plural is not None and (not isinstance(plural, str) or not plural):
            self.fail("'plural' must be a non-empty string", line, mid)
        if plural is not None:
            self._printable(plural, "plural", line, mid)
        args = raw.get("args", {})
        if not isinstance(args, dict) or not all(isinstance(v, str) for v in args.values()):
            self.fail("'args' must map placeholder names to fact ids", line, mid)
        used = self._placeholders((text, plural) if plural else (text,), args, line, mid)
        for name, fid in args.items():
            if fid not in facts:
                self.fail(
                    f"placeholder {{{name}}} names fact {fid!r}, which is not in [facts]", line, mid
                )
            if name not in used:
                self.fail(f"'args' names {{{name}}}, which the text does not use", line, mid)
        if plural_arg is not None and (
            not _is_key(plural_arg, args) or facts[args[plural_arg]].kind != "count"
        ):
            self.fail(
                f"'plural_arg' {plural_arg!r} must be a placeholder holding a count", line, mid
            )
        return plural, plural_arg, dict(args)

    def _placeholders(
        self, forms: tuple[str, ...], args: dict[str, str], line: int | None, mid: str
    ) -> set[str]:
        """The placeholders the forms use, each a plain name that args maps."""
        used: set[str] = set()
        for form in forms:
            try:
                names = placeholders(form)
            except ValueError as e:
                self.fail(f"the text is not a valid brace format ({e})", line, mid)
            for name in names:
                if not name.isidentifier():
                    self.fail(
                        f"placeholder {{{name}}} must be a plain name like {{count}}", line, mid
                    )
                if name not in args:
                    self.fail(f"placeholder {{{name}}} names no fact: add it to 'args'", line, mid)
            used.update(names)
        return used

    def section(self, sid: str, raw: dict[str, Any], known: set[str]) -> Section:
        line = self._table_line("sections", sid)
        style = raw.get("list", "none")
        if style not in LIST_STYLES:
            self.fail(f"section {sid!r}: 'list' must be one of {', '.join(LIST_STYLES)}", line)
        heading = raw.get("heading")
        if heading is not None and not _is_key(heading, known):
            self.fail(f"section {sid!r}: heading {heading!r} is not a message id", line)
        return Section(sid, style, heading)

    def poster(
        self,
        aid: str,
        raw: Any,
        audiences: dict[str, Audience],
        sections: dict[str, Section],
        facts: dict[str, Fact],
        messages: set[str],
    ) -> PosterLayout:
        line = self._table_line("posters", aid)
        if aid not in audiences or not isinstance(raw, dict):
            self.fail(f"[posters.{aid}] must be a table named after an audience", line)
        formats: dict[str, list[list[dict[str, Any]]]] = {}
        for fmt in POSTER_FORMATS:
            columns = raw.get(fmt)
            if (
                not isinstance(columns, list)
                or not columns
                or not all(isinstance(c, list) and c for c in columns)
            ):
                self.fail(f"poster {aid!r}: {fmt!r} must be a list of columns of components", line)
            formats[fmt] = []
            for column in columns:
                parsed = [_poster_component(c, sections, facts, messages) for c in column]
                for p in parsed:
                    if isinstance(p, str):
                        self.fail(f"poster {aid!r}, {fmt}: {p}", line)
                formats[fmt].append(parsed)  # type: ignore[arg-type]
        widths = raw.get("widths", [1] * len(formats["print"]))
        if (
            not isinstance(widths, list)
            or len(widths) != len(formats["print"])
            or not all(type(w) in (int, float) and w > 0 for w in widths)
        ):
            self.fail(f"poster {aid!r}: 'widths' needs one positive number per print column", line)
        return PosterLayout(tuple(float(w) for w in widths), formats)

    def audience(self, aid: str, raw: dict[str, Any], sections: dict[str, Section]) -> Audience:
        line = self._table_line("audiences", aid)
        names = raw.get("sections")
        if not isinstance(names, list) or not names:
            self.fail(f"audience {aid!r}: 'sections' must be a non-empty list", line)
        for name in names:
            if not _is_key(name, sections):
                self.fail(f"audience {aid!r}: section {name!r} is not defined in [sections]", line)
        title = raw.get("name", aid)
        if not isinstance(title, str) or not title:
            self.fail(f"audience {aid!r}: 'name' must be a non-empty string", line)
        return Audience(aid, title, tuple(names))


POSTER_FORMATS = ("print", "square", "story")


def _poster_component(
    raw: Any, sections: dict[str, Section], facts: dict[str, Fact], messages: set[str]
) -> dict[str, Any] | str:
    """A validated component dict, or a sentence saying what is wrong with it."""
    if not isinstance(raw, dict):
        return 'each component must be an inline table such as { section = "advice" }'
    kinds = [k for k in ("section", "callout", "share", "chart") if k in raw]
    if len(kinds) != 1:
        return f"component {raw} must have exactly one of section, callout, share, chart"
    kind = kinds[0]
    ref = raw[kind]
    if kind == "section":
        if not _is_key(ref, sections):
            return f"no section {_short(ref)}"
        return {"kind": kind, "section": ref}
    if not _is_key(ref, messages):
        return f"{kind} names message {_short(ref)}, which does not exist"
    wanted = {
        "callout": ("value", "count"),
        "share": ("value", "percent"),
        "chart": ("total", "count"),
    }
    key, fact_kind = wanted[kind]
    fid = raw.get(key)
    if not _is_key(fid, facts) or facts[fid].kind != fact_kind:
        return f"{kind} {ref!r} needs {key} = a {fact_kind} fact, not {fid!r}"
    if kind == "chart" and not facts[fid].value:
        return f"chart {ref!r}: its total {fid!r} is 0, so no bar can be drawn to scale"
    out: dict[str, Any] = {"kind": kind, "message": ref, key: fid}
    if kind == "chart":
        bars: Any = raw.get("bars")
        problem = _bars_problem(ref, bars, facts, messages)
        if problem:
            return problem
        out["bars"] = dict(bars)
    return out


def _bars_problem(ref: str, bars: Any, facts: dict[str, Fact], messages: set[str]) -> str | None:
    """What is wrong with a chart's bars (MESSAGE = count FACT), if anything."""
    if not isinstance(bars, dict) or not bars:
        return f"chart {ref!r} needs bars = {{ MESSAGE = FACT, ... }}"
    for mid, bar_fact in bars.items():
        if (
            not _is_key(mid, messages)
            or not _is_key(bar_fact, facts)
            or facts[bar_fact].kind != "count"
        ):
            return f"chart {ref!r}: bar {mid!r} must name a message and a count fact"
    return None


def is_id(text: str) -> bool:
    """A campaign id (message, fact, section, audience): safe as a folder name too."""
    return bool(_ID.match(text))


def _is_key(value: Any, table: Any) -> TypeGuard[str]:
    """`value in table`, for a value that may be a TOML list or table (unhashable)."""
    return isinstance(value, str) and value in table


def _short(value: Any) -> str:
    """A value for an error message: never the whole of a 400-digit number."""
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _is_date(value: Any) -> bool:
    return isinstance(value, dt.date) and not isinstance(value, dt.datetime)
