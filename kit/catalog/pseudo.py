"""Pseudo-locales: test layout before any translator has started.

en_XA (as Android's en-XA): every letter accented and the text about 40 % longer, in
brackets, so clipped, overflowing or untranslatable (hard-coded) text shows at once.
ar_XB: the English text in a right-to-left locale, so the layout's mirroring shows.
Placeholders are left exactly as they are.
"""

from __future__ import annotations

import copy
import math
import string

from kit.catalog.pofile import Catalog
from kit.locales import PSEUDO_LOCALES
from kit.plural import default_plural_forms, parse_plural_forms

_ACCENTS = str.maketrans(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "áƀçđéƒĝĥíĵķĺḿñóƥqŕšŧúṽŵẋýžÁƁÇĐÉƑĜĤÍĴĶĹḾÑÓƤQŔŠŦÚṼŴẊÝŽ",
)
_PAD = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]


def _transform(text: str, kind: str) -> str:
    if kind != "accented" or not text:
        return text
    out = []
    for literal, name, spec, conversion in string.Formatter().parse(text):
        out.append(literal.replace("{", "{{").replace("}", "}}").translate(_ACCENTS))
        if name is not None:
            out.append(
                "{"
                + name
                + ("!" + conversion if conversion else "")
                + (":" + spec if spec else "")
                + "}"
            )
    body = "".join(out)
    extra = math.ceil(len(text) * 0.4)
    pad, words = "", iter(_PAD * (extra // 3 + 1))
    while len(pad) < extra:
        pad += " " + next(words)
    return f"[{body}{pad}]"


def pseudo_catalog(pot: Catalog, locale: str) -> Catalog:
    kind = PSEUDO_LOCALES[locale]
    plural = parse_plural_forms(default_plural_forms(locale.split("_")[0]))
    po = Catalog()
    po.header = f"Pseudo-locale {locale} ({kind}), made by `kit catalog pseudo`: not a translation."
    po.metadata = dict(pot.metadata)
    po.metadata.update(
        {
            "Language": locale,
            "Language-Team": "pseudo-locale",
            "Last-Translator": "kit catalog pseudo",
            "Plural-Forms": plural.header,
        }
    )
    po.metadata_is_fuzzy = False
    for template in pot:
        entry = copy.deepcopy(template)
        if entry.msgid_plural:
            # Form 1 is "one" in every pseudo-locale's base language (en, ar): the singular.
            entry.msgstr_plural = {
                i: _transform(
                    entry.msgid if i == (0 if plural.nplurals == 2 else 1) else entry.msgid_plural,
                    kind,
                )
                for i in range(plural.nplurals)
            }
        else:
            entry.msgstr = _transform(entry.msgid, kind)
        po.append(entry)
    return po
