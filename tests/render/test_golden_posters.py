"""Golden posters: one per script kit ships, so that a change in how a poster looks is
seen in review, as a changed file under tests/golden/posters/. Compared after
`qpdf --qdf` normalisation (streams uncompressed, objects in order), as fpdf2's
assert_pdf_equal compares: what differs is the drawing, not how a zlib packed it.

After an intended change: KIT_REGENERATE=1 python -m pytest tests/render/test_golden_posters.py,
then look at each poster changed (pdftoppm -png) before committing it.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from kit.campaign import load_campaign
from kit.localize import localize
from kit.render.poster import PosterOptions, make_poster

from ..conftest import CAMPAIGN, LOCALES, TESTS, tool

GOLDEN = TESTS / "golden" / "posters"
# (locale, audience, size): Latin, Japanese, Korean, Chinese, Arabic, Thai, Devanagari.
CASES = [
    ("en", "students", "letter"),
    ("ja", "students", "a4"),
    ("ko", "guardians", "a4"),
    ("zh_Hans", "students", "a4"),
    ("ar", "guardians", "a4"),
    ("th", "students", "a4"),
    ("ne", "students", "a4"),
]


def normalised(data: bytes, tmp: Path) -> bytes:
    """The PDF as qpdf --qdf writes it: every stream uncompressed, object streams off."""
    src, out = tmp / "in.pdf", tmp / "qdf.pdf"
    src.write_bytes(data)
    subprocess.run(
        [tool("qpdf", "qpdf"), "--qdf", "--object-streams=disable", str(src), str(out)],
        check=True,
        capture_output=True,
    )
    return out.read_bytes()


@pytest.mark.parametrize(("locale", "audience", "size"), CASES, ids=[c[0] for c in CASES])
def test_the_poster_looks_as_reviewed(locale, audience, size, tmp_path):
    material = localize(load_campaign(CAMPAIGN), locale, audience, LOCALES, drafts=True)
    draft = bool(material.missing)
    data = make_poster(material, None, PosterOptions(size=size, draft=draft)).data
    golden = GOLDEN / f"{locale}-{audience}-{size}.pdf"
    if os.environ.get("KIT_REGENERATE"):
        golden.write_bytes(data)
    assert golden.is_file(), f"no golden poster {golden.name}: run with KIT_REGENERATE=1"
    if normalised(data, tmp_path) != normalised(golden.read_bytes(), tmp_path):
        changed = tmp_path / golden.name
        changed.write_bytes(data)
        pytest.fail(
            f"{golden.name} changed: compare {changed} with {golden} (pdftoppm -png); if "
            "the change is intended, regenerate with KIT_REGENERATE=1 and commit it"
        )
