"""Format strings as GNU gettext understands them (c-format, python-format,
python-brace-format, javascript-format): what `msgfmt -c` checks, and where msgcat must
not break a line (inside a directive).

Each parser returns a Spec: the directive spans (for line wrapping) and the arguments
(for the check), or the reason the string is not a valid format string. The checks
follow gettext 0.21's format-*.c: a translation may not use an argument the source lacks
or use one with another type; "strict" (a message without plural, or a plural form that
applies to many n) also forbids leaving an argument out.

Kit's own because neither library parses format strings as gettext does: Babel's
checkers know python-format only (the verdicts in kit/catalog/check.py's docstring), polib
none, and msgcat's line breaks depend on where directives are.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field

ANY = "any"  # a type compatible with every other (%.0s, %j)


@dataclass
class Spec:
    spans: list[tuple[int, int]] = field(default_factory=list)  # [start, end) of directives
    named: dict[str, str] = field(default_factory=dict)  # name -> type
    unnamed: list[str] = field(default_factory=list)  # types, in order
    numbered: dict[int, str] = field(default_factory=dict)  # position -> type
    invalid: str | None = None  # why the string is not a valid format string


# ---- Python %-format ---------------------------------------------------------------------

_PY_TYPES = {
    "c": "char",
    "s": "string",
    "r": "string",
    "i": "int",
    "d": "int",
    "u": "int",
    "o": "int",
    "x": "int",
    "X": "int",
    "e": "float",
    "E": "float",
    "f": "float",
    "g": "float",
    "G": "float",
}


_UNFINISHED = "the string ends in the middle of a directive"
_MIXED = "the string mixes named and unnamed argument specifications"
_DIGITS = "0123456789"


def _skip(text: str, i: int, chars: str) -> int:
    """The index of the first character at or after i that is not one of chars."""
    while i < len(text) and text[i] in chars:
        i += 1
    return i


def _bad_conversion(spec: Spec, conv: str) -> str:
    if not conv:
        return _UNFINISHED
    return (
        f"in the directive number {len(spec.spans) + 1}, the character {conv!r} "
        "is not a valid conversion specifier"
    )


def parse_python(text: str) -> Spec:
    spec = Spec()
    i = text.find("%")
    while i >= 0:
        end = _python_directive(text, i, spec)
        if end < 0:
            return spec
        spec.spans.append((i, end))
        i = text.find("%", end)
    return spec


def _python_directive(text: str, start: int, spec: Spec) -> int:
    """The directive at text[start] (a %) read into spec: %[(name)][flags][width]
    [.precision][length]conversion. The index after it, or -1 with spec.invalid set."""
    name, i = _python_name(text, start + 1)
    if i < 0:
        spec.invalid = _UNFINISHED
        return -1
    i, zero_precision = _python_sizes(text, _skip(text, i, "-+ #0"), spec)
    if i < 0:
        return -1
    if text[i : i + 1] in ("h", "l", "L"):
        i += 1
    if i >= len(text):
        spec.invalid = _UNFINISHED
        return -1
    problem = _python_argument(spec, name, text[i], zero_precision)
    if problem:
        spec.invalid = problem
        return -1
    return i + 1


def _python_name(text: str, i: int) -> tuple[str | None, int]:
    """A (name) at text[i], its parentheses balanced, and the index after it; (None, i)
    where there is none, (None, -1) where it is not closed."""
    if text[i : i + 1] != "(":
        return None, i
    depth = 0
    for j in range(i + 1, len(text)):
        if text[j] == "(":
            depth += 1
        elif text[j] == ")":
            if depth == 0:
                return text[i + 1 : j], j + 1
            depth -= 1
    return None, -1


def _python_sizes(text: str, i: int, spec: Spec) -> tuple[int, bool]:
    """Width and precision at text[i], each digits or a * that takes an int argument:
    the index after them and whether the precision is a zero (which makes %s take
    anything), or -1 with spec.invalid set."""
    if text[i : i + 1] == "*":
        if not _star(spec):
            return -1, False
        i += 1
    else:
        i = _skip(text, i, _DIGITS)
    if text[i : i + 1] != ".":
        return i, False
    i += 1
    if text[i : i + 1] == "*":
        return (i + 1 if _star(spec) else -1), False
    end = _skip(text, i, _DIGITS)
    return end, end > i and text.count("0", i, end) == end - i


def _star(spec: Spec) -> bool:
    """A * width or precision: one more unnamed int argument; False (spec.invalid set) in
    a string with named arguments."""
    if spec.named:
        spec.invalid = _MIXED
        return False
    spec.unnamed.append("int")
    return True


def _python_argument(spec: Spec, name: str | None, conv: str, zero_precision: bool) -> str | None:
    """Record the argument a directive with conversion conv takes; why it cannot, if so."""
    if conv == "%":
        kind = None
    elif conv in _PY_TYPES:
        kind = ANY if conv in "sr" and zero_precision else _PY_TYPES[conv]
    else:
        return _bad_conversion(spec, conv)
    if name is not None:
        if spec.unnamed:
            return _MIXED
        old = spec.named.get(name)
        if old is not None and old != kind and ANY not in (old, kind):
            return f"the string refers to the argument named {name!r} in incompatible ways"
        spec.named[name] = kind if old in (None, ANY) else old  # type: ignore[assignment]
    elif conv != "%":
        if spec.named:
            return _MIXED
        spec.unnamed.append(kind)  # type: ignore[arg-type]
    return None


def _check_named(a: Spec, b: Spec, strict: bool, pretty_a: str, pretty_b: str) -> str | None:
    for name in sorted(set(a.named) | set(b.named)):
        if name not in a.named:
            return (
                f"a format specification for argument {name!r}, as in {pretty_b!r}, "
                f"doesn't exist in {pretty_a!r}"
            )
        if name not in b.named:
            if strict:
                return f"a format specification for argument {name!r} doesn't exist in {pretty_b!r}"
            continue
    for name, kind in b.named.items():
        other = a.named[name]
        if not (kind == other or (not strict and ANY in (kind, other))):
            return (
                f"format specifications in {pretty_a!r} and {pretty_b!r} for argument "
                f"{name!r} are not the same"
            )
    return None


def check_python(a: Spec, b: Spec, strict: bool, pretty_a: str, pretty_b: str) -> str | None:
    if a.named and b.unnamed:
        return (
            f"format specifications in {pretty_a!r} expect a mapping, those in "
            f"{pretty_b!r} expect a tuple"
        )
    if a.unnamed and b.named:
        return (
            f"format specifications in {pretty_a!r} expect a tuple, those in "
            f"{pretty_b!r} expect a mapping"
        )
    if a.named or b.named:
        problem = _check_named(a, b, strict, pretty_a, pretty_b)
        if problem:
            return problem
    if a.unnamed or b.unnamed:
        if len(a.unnamed) != len(b.unnamed):
            return (
                f"number of format specifications in {pretty_a!r} and {pretty_b!r} does not match"
            )
        for index, (x, y) in enumerate(zip(a.unnamed, b.unnamed, strict=True), start=1):
            if not (x == y or (not strict and ANY in (x, y))):
                return (
                    f"format specifications in {pretty_a!r} and {pretty_b!r} for "
                    f"argument {index} are not the same"
                )
    return None


# ---- Python str.format ({name}) -----------------------------------------------------------

_NAME = re.compile(r"[A-Za-z_][A-Za-z_0-9]*|[0-9]+")
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z_0-9]*")
# [[fill]align][sign][#][0][width][.precision][type], every part optional.
_FORMAT_SPEC = re.compile(r"(?:.?[<>=^])?[-+ ]?#?0?[0-9]*(?:\.[0-9]*)?[bcdoxXneEfFgG%]?", re.S)


def parse_brace(text: str) -> Spec:
    """As gettext 0.21 reads python-brace-format: a field is a name or a number, then
    .attr or [key] parts, then an optional :spec; the argument is the whole field text.
    `{}` and `{x!r}` are not valid there (Python accepts them)."""
    spec = Spec()
    i = text.find("{")
    while i >= 0:
        i = _brace_field(text, i, True, spec)
        if i < 0:
            return spec
        i = text.find("{", i)
    return spec


def _brace_field(text: str, i: int, toplevel: bool, spec: Spec) -> int:
    """The field at text[i] (a {) read into spec, a nested one only checked: the index
    after its closing brace, or -1 with spec.invalid set."""
    if text[i + 1 : i + 2] == "{":
        return i + 2
    start = i + 1
    j = _brace_name(text, start, spec)
    if j < 0:
        return -1
    if text[j : j + 1] == ":":
        if not toplevel:
            spec.invalid = "no more nesting is allowed in a format specifier"
            return -1
        j += 1
        if text[j : j + 1] == "{":
            j = _brace_field(text, j, False, spec)
            if j < 0:
                return -1
        else:
            j = _FORMAT_SPEC.match(text, j).end()  # type: ignore[union-attr]
    if text[j : j + 1] != "}":
        spec.invalid = (
            f"in the directive number {len(spec.spans) + 1}, there is an "
            "unterminated format directive"
        )
        return -1
    if toplevel:
        spec.named[text[start:j]] = "any"
        spec.spans.append((start - 1, j + 1))
    return j + 1


def _brace_name(text: str, start: int, spec: Spec) -> int:
    """The end of the field name at text[start] (name or number, then .attr and [key]
    parts), or -1 with spec.invalid set."""
    m = _NAME.match(text, start)
    if m is None:
        where = text[start : start + 1] or "the end"
        spec.invalid = (
            f"in the directive number {len(spec.spans) + 1}, {where!r} cannot start a field name"
        )
        return -1
    j = m.end()
    while text[j : j + 1] in (".", "["):
        if text[j] == ".":
            m = _IDENTIFIER.match(text, j + 1)
            if m is None:
                spec.invalid = "a getattr argument must be a name"
                return -1
            j = m.end()
        else:
            m = _NAME.match(text, j + 1)
            if m is None or text[m.end() : m.end() + 1] != "]":
                spec.invalid = "a getitem argument must be a name or a number in []"
                return -1
            j = m.end() + 1
    return j


def check_brace(a: Spec, b: Spec, strict: bool, pretty_a: str, pretty_b: str) -> str | None:
    if strict:
        for name in sorted(set(a.named) ^ set(b.named)):
            where = pretty_b if name in a.named else pretty_a
            return f"a format specification for argument {name!r} doesn't exist in {where!r}"
    return None


# ---- C printf and JavaScript --------------------------------------------------------------

_C = re.compile(
    r"%(?:([1-9][0-9]*)\$)?([-+ #0'I]*)(\*(?:[1-9][0-9]*\$)?|[0-9]+)?"
    r"(?:\.(\*(?:[1-9][0-9]*\$)?|[0-9]*))?(hh|h|ll|l|L|q|j|z|Z|t)?(.?)",
    re.S,
)
_C_TYPES = {
    **{c: "int" for c in "diouxX"},
    **{c: "float" for c in "eEfFgGaA"},
    "c": "char",
    "s": "string",
    "p": "pointer",
    "n": "count",
    "C": "wchar",
    "S": "wstring",
    "m": None,
}


def _percent_directives(
    text: str,
    pattern: re.Pattern[str],
    arguments: Callable[[re.Match[str], Spec], list[tuple[int | None, str]] | None],
) -> Spec:
    """The scan the printf-like formats share (C, JavaScript): each directive from a % on,
    as `pattern` matches it (its last group the conversion); `arguments` gives those a
    directive takes, (position or None, type), or None with spec.invalid set. Stops at the
    first invalid directive."""
    spec = Spec()
    unnumbered = 0  # arguments taken in order so far
    i = text.find("%")
    while i >= 0:
        m = pattern.match(text, i)
        assert m is not None
        if m.groups()[-1] != "%":
            args = arguments(m, spec)
            if args is None:
                return spec
            unnumbered = _take_arguments(spec, args, unnumbered)
            if unnumbered < 0:
                return spec
        spec.spans.append((i, m.end()))
        i = text.find("%", m.end())
    return spec


def _c_arguments(m: re.Match[str], spec: Spec) -> list[tuple[int | None, str]] | None:
    number, _flags, width, precision, size, conv = m.groups()
    if conv not in _C_TYPES:
        spec.invalid = _bad_conversion(spec, conv)
        return None
    kind = _C_TYPES[conv]
    if kind in ("int", "float") and size:
        kind = f"{size} {kind}"
    args: list[tuple[int | None, str]] = [
        (int(part[1:-1]) if part.endswith("$") else None, "int")
        for part in (width, precision)
        if part and part.startswith("*")
    ]
    if kind is not None:
        args.append((int(number) if number else None, kind))
    return args


def parse_c(text: str) -> Spec:
    spec = _percent_directives(text, _C, _c_arguments)
    if spec.invalid is None and spec.numbered:
        gaps = set(range(1, max(spec.numbered) + 1)) - set(spec.numbered)
        if gaps:
            spec.invalid = (
                f"the string refers to argument number {max(spec.numbered)} but "
                f"ignores argument number {min(gaps)}"
            )
    return spec


def _take_arguments(spec: Spec, args: list[tuple[int | None, str]], unnumbered: int) -> int:
    """Record a directive's arguments, (position, or None for the next in order; type):
    the count of arguments taken in order so far, or -1 with spec.invalid set."""
    for position, what in args:
        if position is None:
            if spec.numbered and not unnumbered:
                spec.invalid = "the string mixes numbered and unnumbered arguments"
                return -1
            unnumbered += 1
            position = unnumbered
        elif unnumbered:
            spec.invalid = "the string mixes numbered and unnumbered arguments"
            return -1
        old = spec.numbered.get(position)
        if old is not None and old != what:
            spec.invalid = f"the string refers to argument number {position} in incompatible ways"
            return -1
        spec.numbered[position] = what
    return unnumbered


def check_numbered(a: Spec, b: Spec, strict: bool, pretty_a: str, pretty_b: str) -> str | None:
    for position in sorted(set(a.numbered) | set(b.numbered)):
        if position not in a.numbered:
            return (
                f"a format specification for argument {position}, as in {pretty_b!r}, "
                f"doesn't exist in {pretty_a!r}"
            )
        if position not in b.numbered:
            if strict:
                return (
                    f"a format specification for argument {position} doesn't exist in {pretty_b!r}"
                )
            continue
        x, y = a.numbered[position], b.numbered[position]
        if x != y and ANY not in (x, y):
            return (
                f"format specifications in {pretty_a!r} and {pretty_b!r} for argument "
                f"{position} are not the same"
            )
    return None


_JS = re.compile(r"%(?:([0-9]+)\$)?[-+ 0I]*[0-9]*(?:\.[0-9]*)?(.?)", re.S)
_JS_TYPES = {
    "c": "char",
    "s": "string",
    "b": "int",
    "d": "int",
    "o": "int",
    "x": "int",
    "X": "int",
    "f": "float",
    "j": ANY,
}


def _js_arguments(m: re.Match[str], spec: Spec) -> list[tuple[int | None, str]] | None:
    number, conv = m.groups()
    if conv not in _JS_TYPES:
        spec.invalid = _bad_conversion(spec, conv)
        return None
    if number == "0":
        spec.invalid = "argument numbers start at 1"
        return None
    return [(int(number) if number else None, _JS_TYPES[conv])]


def parse_javascript(text: str) -> Spec:
    return _percent_directives(text, _JS, _js_arguments)


# Parsers and checks by gettext's format name, in gettext's order of formats (the first
# format flag of a message decides where msgcat will not break its lines).
PARSERS = {
    "c": parse_c,
    "python": parse_python,
    "python-brace": parse_brace,
    "javascript": parse_javascript,
}
CHECKS = {
    "c": check_numbered,
    "python": check_python,
    "python-brace": check_brace,
    "javascript": check_numbered,
}
# gettext 0.21's list of format languages, in its order (message.c format_language[]).
LANGUAGES = [
    "c",
    "objc",
    "python",
    "python-brace",
    "java",
    "java-printf",
    "csharp",
    "javascript",
    "scheme",
    "lisp",
    "elisp",
    "librep",
    "ruby",
    "sh",
    "awk",
    "lua",
    "object-pascal",
    "smalltalk",
    "qt",
    "qt-plural",
    "kde",
    "kde-kuit",
    "boost",
    "tcl",
    "perl",
    "perl-brace",
    "php",
    "gcc-internal",
    "gfc-internal",
    "ycp",
]


@functools.lru_cache(maxsize=65536)
def parse(language: str, text: str) -> Spec | None:
    """The Spec of text as a `language`-format string; None where kit has no parser."""
    parser = PARSERS.get(language)
    return parser(text) if parser else None


def format_languages(flags: list[str]) -> list[str]:
    """The format languages a message is (possibly) a format string of: c-format,
    possible-c-format... but not no-c-format or impossible-c-format; gettext's order."""
    found = set()
    for flag in flags:
        if flag.endswith("-format") and not flag.startswith(("no-", "impossible-")):
            name = flag[:-7]
            name = name[9:] if name.startswith("possible-") else name
            found.add(name)
    return [lang for lang in LANGUAGES if lang in found]
