"""kit: localized safety material on children coerced into sending nude selfies.

The one data path: campaign (facts + source messages) -> gettext catalog -> Material
(kit.localize) -> renderers (kit.render).
"""

from importlib.metadata import PackageNotFoundError, version

DISTRIBUTION = "safety-message-kit"

try:
    __version__ = version(DISTRIBUTION)
except PackageNotFoundError:  # run from a checkout that was never installed
    __version__ = "0+unknown"
