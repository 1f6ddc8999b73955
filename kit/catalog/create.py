"""Start a catalog for a new locale from the template, with CLDR's plural rule."""

from __future__ import annotations

import copy
from pathlib import Path

from kit.catalog.pofile import Catalog, load_po, save_po
from kit.errors import CatalogError
from kit.locales import babel_locale, catalog_path
from kit.plural import default_plural_forms, parse_plural_forms


def new_catalog(pot: Catalog, locale: str) -> Catalog:
    """A PO file for `locale`: the template's entries, empty translations, right header."""
    loc = babel_locale(locale)
    plural = parse_plural_forms(default_plural_forms(locale))
    po = Catalog()
    po.header = pot.header.replace(
        "Extracted by `kit catalog extract`; do not edit by hand.",
        f"{loc.english_name} translation.",
    )
    po.metadata = dict(pot.metadata)
    po.metadata.update(
        {
            "Language": locale,
            "Language-Team": f"{loc.english_name}",
            "Plural-Forms": plural.header,
        }
    )
    po.metadata_is_fuzzy = False
    for template in pot:
        entry = copy.deepcopy(template)
        if entry.msgid_plural:
            entry.msgstr_plural = {i: "" for i in range(plural.nplurals)}
        po.append(entry)
    return po


def init_catalog(pot_path: Path, locales_dir: Path, locale: str) -> Path:
    """Create locales/<locale>/LC_MESSAGES/messages.po; never overwrites one."""
    target = catalog_path(locales_dir, locale)
    if target.exists():
        raise CatalogError(
            "a catalog already exists here; use `kit catalog update` to merge", file=target
        )
    if not pot_path.is_file():
        raise CatalogError(
            "no template here to start a catalog from: make it with "
            f"`kit catalog extract --output {pot_path}`, then run this again",
            file=pot_path,
        )
    save_po(new_catalog(load_po(pot_path), locale), target)
    return target
