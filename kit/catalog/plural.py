"""gettext plural expressions (the Plural-Forms header), parsed and evaluated safely.

A catalog is data from strangers: its plural expression is parsed by a small recursive
descent over C's operators, never eval()ed, and checked for n = 0..1000 before use.
"""

from __future__ import annotations

import re
from collections.abc import Callable

PLURAL_FORMS = re.compile(r"^\s*nplurals\s*=\s*(\d+)\s*;\s*plural\s*=\s*(.+?)\s*;?\s*$")


def compile_plural(expression: str) -> Callable[[int], int]:
    """A gettext plural expression as a function, evaluated safely (no eval of text).

    Raises ValueError when it does not parse. Division by zero raises ZeroDivisionError.
    """
    tokens = re.findall(r"\s*(\d+|n|==|!=|<=|>=|&&|\|\||[-+*/%<>!?:()])", expression)
    if "".join(tokens).replace(" ", "") != re.sub(r"\s+", "", expression):
        raise ValueError(f"unexpected characters in {expression!r}")
    pos = 0

    def peek() -> str | None:
        return tokens[pos].strip() if pos < len(tokens) else None

    def take(expected: str | None = None) -> str:
        nonlocal pos
        tok = peek()
        if tok is None or (expected is not None and tok != expected):
            raise ValueError(f"expected {expected or 'more'} in {expression!r}")
        pos += 1
        return tok

    # Recursive descent over C's precedence: ?: || && ==,!= <,>,<=,>= +,- *,/,% unary
    binary = [("||",), ("&&",), ("==", "!="), ("<", ">", "<=", ">="), ("+", "-"), ("*", "/", "%")]

    def ternary() -> Callable[[int], int]:
        cond = level(0)
        if peek() == "?":
            take("?")
            yes = ternary()
            take(":")
            no = ternary()
            return lambda n: yes(n) if cond(n) else no(n)
        return cond

    def level(i: int) -> Callable[[int], int]:
        if i == len(binary):
            return unary()
        left = level(i + 1)
        while peek() in binary[i]:
            op = take()
            right = level(i + 1)
            left = _binop(op, left, right)
        return left

    def unary() -> Callable[[int], int]:
        tok = take()
        if tok == "!":
            inner = unary()
            return lambda n: int(not inner(n))
        if tok == "(":
            inner = ternary()
            take(")")
            return inner
        if tok == "n":
            return lambda n: n
        if tok.isdigit():
            value = int(tok)
            return lambda n: value
        raise ValueError(f"unexpected {tok!r} in {expression!r}")

    result = ternary()
    if pos != len(tokens):
        raise ValueError(f"unexpected {tokens[pos].strip()!r} in {expression!r}")
    return result


def _binop(op: str, a: Callable[[int], int], b: Callable[[int], int]) -> Callable[[int], int]:
    ops: dict[str, Callable[[int, int], int]] = {
        "||": lambda x, y: int(bool(x) or bool(y)), "&&": lambda x, y: int(bool(x) and bool(y)),
        "==": lambda x, y: int(x == y), "!=": lambda x, y: int(x != y),
        "<": lambda x, y: int(x < y), ">": lambda x, y: int(x > y),
        "<=": lambda x, y: int(x <= y), ">=": lambda x, y: int(x >= y),
        "+": lambda x, y: x + y, "-": lambda x, y: x - y, "*": lambda x, y: x * y,
        "/": lambda x, y: x // y, "%": lambda x, y: x % y,
    }
    f = ops[op]
    return lambda n: f(a(n), b(n))




def safe_plural(header: str | None) -> tuple[int, Callable[[int], int]] | str:
    """(nplurals, function) for a Plural-Forms header, or a sentence saying what is wrong:
    it does not parse, divides by zero, or gives a form outside 0..nplurals-1."""
    m = PLURAL_FORMS.match(header or "")
    if not m:
        return f"Plural-Forms does not parse: {header!r}"
    nplurals = int(m.group(1))
    try:
        plural = compile_plural(m.group(2))
    except ValueError as e:
        return f"Plural-Forms does not parse: {e}"
    for n in range(1001):
        try:
            index = plural(n)
        except ZeroDivisionError:
            return f"Plural-Forms divides by zero for n = {n}"
        if not 0 <= index < nplurals:
            return f"Plural-Forms gives form {index} for n = {n}, but nplurals = {nplurals}"
    return nplurals, plural
