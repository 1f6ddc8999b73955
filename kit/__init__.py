"""kit: localized safety material on children coerced into sending nude selfies.

The one data path: campaign (facts + source messages) -> gettext catalog -> Material
(kit.localize) -> renderers (kit.render).
"""

__version__ = "0.1.0"
