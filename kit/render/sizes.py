"""Poster sizes and formats: paper and social-image sizes, each with its legibility floors,
and the paper a locale's region uses (CLDR). Light to import: the command line offers
these choices without loading Typst."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

POSTER_FORMATS = ("pdf", "png", "svg")


@dataclass(frozen=True)
class PaperSize:
    name: str
    width: float  # mm, trim size
    height: float
    kind: str  # "print", "square" or "story": which of the campaign's poster layouts
    floor: float  # pt: the smallest body text this size may use (its legibility floor)
    max: float  # pt: the largest body text
    headline_floor: float
    headline_max: float
    small_floor: float  # footer: source line, organisation

    @property
    def margin(self) -> float:
        return round(min(self.width, self.height) * 0.05, 2)


# Social images are laid out at 540 x 540 pt (1080 x 1920 pt for story at 2x): at the
# default 144 ppi their PNGs are exactly 1080 x 1080 and 1080 x 1920 pixels.
_SOCIAL_UNIT = 540 / 72 * 25.4  # 540 pt in mm
SIZES: dict[str, PaperSize] = {
    "a4": PaperSize("a4", 210, 297, "print", 9, 15, 20, 40, 6),
    "letter": PaperSize("letter", 215.9, 279.4, "print", 9, 15, 20, 40, 6),
    "b4": PaperSize("b4", 257, 364, "print", 10, 18, 24, 50, 6.5),
    "a3": PaperSize("a3", 297, 420, "print", 12, 22, 28, 60, 8),
    "square": PaperSize("square", _SOCIAL_UNIT, _SOCIAL_UNIT, "square", 14, 24, 22, 40, 9),
    "story": PaperSize("story", _SOCIAL_UNIT, _SOCIAL_UNIT * 16 / 9, "story", 14, 26, 24, 46, 9),
}
DEFAULT_PPI = 144.0

# Territories that use US Letter, from CLDR's supplementalData.xml (measurementData,
# paperSize "US-Letter"). Babel does not ship this table.
LETTER_TERRITORIES = frozenset(["BZ", "CA", "CL", "CO", "CR", "GT", "MX", "NI", "PA", "PH", "PR", "SV", "US", "VE"])

def default_size(locale: str) -> str:
    """Letter where the locale's territory uses it (CLDR), A4 everywhere else."""
    from babel.core import get_global

    from kit.locales import babel_locale

    loc = babel_locale(locale)
    territory = loc.territory
    if territory is None:
        likely = get_global("likely_subtags").get(loc.language, "")
        territory = likely.split("_")[-1] if likely else None
    return "letter" if territory in LETTER_TERRITORIES else "a4"


def suffix_format(path: Path) -> str | None:
    """The output format a file name implies: poster.png -> png."""
    suffix = path.suffix.lower().lstrip(".")
    return suffix if suffix in POSTER_FORMATS else None

