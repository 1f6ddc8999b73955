"""The fonts the kit ships, so posters look the same on every machine.

Subsets of Noto Sans CJK JP, SC and KR, Noto Sans, Noto Sans Devanagari, Noto Sans Thai
and Noto Sans Arabic (SIL OFL 1.1, see OFL.txt), made by scripts/build_fonts.py from
Debian's fonts-noto-cjk and fonts-noto-core; manifest.json records their sources and
SHA-256. Give Typst ``font_dir()`` as its only font path.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
import unicodedata
from pathlib import Path

from kit.errors import LocaleError

__all__ = [
    "ARABIC",
    "CJK_JP",
    "CJK_KR",
    "CJK_SC",
    "DEVANAGARI",
    "FAMILIES",
    "LATIN",
    "THAI",
    "covering",
    "families_for",
    "font_dir",
    "font_files",
    "missing_glyphs",
    "text_lang",
    "web_fonts",
    "verify_manifest",
]

CJK_JP = "Noto Sans CJK JP"
CJK_SC = "Noto Sans CJK SC"
CJK_KR = "Noto Sans CJK KR"
LATIN = "Noto Sans"
DEVANAGARI = "Noto Sans Devanagari"
THAI = "Noto Sans Thai"
ARABIC = "Noto Sans Arabic"

# Typst tries the families in order, glyph by glyph, whatever the text's language: each
# language gets its own list, or Chinese would come out in Japanese glyph forms. CJK text
# takes its Latin letters and digits from its CJK font too, so mixed lines keep one design
# and one baseline; Latin-script text uses Noto Sans and falls back to the Japanese font
# only for what Noto Sans lacks (a stray kana, a fullwidth sign). Devanagari, Thai and
# Arabic text takes Latin letters and the punctuation its font lacks from Noto Sans.
FAMILIES: dict[str, list[str]] = {
    "ja": [CJK_JP, LATIN],
    "en": [LATIN, CJK_JP],
    "zh-Hans": [CJK_SC, LATIN],
    "ko": [CJK_KR, LATIN],
    "hi": [DEVANAGARI, LATIN],
    "ne": [DEVANAGARI, LATIN],
    "th": [THAI, LATIN],
    "ar": [ARABIC, LATIN],
}

_FONT_SUFFIXES = (".otf", ".ttf")
_MANIFEST = "manifest.json"
COVERAGE = "coverage.json"
# The script (ISO 15924) each FAMILIES entry is for, and the entry a language written in
# a script takes when FAMILIES has no entry of its own for it ("mr" gets "hi", "ur" and
# "fa" get "ar", "fil" gets "en"). Traditional Chinese (Hant) is deliberately absent: the
# kit ships no TC/HK font, and SC glyph forms would be wrong for it.
_FAMILY_SCRIPTS = {
    "ja": "Jpan",
    "en": "Latn",
    "zh-Hans": "Hans",
    "ko": "Kore",
    "hi": "Deva",
    "ne": "Deva",
    "th": "Thai",
    "ar": "Arab",
}
_SCRIPT_DEFAULTS = {
    "Jpan": "ja",
    "Latn": "en",
    "Hans": "zh-Hans",
    "Kore": "ko",
    "Deva": "hi",
    "Thai": "th",
    "Arab": "ar",
}
# Subsets of a script, written with the same fonts.
_SCRIPT_ALIASES = {"Hrkt": "Jpan", "Hira": "Jpan", "Kana": "Jpan", "Hang": "Kore"}


def font_dir() -> Path:
    """The folder holding the shipped font files."""
    from kit.data import path

    return path("fonts")


def font_files() -> list[Path]:
    """The shipped font files, sorted by name."""
    return sorted(p for p in font_dir().iterdir() if p.suffix.lower() in _FONT_SUFFIXES)


def families_for(lang: str) -> list[str]:
    """The ordered Typst font families for a BCP 47 tag or locale name (``pt-BR``, ``pt_BR``).

    The script is the tag's script subtag, else the one CLDR expects for the language and
    region (``zh`` and ``zh-SG`` are Simplified, ``zh-TW`` and ``zh-HK`` Traditional).
    Japanese, Simplified Chinese, Korean, Devanagari (``hi``, ``ne``, ``mr``), Thai and
    Arabic-script languages get their own lists; Latin-script and unknown languages the
    Latin list. Raises LocaleError for any other script (Traditional Chinese, Cyrillic,
    Bengali, ...), for which the kit ships no font: rendering it would give tofu or, for
    Traditional Chinese, Simplified glyph forms.
    """
    subtags = [s for s in re.split(r"[-_]", lang.split("@", 1)[0].strip()) if s]
    if not subtags:
        raise LocaleError(f"empty language tag {lang!r}")
    language = subtags[0].lower()
    rest = subtags[1:]
    explicit = rest[0].title() if rest and len(rest[0]) == 4 and rest[0].isalpha() else None
    region = next(
        (
            s.upper()
            for s in rest[1 if explicit else 0 :][:1]
            if (len(s) == 2 and s.isalpha()) or (len(s) == 3 and s.isdigit())
        ),
        None,
    )
    script = explicit or _likely_script(language, region)
    if script is None:  # a language CLDR does not know: taken as Latin
        script = "Latn"
    script = _SCRIPT_ALIASES.get(script, script)
    if script not in _SCRIPT_DEFAULTS:
        shipped = ", ".join(sorted(_SCRIPT_DEFAULTS))
        hint = (
            " (Noto Sans CJK SC has Simplified Chinese glyph forms, wrong for Traditional)"
            if script == "Hant"
            else ""
        )
        raise LocaleError(
            f"no shipped font for {lang!r}: it is written in the {script} script, and the "
            f"kit ships fonts for these scripts only: {shipped}{hint}"
        )
    key = language if _FAMILY_SCRIPTS.get(language) == script else _SCRIPT_DEFAULTS[script]
    return list(FAMILIES[key])


# Where covering() looks for a character the text's own families lack: Japanese first
# (kit's users are mostly in Japan: a name in kanji is most likely Japanese).
_FALLBACK = (CJK_JP, LATIN, DEVANAGARI, THAI, ARABIC, CJK_KR, CJK_SC)


def covering(text: str, families: list[str]) -> list[str]:
    """`families`, then each other shipped family that draws a character of `text` that
    none before it does: an organisation's Devanagari contact line on a Japanese poster
    is drawn in Noto Sans Devanagari, not refused."""
    out = list(families)
    missing = missing_glyphs(text, out)
    for family in _FALLBACK:
        if not missing:
            break
        if family not in out:
            drawn = [c for c in missing if not missing_glyphs(c, [family])]
            if drawn:
                out.append(family)
                missing = [c for c in missing if c not in drawn]
    return out


# The scripts a line of an organisation's profile may be written in, whatever the
# poster's language: (first, last) code points, and the language to set it in when the
# poster's own script is another: the language of kit's catalogs in that script (Han
# alone counts as Japanese, kit's users being mostly in Japan, except on a Chinese or
# Korean poster; Devanagari as Nepali).
_SCRIPTS = (
    ("kana", ((0x3040, 0x30FF), (0x31F0, 0x31FF), (0xFF66, 0xFF9F)), "ja", CJK_JP),
    ("hangul", ((0xAC00, 0xD7AF), (0x1100, 0x11FF), (0x3130, 0x318F)), "ko", CJK_KR),
    ("han", ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x3FFFF)), "ja", ""),
    ("devanagari", ((0x0900, 0x097F), (0xA8E0, 0xA8FF)), "ne", DEVANAGARI),
    ("thai", ((0x0E00, 0x0E7F),), "th", THAI),
    (
        "arabic",
        ((0x0600, 0x06FF), (0x0750, 0x077F), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF)),
        "ar",
        ARABIC,
    ),
)


def text_lang(text: str, poster_lang: str) -> str:
    """The language to set a line of a profile in: the poster's, unless the line is in
    another script (a Japanese name on a Nepali poster is set as Japanese: its fonts,
    and its line breaks between phrases, never inside ネットワーク)."""
    own = families_for(poster_lang)[0]
    found = {name for c in text for name, ranges, _, _ in _SCRIPTS if _within(ord(c), ranges)}
    for name, _, lang, family in _SCRIPTS:
        if name not in found:
            continue
        if name == "han":
            return poster_lang if own in (CJK_JP, CJK_SC, CJK_KR) else "ja"
        return poster_lang if own == family else lang
    return poster_lang


def _within(cp: int, ranges: tuple[tuple[int, int], ...]) -> bool:
    return any(a <= cp <= b for a, b in ranges)


def web_fonts(text: str) -> list[tuple[str, bytes]]:
    """(family, font file) for each of kit's Regular faces a page of `text` needs, cut down
    to its characters: a page that shows its Japanese, Nepali or Arabic names in kit's
    own glyphs, with no system font, offline, in a few kilobytes."""
    import io

    from fontTools import subset
    from fontTools.ttLib import TTFont

    files = {f.name: f for f in font_files()}
    out = []
    for family in covering(text, [LATIN]):
        stem = family.replace("Noto Sans CJK ", "NotoSansCJK").replace(" ", "")
        stem = stem[:-2] + stem[-2:].lower() if "CJK" in stem else stem
        path = files.get(f"{stem}-Regular.subset.otf") or files[f"{stem}-Regular.subset.ttf"]
        font = TTFont(path, recalcTimestamp=False)  # the same page for the same build
        options = subset.Options()
        options.layout_features = ["*"]  # joining, conjuncts, vertical forms: all kept
        options.notdef_outline = True
        subsetter = subset.Subsetter(options)
        subsetter.populate(text=text)
        subsetter.subset(font)
        data = io.BytesIO()
        font.save(data)
        out.append((family, data.getvalue()))
    return out


def _likely_script(language: str, region: str | None) -> str | None:
    """The script CLDR expects for a language (in a region), or None if CLDR does not know."""
    from babel.core import get_global

    likely_subtags = get_global("likely_subtags")
    likely = (region and likely_subtags.get(f"{language}_{region}")) or likely_subtags.get(language)
    if not likely:
        return None
    parts = likely.split("_")
    return parts[1] if len(parts) > 1 and len(parts[1]) == 4 else None


# Code points that need no glyph of their own, checked before the fonts:
# * whitespace, including the line and paragraph separators U+2028/U+2029 and the
#   ideographic space: Typst lays them out as spacing or breaks, not as glyphs;
# * format characters (category Cf): ZWJ, ZWNJ, ZWSP, word joiner, soft hyphen (shown as
#   a hyphen only at a break, from the font's own hyphen), bidi controls, BOM, tag
#   characters. The shaper consumes them; in an emoji ZWJ sequence the pictographs
#   around the ZWJ are still checked, one by one;
# * variation selectors (category Mn, so listed explicitly) and the combining grapheme
#   joiner: a selector picks a variant of the character before it; when the font has no
#   such variant, the shaper shows the base glyph. What matters is the base character,
#   which is checked. So "葛󠄀" (葛 + VS17) is fine when 葛 is, and "❤️" is missing
#   exactly when ❤ is.
# Other combining marks (U+0301, U+3099, ...) are checked like any character: text is
# expected in NFC, where they only remain when no precomposed character exists.
_VARIATION_SELECTORS = (
    (0xFE00, 0xFE0F),
    (0xE0100, 0xE01EF),
    (0x180B, 0x180D),
    (0x180F, 0x180F),
    (0x034F, 0x034F),  # combining grapheme joiner
)


def _needs_no_glyph(char: str) -> bool:
    if char.isspace() or unicodedata.category(char) == "Cf":
        return True
    cp = ord(char)
    return any(start <= cp <= end for start, end in _VARIATION_SELECTORS)


def missing_glyphs(text: str, families: list[str]) -> list[str]:
    """The distinct characters of ``text``, in order, that no given family's fonts map.

    A family covers a character when all its shipped files (Regular and Bold) map it.
    Raises ValueError for a family the kit does not ship.
    """
    covered = _coverage(tuple(families))
    missing: dict[str, None] = {}
    for char in text:
        if char not in missing and ord(char) not in covered and not _needs_no_glyph(char):
            missing[char] = None
    return list(missing)


@functools.lru_cache(maxsize=64)
def _coverage(families: tuple[str, ...]) -> frozenset[int]:
    table = _coverage_table()
    unknown = [f for f in families if f not in table]
    if unknown:
        raise ValueError(
            f"no shipped font for famil{'y' if len(unknown) == 1 else 'ies'} "
            f"{', '.join(map(repr, unknown))}; shipped: {', '.join(sorted(table))}"
        )
    covered: set[int] = set()
    for family in families:
        for start, end in table[family]:
            covered.update(range(start, end + 1))
    return frozenset(covered)


@functools.lru_cache(maxsize=1)
def _coverage_table() -> dict[str, list[list[int]]]:
    """coverage.json: per family, the code points all its files map, as [start, end]
    ranges. Written with the fonts by scripts/build_fonts.py (and checked against them by
    the tests), so a poster need not parse fourteen font files to check its text."""
    data: dict[str, list[list[int]]] = json.loads((font_dir() / COVERAGE).read_text("utf-8"))
    return data


def compute_coverage(folder: Path | None = None) -> dict[str, list[list[int]]]:
    """The coverage table, from the font files themselves (needs fontTools)."""
    from fontTools.ttLib import TTFont

    folder = folder or font_dir()
    by_family: dict[str, list[Path]] = {}
    for path in sorted(p for p in folder.iterdir() if p.suffix.lower() in _FONT_SUFFIXES):
        with TTFont(str(path), lazy=True) as font:
            name = font["name"]
            family = str(name.getDebugName(16) or name.getDebugName(1))
        by_family.setdefault(family, []).append(path)
    table = {}
    for family in sorted(by_family):
        maps = []
        for path in by_family[family]:
            with TTFont(str(path), lazy=True) as font:
                maps.append(set(font.getBestCmap() or {}))
        points = sorted(set.intersection(*maps))
        ranges: list[list[int]] = []
        for cp in points:
            if ranges and ranges[-1][1] == cp - 1:
                ranges[-1][1] = cp
            else:
                ranges.append([cp, cp])
        table[family] = ranges
    return table


def write_coverage(out_dir: Path) -> None:
    text = json.dumps(compute_coverage(out_dir), separators=(",", ":"), sort_keys=True) + "\n"
    (out_dir / COVERAGE).write_text(text, encoding="utf-8")


def verify_manifest() -> list[str]:
    """Problems found comparing the shipped files with manifest.json; empty when all is well."""
    manifest_path = font_dir() / _MANIFEST
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        entries = {entry["file"]: entry for entry in manifest["fonts"]}
    except (OSError, ValueError, KeyError, TypeError) as exc:
        return [f"{_MANIFEST}: cannot be read: {exc}"]
    problems: list[str] = []
    for name, entry in entries.items():
        path = font_dir() / name
        if not path.is_file():
            problems.append(f"{name}: listed in {_MANIFEST} but missing")
            continue
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        if digest != entry.get("sha256"):
            problems.append(
                f"{name}: SHA-256 {digest} does not match {_MANIFEST} ({entry.get('sha256')})"
            )
    for path in font_files():
        if path.name not in entries:
            problems.append(f"{path.name}: shipped but not listed in {_MANIFEST}")
    if not (font_dir() / "OFL.txt").is_file():
        problems.append("OFL.txt: the font licence is missing")
    return problems
