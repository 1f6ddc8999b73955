"""How the text extractors order a right-to-left line, and the texts that survive it.

Neither poppler nor MuPDF runs the Unicode bidi algorithm when it extracts text; each
reorders a line by rules of its own, read in their sources (poppler 21-22, MuPDF 1.28):

- poppler (TextOutputDev.cc, reorderText; `pdftotext -raw` keeps words in content order)
  reads a word from left to right, keeping each run of characters that are not
  right-to-left and reversing each run of characters that are neither left-to-right nor,
  in its own table (UnicodeTypeTable.cc), digits, which there include . , : % + and the
  Arabic comma. An /ActualText span becomes one group of characters of one word. It
  reads /ActualText only from a /Span with an inline property list (Gfx.cc), and a span
  inside another replaces it.
- MuPDF (pdf-op-run.c, stext-device.c) gives each character the direction of the glyph it
  is read with, guessed from the glyph's ToUnicode, and the text a span has left over the
  direction of its last glyph; it reverses each right-to-left run of a line whose glyphs
  it sees drawn from left to right. A combining mark at the start of a span's text joins
  the line before. It reads the innermost /ActualText, from a property list inline or
  named, and drops one around no glyph of its own (warning "ActualText with no
  position").
- poppler's default mode (no -raw), on a page with more right-to-left than left-to-right
  letters, reads each line from its right end: the runs above come out in the opposite
  order, so that once a line mixes directions no text serves it and -raw alike.

So a line reads back exactly through poppler -raw when its text is given in the order
below (poppler_order), and through MuPDF when it is given reversed, on a right-to-left
glyph (mupdf_order). The two differ wherever a line mixes digits or punctuation with
right-to-left letters, and MuPDF takes directions from the glyphs rather than the text:
the text layer gives each line one text for each (see textlayer.py).
"""

from __future__ import annotations

import unicodedata
from collections import Counter

RLM, LRM = "\u200f", "\u200e"
# Unicode bidi classes poppler's table puts in each of its groups, for the scripts the kit
# prints (its table is of an older Unicode, and differs on a few rare Arabic signs).
_POPPLER_DIGIT = {"EN", "ES", "ET", "AN", "CS"}


def _poppler_class(c: str) -> str:
    """R (right-to-left), S (left-to-right or a digit: what ends a reversed run) or N."""
    b = unicodedata.bidirectional(c)
    return "R" if b in ("R", "AL") else "S" if b == "L" or b in _POPPLER_DIGIT else "N"


def right_to_left(text: str) -> bool:
    """Whether the first strong character of a text is right-to-left."""
    strong = (unicodedata.bidirectional(c) for c in text)
    return next((d in ("R", "AL") for d in strong if d in ("L", "R", "AL")), False)


def holds_right_to_left(text: str) -> bool:
    """Whether a text holds a right-to-left letter."""
    return any(_poppler_class(c) == "R" for c in text)


def letters(text: str) -> Counter[str]:
    """The characters that identify a text: no spaces, no format characters (the
    template's zero-width spaces, the bidi controls Typst draws around a run)."""
    return Counter(c for c in text if not c.isspace() and unicodedata.category(c) != "Cf")


def poppler_order(text: str) -> str:
    """The text that poppler, reading it as one word, gives back as `text`.

    The text is cut into right-to-left runs and runs of the rest; the first are written
    reversed. Neutrals between two runs go with the first, and a right-to-left run that
    ends in one gets an RLM after it: poppler would otherwise take the neutral into the
    run that follows. Poppler wraps what it reverses in RLE ... PDF itself."""
    runs: list[list[str]] = []  # [kind, characters]
    pending = ""  # neutrals since the last strong character
    for c in text:
        kind = _poppler_class(c)
        if kind == "N":
            pending += c
        elif not runs:
            runs.append([kind, pending + c])
        elif runs[-1][0] == kind:
            runs[-1][1] += pending + c
        else:
            runs[-1][1] += pending + (RLM if pending and runs[-1][0] == "R" else "")
            runs.append([kind, c])
        if kind != "N":
            pending = ""
    if not runs:
        return text
    runs[-1][1] += pending + (RLM if pending and runs[-1][0] == "R" else "")
    return "".join(chars[::-1] if kind == "R" else chars for kind, chars in runs)


def mupdf_order(text: str) -> str:
    """The text that MuPDF gives back as `text` from a span on one glyph: reversed if the
    line holds right-to-left letters (the glyph must be right-to-left, and wide: MuPDF
    sees the span's second character drawn after it, so that it reverses the line), with
    up to two RLMs (an LRM, unreversed) first where a combining mark would start it."""
    rtl = holds_right_to_left(text)
    out = text[::-1] if rtl else text
    mark = [unicodedata.category(c) == "Mn" for c in out[:2]] + [False, False]
    if rtl:
        return RLM * (2 if mark[0] else 1 if mark[1] else 0) + out
    return LRM * mark[0] + out


def split_lines(text: str, bags: list[Counter[str]]) -> list[str] | None:
    """`text` cut into consecutive lines holding the given letters, without the spaces
    at the breaks; None if the letters do not follow one another so."""
    out, at = [], 0
    for bag in bags:
        need, left, end = Counter(bag), bag.total(), at
        while left and end < len(text):
            c = text[end]
            end += 1
            if c.isspace() or unicodedata.category(c) == "Cf":
                continue
            if need[c] <= 0:
                return None
            need[c] -= 1
            left -= 1
        if left:
            return None
        out.append(text[at:end].strip())
        at = end
    return out if not letters(text[at:]) else None
