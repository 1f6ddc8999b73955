"""Locales in one place: tags, resolution, display names, and where the catalogs live.

A catalog is named as gettext names it (ja, pt_BR, zh_Hans, ja@easy); a user may type any
BCP 47 or POSIX form (ja-JP, ja_JP, zh, zh-CN, zh-Hans, pt-br, ja-x-easy). resolve_locale()
maps what was typed to a catalog, by CLDR's likely subtags, and suggests one when nothing
matches. Pseudo-locales (en_XA, ar_XB) are for testing layout: never listed as languages,
never built unless named.

Where the catalogs are: `--locales DIR`; else the project's setting (`[tool.kit]` in a
pyproject.toml, or a kit.toml, found upward from the current folder); else ./locales when
it holds a messages.pot; else, for reading only, the catalogs installed with kit. Commands
that write a catalog never write inside the installed package.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Protocol

from babel import Locale, UnknownLocaleError

from kit.errors import KitError, LocaleError


class _Campaign(Protocol):
    """What this module needs of a campaign (kit.campaign validates source_locale with
    is_catalog_name, so it cannot be imported here)."""

    @property
    def source_locale(self) -> str: ...


DOMAIN = "messages"
TEMPLATE = f"{DOMAIN}.pot"
PSEUDO_LOCALES = {"en_XA": "accented", "ar_XB": "right-to-left"}
# Variants CLDR has no name for, with the names kit gives them.
VARIANT_NAMES = {"easy": ("やさしい日本語", "Easy Japanese")}
# A catalog name as gettext writes it, and nothing that could become a path: letters,
# digits, _ between subtags, an optional @variant.
_NAME = re.compile(r"\A[A-Za-z]{2,8}(?:_[A-Za-z0-9]{2,8})*(?:@[A-Za-z0-9]{1,16})?\Z")


# ---- names and tags ---------------------------------------------------------------------


@dataclass(frozen=True)
class Tag:
    """A locale split into subtags, as typed (script, territory None when not given)."""

    language: str
    script: str | None = None
    territory: str | None = None
    variant: str | None = None

    @property
    def name(self) -> str:
        """The gettext catalog name: pt_BR, zh_Hans, ja@easy."""
        parts = [self.language, self.script, self.territory]
        return "_".join(p for p in parts if p) + (f"@{self.variant}" if self.variant else "")

    @property
    def bcp47(self) -> str:
        parts = [self.language, self.script, self.territory]
        return "-".join(p for p in parts if p)


def parse_tag(text: str) -> Tag:
    """Split ja-JP, ja_JP, zh-Hans-CN, ja@easy or ja-x-easy into subtags.
    Raises LocaleError for text that is not a locale name."""
    raw = text.strip()
    raw = re.sub(r"[-_]x[-_]([A-Za-z0-9]+)$", r"@\1", raw, flags=re.IGNORECASE)
    base, _, variant = raw.partition("@")
    parts = [p for p in re.split(r"[-_.]", base) if p]
    if (
        not parts
        or not all(p.isalnum() and p.isascii() for p in parts)
        or (variant and not (variant.isalnum() and variant.isascii()))
    ):
        raise LocaleError(f"{text!r} is not a locale name such as ja, pt-BR or zh-Hans")
    language, rest = parts[0].lower(), parts[1:]
    script = rest.pop(0).title() if rest and len(rest[0]) == 4 and rest[0].isalpha() else None
    territory = rest.pop(0).upper() if rest and (len(rest[0]) == 2 or rest[0].isdigit()) else None
    if rest or not 2 <= len(language) <= 8 or not language.isalpha():
        raise LocaleError(f"{text!r} is not a locale name such as ja, pt-BR or zh-Hans")
    return Tag(language, script, territory, variant.lower() or None)


def is_catalog_name(name: str) -> bool:
    """True for a name safe to use as a folder: ja, pt_BR, ja@easy (never ../x or a/b)."""
    return bool(_NAME.match(name))


def is_pseudo(name: str) -> bool:
    return name in PSEUDO_LOCALES


def bcp47(name: str) -> str:
    """A catalog name as a BCP 47 tag: pt_BR -> pt-BR (a @variant is dropped)."""
    return name.split("@")[0].replace("_", "-")


def language_of(name: str) -> str:
    """The language subtag: ja for ja_JP, ja-JP or ja@easy."""
    return re.split(r"[-_@]", name.strip(), maxsplit=1)[0].lower()


def babel_locale(name: str) -> Locale:
    """The Babel locale behind a catalog name: `pt_BR`, `ja`, `zh_Hans`; a @variant is dropped
    and a pseudo-locale takes its language's CLDR data."""
    base = name.split("@")[0].replace("-", "_")
    if base in PSEUDO_LOCALES:
        base = base.split("_")[0]
    try:
        return Locale.parse(base)
    except (UnknownLocaleError, ValueError, TypeError):
        raise LocaleError(f"{name!r} is not a locale Babel (CLDR) knows") from None


def _likely(tag: Tag) -> Tag:
    """The tag with its script and territory filled in from CLDR's likely subtags."""
    from babel.core import get_global

    table = get_global("likely_subtags")
    keys = [
        f"{tag.language}_{tag.script}_{tag.territory}",
        f"{tag.language}_{tag.territory}",
        f"{tag.language}_{tag.script}",
        tag.language,
    ]
    for key in keys:
        found = table.get(key)
        if found and "None" not in key:
            parts = found.split("_")
            script = tag.script or next((p for p in parts[1:] if len(p) == 4), None)
            territory = tag.territory or next((p for p in parts[1:] if len(p) != 4), None)
            return Tag(tag.language, script, territory, tag.variant)
    return tag


def display_names(name: str) -> tuple[str, str]:
    """(the language's own name for itself, its English name), from CLDR."""
    if is_pseudo(name):
        return f"{name} (pseudo-locale)", f"pseudo-locale, {PSEUDO_LOCALES[name]}"
    tag = parse_tag(name)
    if tag.variant in VARIANT_NAMES:
        return VARIANT_NAMES[tag.variant]
    try:
        loc = babel_locale(name)
    except LocaleError:
        return name, name
    return loc.get_display_name(loc) or name, loc.get_display_name("en") or name


def resolve_locale(requested: str, available: list[str]) -> str:
    """Match what a user typed (ja, ja-JP, ja_JP, zh-CN, pt-br, ja-x-easy) to a catalog name.

    A catalog matches when each subtag its name gives (script, territory, variant) is the
    one the request has or implies (CLDR's likely subtags: zh -> Hans, pt -> BR); the most
    specific match wins. Raises LocaleError with a suggestion when none matches.
    """
    found = _match(requested, available)
    if found:
        return found
    raise LocaleError(
        f"no catalog for locale {requested!r}; {_suggestion(requested, available)}"
        f"available: {', '.join(a for a in available if not is_pseudo(a))}"
    )


def _match(requested: str, available: list[str]) -> str | None:
    by_key = {a.lower().replace("-", "_"): a for a in available}
    exact = by_key.get(requested.strip().lower().replace("-", "_"))
    if exact:
        return exact
    try:
        wanted = _likely(parse_tag(requested))
    except LocaleError:
        wanted = None
    best: tuple[int, str] | None = None
    for name in available:
        if wanted is None or is_pseudo(name):
            continue
        have = parse_tag(name)
        implied = _likely(have)
        if have.language != wanted.language or have.variant != wanted.variant:
            continue
        if implied.script and wanted.script and implied.script != wanted.script:
            continue  # zh-TW (Hant) is not zh_Hans
        if have.territory and have.territory != wanted.territory:
            continue  # pt-PT is not pt_BR
        score = (have.script is not None) + (have.territory is not None)
        if best is None or score > best[0]:
            best = (score, name)
    return best[1] if best else None


def _suggestion(requested: str, available: list[str]) -> str:
    """'did you mean ja (Japanese)? ' for jp, japanese, 日本語, jpn..., or ''."""
    from babel.core import get_global

    text = requested.strip().lower()
    hits: list[str] = []
    likely = get_global("likely_subtags").get(f"und_{text.upper()}")  # jp: a country code
    if likely:
        hits.append(_match(likely.split("_")[0], available) or "")
    for name in available:
        own, english = display_names(name)
        names = {own.lower(), english.lower(), english.split(" (")[0].lower()}
        try:
            names.add((babel_locale(name).language_name or "").lower())
            names.add(Locale("en").languages.get(language_of(name), "").lower())
        except LocaleError:
            pass
        if text in names:
            hits.append(name)
    hits += difflib.get_close_matches(text, [a.lower() for a in available], n=2, cutoff=0.6)
    found = list(dict.fromkeys(by for h in hits for by in available if by.lower() == h.lower()))
    if not found:
        return ""
    return "did you mean " + " or ".join(f"{f} ({display_names(f)[1]})" for f in found[:3]) + "? "


# ---- where the catalogs are -------------------------------------------------------------


def catalog_path(locales_dir: Path, locale: str) -> Path:
    if not is_catalog_name(locale):
        raise LocaleError(f"{locale!r} is not a catalog name such as ja, pt_BR or ja@easy")
    return locales_dir / locale / "LC_MESSAGES" / f"{DOMAIN}.po"


def installed_locales_dir() -> Path:
    """The catalogs installed with kit (a wheel maps the top-level locales/ to the data
    package kit.data.locales), or, in a source tree, the checkout's locales/."""
    from kit.data import path

    installed = path("locales")
    return installed if installed.is_dir() else path().parent.parent / "locales"


def _inside_installed_package(path: Path) -> bool:
    package = Path(str(resources.files("kit"))).resolve()
    return path.resolve().is_relative_to(package)


@dataclass(frozen=True)
class Project:
    """Settings of the project in the current folder or above it."""

    settings: Path  # the pyproject.toml or kit.toml they come from
    locales: Path | None
    campaign: Path | None


def find_project(start: Path | None = None) -> Project | None:
    """The nearest `[tool.kit]` (pyproject.toml) or kit.toml at or above `start`.
    Raises KitError for a settings file that cannot be read."""
    folder = (start or Path.cwd()).resolve()
    for here in (folder, *folder.parents):
        for name, table in (("kit.toml", ()), ("pyproject.toml", ("tool", "kit"))):
            path = here / name
            if not path.is_file():
                continue
            try:
                data: Any = tomllib.loads(path.read_text("utf-8"))
            except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as e:
                raise KitError(f"cannot read the project settings ({e})", file=path) from None
            for key in table:
                data = data.get(key) if isinstance(data, dict) else None
            if not isinstance(data, dict):
                continue
            return Project(
                path, _setting_path(data, "locales", path), _setting_path(data, "campaign", path)
            )
    return None


def _setting_path(data: dict[str, object], key: str, settings: Path) -> Path | None:
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip() or "\0" in value:
        raise KitError(f"'{key}' must be a path relative to this file", file=settings)
    return settings.parent / value


def locales_dir(option: Path | None = None, *, write: bool = False) -> Path:
    """The catalog folder a command works on (see the module's docstring for the order).

    With write=True, refuses the catalogs installed inside the package: a translator's
    work written there would never reach their repository and the next install erases it.
    """
    chosen, _ = locales_origin(option)
    if write and _inside_installed_package(chosen):
        raise KitError(
            "these are the catalogs installed with kit, which a reinstall replaces; "
            "`kit init DIR` copies them and the campaign into a folder of your own, "
            "or give --locales DIR (a folder with messages.pot)",
            file=chosen,
        )
    return chosen


def locales_origin(option: Path | None = None) -> tuple[Path, str]:
    """The catalog folder a command reads, and why that one, in words."""
    if option is not None:
        return option, "given with --locales"
    project = find_project()
    if project is not None and project.locales is not None:
        return project.locales, f"set in {project.settings}"
    if (Path.cwd() / "locales" / TEMPLATE).is_file():
        return Path("locales"), "./locales, which holds messages.pot"
    return installed_locales_dir(), (
        "installed with kit, read-only: `kit init DIR` copies them into a folder of your own"
    )


def campaign_file(option: Path | None = None) -> Path | None:
    """The campaign a command reads: --campaign, else the project's, else None (shipped)."""
    if option is not None:
        return option
    project = find_project()
    return project.campaign if project else None


def available_locales(locales: Path, campaign: _Campaign) -> list[str]:
    """The locales there is a catalog for, plus the campaign's source locale, sorted.
    Folders whose names are not catalog names are ignored."""
    found = {campaign.source_locale}
    if locales.is_dir():
        found.update(
            p.name
            for p in locales.iterdir()
            if is_catalog_name(p.name) and catalog_path(locales, p.name).is_file()
        )
    return sorted(found)
