"""Plural rules in one place: the Plural-Forms header, its evaluation, its CLDR categories.

A catalog is data from strangers. Its plural expression is never eval()ed: it is parsed
into reverse Polish notation and run on a stack, with C's precedence and C's lazy ?:, &&
and ||, and checked for n = 0..1000 before use; the result is cached per header, so a
check of thousands of catalogs evaluates each distinct formula once. The standard
library's `gettext.c2py` is not used: it refuses what msgfmt accepts (nesting deeper than
about 20 levels, expressions over 1000 characters) and mistranslates C: `!n + 7` becomes
Python's `not (n + 7)`, and `n || 0` gives n, not 1. tests/test_plural.py shows each
against msgfmt, and checks this evaluator against c2py wherever c2py is right.

Which formula a new catalog gets: the gettext ecosystem's (translate-toolkit's table, the
one Pootle, Virtaal and Weblate's gettext defaults share with GNU msginit) where it has
one, else CLDR's (Babel). They differ for some languages (es, pt_BR: gettext 2 forms,
CLDR 3), and catalogs in the wild use both, so a catalog with either is accepted.
"""

from __future__ import annotations

import functools
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


MAX_EXPRESSION = 20_000  # characters; the longest rule in use (Arabic) has about 100


@functools.lru_cache(maxsize=512)
def _compile(expression: str) -> Callable[[int], int]:
    if len(expression) > MAX_EXPRESSION:
        raise PluralError(
            f"Plural-Forms has a plural expression of {len(expression)} characters; "
            f"gettext rules have about a hundred (kit reads up to {MAX_EXPRESSION})"
        )
    return _stack_evaluator(expression)


_TOKEN = re.compile(r"\s*(\d+|n|==|!=|<=|>=|&&|\|\||[-+*/%<>!?:()])")
# C's precedence; ! is unary and right-associative, ?: right-associative.
_BINARY = {
    "||": 2,
    "&&": 3,
    "==": 4,
    "!=": 4,
    "<": 5,
    ">": 5,
    "<=": 5,
    ">=": 5,
    "+": 6,
    "-": 6,
    "*": 7,
    "/": 7,
    "%": 7,
}
_UNARY = 8


def _stack_evaluator(expression: str) -> Callable[[int], int]:
    """The expression as reverse Polish notation (shunting-yard), evaluated on a stack.
    Raises PluralError for anything c2py's grammar would not accept."""
    evaluate = functools.partial(_run, _postfix(_tokens(expression)))
    try:  # a malformed program shows on a first run, not in a user's lookup
        evaluate(0)
    except IndexError:
        raise PluralError("Plural-Forms does not parse") from None
    except ZeroDivisionError:
        pass
    return evaluate


def _tokens(expression: str) -> list[str]:
    tokens, pos, rest = [], 0, expression.rstrip()
    while pos < len(rest):
        m = _TOKEN.match(rest, pos)
        if not m:
            raise PluralError(
                f"Plural-Forms does not parse (unexpected {rest[pos : pos + 10].strip()!r})"
            )
        tokens.append(m.group(1))
        pos = m.end()
    return tokens


def _postfix(tokens: list[str]) -> tuple[str, ...]:
    """The tokens in reverse Polish notation (Dijkstra's shunting-yard): operands go out
    as they come, operators wait on a stack until one that binds less tightly arrives."""
    out: list[str] = []
    ops: list[str] = []
    operand = True  # an operand (or a unary !) is expected next
    for tok in tokens:
        if tok == "n" or tok.isdigit():
            if not operand:
                raise PluralError("Plural-Forms does not parse (two operands in a row)")
            out.append(tok)
            operand = False
        elif operand and tok in ("!", "("):
            ops.append(tok)
        elif operand:
            raise PluralError(f"Plural-Forms does not parse (unexpected {tok!r})")
        elif tok == ")":
            _close_group(ops, out)
        elif tok == "?":
            _pop_operators(ops, out, 2)  # ?: is right-associative: a ternary waiting stays
            ops.append("?")
            operand = True
        elif tok == ":":
            _close_condition(ops, out)
            operand = True
        else:
            _pop_operators(ops, out, _BINARY[tok])  # left-associative: equals go out
            ops.append(tok)
            operand = True
    if operand:
        raise PluralError("Plural-Forms does not parse (it ends with an operator)")
    _close_all(ops, out)
    return tuple(out)


def _pop_operators(ops: list[str], out: list[str], bound: int) -> None:
    """Move out the waiting operators that bind at least as tightly as `bound`; an open
    group or ternary (precedence 1) stops it."""
    while ops and _prec(ops[-1]) >= bound:
        out.append(ops.pop())


def _close_group(ops: list[str], out: list[str]) -> None:
    """A `)`: everything since its `(` goes out, and the `(` goes."""
    while ops and ops[-1] != "(":
        if ops[-1] == "?":
            raise PluralError("Plural-Forms does not parse (? without :)")
        out.append(ops.pop())
    if not ops:
        raise PluralError("Plural-Forms does not parse (unbalanced parentheses)")
    ops.pop()


def _close_condition(ops: list[str], out: list[str]) -> None:
    """A `:`: the then-branch since its `?` goes out; the ternary waits for its third
    operand."""
    while ops and ops[-1] != "?":
        if ops[-1] == "(":
            raise PluralError("Plural-Forms does not parse (: without ?)")
        out.append(ops.pop())
    if not ops:
        raise PluralError("Plural-Forms does not parse (: without ?)")
    ops[-1] = ":"


def _close_all(ops: list[str], out: list[str]) -> None:
    while ops:
        if ops[-1] in ("(", "?"):
            raise PluralError("Plural-Forms does not parse (unbalanced parentheses or ?)")
        out.append(ops.pop())


def _run(program: tuple[str, ...], n: int) -> int:
    """The value of a postfix program for n."""
    # None stands for a division by zero in a branch not yet known to be taken: C
    # evaluates ?:, && and || lazily, so such a division is harmless until it is used.
    stack: list[int | None] = []
    for tok in program:
        if tok == "n":
            stack.append(n)
        elif tok.isdigit():
            stack.append(int(tok))
        elif tok == "!":
            a = stack.pop()
            stack.append(None if a is None else int(not a))
        elif tok == ":":
            no, yes, cond = stack.pop(), stack.pop(), stack.pop()
            stack.append(None if cond is None else (yes if cond else no))
        else:
            b, a = stack.pop(), stack.pop()
            stack.append(_apply(tok, a, b))
    result = stack.pop()
    if result is None:
        raise ZeroDivisionError("division by zero in the plural expression")
    return result


def _prec(op: str) -> int:
    return _UNARY if op == "!" else _BINARY.get(op, 1)


def _apply(op: str, a: int | None, b: int | None) -> int | None:
    if op == "&&":
        return 0 if a == 0 else (None if a is None or b is None else int(bool(b)))
    if op == "||":
        return 1 if a not in (0, None) else (None if a is None or b is None else int(bool(b)))
    if a is None or b is None:
        return None
    if op in ("/", "%"):
        return None if b == 0 else (a // b if op == "/" else a % b)
    return (
        int({"==": a == b, "!=": a != b, "<": a < b, ">": a > b, "<=": a <= b, ">=": a >= b}[op])
        if op in ("==", "!=", "<", ">", "<=", ">=")
        else (a + b if op == "+" else a - b if op == "-" else a * b)
    )


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
        raise PluralError(
            "Plural-Forms does not parse: it needs nplurals=N and plural=EXPRESSION, "
            f"not {header[:80]!r}"
        )
    digits = count.group(1).lstrip("0") or "0"
    if len(digits) > 3:
        raise PluralError(
            f"Plural-Forms declares nplurals={digits[:12]}..., far more forms than any language has"
        )
    nplurals = int(digits)
    if nplurals < 1:
        raise PluralError("Plural-Forms declares nplurals=0; a language has at least one form")
    expression = found.group(1).strip()
    if not expression:
        raise PluralError("Plural-Forms has an empty plural expression")
    func = _compile(expression)
    for n, index in zip(SAMPLE, _indices(expression), strict=True):
        if not 0 <= index < nplurals:
            raise PluralError(
                f"Plural-Forms gives form {index} for n = {n}, but nplurals = {nplurals}"
            )
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
    return (
        gettext_plural_forms(locale) or cldr_plural_forms(locale) or "nplurals=2; plural=(n != 1);"
    )


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
