#!/usr/bin/env python3
"""Regenerate the fonts the kit ships (kit/data/fonts/) from Debian's Noto packages.

Posters must look the same on every machine without a system font for their script, so
the kit ships subsets of Noto Sans CJK JP, SC and KR, Noto Sans, Noto Sans Devanagari,
Noto Sans Thai and Noto Sans Arabic. This script makes them, reproducibly:

* sources: Debian's ``fonts-noto-cjk`` (NotoSansCJK-{Regular,Bold}.ttc, from which the
  "Noto Sans CJK JP", "... SC" and "... KR" faces are taken) and ``fonts-noto-core``
  (NotoSans{,Devanagari,Thai,Arabic}-{Regular,Bold}.ttf, static fonts). It checks they are
  installed and, if not, prints the apt-get command; it installs nothing.
* subsets with fontTools.subset:
  - the Japanese faces keep all of JIS X 0208 (derived from Python's ``euc_jp`` codec),
    the Windows-31J (cp932) extras, kana, CJK punctuation, full/halfwidth forms and
    signage symbols;
  - the Simplified Chinese faces keep all of GB 2312 (Python's ``gb2312`` codec) and the
    Korean faces all 11,172 Hangul syllables, the Hangul Jamo blocks and KS X 1001
    (Python's ``euc_kr`` codec, Hanja included), both with the same punctuation, symbol and
    fullwidth blocks as Japanese;
  - each CJK face keeps only its own OpenType language system (JAN, ZHS, KOR) besides the
    default one, which halves its size, and the features Typst uses;
  - Noto Sans keeps the Latin blocks plus punctuation and symbols;
  - Devanagari, Thai and Arabic keep their scripts' blocks plus the ASCII digits and
    punctuation the fonts have, with every OpenType feature and language system and the
    GSUB closure, so conjuncts, joining forms, lam-alef ligatures and mark positioning are
    all still there.
  Hinting is dropped.
* writes kit/data/fonts/manifest.json (sources, Debian versions, cmap sizes, SHA-256) and
  kit/data/fonts/OFL.txt (the fonts' copyright lines and the full SIL OFL 1.1).

The output is byte-for-byte deterministic for a given fontTools version and source
package versions: head.modified is pinned to the source font's value and nothing else
carries a time. ``--check`` rebuilds into a temporary folder and compares with kit/data/fonts/.

Usage: python scripts/build_fonts.py [--out DIR] [--check]
Needs: apt-get install fonts-noto-cjk fonts-noto-core; pip install fonttools
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO / "kit" / "data" / "fonts"

CJK_DIR = Path("/usr/share/fonts/opentype/noto")
CORE_DIR = Path("/usr/share/fonts/truetype/noto")
CJK_PACKAGE = "fonts-noto-cjk"
CORE_PACKAGE = "fonts-noto-core"

CJK_FAMILY = "Noto Sans CJK JP"
CJK_SC_FAMILY = "Noto Sans CJK SC"
CJK_KR_FAMILY = "Noto Sans CJK KR"
LATIN_FAMILY = "Noto Sans"
DEVANAGARI_FAMILY = "Noto Sans Devanagari"
THAI_FAMILY = "Noto Sans Thai"
ARABIC_FAMILY = "Noto Sans Arabic"

# OFL 1.1 lets Modified Versions keep a name unless it is a Reserved Font Name. Noto has
# none, but Noto Sans CJK is built from Adobe's Source Han Sans, whose RFN is "Source":
# the shipped files must not carry that word in any name or CFF string.
FORBIDDEN_NAME = "Source"


@dataclass(frozen=True)
class FontSpec:
    """One shipped font: where it comes from and what it keeps."""

    output: str
    family: str
    style: str
    weight: int
    package: str
    source: Path
    repertoire: str  # a key of REPERTOIRES: "ja", "zh-Hans", "ko", "latin", ...
    # OpenType language systems to keep besides each script's default, or None for all.
    # The CJK collection's faces carry 'locl' lookups for the other CJK language systems
    # that swap in their regional glyph forms; keeping them doubles the glyph count of a
    # subset (16,910 glyphs and 3.8 MB instead of ~9,000 and 1.9 MB for JP) for text the
    # kit sets in the face's own language anyway. The other fonts keep all of theirs
    # (Romanian, Turkish, ... in Noto Sans; Marathi and Nepali in Devanagari; Urdu).
    language_systems: tuple[str, ...] | None = None
    # Complex scripts: keep every OpenType feature ('*'), not just the list below. Their
    # shaping (Indic conjuncts and reordering, Arabic joining, Thai marks) lives in GSUB
    # and GPOS, and their contextual glyphs are reachable only through GSUB.
    all_features: bool = False


SPECS: tuple[FontSpec, ...] = (
    FontSpec(
        "NotoSansCJKjp-Regular.subset.otf",
        CJK_FAMILY,
        "Regular",
        400,
        CJK_PACKAGE,
        CJK_DIR / "NotoSansCJK-Regular.ttc",
        "ja",
        ("JAN",),
    ),
    FontSpec(
        "NotoSansCJKjp-Bold.subset.otf",
        CJK_FAMILY,
        "Bold",
        700,
        CJK_PACKAGE,
        CJK_DIR / "NotoSansCJK-Bold.ttc",
        "ja",
        ("JAN",),
    ),
    FontSpec(
        "NotoSans-Regular.subset.ttf",
        LATIN_FAMILY,
        "Regular",
        400,
        CORE_PACKAGE,
        CORE_DIR / "NotoSans-Regular.ttf",
        "latin",
    ),
    FontSpec(
        "NotoSans-Bold.subset.ttf",
        LATIN_FAMILY,
        "Bold",
        700,
        CORE_PACKAGE,
        CORE_DIR / "NotoSans-Bold.ttf",
        "latin",
    ),
    FontSpec(
        "NotoSansCJKsc-Regular.subset.otf",
        CJK_SC_FAMILY,
        "Regular",
        400,
        CJK_PACKAGE,
        CJK_DIR / "NotoSansCJK-Regular.ttc",
        "zh-Hans",
        ("ZHS",),
    ),
    FontSpec(
        "NotoSansCJKsc-Bold.subset.otf",
        CJK_SC_FAMILY,
        "Bold",
        700,
        CJK_PACKAGE,
        CJK_DIR / "NotoSansCJK-Bold.ttc",
        "zh-Hans",
        ("ZHS",),
    ),
    FontSpec(
        "NotoSansCJKkr-Regular.subset.otf",
        CJK_KR_FAMILY,
        "Regular",
        400,
        CJK_PACKAGE,
        CJK_DIR / "NotoSansCJK-Regular.ttc",
        "ko",
        ("KOR",),
    ),
    FontSpec(
        "NotoSansCJKkr-Bold.subset.otf",
        CJK_KR_FAMILY,
        "Bold",
        700,
        CJK_PACKAGE,
        CJK_DIR / "NotoSansCJK-Bold.ttc",
        "ko",
        ("KOR",),
    ),
    FontSpec(
        "NotoSansDevanagari-Regular.subset.ttf",
        DEVANAGARI_FAMILY,
        "Regular",
        400,
        CORE_PACKAGE,
        CORE_DIR / "NotoSansDevanagari-Regular.ttf",
        "devanagari",
        all_features=True,
    ),
    FontSpec(
        "NotoSansDevanagari-Bold.subset.ttf",
        DEVANAGARI_FAMILY,
        "Bold",
        700,
        CORE_PACKAGE,
        CORE_DIR / "NotoSansDevanagari-Bold.ttf",
        "devanagari",
        all_features=True,
    ),
    FontSpec(
        "NotoSansThai-Regular.subset.ttf",
        THAI_FAMILY,
        "Regular",
        400,
        CORE_PACKAGE,
        CORE_DIR / "NotoSansThai-Regular.ttf",
        "thai",
        all_features=True,
    ),
    FontSpec(
        "NotoSansThai-Bold.subset.ttf",
        THAI_FAMILY,
        "Bold",
        700,
        CORE_PACKAGE,
        CORE_DIR / "NotoSansThai-Bold.ttf",
        "thai",
        all_features=True,
    ),
    FontSpec(
        "NotoSansArabic-Regular.subset.ttf",
        ARABIC_FAMILY,
        "Regular",
        400,
        CORE_PACKAGE,
        CORE_DIR / "NotoSansArabic-Regular.ttf",
        "arabic",
        all_features=True,
    ),
    FontSpec(
        "NotoSansArabic-Bold.subset.ttf",
        ARABIC_FAMILY,
        "Bold",
        700,
        CORE_PACKAGE,
        CORE_DIR / "NotoSansArabic-Bold.ttf",
        "arabic",
        all_features=True,
    ),
)

# fontTools' default feature list (ccmp, locl, liga, clig, calt, kern, mark, mkmk, palt,
# halt, vpal, vert, vrt2, frac/numr/dnom, chws, ...) plus what Typst's text() can switch
# on (smcp/c2sc, sups/subs, lnum/onum, pnum/tnum, zero, salt, ssNN, dlig, hlig) and the
# width variants a designer may ask for with `features:`. Deliberately left out: aalt,
# jp78/jp83/jp90, nlck, hist, ruby: each pulls thousands of alternate glyphs into a subset.
EXTRA_FEATURES = [
    "c2sc",
    "case",
    "dlig",
    "hlig",
    "lnum",
    "onum",
    "ordn",
    "pnum",
    "salt",
    "smcp",
    "subs",
    "sups",
    "tnum",
    "zero",
    "fwid",
    "hwid",
    "pwid",
    *(f"ss{n:02d}" for n in range(1, 21)),
]

# Ranges are inclusive. Only characters the source font maps are kept, so a generous block
# costs nothing for the code points the font lacks.
#
# Punctuation, symbols and fullwidth forms every CJK face keeps.
CJK_COMMON_RANGES: tuple[tuple[int, int], ...] = (
    (0x0020, 0x007E),  # ASCII
    (0x00A0, 0x00FF),  # Latin-1 Supplement
    (0x2000, 0x206F),  # General Punctuation
    (0x2100, 0x214F),  # Letterlike Symbols (No, Tel, ...)
    (0x2150, 0x218F),  # Number Forms (Roman numerals)
    (0x2190, 0x21FF),  # Arrows
    (0x2460, 0x24FF),  # Enclosed Alphanumerics (circled numbers)
    (0x25A0, 0x25FF),  # Geometric Shapes
    (0x2600, 0x26FF),  # Miscellaneous Symbols (whatever the font has)
    (0x3000, 0x303F),  # CJK Symbols and Punctuation (incl. iteration marks 々 〻 〱-〵)
    (0x3200, 0x32FF),  # Enclosed CJK Letters and Months (㈱ ㊤ ㉠ ...)
    (0x3300, 0x33FF),  # CJK Compatibility (㍉ ㎝ ...)
    (0xFF00, 0xFFEF),  # Halfwidth and Fullwidth Forms (incl. halfwidth kana and Hangul)
)
KANA_RANGES: tuple[tuple[int, int], ...] = (
    (0x3040, 0x309F),  # Hiragana (incl. ゝ ゞ and combining (semi-)voiced marks)
    (0x30A0, 0x30FF),  # Katakana (incl. ヽ ヾ ー ・)
    (0x31F0, 0x31FF),  # Katakana Phonetic Extensions
)
JA_RANGES: tuple[tuple[int, int], ...] = CJK_COMMON_RANGES + KANA_RANGES
# GB 2312 already has hiragana and katakana, KS X 1001 too; the blocks add the rest.
ZH_HANS_RANGES: tuple[tuple[int, int], ...] = CJK_COMMON_RANGES + KANA_RANGES[:2]
KO_RANGES: tuple[tuple[int, int], ...] = (
    CJK_COMMON_RANGES
    + KANA_RANGES[:2]
    + (
        (0x1100, 0x11FF),  # Hangul Jamo (conjoining; old Hangul composes through ljmo/vjmo/tjmo)
        (0x3130, 0x318F),  # Hangul Compatibility Jamo
        (0xA960, 0xA97F),  # Hangul Jamo Extended-A
        (0xAC00, 0xD7A3),  # Hangul Syllables: all 11,172
        (0xD7B0, 0xD7FF),  # Hangul Jamo Extended-B
    )
)
# Joyo kanji (2010) whose code points lie outside JIS X 0208.
JA_EXTRA_CHARS = "\U00020b9f\u5861\u525d\u9830"  # 𠮟 塡 剝 頰

LATIN_RANGES: tuple[tuple[int, int], ...] = (
    (0x0020, 0x007E),  # Basic Latin
    (0x00A0, 0x00FF),  # Latin-1 Supplement
    (0x0100, 0x017F),  # Latin Extended-A
    (0x0180, 0x024F),  # Latin Extended-B
    (0x02B0, 0x02FF),  # Spacing Modifier Letters
    (0x0300, 0x036F),  # Combining Diacritical Marks (decomposed text, Vietnamese)
    (0x1E00, 0x1EFF),  # Latin Extended Additional (Vietnamese)
    (0x2000, 0x206F),  # General Punctuation
    (0x2070, 0x209F),  # Superscripts and Subscripts
    (0x20A0, 0x20CF),  # Currency Symbols
    (0x2100, 0x214F),  # Letterlike Symbols
    (0x2150, 0x218F),  # Number Forms
    (0x2190, 0x21FF),  # Arrows
    (0x2200, 0x22FF),  # Mathematical Operators (minus, times, ...)
    (0x25A0, 0x25FF),  # Geometric Shapes
    (0xFB00, 0xFB06),  # Latin ligatures (fi, fl)
    (0xFFFD, 0xFFFD),  # Replacement character
)

# What the complex-script fonts keep besides their script: the ASCII digits and
# punctuation they draw (the rest falls back to Noto Sans), no-break space, the joiners
# the shapers read (ZWSP, ZWNJ, ZWJ, CGJ) and the dotted circle U+25CC, which the shaper
# shows under a mark that has no base.
SHAPING_COMMON_RANGES: tuple[tuple[int, int], ...] = (
    (0x0020, 0x0040),  # space, ASCII digits and punctuation
    (0x005B, 0x0060),
    (0x007B, 0x007E),
    (0x00A0, 0x00A0),  # no-break space
    (0x00AB, 0x00AB),  # « » (Arabic quotation marks)
    (0x00AD, 0x00AD),  # soft hyphen
    (0x00BB, 0x00BB),
    (0x00D7, 0x00D7),  # × ÷
    (0x00F7, 0x00F7),
    (0x02BC, 0x02BC),  # modifier apostrophe
    (0x034F, 0x034F),  # combining grapheme joiner
    (0x200B, 0x200F),  # ZWSP, ZWNJ, ZWJ, LRM, RLM
    (0x2010, 0x2027),  # hyphens, dashes, quotation marks, ellipsis
    (0x25CC, 0x25CC),  # dotted circle
)
DEVANAGARI_RANGES: tuple[tuple[int, int], ...] = SHAPING_COMMON_RANGES + (
    (0x0900, 0x097F),  # Devanagari (incl. danda । ॥ and the digits ०-९)
    (0x1CD0, 0x1CFF),  # Vedic Extensions
    (0x20B9, 0x20B9),  # Indian rupee sign ₹
    (0x20F0, 0x20F0),  # combining asterisk above
    (0x2212, 0x2212),  # minus sign
    (0xA830, 0xA83F),  # Common Indic Number Forms
    (0xA8E0, 0xA8FF),  # Devanagari Extended
)
THAI_RANGES: tuple[tuple[int, int], ...] = SHAPING_COMMON_RANGES + (
    (0x0E00, 0x0E7F),  # Thai (incl. the Thai digits, ฿, ๆ and ฯ)
    (0x02D7, 0x02D7),  # modifier minus
    (0x0303, 0x0303),  # combining tilde and low line, used in transliteration
    (0x0331, 0x0331),
)
ARABIC_RANGES: tuple[tuple[int, int], ...] = SHAPING_COMMON_RANGES + (
    (0x0600, 0x06FF),  # Arabic (incl. ، ؛ ؟, Arabic-Indic and Persian digits, ٪)
    (0x0750, 0x077F),  # Arabic Supplement
    (0x08A0, 0x08FF),  # Arabic Extended-A
    (0x204F, 0x204F),  # reversed semicolon
    (0x2E41, 0x2E41),  # reversed comma
    (0xFB50, 0xFDFF),  # Arabic Presentation Forms-A (legacy text, ﷼ ...)
    (0xFE70, 0xFEFF),  # Arabic Presentation Forms-B
)


def euc_double_byte(codec: str) -> set[str]:
    """Every character of an EUC-encoded 94x94 set: all valid 2-byte codes 0xA1A1-0xFEFE."""
    chars: set[str] = set()
    for first in range(0xA1, 0xFF):
        for second in range(0xA1, 0xFF):
            try:
                chars.add(bytes((first, second)).decode(codec))
            except UnicodeDecodeError:
                continue
    return chars


def jis_x_0208() -> set[str]:
    """Every character of JIS X 0208 (6,879), from the ``euc_jp`` codec."""
    return euc_double_byte("euc_jp")


def gb_2312() -> set[str]:
    """Every character of GB 2312 (7,445: 6,763 hanzi and 682 others), from ``gb2312``."""
    return euc_double_byte("gb2312")


def ks_x_1001() -> set[str]:
    """Every character of KS X 1001 (8,225: 2,350 Hangul syllables, 4,888 Hanja and 987
    others), from the ``euc_kr`` codec."""
    return euc_double_byte("euc_kr")


def cp932_extras() -> set[str]:
    """Windows-31J (cp932) double-byte characters, private-use area excluded.

    Adds NEC special characters (①, Ⅰ, ㈱, ㍉, ...), the IBM extended kanji (髙, 﨑, ...)
    and Microsoft's mappings of JIS punctuation (～ U+FF5E, ∥ U+2225, － U+FF0D, ...),
    which is what Japanese text typed on Windows and macOS actually contains.
    """
    leads = [*range(0x81, 0xA0), *range(0xE0, 0xFD)]
    trails = [*range(0x40, 0x7F), *range(0x80, 0xFD)]
    chars: set[str] = set()
    for first in leads:
        for second in trails:
            try:
                char = bytes((first, second)).decode("cp932")
            except UnicodeDecodeError:
                continue
            if unicodedata.category(char) != "Co":
                chars.add(char)
    return chars


def expand(ranges: tuple[tuple[int, int], ...]) -> set[int]:
    return {cp for start, end in ranges for cp in range(start, end + 1)}


def repertoire(kind: str) -> list[int]:
    """The code points to keep for a repertoire kind (see FontSpec.repertoire), sorted."""
    if kind == "ja":
        chars = jis_x_0208() | cp932_extras() | set(JA_EXTRA_CHARS)
        return sorted({ord(c) for c in chars} | expand(JA_RANGES))
    if kind == "zh-Hans":
        return sorted({ord(c) for c in gb_2312()} | expand(ZH_HANS_RANGES))
    if kind == "ko":
        return sorted({ord(c) for c in ks_x_1001()} | expand(KO_RANGES))
    ranges = {
        "latin": LATIN_RANGES,
        "devanagari": DEVANAGARI_RANGES,
        "thai": THAI_RANGES,
        "arabic": ARABIC_RANGES,
    }
    if kind in ranges:
        return sorted(expand(ranges[kind]))
    raise ValueError(kind)


# -- environment checks -------------------------------------------------------------------


def package_version(package: str) -> str | None:
    """The installed version of a Debian package, or None when it is not installed."""
    try:
        result = subprocess.run(
            ["dpkg-query", "-W", "-f=${db:Status-Status} ${Version}", package],
            capture_output=True,
            text=True,
            check=False,
        )
    except FileNotFoundError:
        return None
    if result.returncode != 0:
        return None
    status, _, version = result.stdout.partition(" ")
    return version if status == "installed" and version else None


def check_environment() -> dict[str, str]:
    """Stop with a clear message unless the packages and fontTools are there."""
    versions: dict[str, str] = {}
    missing: list[str] = []
    for package in (CJK_PACKAGE, CORE_PACKAGE):
        version = package_version(package)
        if version is None:
            missing.append(package)
        else:
            versions[package] = version
    if missing:
        sys.exit(
            "build_fonts: the source fonts come from Debian packages that are not installed.\n"
            f"Install them with:\n\n    sudo apt-get install {' '.join(missing)}\n"
        )
    absent = [str(spec.source) for spec in SPECS if not spec.source.is_file()]
    if absent:
        sys.exit("build_fonts: source font files not found: " + ", ".join(absent))
    try:
        import fontTools  # noqa: F401
    except ImportError:
        sys.exit("build_fonts: fontTools is needed:\n\n    python -m pip install fonttools\n")
    return versions


# -- building -----------------------------------------------------------------------------


def face_index(path: Path, family: str) -> int:
    """The index in a .ttc of the face whose family name (name ID 1) is exactly ``family``."""
    from fontTools.ttLib import TTCollection

    collection = TTCollection(str(path), lazy=True)
    try:
        for index, font in enumerate(collection.fonts):
            if font["name"].getDebugName(1) == family:
                return index
    finally:
        collection.close()
    raise SystemExit(f"build_fonts: no face named {family!r} in {path}")


def layout_scripts(font: object, language_systems: tuple[str, ...] | None) -> list[str]:
    """fontTools' --layout-scripts value: every script, limited to the given languages."""
    if language_systems is None:
        return ["*"]
    tags: set[str] = set()
    for table in ("GSUB", "GPOS"):
        if table not in font:  # type: ignore[operator]
            continue
        for record in font[table].table.ScriptList.ScriptRecord:  # type: ignore[index]
            script = record.ScriptTag.strip()
            tags.add(f"{script}.dflt" if script != "DFLT" else "DFLT")
            present = {ls.LangSysTag.strip() for ls in record.Script.LangSysRecord}
            tags.update(f"{script}.{lang}" for lang in language_systems if lang in present)
    return sorted(tags)


def restore_unmapped_approx(font: object) -> dict[str, str]:
    """Map U+2252 ≒ (JIS X 0208 1-2-82, KS X 1001 1-54) to its glyph again; return what
    was mapped.

    Noto Sans CJK draws ≒ but leaves it out of 'cmap' on purpose (noto-cjk issues 24,
    140, 194, 232: in the Chinese faces it looked larger than U+2250-2253 beside it).
    Japanese and Korean text use ≒ for "approximately", so the JP and KR subsets map it
    back (GB 2312 has no ≒; the SC subset leaves it alone). The glyph is
    found by its place: the Pan-CJK glyph order keeps the math operators in code point
    order, and ≒ is the one unencoded glyph between ≌ U+224C and ≠ U+2260. Anything else
    stops the build rather than guess.
    """
    cmap = font.getBestCmap()  # type: ignore[attr-defined]
    if 0x2252 in cmap:
        return {}
    order = font.getGlyphOrder()  # type: ignore[attr-defined]
    before, after = order.index(cmap[0x224C]), order.index(cmap[0x2260])
    glyph = order[before + 1] if after == before + 2 else None
    if glyph is None or glyph in set(cmap.values()) or font["hmtx"][glyph][0] != 1000:  # type: ignore[index]
        raise SystemExit("build_fonts: cannot find the unencoded glyph of U+2252 ≒")
    for table in font["cmap"].tables:  # type: ignore[index]
        if table.isUnicode():
            table.cmap[0x2252] = glyph
    return {"U+2252": glyph}


def subset_options(scripts: list[str], all_features: bool = False) -> object:
    from fontTools.subset import Options

    options = Options()
    options.layout_scripts = scripts
    if all_features:
        # Every feature of every script and language system; the subsetter then adds every
        # glyph GSUB can reach from the kept characters (layout_closure, on by default):
        # conjuncts, half and reph forms, joining forms, ligatures, mark variants.
        options.layout_features = ["*"]
        options.layout_closure = True
    else:
        options.layout_features = sorted(set(options.layout_features) | set(EXTRA_FEATURES))
    options.hinting = False  # drops CFF hints and TrueType instructions (cvt, fpgm, prep)
    options.desubroutinize = False  # subroutines keep CFF small
    options.notdef_outline = True  # a missing glyph shows as a box, not as nothing
    options.name_IDs = ["*"]  # keep copyright, trademark and licence records
    options.name_languages = ["*"]  # and the Japanese-language names
    options.name_legacy = True
    options.recalc_timestamp = False
    options.glyph_names = False
    return options


def build_font(spec: FontSpec, out_dir: Path) -> tuple[Path, dict[str, str]]:
    """Subset one font into ``out_dir``; return the written path and re-encoded glyphs."""
    from fontTools.subset import Subsetter
    from fontTools.ttLib import TTFont

    index = face_index(spec.source, spec.family) if spec.source.suffix == ".ttc" else -1
    font = TTFont(str(spec.source), fontNumber=index, recalcTimestamp=False, lazy=False)
    modified = font["head"].modified
    name = font["name"]
    if name.getDebugName(1) != spec.family:
        raise SystemExit(f"build_fonts: {spec.source} is {name.getDebugName(1)!r}")

    remapped = restore_unmapped_approx(font) if spec.repertoire in ("ja", "ko") else {}
    options = subset_options(layout_scripts(font, spec.language_systems), spec.all_features)
    subsetter = Subsetter(options=options)
    subsetter.populate(unicodes=repertoire(spec.repertoire))
    subsetter.subset(font)

    # Mark the unique ID so an OS that has the full font installed does not confuse the two.
    for record in name.names:
        if record.nameID == 3:
            record.string = record.toUnicode() + ";kit-subset"
    # Determinism: keep the source's modification time (TTFont would otherwise stamp "now").
    font["head"].modified = modified
    font.recalcTimestamp = False

    out = out_dir / spec.output
    font.save(str(out), reorderTables=True)
    font.close()
    check_names(out, spec)
    return out, remapped


def font_strings(path: Path) -> list[str]:
    """All name-table strings and CFF top-dict strings of a font."""
    from fontTools.ttLib import TTFont

    font = TTFont(str(path), lazy=True)
    strings = [record.toUnicode() for record in font["name"].names]
    if "CFF " in font:
        cff = font["CFF "].cff
        strings += cff.fontNames
        for top in cff.topDictIndex:
            for key in ("Notice", "Copyright", "FullName", "FamilyName", "Weight"):
                value = getattr(top, key, None)
                if isinstance(value, str):
                    strings.append(value)
    font.close()
    return strings


def check_names(path: Path, spec: FontSpec) -> None:
    from fontTools.ttLib import TTFont

    font = TTFont(str(path), lazy=True)
    family = font["name"].getDebugName(16) or font["name"].getDebugName(1)
    font.close()
    if family != spec.family:
        raise SystemExit(f"build_fonts: {path.name} is named {family!r}, not {spec.family!r}")
    offending = [s for s in font_strings(path) if FORBIDDEN_NAME.lower() in s.lower()]
    if offending:
        raise SystemExit(f"build_fonts: {path.name} carries the reserved name: {offending}")


def cmap_size(path: Path) -> int:
    from fontTools.ttLib import TTFont

    font = TTFont(str(path), lazy=True)
    size = len(font.getBestCmap())
    font.close()
    return size


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# -- licence ------------------------------------------------------------------------------


OFL_SECTIONS = ("PREAMBLE", "DEFINITIONS", "PERMISSION & CONDITIONS", "TERMINATION", "DISCLAIMER")
OFL_HEADER = (
    "-----------------------------------------------------------\n"
    "SIL OPEN FONT LICENSE Version 1.1 - 26 February 2007\n"
    "-----------------------------------------------------------\n"
)


def package_files(package: str) -> list[Path]:
    result = subprocess.run(["dpkg", "-L", package], capture_output=True, text=True, check=True)
    return [Path(line) for line in result.stdout.splitlines() if line.strip()]


def debian_license_stanzas(copyright_file: Path) -> dict[str, str]:
    """The stand-alone ``License:`` paragraphs of a machine-readable debian/copyright."""
    stanzas: dict[str, str] = {}
    for paragraph in copyright_file.read_text(encoding="utf-8").split("\n\n"):
        lines = paragraph.splitlines()
        if not lines or not lines[0].startswith("License:"):
            continue
        key = lines[0].removeprefix("License:").strip()
        body = []
        for line in lines[1:]:
            if not line.startswith((" ", "\t")):
                break  # e.g. License-Reference:
            text = line[1:]
            body.append("" if text.strip() == "." else text)
        if body:
            stanzas[key] = "\n".join(body).strip("\n") + "\n"
    return stanzas


def is_full_ofl(text: str) -> bool:
    return "SIL OPEN FONT LICENSE Version 1.1" in text and all(s in text for s in OFL_SECTIONS)


def ofl_text() -> tuple[str, str]:
    """The OFL 1.1 text from the installed packages, and where it was found."""
    candidates: list[tuple[str, str]] = []
    for package in (CJK_PACKAGE, CORE_PACKAGE):
        for path in package_files(package):
            if path.is_file() and path.name.upper().startswith(("OFL", "LICENSE")):
                candidates.append((path.read_text(encoding="utf-8"), str(path)))
    for package in (CJK_PACKAGE, CORE_PACKAGE):
        copyright_file = Path("/usr/share/doc") / package / "copyright"
        if not copyright_file.is_file():
            continue
        for key, body in debian_license_stanzas(copyright_file).items():
            if key.upper().replace("SIL-", "OFL-") in {"OFL-1.1", "OFL-1.1+"}:
                candidates.append((body, f"{copyright_file} (License: {key})"))
    for text, origin in candidates:  # prefer a copy that carries the licence's own title
        if is_full_ofl(text):
            return text.strip("\n") + "\n", origin
    for text, origin in candidates:
        if all(s in text for s in OFL_SECTIONS):
            return OFL_HEADER + "\n" + text.strip("\n") + "\n", origin
    raise SystemExit("build_fonts: found no full SIL OFL 1.1 text in the packages")


def write_license(out_dir: Path, versions: dict[str, str]) -> None:
    from fontTools.ttLib import TTFont

    blocks: list[str] = []
    seen: set[tuple[str, ...]] = set()
    for spec in SPECS:
        index = face_index(spec.source, spec.family) if spec.source.suffix == ".ttc" else -1
        font = TTFont(str(spec.source), fontNumber=index, lazy=True)
        notice = tuple(s for s in (font["name"].getDebugName(0), font["name"].getDebugName(7)) if s)
        font.close()
        key = (spec.family, *notice)
        if key in seen:
            continue
        seen.add(key)
        files = ", ".join(s.output for s in SPECS if s.family == spec.family)
        blocks.append(f"{spec.family} ({files}):\n" + "\n".join(notice))
    text, origin = ofl_text()
    sources = ", ".join(f"{p} {v}" for p, v in sorted(versions.items()))
    header = (
        "\n\n".join(blocks)
        + "\n\nThe files above are Modified Versions (subsets) of the Noto fonts, made by\n"
        f"scripts/build_fonts.py from the Debian packages {sources}.\n\n"
        "This Font Software is licensed under the SIL Open Font License, Version 1.1.\n"
        "This license is copied below, and is also available with a FAQ at:\n"
        "https://openfontlicense.org\n"
        f"(Text taken from {origin}.)\n\n\n"
    )
    (out_dir / "OFL.txt").write_text(header + text, encoding="utf-8")


# -- main ---------------------------------------------------------------------------------


def build(out_dir: Path) -> list[dict[str, object]]:
    versions = check_environment()
    import fontTools

    out_dir.mkdir(parents=True, exist_ok=True)
    entries: list[dict[str, object]] = []
    for spec in SPECS:
        print(f"subsetting {spec.source.name} -> {spec.output}", file=sys.stderr)
        path, remapped = build_font(spec, out_dir)
        entries.append(
            {
                "file": spec.output,
                "family": spec.family,
                "style": spec.style,
                "weight": spec.weight,
                "package": spec.package,
                "package_version": versions[spec.package],
                "source": str(spec.source),
                "source_face": spec.family if spec.source.suffix == ".ttc" else None,
                "remapped_unencoded_glyphs": remapped,
                "cmap_characters": cmap_size(path),
                "size_bytes": path.stat().st_size,
                "sha256": sha256(path),
            }
        )
    manifest = {
        "generator": "scripts/build_fonts.py",
        "fonttools_version": fontTools.version,
        "license": "OFL.txt",
        "fonts": entries,
    }
    text = json.dumps(manifest, indent=2, ensure_ascii=False, sort_keys=False) + "\n"
    (out_dir / "manifest.json").write_text(text, encoding="utf-8")
    write_license(out_dir, versions)
    _write_coverage(out_dir)
    return entries


def _write_coverage(out_dir: Path) -> None:
    """coverage.json, for the kit's glyph check (kit.fonts reads it instead of the fonts)."""
    from kit.fonts import write_coverage

    write_coverage(out_dir)


def generated_files() -> list[str]:
    return [*(spec.output for spec in SPECS), "manifest.json", "OFL.txt", "coverage.json"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder")
    parser.add_argument(
        "--check",
        action="store_true",
        help="rebuild in a temporary folder and compare byte for byte with --out",
    )
    args = parser.parse_args(argv)
    if args.check:
        with tempfile.TemporaryDirectory() as tmp:
            build(Path(tmp))
            differ = [
                name
                for name in generated_files()
                if not (args.out / name).is_file()
                or (args.out / name).read_bytes() != (Path(tmp) / name).read_bytes()
            ]
        if differ:
            print("build_fonts: differs from a fresh build: " + ", ".join(differ))
            return 1
        print(f"build_fonts: {args.out} matches a fresh build")
        return 0
    entries = build(args.out)
    for entry in entries:
        print(
            f"{entry['file']}: {entry['size_bytes']:,} bytes, {entry['cmap_characters']} characters"
        )
    total = sum(int(str(entry["size_bytes"])) for entry in entries)
    print(f"total: {total:,} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
