"""An organisation profile: the NGO's or school's name, logo, contacts and URL for posters.

The kit prints only what the profile says: it never invents a contact or phone number.
A profile may give its name and contacts again per language (`[language.ne]`): a
Nepali poster then carries the Nepali ones, every other poster the defaults. `paper`
sets the paper for every language: an NGO in Japan prints A4 for its Filipino families
too. In a mail-merge, each school is the `partner` of the NGO's profile: printed beside
the NGO's branding, not instead of it.
"""

from __future__ import annotations

import hashlib
import os
import stat
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, NoReturn

from kit.data import path as data_path
from kit.errors import KitError
from kit.fields import unsafe_character, url_problem
from kit.helplines import Helpline
from kit.images import ImageError, check_image

MAX_CONTACTS = 3
MAX_LINE = 80  # characters: a footer line, not a paragraph
MAX_ALT = 200  # characters: what a screen reader says for the logo
MAX_LOGO_BYTES = 2 * 1024 * 1024
MAX_NAME_BYTES = 255  # of one path component: what every common file system allows


class ProfileError(KitError):
    """The organisation profile is missing or wrong."""


@dataclass(frozen=True)
class Logo:
    data: bytes  # checked and cleaned (kit.images): what Typst is given
    kind: str  # "png" or "svg"
    alt: str
    sha256: str = ""  # of data: one logo shared by many rows is stored and keyed once


@dataclass(frozen=True)
class Localized:
    """A profile's name and contacts in one language; None where the defaults stand."""

    name: str | None
    contacts: tuple[str, ...] | None


@dataclass(frozen=True)
class Profile:
    name: str
    contacts: tuple[str, ...]
    url: str | None
    logo: Logo | None
    path: Path
    paper: str | None = None  # a print size: the paper for every language
    # (locale key as written, pt_BR; its name and contacts), from [language.<locale>]
    languages: tuple[tuple[str, Localized], ...] = ()
    partner: Profile | None = None  # a mail-merge row: a school printed beside the NGO
    line: int | None = None  # the row of a mail-merge file the profile came from
    helplines: tuple[Helpline, ...] = ()  # official ones the profile opted in to
    # The address of the organisation's `kit site`: its posters print a QR code to it.
    site_url: str | None = None

    def for_locale(self, locale: str) -> Profile:
        """The profile as a poster in `locale` prints it: the name and contacts given for
        that locale (pt_BR, else pt), else the defaults; its partner's likewise."""
        by_key = {k.replace("-", "_").lower(): v for k, v in self.languages}
        base = locale.split("@")[0].replace("-", "_").lower()
        keys = dict.fromkeys([locale.replace("-", "_").lower(), base, base.split("_")[0]])
        tables = [by_key[k] for k in keys if k in by_key]  # the most specific first
        # Field by field: [language.pt_BR] may give the contacts, [language.pt] the name.
        name = next((t.name for t in tables if t.name), self.name)
        contacts = next((t.contacts for t in tables if t.contacts is not None), self.contacts)
        partner = self.partner.for_locale(locale) if self.partner else None
        return replace(self, name=name, contacts=contacts, partner=partner)

    def with_partner(self, partner: Profile) -> Profile:
        """The NGO's profile with a school of its mail-merge beside it: the NGO's name,
        contacts, logo and address first; the school's logo or address only where the
        NGO's profile has none."""
        return replace(
            self,
            partner=partner,
            url=self.url or partner.url,
            site_url=self.site_url or partner.site_url,
            logo=self.logo or partner.logo,
        )

    def printed_lines(self, locale: str = "") -> list[tuple[str, bool]]:
        """The lines a poster or text in `locale` prints, each with whether it is a name:
        the name and contacts, then (a mail-merge) the school's, then the official
        helplines opted in to (with furigana in Easy Japanese)."""
        out = [(self.name, True), *((c, False) for c in self.contacts)]
        if self.partner is not None:
            out += self.partner.printed_lines(locale)
        return out + [(h.printed(locale), False) for h in self.helplines]

    def field_of(self, index: int) -> tuple[Path, int | None, str]:
        """Which file, row and key a printed org line comes from, for errors: line 0 is
        the name, then the contacts; a partner's lines follow the profile's."""
        own = 1 + len(self.contacts)
        shared = own + (len(self.partner.printed_lines()) if self.partner else 0)
        if index >= shared:
            return self.path, self.line, "'helplines'"
        if index >= own and self.partner is not None:
            return self.partner.field_of(index - own)
        key = "'name'" if index == 0 else f"contact line {index}"
        if self.languages:
            key += " (or its [language.<locale>] table)"
        return self.path, self.line, key


@dataclass
class LogoCache:
    """Logos already read, by resolved path, and their bytes by content hash: a mail-merge
    of 5000 rows naming one logo reads, checks and holds it once."""

    by_path: dict[Path, tuple[bytes, str, str] | str] = field(default_factory=dict)
    by_hash: dict[str, bytes] = field(default_factory=dict)


def example_profile_path() -> Path:
    return data_path("profiles", "example.toml")


def load_profile(path: str | Path, logos: LogoCache | None = None) -> Profile:
    path = Path(path)
    try:
        data: dict[str, Any] = tomllib.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        raise ProfileError("profile file not found", file=path) from None
    except (OSError, UnicodeDecodeError) as e:
        raise ProfileError(f"cannot read the profile ({e})", file=path) from None
    except tomllib.TOMLDecodeError as e:
        raise ProfileError(f"not valid TOML: {e}", file=path) from None
    except (RecursionError, ValueError):  # nested too deeply; an integer of 4300+ digits
        raise ProfileError(
            "not valid TOML: nested too deeply or a number too long", file=path
        ) from None
    return profile_from_mapping(data, path, path.resolve().parent, logos=logos)


def profile_from_mapping(
    data: dict[str, Any],
    path: Path,
    base: Path,
    line: int | None = None,
    logos: LogoCache | None = None,
) -> Profile:
    """A validated profile from a TOML table or a spreadsheet row. `base` is the folder a
    logo must stay in; `path` and `line` name the source in errors."""

    def fail(message: str) -> NoReturn:
        raise ProfileError(message, file=path, line=line)

    keys = {"name", "contacts", "url", "site_url", "logo", "paper", "language", "helplines"}
    if unknown := set(data) - keys:
        fail(
            f"unknown key(s) {', '.join(sorted(unknown))}; a profile has name, contacts, "
            "url, site_url, logo, paper, helplines and [language.<locale>] tables"
        )
    name = _name(data.get("name"), "'name'", fail)
    contacts = _contacts(data.get("contacts", []), "'contacts'", fail)
    url, site_url = (_address(data.get(key), key, fail) for key in ("url", "site_url"))
    paper = data.get("paper")
    if paper is not None:
        from kit.render.sizes import SIZES

        papers = [k for k, v in SIZES.items() if v.kind == "print"]
        if paper not in papers:
            fail(f"'paper' is {_short(paper)}; it must be one of {', '.join(papers)}")
    logo = _logo(data.get("logo"), base, fail, logos or LogoCache()) if "logo" in data else None
    return Profile(
        name,
        contacts,
        url,
        logo,
        path,
        paper,
        _languages(data.get("language", {}), fail),
        line=line,
        helplines=_helplines(data.get("helplines", []), fail),
        site_url=site_url,
    )


def _address(url: Any, key: str, fail: Callable[[str], NoReturn]) -> str | None:
    if url is None:
        return None
    problem = url_problem(url) if isinstance(url, str) else "is not a string"
    if problem:
        fail(
            f"'{key}' must be a web address starting with https:// or http://: "
            f"{_short(url)} {problem}"
        )
    return str(url)


def _helplines(raw: Any, fail: Callable[[str], NoReturn]) -> tuple[Helpline, ...]:
    """The official helplines named, in the order named: `kit helplines` lists them."""
    from kit.helplines import helplines

    known = helplines()
    if not isinstance(raw, list) or not all(isinstance(x, str) for x in raw):
        fail("'helplines' must be a list of helpline ids; `kit helplines` lists them")
    unknown = [x for x in raw if x not in known]
    if unknown:
        fail(
            f"'helplines' names {', '.join(map(repr, unknown))}, which kit does not know; "
            f"it knows {', '.join(known)} (`kit helplines` shows each with its source)"
        )
    return tuple(known[x] for x in dict.fromkeys(raw))


def _name(name: Any, what: str, fail: Callable[[str], NoReturn]) -> str:
    if not isinstance(name, str) or not name.strip() or len(name) > MAX_LINE:
        fail(f"{what} must be a non-empty string of at most {MAX_LINE} characters")
    _check_text(what, name, fail)
    return name.strip()


def _contacts(contacts: Any, what: str, fail: Callable[[str], NoReturn]) -> tuple[str, ...]:
    if not isinstance(contacts, list) or not all(
        isinstance(c, str) and c.strip() for c in contacts
    ):
        fail(f"{what} must be a list of non-empty strings")
    if len(contacts) > MAX_CONTACTS:
        fail(f"{what} has {len(contacts)} lines; a poster has room for {MAX_CONTACTS}")
    for contact in contacts:
        if len(contact) > MAX_LINE:
            fail(f"contact line {contact[:20]!r}... is longer than {MAX_LINE} characters")
        _check_text(f"contact line {contact[:20]!r}", contact, fail)
    return tuple(c.strip() for c in contacts)


def _languages(raw: Any, fail: Callable[[str], NoReturn]) -> tuple[tuple[str, Localized], ...]:
    """The [language.<locale>] tables: a name and contacts for posters in that locale."""
    from kit.errors import LocaleError
    from kit.locales import babel_locale

    if not isinstance(raw, dict):
        fail("'language' must hold tables such as [language.ne] with name and contacts")
    out = []
    for key, table in raw.items():
        where = f"[language.{key}]"
        try:
            babel_locale(key)
        except LocaleError:
            fail(f"{where}: {key!r} is not a locale name such as ja, ne or pt_BR")
        if not isinstance(table, dict) or not table:
            fail(f"{where} must be a table with name, contacts or both")
        unknown = set(table) - {"name", "contacts"}
        if unknown:
            fail(f"{where}: unknown key(s) {', '.join(sorted(unknown))}; it has name, contacts")
        name = _name(table["name"], f"{where} 'name'", fail) if "name" in table else None
        contacts = (
            _contacts(table["contacts"], f"{where} 'contacts'", fail)
            if "contacts" in table
            else None
        )
        out.append((key, Localized(name, contacts)))
    return tuple(out)


def _check_text(what: str, text: str, fail: Callable[[str], NoReturn]) -> None:
    problem = unsafe_character(text)
    if problem:
        fail(f"{what} {problem}")


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _logo(raw: Any, base: Path, fail: Callable[[str], NoReturn], cache: LogoCache) -> Logo:
    if not isinstance(raw, dict) or not isinstance(raw.get("path"), str) or not raw["path"]:
        fail("[logo] needs 'path' (PNG, JPEG or SVG, relative to the profile) and 'alt'")
    alt = raw.get("alt")
    if not isinstance(alt, str) or not alt.strip():
        fail("[logo] needs 'alt': a short description for screen readers")
    if len(alt) > MAX_ALT:
        fail(f"[logo] 'alt' is longer than {MAX_ALT} characters")
    _check_text("[logo] 'alt'", alt, fail)
    name = raw["path"]
    shown = _short(name)
    if "\0" in name:
        fail(f"logo path {shown} holds a NUL character")
    if any(
        len(part.encode("utf-8", "surrogateescape")) > MAX_NAME_BYTES for part in Path(name).parts
    ):
        fail(f"logo path {shown} has a name longer than {MAX_NAME_BYTES} bytes")
    try:
        base = base.resolve()
        logo_path = (base / name).resolve()
    except (OSError, RuntimeError) as e:  # a symlink loop, a path too long
        fail(f"logo path {shown} cannot be followed ({getattr(e, 'strerror', None) or e})")
    # The logo must sit beside the profile: a profile from a partner must not make the kit
    # read (and print) any other file on the machine.
    if not logo_path.is_relative_to(base):
        fail(f"logo path {shown} leaves the profile's folder")
    found = cache.by_path.get(logo_path)
    if found is None:
        found = cache.by_path[logo_path] = _read_logo(logo_path, shown, cache)
    if isinstance(found, str):
        fail(found)
    data, kind, sha = found
    return Logo(data, kind, alt.strip(), sha)


def _read_logo(path: Path, shown: str, cache: LogoCache) -> tuple[bytes, str, str] | str:
    """(checked bytes, kind, sha256), or the sentence saying why the logo is refused."""
    try:
        # O_NONBLOCK: a FIFO put in the logo's place must not hang the build on open.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except FileNotFoundError:
        return f"logo file {shown} not found"
    except IsADirectoryError:
        return f"logo file {shown} is a folder, not an image file"
    except OSError as e:
        return f"logo file {shown} cannot be read ({e.strerror or e})"
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            return f"logo file {shown} is a folder, not an image file"
        if not stat.S_ISREG(info.st_mode):
            return f"logo file {shown} is not a regular file (a pipe or a device?)"
        if info.st_size > MAX_LOGO_BYTES:
            return (
                f"logo file {shown} is {info.st_size // 1024} KB; the limit is "
                f"{MAX_LOGO_BYTES // 1024} KB"
            )
        raw = os.read(fd, MAX_LOGO_BYTES + 1)
    except OSError as e:
        return f"logo file {shown} cannot be read ({e.strerror or e})"
    finally:
        os.close(fd)
    try:
        checked = check_image(raw)
    except ImageError as e:
        return f"logo file {shown} {e}"
    sha = hashlib.sha256(checked.data).hexdigest()
    data = cache.by_hash.setdefault(sha, checked.data)
    return data, checked.kind, sha
