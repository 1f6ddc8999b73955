"""The organisations of a mail-merge: one CSV, read strictly, one profile per row.

The file comes from a partner, often exported from a spreadsheet, so it is read with the
csv module and nothing is guessed: a quote that never closes (which would merge every
school after it into one cell), a duplicated column or a row with more or fewer cells
than the header is an error naming the line; a newline inside a quoted cell is kept (in
contacts it starts a new line, like |). A bad row is reported and left out; the rest
build. Each distinct logo is read and checked once, however many rows name it.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kit.errors import KitError
from kit.profile import LogoCache, Profile, profile_from_mapping

COLUMNS = ("name", "contacts", "url", "logo", "logo_alt", "locales")
MAX_FILE = 64 * 1024 * 1024  # bytes: some 100,000 schools
# A folder name made from an organisation's name: letters and digits of any script,
# single hyphens between them. Nothing else can become a path component.
_SLUG = re.compile(r"\A[^\W_]+(?:-[^\W_]+)*\Z")


@dataclass(frozen=True)
class Org:
    slug: str  # its folder in the output
    profile: Profile | None
    locales: tuple[str, ...] | None = None  # None: every locale the build makes
    row: int | None = None  # in the CSV (the header is row 1), for messages
    line: int | None = None  # where the row starts; later than `row` after multi-line cells

    @property
    def where(self) -> str:
        return where(self.row or 0, self.line or 0)


def where(row: int, line: int) -> str:
    """ "row 5", or "row 5 (line 7)" when quoted line breaks moved it down the file."""
    return f"row {row}" + (f" (line {line})" if line != row else "")


@dataclass
class Rows:
    """What reading the CSV found: the organisations, and the rows left out or warned of."""

    orgs: list[Org] = field(default_factory=list)
    bad: list[tuple[str, str]] = field(default_factory=list)  # (where, why)
    warnings: list[tuple[str, str]] = field(default_factory=list)
    logos: LogoCache = field(default_factory=LogoCache)


def slugify(name: str) -> str:
    """A folder name from an organisation's name, in any script (東京第一中学校 stays so)."""
    text = unicodedata.normalize("NFKC", name).lower()
    slug = re.sub(r"[\W_]+", "-", text).strip("-")[:60].strip("-")
    return slug or "org"


def is_slug(name: str) -> bool:
    return bool(_SLUG.match(name))


def read_orgs(path: Path, available: list[str], logos: LogoCache | None = None) -> Rows:
    """Organisations from a CSV: name, contacts (separated by | or line breaks), url, logo,
    logo_alt, locales (space-separated; empty for all). `available` are the catalogs."""
    from kit.locales import resolve_locale

    try:
        with path.open("rb") as f:
            raw = f.read(MAX_FILE + 1)
    except OSError as e:
        raise KitError(
            f"cannot read the organisations file ({e.strerror or e})", file=path
        ) from None
    if len(raw) > MAX_FILE:
        raise KitError(f"the organisations file is over {MAX_FILE // 2**20} MB", file=path)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        raise KitError(
            "not valid UTF-8 (save the sheet as CSV UTF-8)", file=path, line=line
        ) from None
    result = Rows(logos=logos or LogoCache())
    base = path.resolve().parent
    seen: dict[str, int] = {}
    header: list[str] | None = None
    for row, line, cells in _records(text, path):
        if header is None:
            header = _header(cells, path)
            continue
        at = where(row, line)
        if len(cells) != len(header):
            hint = (
                "a comma inside a name must be in a quoted cell"
                if len(cells) > len(header)
                else "every row needs all its cells, empty ones too"
            )
            result.bad.append(
                (at, f"it has {len(cells)} cells and the header {len(header)} ({hint})")
            )
            continue
        values = {k: v.strip() for k, v in zip(header, cells, strict=True)}
        try:
            profile = profile_from_mapping(
                _profile_data(values), path, base, line=line, logos=result.logos
            )
            locales = (
                tuple(
                    dict.fromkeys(resolve_locale(x, available) for x in values["locales"].split())
                )
                if values.get("locales")
                else None
            )
        except KitError as e:
            result.bad.append((at, e.message))
            continue
        slug = slugify(profile.name)
        if slug in seen:
            result.bad.append(
                (at, f"{profile.name!r} has the same folder name {slug!r} as row {seen[slug]}")
            )
            continue
        seen[slug] = row
        result.orgs.append(Org(slug, profile, locales, row, line))
    if header is None:
        raise KitError("the file is empty; the first row must name the columns", file=path, line=1)
    return result


def _records(text: str, path: Path) -> Any:
    """(row number, first line, cells) for each non-blank record; the header is row 1."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    row, last = 0, 0
    while True:
        start = last + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as e:
            message = str(e)
            if "end of data" in message:
                message = (
                    "a quote opened in this record is never closed, which would merge "
                    "every row after it into one cell"
                )
            elif "field larger" in message:
                message = f"a cell is longer than {csv.field_size_limit()} characters"
            raise KitError(message, file=path, line=start) from None
        last = reader.line_num
        if not any(c.strip() for c in cells):
            continue
        row += 1
        yield row, start, cells


def _header(cells: list[str], path: Path) -> list[str]:
    names = [c.strip() for c in cells]
    if "name" not in names:
        raise KitError(
            "the first row must name the columns, with at least 'name'", file=path, line=1
        )
    unknown = [c for c in names if c not in COLUMNS]
    if unknown:  # a misspelt column would silently print posters without contacts
        raise KitError(
            f"unknown column(s) {', '.join(map(repr, unknown))}; the columns are "
            f"{', '.join(COLUMNS)}",
            file=path,
            line=1,
        )
    twice = sorted({c for c in names if names.count(c) > 1})
    if twice:  # which of the two would count?
        raise KitError(f"column(s) {', '.join(map(repr, twice))} appear twice", file=path, line=1)
    return names


def _profile_data(values: dict[str, str]) -> dict[str, Any]:
    data: dict[str, Any] = {"name": values.get("name", "")}
    contacts = [c.strip() for c in re.split(r"[|\r\n]", values.get("contacts", "")) if c.strip()]
    if contacts:
        data["contacts"] = contacts
    if values.get("url"):
        data["url"] = values["url"]
    if values.get("logo"):
        data["logo"] = {"path": values["logo"], "alt": values.get("logo_alt", "")}
    return data


def unbuilt(
    orgs: list[Org], locales: list[str]
) -> tuple[list[Org], list[tuple[str, str]], list[tuple[str, str]]]:
    """The organisations with something to build, the rows asking only for locales this
    build does not make (reported, never silently empty), and warnings for rows asking
    for some such locales."""
    keep, bad, warnings = [], [], []
    for org in orgs:
        missing = [x for x in org.locales or () if x not in locales]
        if org.locales is not None and len(missing) == len(org.locales):
            bad.append(
                (
                    org.where,
                    f"asks for {', '.join(missing)}, which this build does not "
                    f"make (it makes {', '.join(locales) or 'nothing'})",
                )
            )
            continue
        if missing:
            warnings.append(
                (
                    org.where,
                    f"{', '.join(missing)} not built (this build makes {', '.join(locales)})",
                )
            )
        keep.append(org)
    return keep, bad, warnings
