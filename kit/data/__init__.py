"""kit's data, apart from its code: the campaigns, the example organisation profile, the
official helplines, the fonts and the templates (and, in an installed kit, the catalogs in
locales/, installed from the source's top-level locales/). `path` finds them."""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def path(*parts: str) -> Path:
    """A file or folder of kit's data, e.g. path("fonts", "OFL.txt")."""
    return Path(str(resources.files("kit.data"))).joinpath(*parts)
