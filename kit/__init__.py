"""kit: localized safety material on children coerced into sending nude selfies.

The one data path: campaign (facts + source messages) -> gettext catalog -> Material
(kit.localize) -> renderers (kit.render).
"""

from __future__ import annotations

DISTRIBUTION = "safety-message-kit"


def __getattr__(name: str) -> str:
    # The version is read from the package metadata on first use only: importlib.metadata
    # costs more to import than the rest of `kit --help`.
    if name != "__version__":
        raise AttributeError(name)
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(DISTRIBUTION)
    except PackageNotFoundError:  # run from a checkout that was never installed
        return "0+unknown"
