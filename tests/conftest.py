from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from kit.cli import main

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ROOT / "locales"
CAMPAIGN = ROOT / "kit" / "campaigns" / "npa-2017h1.toml"


@pytest.fixture
def locales(tmp_path: Path) -> Path:
    """A private copy of the shipped catalogs, free to edit."""
    dest = tmp_path / "locales"
    shutil.copytree(LOCALES, dest)
    return dest


@pytest.fixture
def campaign_file(tmp_path: Path) -> Path:
    """A private copy of the shipped campaign, free to edit."""
    dest = tmp_path / "campaign.toml"
    shutil.copy(CAMPAIGN, dest)
    return dest


class Kit:
    """Runs the CLI in-process, as a user would type it."""

    def __init__(self) -> None:
        self.runner = CliRunner()

    def __call__(self, *args: str):
        return self.runner.invoke(main, list(args), catch_exceptions=False)


@pytest.fixture
def kit() -> Kit:
    return Kit()


def edit_entry(po_path: Path, msgctxt: str, **fields) -> None:
    """Change one entry of a catalog copy (fields: msgstr, msgstr_plural, fuzzy)."""
    import polib

    po = polib.pofile(str(po_path))
    entry = next(e for e in po if e.msgctxt == msgctxt)
    for key, value in fields.items():
        if key == "fuzzy":
            if value:
                entry.flags.append("fuzzy")
            else:
                entry.flags.remove("fuzzy")
        else:
            setattr(entry, key, value)
    po.save(str(po_path))
