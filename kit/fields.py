"""Short fields from untrusted input (organisation names, contacts, URLs, citation links):
the characters they may hold and what a web address must look like.

Such a field is printed on a poster, written into HTML, Markdown and PDF metadata, and
echoed to a terminal in messages, so it is held to the rules translations are held to
(no bidi controls, no control characters) and a little more: one line, nothing invisible
that PDF/A refuses.
"""

from __future__ import annotations

import unicodedata
from urllib.parse import urlsplit

# Bidi embedding, override and isolate controls: they reorder what a reader sees, so a
# field could show a different name from the one that was checked.
# kit's one list of them: translations, profiles and CSV fields are all checked against it.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
BIDI_CLASS = "".join(sorted(BIDI_CONTROLS))  # the same, for a regular expression's [...]
# A byte-order mark or line/paragraph separator inside a field: PDF/A refuses the first,
# the others break a line where the poster expects one.
_ODD = {
    "\ufeff": "a byte-order mark",
    "\u2028": "a line separator",
    "\u2029": "a paragraph separator",
}

MAX_URL = 256  # characters: a QR code for the poster's corner, and one line of print
# Characters a URL never holds unencoded (RFC 3986): each one either ends a URL in the
# text formats (Markdown's <...>, HTML attributes) or hides where it leads.
_URL_FORBIDDEN = set(" <>\"'`{}|\\^")


def unsafe_character(text: str) -> str | None:
    """A sentence naming the first character a one-line field may not hold, or None."""
    for c in text:
        code = ord(c)
        if c in BIDI_CONTROLS:
            return f"holds the bidi control U+{code:04X}, which can reorder what a reader sees"
        if c in _ODD:
            return f"holds {_ODD[c]} (U+{code:04X})"
        category = unicodedata.category(c)
        if c in "\n\r":
            return f"holds a line break (U+{code:04X}); a field is one line"
        if category == "Cc":
            return f"holds the control character U+{code:04X}"
        if category == "Co":
            return f"holds the private-use character U+{code:04X}, which no font can show"
        if category == "Cn" and (0xFDD0 <= code <= 0xFDEF or code & 0xFFFE == 0xFFFE):
            return f"holds the noncharacter U+{code:04X}"
    return None


def url_problem(url: str, schemes: tuple[str, ...] = ("https", "http")) -> str | None:
    """Why `url` is not a plain web address, or None: scheme http(s) (or those given), a
    host, no user name or password, no spaces or control characters, at most MAX_URL."""
    if len(url) > MAX_URL:
        return f"is {len(url)} characters long; the limit is {MAX_URL}"
    bad = next((c for c in url if c in _URL_FORBIDDEN or unicodedata.category(c)[0] in "CZ"), None)
    if bad is not None:
        return f"holds {'a space' if bad == ' ' else f'the character U+{ord(bad):04X}'}"
    parts = urlsplit(url)
    if parts.scheme not in schemes or not url.startswith(f"{parts.scheme}://"):
        return f"must start with {' or '.join(s + '://' for s in schemes)}"
    if "@" in parts.netloc:
        # https://trusted.example@evil.example/ opens evil.example.
        return "holds a user name or password (an @ before the host)"
    try:
        _ = parts.port  # raises ValueError for a port that is not a number
    except ValueError:
        return "has a port that is not a number"
    if not parts.hostname or parts.hostname.startswith(".") or ".." in parts.hostname:
        return "has no host name"
    return None
