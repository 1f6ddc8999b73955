"""What the output depends on is pinned, and this install has exactly the pinned versions.

In CI (a fresh venv, whatever the registry serves today) this is the check that a fresh
resolve gave the pins; in the build cache those versions are part of every key.
"""

from __future__ import annotations

import re
import tomllib
from importlib.metadata import version

from .conftest import ROOT

# Typst lays out, Babel (CLDR) formats and pluralizes, BudouX and uniseg break lines,
# segno draws QR codes, fontTools made the subsets, translate-toolkit gives Plural-Forms,
# pikepdf and uharfbuzz rewrite the PDF text layer.
OUTPUT_SHAPING = {
    "typst",
    "babel",
    "budoux",
    "segno",
    "uniseg",
    "fonttools",
    "translate-toolkit",
    "pikepdf",
    "uharfbuzz",
}


def _requirements() -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    out = {}
    for requirement in project["dependencies"]:
        name, spec = re.match(r"([A-Za-z0-9_.-]+)\s*(.*)", requirement).groups()  # type: ignore[union-attr]
        out[name.lower()] = spec
    return out


def test_every_output_shaping_dependency_is_pinned_exactly():
    requirements = _requirements()
    for name in OUTPUT_SHAPING:
        assert re.fullmatch(r"==[0-9][0-9A-Za-z.]*", requirements[name]), (name, requirements[name])


def test_the_installed_versions_are_the_pinned_ones():
    for name, spec in _requirements().items():
        if spec.startswith("=="):
            assert version(name) == spec[2:], (
                f"{name} {version(name)} is installed, {spec} is pinned"
            )
