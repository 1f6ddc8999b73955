"""Compile a catalog to a .mo file holding what GNU msgfmt puts in it.

msgfmt keeps the header (even when fuzzy, less its POT-Creation-Date), leaves out obsolete
and fuzzy messages and those whose first form is empty, and keeps a plural message whose
first form is translated even if a later one is not. A message with a context is stored under
"context EOT msgid", so `msgctxt ""` is its own message, apart from the same msgid
without a context. Strings stay in the catalog's charset, as msgfmt leaves them.
tests/catalog/test_mofile.py reads both files with the standard library's gettext and
compares every lookup.

Kit's own because (bench/libraries_vs_gettext.py, 259 real catalogs): polib's
save_as_mofile gives msgfmt's message lookups but a header of its own making on all 259
(reordered, POT-Creation-Date kept), and Babel's write_mo differs in lookups on 24.
"""

from __future__ import annotations

import re
import struct
from dataclasses import dataclass

import polib

from kit.catalog.pofile import Catalog, codec_for, header_entry

MAGIC = 0x950412DE


@dataclass
class Compiled:
    data: bytes
    messages: int  # translated messages in the .mo (the header not counted)
    fuzzy: int  # fuzzy messages left out
    total: int  # active messages in the catalog


def _key(entry: polib.POEntry) -> str:
    key = entry.msgid + ("\0" + entry.msgid_plural if entry.msgid_plural else "")
    return key if entry.msgctxt is None else f"{entry.msgctxt}\x04{key}"


def _value(entry: polib.POEntry) -> str:
    if entry.msgid_plural:
        return "\0".join(entry.msgstr_plural[i] for i in sorted(entry.msgstr_plural))
    return str(entry.msgstr)


def compile_mo(po: Catalog) -> Compiled:
    charset = re.search(r"charset=([^\s;]+)", po.metadata.get("Content-Type", ""))
    codec = codec_for(charset.group(1) if charset else None)
    pairs: dict[bytes, bytes] = {}
    header = header_entry(po)
    if header.msgstr or po.metadata:
        # msgfmt leaves POT-Creation-Date out, so a new template alone changes no .mo
        text = "".join(
            line
            for line in re.split(r"(?<=\n)", header.msgstr)
            if not line.startswith("POT-Creation-Date:")
        )
        pairs[b""] = text.encode(codec)
    active = [e for e in po if not e.obsolete]
    fuzzy = sum(1 for e in active if e.fuzzy and e.msgid)
    for entry in active:
        first = entry.msgstr_plural.get(0, "") if entry.msgid_plural else entry.msgstr
        if not first or entry.fuzzy:
            continue
        pairs[_key(entry).encode(codec)] = _value(entry).encode(codec)
    keys = sorted(pairs)
    count = len(keys)
    ids = b"".join(k + b"\0" for k in keys)
    strs = b"".join(pairs[k] + b"\0" for k in keys)
    start = 7 * 4 + 16 * count  # header, then the two tables
    table_ids, table_strs = [], []
    offset = start
    for k in keys:
        table_ids.append((len(k), offset))
        offset += len(k) + 1
    for k in keys:
        table_strs.append((len(pairs[k]), offset))
        offset += len(pairs[k]) + 1
    out = struct.pack("<7I", MAGIC, 0, count, 7 * 4, 7 * 4 + 8 * count, 0, start)
    out += b"".join(struct.pack("<2I", *pair) for pair in table_ids + table_strs)
    messages = count - (1 if b"" in pairs else 0)
    return Compiled(out + ids + strs, messages, fuzzy, sum(1 for e in active if e.msgid))
