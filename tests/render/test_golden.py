"""Golden outputs: the exact text a school gets. Regenerate after an intended change with
KIT_REGENERATE=1 python -m pytest tests/render/test_golden.py, then read the diff."""

from __future__ import annotations

import os

import pytest

from kit.campaign import load_campaign
from kit.localize import localize
from kit.render import render_text

from ..conftest import LOCALES, TESTS

GOLDEN = TESTS / "golden"
FORMATS = {"txt": "plain", "md": "markdown", "html": "html"}
CASES = [
    (loc, aud, ext)
    for loc in ("en", "ja")
    for aud in ("students", "guardians")
    for ext in ("txt", "md")
] + [("ja", "students", "html")]
# Drafts (every message fuzzy), as `kit text --draft` prints them: the DRAFT label in the
# locale's own words, right to left and with furigana.
DRAFTS = [
    ("vi", "students", "txt"),
    ("vi", "students", "md"),
    ("ar", "guardians", "html"),
    ("ja@easy", "students", "html"),
]


@pytest.mark.parametrize(("locale", "audience", "ext"), CASES + DRAFTS)
def test_output_matches_golden(locale, audience, ext):
    material = localize(
        load_campaign(), locale, audience, LOCALES, drafts=(locale, audience, ext) in DRAFTS
    )
    got = render_text(material, FORMATS[ext])
    path = GOLDEN / f"{locale}-{audience}.{ext}"
    if os.environ.get("KIT_REGENERATE"):
        path.write_text(got, "utf-8")
    assert path.is_file(), f"no golden file {path.name}: run with KIT_REGENERATE=1"
    assert got == path.read_text("utf-8")
