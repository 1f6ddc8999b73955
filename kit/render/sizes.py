"""Poster sizes and formats: paper and social-image sizes, each with its legibility floors,
and the paper a locale's region uses (CLDR). Light to import: the command line offers
these choices without loading Typst."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

POSTER_FORMATS = ("pdf", "png", "svg")


@dataclass(frozen=True)
class PaperSize:
    """A paper or image size and its legibility floors (pt). Every printed run is at or
    above a floor: body text at `floor` or more (one size for the whole poster, the
    largest that fits, up to `max`); secondary text (the second language of a bilingual
    poster, the footer, labels) at `secondary` or more; furigana at `ruby_floor` or more,
    the text under them set larger to keep them so."""

    name: str
    width: float  # mm, trim size
    height: float
    kind: str  # "print", "square" or "story": which of the campaign's poster layouts
    floor: float  # body text
    max: float
    headline_floor: float
    headline_max: float
    secondary: float
    ruby_floor: float

    @property
    def margin(self) -> float:
        return round(min(self.width, self.height) * 0.05, 2)


# Social images are laid out at 540 x 540 pt (540 x 960 pt for story): at the default
# 144 ppi their PNGs are exactly 1080 x 1080 and 1080 x 1920 pixels. Their floors are
# those of A4 scaled by 14/9, as for text read on a phone held at arm's length; A3's by
# 4/3 (read from further away than A4).
_SOCIAL_UNIT = 540 / 72 * 25.4  # 540 pt in mm
SIZES: dict[str, PaperSize] = {
    "a4": PaperSize("a4", 210, 297, "print", 9, 17, 20, 40, 8, 6),
    "letter": PaperSize("letter", 215.9, 279.4, "print", 9, 17, 20, 40, 8, 6),
    "b4": PaperSize("b4", 257, 364, "print", 10, 20, 24, 50, 8, 6),
    "a3": PaperSize("a3", 297, 420, "print", 12, 24, 28, 60, 10.5, 8),
    "square": PaperSize("square", _SOCIAL_UNIT, _SOCIAL_UNIT, "square", 14, 34, 22, 44, 12, 9),
    "story": PaperSize(
        "story", _SOCIAL_UNIT, _SOCIAL_UNIT * 16 / 9, "story", 14, 40, 24, 52, 12, 9
    ),
}
DEFAULT_PPI = 144.0

# Territories that use US Letter, from CLDR's supplementalData.xml (measurementData,
# paperSize "US-Letter"). Babel does not ship this table.
LETTER_TERRITORIES = frozenset(
    ["BZ", "CA", "CL", "CO", "CR", "GT", "MX", "NI", "PA", "PH", "PR", "SV", "US", "VE"]
)


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


def poster_size(asked: str, catalog: str | None = None, paper: str | None = None) -> str:
    """The size a poster gets when none is asked for, in every command, the studio and
    the build: the organisation's `paper` (an NGO in Japan prints A4 in every
    language), else the region of the locale asked for (en-GB: A4, even from the en
    catalog), else the catalog's, for a tag CLDR does not know (ja-x-easy: ja's)."""
    from kit.errors import KitError

    if paper:
        return paper
    try:
        return default_size(asked)
    except KitError:
        if catalog is None:
            raise
        return default_size(catalog)


def suffix_format(path: Path) -> str | None:
    """The output format a file name implies: poster.png -> png."""
    suffix = path.suffix.lower().lstrip(".")
    return suffix if suffix in POSTER_FORMATS else None
