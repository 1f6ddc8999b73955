from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from kit.cli import main

TESTS = Path(__file__).resolve().parent  # its data: corpus/, data/, golden/
ROOT = TESTS.parent
LOCALES = ROOT / "locales"
CAMPAIGN = ROOT / "kit" / "data" / "campaigns" / "npa-2017h1.toml"


def _shipped_locales() -> list[str]:
    from kit.campaign import load_campaign
    from kit.locales import available_locales, is_pseudo

    return [x for x in available_locales(LOCALES, load_campaign(CAMPAIGN)) if not is_pseudo(x)]


# Every catalog in the repository (pseudo-locales, made for testing, aside): a new
# language enters every matrix of the tests by being added to locales/.
SHIPPED_LOCALES = _shipped_locales()


# CI sets this: there a test that cannot find a tool it needs fails instead of skipping.
REQUIRE_TOOLS = os.environ.get("KIT_REQUIRE_TOOLS") == "1"


def needs(what: str, package: str, found: object) -> None:
    """Skip, with a one-line reason, a test whose system tool or file is missing; under
    KIT_REQUIRE_TOOLS=1 (CI), fail instead, so that CI runs every test."""
    if found:
        return
    reason = f"needs {what} (Debian package {package})"
    if REQUIRE_TOOLS:
        pytest.fail(f"{reason}, and KIT_REQUIRE_TOOLS=1 makes a missing tool a failure")
    pytest.skip(reason)


def tool(name: str, package: str) -> str:
    """The path of a command a test needs (see needs())."""
    path = shutil.which(name)
    needs(name, package, path)
    return str(path)


def headless_chromium(*flags: str):
    """Debian's Chromium through its ChromeDriver, headless, keeping the page's console
    log; `flags` are added to the common ones."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    chromium, driver = tool("chromium", "chromium"), tool("chromedriver", "chromium-driver")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    # As root in a sandbox, with no network: no sandbox, no background connections.
    common = (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
    )
    for flag in (*common, *flags):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service(driver), options=options)


def manifest(out: Path) -> dict[str, Any]:
    """A build's manifest.json, as a tool reading the build gets it."""
    import json

    return json.loads((out / "manifest.json").read_text("utf-8"))


@pytest.fixture
def mail_merge(kit, locales, tmp_path):
    """`kit build` of a partner CSV (its text) into tmp_path/dist, with the test's own
    catalogs: returns (result, the CSV's path, the output folder)."""

    def build(rows: str, *args: str):
        orgs, out = tmp_path / "orgs.csv", tmp_path / "dist"
        orgs.write_text(rows, "utf-8")
        result = kit(
            "build", "--output", str(out), "--orgs", str(orgs), *args, "--locales", str(locales)
        )
        return result, orgs, out

    return build


@pytest.fixture(autouse=True)
def _outside_the_checkout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test runs in its own empty folder: kit finds the checkout's [tool.kit] settings
    from its current folder, and a test must never write into the repository's catalogs."""
    monkeypatch.chdir(tmp_path)


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
    """Change one entry of a catalog copy (fields: msgstr, msgstr_plural, fuzzy), and
    write it back as msgcat, msgmerge and Poedit write catalogs (kit's writer is held to
    msgcat's output byte for byte), without refusing what a test means to feed kit."""
    from kit.catalog.pofile import encode_po, load_po

    po = load_po(po_path)
    entry = next(e for e in po if e.msgctxt == msgctxt)
    for key, value in fields.items():
        if key == "fuzzy":
            if value:
                entry.flags.append("fuzzy")
            else:
                entry.flags.remove("fuzzy")
        else:
            setattr(entry, key, value)
    po_path.write_bytes(encode_po(po))


def pytest_collection_finish(session: pytest.Session) -> None:
    """--dist loadgroup keeps an order-dependent module (the README's examples) on one
    worker through a suffix on its node ids, which pytest 9.2 silently drops
    (pytest-dev/pytest-xdist#1386): stop, rather than run its tests apart."""
    if not session.config.getoption("loadgroup", default=False):  # set on xdist workers only
        return
    lost = [
        item.nodeid
        for item in session.items
        if item.get_closest_marker("xdist_group") and "@" not in item.nodeid.rsplit("]", 1)[-1]
    ]
    if lost:
        raise pytest.UsageError(
            f"pytest-xdist did not group {lost[0]} (and {len(lost) - 1} more): this pytest "
            "and pytest-xdist do not work together; install the test extra's versions"
        )
