"""kit: localized safety material on children coerced into sending nude selfies.

The one data path: campaign (facts + source messages) -> gettext catalog -> Material
(kit.localize) -> renderers (kit.render). As a library (kit/api.py):

    import kit
    made = kit.poster("ja", size="a4")       # .data: the PDF
    letter = kit.text("vi", format="html", draft=True).text
    kit.build("dist", locale=["ja", "en"], sizes=["a4"])
    findings = kit.check(["ja"])              # {path: [Finding, ...]}
"""

from __future__ import annotations

from typing import Any

# kit.api's functions and result types, imported on first use: `kit --help` never loads them.
API = ("poster", "text", "build", "check", "PosterResult", "TextResult", "BuildResult")
__all__ = ["__version__", *API]


def __getattr__(name: str) -> Any:
    if name in API:
        from kit import api

        return getattr(api, name)
    if name != "__version__":
        raise AttributeError(name)
    from kit.version import version

    return version()
