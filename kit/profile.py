"""An organisation profile: the NGO's or school's name, logo, contacts and URL for posters.

The kit prints only what the profile says: it never invents a contact or phone number.
"""

from __future__ import annotations

import tomllib
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, NoReturn
from urllib.parse import urlsplit

from kit.errors import KitError

MAX_CONTACTS = 3
MAX_LINE = 80  # characters: a footer line, not a paragraph
MAX_LOGO_BYTES = 2 * 1024 * 1024
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


class ProfileError(KitError):
    """The organisation profile is missing or wrong."""


@dataclass(frozen=True)
class Logo:
    data: bytes
    kind: str  # "png" or "svg"
    alt: str


@dataclass(frozen=True)
class Profile:
    name: str
    contacts: tuple[str, ...]
    url: str | None
    logo: Logo | None
    path: Path


def example_profile_path() -> Path:
    return Path(str(resources.files("kit.profiles").joinpath("example.toml")))


def load_profile(path: str | Path) -> Profile:
    path = Path(path)
    try:
        data: dict[str, Any] = tomllib.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        raise ProfileError("profile file not found", file=path) from None
    except (OSError, UnicodeDecodeError) as e:
        raise ProfileError(f"cannot read the profile ({e})", file=path) from None
    except tomllib.TOMLDecodeError as e:
        raise ProfileError(f"not valid TOML: {e}", file=path) from None
    return profile_from_mapping(data, path, path.resolve().parent)


def profile_from_mapping(data: dict[str, Any], path: Path, base: Path,
                         line: int | None = None) -> Profile:
    """A validated profile from a TOML table or a spreadsheet row. `base` is the folder a
    logo must stay in; `path` and `line` name the source in errors."""

    def fail(message: str) -> NoReturn:
        raise ProfileError(message, file=path, line=line)

    unknown = set(data) - {"name", "contacts", "url", "logo"}
    if unknown:
        fail(f"unknown key(s) {', '.join(sorted(unknown))}; a profile has name, contacts, url, logo")
    name = data.get("name")
    if not isinstance(name, str) or not name.strip() or len(name) > MAX_LINE:
        fail(f"'name' must be a non-empty string of at most {MAX_LINE} characters")
    contacts = data.get("contacts", [])
    if not isinstance(contacts, list) or not all(isinstance(c, str) and c.strip() for c in contacts):
        fail("'contacts' must be a list of non-empty strings")
    if len(contacts) > MAX_CONTACTS:
        fail(f"'contacts' has {len(contacts)} lines; a poster has room for {MAX_CONTACTS}")
    for contact in contacts:
        if len(contact) > MAX_LINE:
            fail(f"contact line {contact[:20]!r}... is longer than {MAX_LINE} characters")
    url = data.get("url")
    if url is not None:
        parts = urlsplit(url) if isinstance(url, str) else None
        if parts is None or parts.scheme not in ("http", "https") or not parts.netloc or " " in url:
            fail(f"'url' must be a web address starting with https:// or http://, not {url!r}")
    logo = _logo(data.get("logo"), base, fail) if "logo" in data else None
    return Profile(name.strip(), tuple(c.strip() for c in contacts), url, logo, path)


def _logo(raw: Any, base: Path, fail: Any) -> Logo:
    if not isinstance(raw, dict) or not isinstance(raw.get("path"), str):
        fail("[logo] needs 'path' (PNG or SVG, relative to the profile) and 'alt'")
    alt = raw.get("alt")
    if not isinstance(alt, str) or not alt.strip():
        fail("[logo] needs 'alt': a short description for screen readers")
    base = base.resolve()
    logo_path = (base / raw["path"]).resolve()
    # The logo must sit beside the profile: a profile from a partner must not make the kit
    # read (and print) any other file on the machine.
    if not logo_path.is_relative_to(base):
        fail(f"logo path {raw['path']!r} leaves the profile's folder")
    if not logo_path.is_file():
        fail(f"logo file {raw['path']!r} not found")
    size = logo_path.stat().st_size
    if size > MAX_LOGO_BYTES:
        fail(f"logo file {raw['path']!r} is {size // 1024} KB; the limit is {MAX_LOGO_BYTES // 1024} KB")
    data = logo_path.read_bytes()
    if data.startswith(PNG_MAGIC):
        return Logo(data, "png", alt.strip())
    try:
        root = ET.fromstring(data)
    except ET.ParseError:
        root = None
    if root is not None and root.tag.rsplit("}", 1)[-1] == "svg":
        return Logo(data, "svg", alt.strip())
    fail(f"logo file {raw['path']!r} is neither a PNG nor an SVG image")
    raise AssertionError  # unreachable: fail() raises
