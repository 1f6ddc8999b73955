"""A spreadsheet round trip for volunteers who never open a PO editor.

One row per message: id (context), note, source, source plural, one column per CLDR
plural category of the language, whether it is fuzzy, a hash of the source so a row
exported before the source changed is refused rather than applied to the new text, and a
hash of the translation and review state as exported, so a row edited in a sheet older
than a review or edit made since is a conflict rather than an undoing of it. Both hashes
start with a letter, so Excel keeps them as text (it reads `516354965e91` as 5.16E+99).

Cells are data, never formulas: text starting with = + - @ tab or CR is prefixed with an
apostrophe on export (so Excel and LibreOffice show it as text) and restored on import.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import polib

from kit.catalog.pofile import Catalog, unsafe_character
from kit.errors import CatalogError
from kit.files import wide_unicode_advice
from kit.plural import PluralError, categories, parse_plural_forms

FIXED = ["id", "note", "source", "source_plural", "fuzzy", "source_hash", "state_hash"]
_YES = ("yes", "y", "true", "1", "x")
_DANGEROUS = ("=", "+", "-", "@", "\t", "\r")
MAX_ROWS = 100_000
# What a sheet may unpack to in memory: a catalog of 100,000 messages fits many times
# over; an 820 KB .xlsx holding one 800 MB cell does not.
MAX_SHEET_BYTES = 64 * 1024 * 1024
# xlsx files carry created/modified times; pinned so an unchanged catalog exports the same.
_FIXED_TIME = dt.datetime(2000, 1, 1)


def _digest(parts: list[str]) -> str:
    return hashlib.sha256("\x04".join(parts).encode("utf-8")).hexdigest()[:12]


def source_hash(entry: polib.POEntry) -> str:
    return "s" + _digest([entry.msgctxt or "", entry.msgid, entry.msgid_plural or ""])


def _source_matches(cell: str, entry: polib.POEntry) -> bool:
    """Whether a row's source_hash is the message's (kit 0.2 wrote it without the leading
    letter)."""
    return cell.strip() in (source_hash(entry), source_hash(entry)[1:])


def _state_hash(forms: list[str], fuzzy: bool) -> str:
    return "t" + _digest(["fuzzy" if fuzzy else "", *forms])


def _excel_number(cell: str) -> bool:
    """A hash Excel read as a number: 5.16E+99, 5,16E+99, 51635496 (an old hash of
    twelve digits, which may be one, is not)."""
    cell = cell.strip()
    number = re.fullmatch(r"\d+([.,]\d+)?([eE][+-]?\d+)?", cell)
    return bool(number) and not re.fullmatch(r"[0-9a-f]{12}", cell)


def neutralize(text: str) -> str:
    """Make a cell inert: an apostrophe before a leading formula character (and before a
    leading apostrophe, so that restoring is exact)."""
    if text.startswith(_DANGEROUS) or (text.startswith("'") and text[1:2] in (*_DANGEROUS, "'")):
        return "'" + text
    return text


def restore(text: str) -> str:
    if text.startswith("'") and text[1:2] in (*_DANGEROUS, "'"):
        return text[1:]
    return text


def plural_categories(po: Catalog) -> list[str]:
    """The CLDR category of each gettext plural index, found by sampling n = 0..1000:
    index i is named after the category of the first n that selects it."""
    try:
        rule = parse_plural_forms(po.metadata.get("Plural-Forms", "nplurals=2; plural=(n != 1);"))
    except PluralError as e:
        raise CatalogError(str(e)) from None
    return categories(rule, po.metadata.get("Language") or "en")


def _columns(po: Catalog) -> list[str]:
    """`translation` for ordinary messages; `translation_<category>` (one, few, other...) for
    each plural form of messages with plurals."""
    return FIXED + ["translation"] + [f"translation_{c}" for c in plural_categories(po)]


def rows(po: Catalog) -> list[dict[str, str]]:
    categories = plural_categories(po)
    out = []
    for e in po:
        if e.obsolete or e.msgid == "":
            continue
        row = {
            "id": e.msgctxt or "",
            "note": e.comment or "",
            "source": e.msgid,
            "source_plural": e.msgid_plural or "",
            "fuzzy": "yes" if e.fuzzy else "",
            "source_hash": source_hash(e),
        }
        row["translation"] = "" if e.msgid_plural else e.msgstr
        for i, cat in enumerate(categories):
            row[f"translation_{cat}"] = e.msgstr_plural.get(i, "") if e.msgid_plural else ""
        row["state_hash"] = _state_hash(_current(e, len(categories)), e.fuzzy)
        out.append({k: neutralize(v) for k, v in row.items()})
    return out


def export_sheet(po: Catalog, path: Path) -> bytes:
    """The spreadsheet's bytes (.csv or .xlsx, by suffix)."""
    columns = _columns(po)
    data = rows(po)
    if path.suffix.lower() == ".csv":
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=columns, lineterminator="\r\n")
        writer.writeheader()
        writer.writerows(data)
        return buf.getvalue().encode("utf-8-sig")  # the BOM makes Excel read UTF-8
    if path.suffix.lower() == ".xlsx":
        from openpyxl import Workbook
        from openpyxl.styles import Font

        for row in data:  # XLSX (XML 1.0) has no way to hold most C0 control characters
            for value in row.values():
                bad = next((c for c in value if ord(c) < 32 and c not in "\t\n\r"), None)
                if bad:
                    raise CatalogError(
                        f"message {row['id'] or row['source'][:20]!r} holds the control "
                        f"character U+{ord(bad):04X}, which an .xlsx file cannot "
                        "hold; export to .csv instead",
                        file=path,
                    )
        wb = Workbook()
        ws = wb.worksheets[0]
        ws.title = "translations"
        ws.append(columns)
        for row in data:
            ws.append([row[c] for c in columns])
        for cell in ws[1]:
            cell.font = Font(bold=True)
        # Text cells, so nothing typed later is read as a number or a formula.
        for col in ws.iter_cols(min_row=2):
            for cell in col:
                cell.data_type = "s"
                cell.number_format = "@"
        out = io.BytesIO()
        wb.properties.created = wb.properties.modified = _FIXED_TIME
        wb.save(out)
        return out.getvalue()
    raise CatalogError("the spreadsheet must be a .csv or .xlsx file", file=path)


# What undoing an applied row restores: msgstr, plural forms, flags, previous msgid/
# msgid_plural/msgctxt.
_Snapshot = tuple[str, dict[int, str], list[str], str | None, str | None, str | None]


@dataclass
class ImportReport:
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0
    refused: list[tuple[int, str]] = field(default_factory=list)  # (row number, why)
    conflicts: list[tuple[int, str]] = field(default_factory=list)


def read_sheet(path: Path) -> list[tuple[int, dict[str, str]]]:
    """(row number as the spreadsheet shows it, row) for each data row."""
    suffix = path.suffix.lower()
    try:
        _check_unpacked_size(path, suffix)
        if suffix == ".csv":
            header, records = _read_csv(path)
        elif suffix == ".xlsx":
            header, records = _read_xlsx(path)
        else:
            raise CatalogError("the spreadsheet must be a .csv or .xlsx file", file=path)
    except FileNotFoundError:
        raise CatalogError("spreadsheet not found", file=path) from None
    except CatalogError:
        raise
    except Exception as e:  # noqa: BLE001 - zip, XML and openpyxl errors: a file we cannot read
        raise CatalogError(
            f"cannot read the spreadsheet ({type(e).__name__}: {e})", file=path
        ) from None
    missing = [c for c in ("id", "source", "source_hash") if c not in header]
    if missing:
        raise CatalogError(
            f"the header row lacks column(s) {', '.join(missing)}", file=path, line=1
        )
    return records


_Records = list[tuple[int, dict[str, str]]]


def _read_csv(path: Path) -> tuple[list[str], _Records]:
    raw = path.read_bytes()
    wide = wide_unicode_advice(raw)
    if wide:
        raise CatalogError(wide, file=path, line=1)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise CatalogError(
            'the CSV is not UTF-8 (Excel\'s plain "CSV" is not): save it as '
            '"CSV UTF-8", or export and edit the .xlsx instead',
            file=path,
            line=raw[: e.start].count(b"\n") + 1,
        ) from None
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    records = [
        (i + 2, {k: (v or "") for k, v in r.items() if k is not None}) for i, r in enumerate(reader)
    ]
    return list(reader.fieldnames or []), records


def _read_xlsx(path: Path) -> tuple[list[str], _Records]:
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True, data_only=False)
    it = wb.worksheets[0].iter_rows(values_only=True)
    header = [str(h) if h is not None else "" for h in next(it, ())]
    records = []
    for i, values in enumerate(it):
        if i >= MAX_ROWS:
            raise CatalogError(f"more than {MAX_ROWS} rows", file=path)
        cells = {h: "" if v is None else str(v) for h, v in zip(header, values, strict=False)}
        records.append((i + 2, cells))
    return header, records


def _delimiter(text: str) -> str:
    """The CSV's delimiter: a comma as kit writes it, or the semicolon (or tab) Excel
    writes where the decimal separator is a comma (French, German, Brazilian Excel).
    The header row, whose cells kit named, tells which."""
    first = next(iter(io.StringIO(text, newline="")), "")
    for delimiter in (",", ";", "\t"):
        if "source" in next(csv.reader([first], delimiter=delimiter), []):
            return delimiter
    return ","


def _check_unpacked_size(path: Path, suffix: str) -> None:
    """Refuse, before reading it, a sheet that would unpack to more than MAX_SHEET_BYTES
    (an .xlsx is a zip: the sizes of its parts are in its directory)."""
    import zipfile

    if suffix == ".xlsx" and zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as z:
            size = sum(info.file_size for info in z.infolist())
    else:
        size = path.stat().st_size
    if size > MAX_SHEET_BYTES:
        raise CatalogError(
            f"the spreadsheet holds {size // 2**20} MB of data; the limit is "
            f"{MAX_SHEET_BYTES // 2**20} MB",
            file=path,
        )


def import_sheet(
    po: Catalog,
    records: list[tuple[int, dict[str, str]]],
    check: Callable[[Catalog, set[str]], dict[str, list[str]]] | None = None,
) -> ImportReport:
    """Apply the rows to the catalog in place. Never erases a translation with an empty
    cell; refuses stale, unknown, duplicated or malformed rows, by row number, and (with
    `check`: the errors `kit catalog check` finds in the given messages, by message id)
    every row whose translation check would call an error."""
    report = ImportReport()
    categories = plural_categories(po)
    entries, by_context = _index(po)
    seen: dict[tuple[str, str], int] = {}
    # By (context, source): one context may name several messages (Jan. ... Dec.).
    applied: dict[tuple[str, str], tuple[int, str, polib.POEntry, _Snapshot]] = {}
    for number, raw in records:
        row = {k: restore(v) for k, v in raw.items()}
        if not any(row.values()):
            continue
        entry, key = _row_entry(row, entries, by_context)
        label = row.get("id") or row.get("source", "")[:30]
        if entry is None:
            report.refused.append((number, f"no message {label!r} in the catalog"))
            continue
        if _source_matches(row.get("source_hash", ""), entry):  # else refused below
            if key in seen:
                why = f"{label!r} appears again (first at row {seen[key]}); only that row counts"
                report.conflicts.append((number, why))
                continue
            seen[key] = number
        verdict, forms = _verdict(entry, row, categories)
        if verdict == "unchanged":
            report.unchanged += 1
            continue
        if verdict != "apply":
            kind, why = verdict.split(":", 1)
            (report.refused if kind == "refused" else report.conflicts).append(
                (number, f"{label!r}: {why}")
            )
            continue
        before = _snapshot(entry)
        if _apply(entry, forms, row):
            applied[key] = (number, label, entry, before)
        else:
            report.unchanged += 1
    _check_applied(po, applied, check, categories, report)
    report.refused.sort()
    return report


def _check_applied(
    po: Catalog,
    applied: dict[tuple[str, str], tuple[int, str, polib.POEntry, _Snapshot]],
    check: Callable[[Catalog, set[str]], dict[str, list[str]]] | None,
    categories: list[str],
    report: ImportReport,
) -> None:
    """Undo, and refuse, each applied row whose message check now calls an error. Check
    names a message by its id (context, else source): messages sharing one are all
    undone when it reports an error there."""
    ids = {entry.msgctxt or entry.msgid for _, _, entry, _ in applied.values()}
    errors = check(po, ids) if check is not None and applied else {}
    for number, label, entry, before in applied.values():
        mid = entry.msgctxt or entry.msgid
        if mid in errors:
            _restore(entry, before)
            problems = "; ".join(_in_columns(m, categories) for m in errors[mid])
            why = f"{label!r}: {problems}; the catalog was not changed for this row"
            report.refused.append((number, why))
        else:
            report.updated.append(label)


def _verdict(
    entry: polib.POEntry, row: dict[str, str], categories: list[str]
) -> tuple[str, list[str]]:
    """What to do with a row of a known message, and its translation forms: "apply",
    "unchanged", or "refused:<why>" / "conflict:<why>"."""
    cell = row.get("source_hash", "")
    if not _source_matches(cell, entry):
        if _excel_number(cell):
            return (
                f"refused:the source_hash cell reads {cell.strip()!r}, a number: the sheet "
                "was saved by a program that turned the hash into one; export again "
                "(kit's hashes now start with a letter, which Excel keeps as text)",
                [],
            )
        return "refused:the source changed since this sheet was exported; export again", []
    columns = [f"translation_{c}" for c in categories] if entry.msgid_plural else ["translation"]
    forms = [row.get(column, "") for column in columns]
    if not any(forms):
        return "unchanged", forms
    if entry.msgid_plural and not all(forms):
        empty = [c for c, f in zip(categories, forms, strict=True) if not f]
        return f"conflict:plural form(s) {', '.join(empty)} are empty; the row was not applied", []
    if refusal := _refusal(entry, columns, forms):
        return f"refused:{refusal}", []
    since = _since_export(entry, forms, row)
    if since == "conflict":
        return (
            "conflict:the message was reviewed or edited in the catalog since this sheet "
            "was exported; the row was not applied: export again and redo its edit",
            [],
        )
    return ("unchanged" if since == "untouched" else "apply"), forms


def _since_export(entry: polib.POEntry, forms: list[str], row: dict[str, str]) -> str:
    """What a row is against the state it was exported in: "untouched" (as exported,
    whatever the catalog holds now), "conflict" (edited, but the message was reviewed or
    edited in the catalog since), or "edited"."""
    exported = row.get("state_hash", "").strip()
    now = _current(entry, len(forms))
    if not exported or not any(now):
        # A sheet from kit 0.2 has no record of the state it was exported in; an empty
        # message has nothing a row could undo.
        return "edited"
    fuzzy = _fuzzy_cell(row, entry)
    if _state_hash(forms, fuzzy) == exported:
        return "untouched"
    if _state_hash(now, entry.fuzzy) == exported or (forms, fuzzy) == (now, entry.fuzzy):
        return "edited"
    return "conflict"


def _in_columns(message: str, categories: list[str]) -> str:
    """A check finding with the sheet's column names instead of the PO's fields."""
    message = re.sub(
        r"msgstr\[(\d+)\]",
        lambda m: (
            f"column translation_{categories[int(m.group(1))]}"
            if int(m.group(1)) < len(categories)
            else m.group(0)
        ),
        message,
    )
    return re.sub(r"\bmsgstr\b(?!\[)", "column translation", message)


def _snapshot(entry: polib.POEntry) -> _Snapshot:
    return (
        entry.msgstr,
        dict(entry.msgstr_plural),
        list(entry.flags),
        entry.previous_msgid,
        entry.previous_msgid_plural,
        entry.previous_msgctxt,
    )


def _restore(entry: polib.POEntry, before: _Snapshot) -> None:
    (
        entry.msgstr,
        entry.msgstr_plural,
        entry.flags,
        entry.previous_msgid,
        entry.previous_msgid_plural,
        entry.previous_msgctxt,
    ) = before


def _index(
    po: Catalog,
) -> tuple[dict[tuple[str, str], polib.POEntry], dict[str, list[polib.POEntry]]]:
    """The catalog's active messages by (context, source), as gettext keys them (a
    context may name several: msgctxt "abbrev. month" for Jan. ... Dec.), and by context."""
    entries = {(e.msgctxt or "", e.msgid): e for e in po if not e.obsolete and e.msgid}
    by_context: dict[str, list[polib.POEntry]] = {}
    for e in entries.values():
        by_context.setdefault(e.msgctxt or "", []).append(e)
    return entries, by_context


def _row_entry(
    row: dict[str, str],
    entries: dict[tuple[str, str], polib.POEntry],
    by_context: dict[str, list[polib.POEntry]],
) -> tuple[polib.POEntry | None, tuple[str, str]]:
    """The message a row is for, and its key."""
    key = (row.get("id") or "", row.get("source", ""))
    entry = entries.get(key)
    if entry is None and key[0] and len(by_context.get(key[0], ())) == 1:
        entry = by_context[key[0]][0]  # kit's stable id: the source may have changed
        key = (entry.msgctxt or "", entry.msgid)
    return entry, key


def _refusal(entry: polib.POEntry, columns: list[str], forms: list[str]) -> str | None:
    """Why kit refuses a row's translations, if it does: a character it never prints, or
    braces that are not the message's placeholders."""
    from kit.localize import fill

    for column, form in zip(columns, forms, strict=True):
        problem = unsafe_character(form)
        if problem:
            return (
                f"column {column} holds {problem}, which kit refuses in a translation; "
                "the catalog was not changed for this row"
            )
    bad = None
    if "python-brace-format" in entry.flags:  # braces are placeholders only there
        names = dict.fromkeys(_names(entry), "")
        for form in forms:
            try:
                fill(form, names)
            except ValueError as e:
                bad = str(e)
    return bad


def _apply(entry: polib.POEntry, forms: list[str], row: dict[str, str]) -> bool:
    """Put a row's translations and review state on its message; whether that changed it."""
    fuzzy = _fuzzy_cell(row, entry)
    current = _current(entry, len(forms))
    if forms != current and any(forms):
        # A new or changed translation is a draft until someone reviews it, as in the
        # studio: an empty fuzzy cell beside new text is not a review. Clearing the cell
        # of a row whose text is unchanged is one.
        fuzzy = True
    before = (entry.msgstr, dict(entry.msgstr_plural), entry.fuzzy)
    if entry.msgid_plural:
        entry.msgstr_plural = dict(enumerate(forms))
    else:
        entry.msgstr = forms[0]
    if fuzzy and not entry.fuzzy:
        entry.flags.append("fuzzy")
    elif not fuzzy and entry.fuzzy:
        entry.flags.remove("fuzzy")
        entry.previous_msgid = entry.previous_msgid_plural = entry.previous_msgctxt = None
    return (entry.msgstr, dict(entry.msgstr_plural), entry.fuzzy) != before


def _fuzzy_cell(row: dict[str, str], entry: polib.POEntry) -> bool:
    # Without a fuzzy column the review state is left as it is: a sheet that lost the
    # column must not mark every draft as reviewed.
    return row["fuzzy"].strip().lower() in _YES if "fuzzy" in row else entry.fuzzy


def _current(entry: polib.POEntry, count: int) -> list[str]:
    """The message's translation as the sheet's translation columns hold it."""
    if entry.msgid_plural:
        return [entry.msgstr_plural.get(i, "") for i in range(count)]
    return [entry.msgstr]


def _names(entry: polib.POEntry) -> list[str]:
    from kit.campaign import placeholders

    try:
        return placeholders(entry.msgid) + placeholders(entry.msgid_plural or "")
    except ValueError:
        return []
