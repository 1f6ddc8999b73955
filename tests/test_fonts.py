"""The shipped fonts: intact, covering Japanese and Latin text, and seen by Typst by name."""

from __future__ import annotations

import io
import json
import re
import unicodedata
from pathlib import Path

import pytest

from kit import fonts
from kit.errors import LocaleError
from kit.fonts import CJK_JP, LATIN, families_for, font_dir, font_files, missing_glyphs

JP_FILES = ("NotoSansCJKjp-Regular.subset.otf", "NotoSansCJKjp-Bold.subset.otf")
LATIN_FILES = ("NotoSans-Regular.subset.ttf", "NotoSans-Bold.subset.ttf")
SENTENCE = "自画撮り被害から子どもを守る。ネットで知り合った人に写真を送らない（85.9%）"


def jis_x_0208() -> set[str]:
    """JIS X 0208, computed here independently: every 2-byte EUC-JP code 0xA1A1-0xFEFE."""
    chars = set()
    for first in range(0xA1, 0xFF):
        for second in range(0xA1, 0xFF):
            try:
                chars.add(bytes((first, second)).decode("euc_jp"))
            except UnicodeDecodeError:
                pass
    return chars


def cmap(name: str) -> set[int]:
    from fontTools import ttLib as ttlib
    with ttlib.TTFont(str(font_dir() / name), lazy=True) as font:
        return set(font.getBestCmap())


def manifest() -> dict:
    return json.loads((font_dir() / "manifest.json").read_text(encoding="utf-8"))


# -- the files ----------------------------------------------------------------------------


def test_manifest_hashes_match_the_shipped_files():
    assert fonts.verify_manifest() == []
    listed = {entry["file"] for entry in manifest()["fonts"]}
    assert listed == {p.name for p in font_files()} == {*JP_FILES, *LATIN_FILES}


def test_manifest_records_the_debian_sources():
    for entry in manifest()["fonts"]:
        assert entry["package"] in {"fonts-noto-cjk", "fonts-noto-core"}
        assert entry["package_version"] and entry["source"].startswith("/usr/share/fonts/")
        assert re.fullmatch(r"[0-9a-f]{64}", entry["sha256"])
        assert entry["size_bytes"] == (font_dir() / entry["file"]).stat().st_size


def test_verify_manifest_reports_a_changed_file(tmp_path, monkeypatch):
    for path in [*font_files(), font_dir() / "manifest.json", font_dir() / "OFL.txt"]:
        (tmp_path / path.name).write_bytes(path.read_bytes())
    with (tmp_path / LATIN_FILES[0]).open("ab") as f:
        f.write(b"\0")
    (tmp_path / "Extra.ttf").write_bytes(b"")
    monkeypatch.setattr(fonts, "font_dir", lambda: tmp_path)
    problems = fonts.verify_manifest()
    assert len(problems) == 2
    assert problems[0].startswith(LATIN_FILES[0] + ": SHA-256")
    assert problems[1].startswith("Extra.ttf: shipped but not listed")


def test_the_licence_is_the_full_ofl_with_the_noto_copyrights():
    text = (font_dir() / "OFL.txt").read_text(encoding="utf-8")
    assert "SIL OPEN FONT LICENSE Version 1.1 - 26 February 2007" in text
    for section in ("PREAMBLE", "DEFINITIONS", "PERMISSION & CONDITIONS", "TERMINATION",
                    "DISCLAIMER"):
        assert section in text
    assert "2014-2021 Adobe" in text and "Copyright 2015 Google LLC" in text


def test_names_are_noto_and_never_the_reserved_name():
    from fontTools import ttLib as ttlib
    for path in font_files():
        with ttlib.TTFont(str(path), lazy=True) as font:
            strings = [record.toUnicode() for record in font["name"].names]
            family = font["name"].getDebugName(1)
        assert family == (CJK_JP if path.name in JP_FILES else LATIN)
        assert not [s for s in strings if "source" in s.lower()], path.name


# -- coverage -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", JP_FILES)
def test_japanese_fonts_cover_all_of_jis_x_0208(name):
    repertoire = jis_x_0208()
    assert len(repertoire) == 6879  # 524 non-kanji + 2965 level 1 + 3390 level 2
    covered = cmap(name)
    assert sorted(c for c in repertoire if ord(c) not in covered) == []


@pytest.mark.parametrize("name", JP_FILES)
def test_japanese_fonts_cover_kana_marks_and_signage_symbols(name):
    covered = cmap(name)
    wanted = (
        [chr(c) for c in range(0x3041, 0x3097)]  # hiragana
        + [chr(c) for c in range(0x30A1, 0x30FB)]  # katakana
        + [chr(c) for c in range(0xFF61, 0xFFA0)]  # halfwidth katakana
        + [chr(c) for c in range(0x2460, 0x2474)]  # ① - ⑳
        + list("々〆〻ゝゞヽヾー・「」『』【】〜～％！？（）↑→←↓※〒㈱№℡")
        + list(SENTENCE)
    )
    assert [c for c in wanted if ord(c) not in covered] == []


@pytest.mark.parametrize("name", LATIN_FILES)
def test_noto_sans_covers_ascii_latin_1_and_vietnamese(name):
    covered = cmap(name)
    ascii_ = [chr(c) for c in range(0x20, 0x7F)]
    latin_1 = [chr(c) for c in range(0xA0, 0x100)]
    assert [c for c in ascii_ + latin_1 if ord(c) not in covered] == []
    assert [c for c in "Tiếng Việt – “ngày” 1–6 • € ™ …" if ord(c) not in covered] == []


# -- missing_glyphs -----------------------------------------------------------------------


def test_nothing_is_missing_from_a_japanese_sentence():
    assert missing_glyphs(SENTENCE, [CJK_JP, LATIN]) == []
    assert missing_glyphs(SENTENCE, [CJK_JP]) == []


def test_devanagari_and_emoji_are_missing_in_order_and_once():
    text = "नमस्ते 😀 写真 😀 क"
    assert missing_glyphs(text, [CJK_JP, LATIN]) == ["न", "म", "स", "्", "त", "े", "😀", "क"]


def test_what_needs_no_glyph_is_not_reported():
    # Spaces and separators, ZWJ/ZWNJ/ZWSP, soft hyphen, bidi marks, BOM, variation selectors.
    text = "a\u3000b\u2028c\u2029d\te\u200df\u200cg\u200bh\u00adi\u200ej\ufeff葛\U000E0100k\ufe0e"
    assert missing_glyphs(text, [LATIN, CJK_JP]) == []
    # Around a ZWJ or before a variation selector, the characters themselves still count.
    assert missing_glyphs("❤\ufe0f 👨\u200d👩", [LATIN, CJK_JP]) == ["❤", "👨", "👩"]
    assert unicodedata.category("\u0007") == "Cc"
    assert missing_glyphs("bell\u0007", [LATIN]) == ["\u0007"]


def test_coverage_depends_on_the_families_given():
    assert missing_glyphs("写真 photo", [LATIN]) == ["写", "真"]
    assert missing_glyphs("写真 photo", [CJK_JP]) == []
    assert missing_glyphs("Ỳ", [CJK_JP]) == ["Ỳ"]
    with pytest.raises(ValueError, match="Noto Serif"):
        missing_glyphs("a", ["Noto Serif"])


def test_every_shipped_translation_renders_with_its_families():
    import polib
    locales = Path(__file__).resolve().parent.parent / "locales"
    catalogs = sorted(locales.glob("*/LC_MESSAGES/*.po"))
    assert catalogs
    for po_path in catalogs:
        lang = po_path.parent.parent.name
        texts = []
        for entry in polib.pofile(str(po_path)):
            texts += [entry.msgid, entry.msgstr, *entry.msgstr_plural.values()]
        assert missing_glyphs("\n".join(texts), families_for(lang)) == [], po_path


# -- families -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("ja", [CJK_JP, LATIN]),
        ("ja-JP", [CJK_JP, LATIN]),
        ("ja_JP", [CJK_JP, LATIN]),
        ("en", [LATIN, CJK_JP]),
        ("en-GB", [LATIN, CJK_JP]),
        ("pt-BR", [LATIN, CJK_JP]),
        ("vi", [LATIN, CJK_JP]),
        ("ja-Latn", [LATIN, CJK_JP]),
        ("qaa", [LATIN, CJK_JP]),  # private use: unknown, taken as Latin
    ],
)
def test_families_for(lang, expected):
    assert families_for(lang) == expected


def test_families_for_returns_a_copy():
    families_for("ja").append("Comic Sans")
    assert families_for("ja") == fonts.FAMILIES["ja"] == [CJK_JP, LATIN]


@pytest.mark.parametrize("lang", ["zh", "zh-Hant", "ko", "hi", "ar", "sr", "en-Cyrl"])
def test_families_for_refuses_scripts_without_a_shipped_font(lang):
    with pytest.raises(LocaleError, match="no shipped font"):
        families_for(lang)


# -- Typst --------------------------------------------------------------------------------


def test_typst_lists_exactly_the_shipped_families():
    import typst
    found = typst.Fonts(
        include_system_fonts=False, include_embedded_fonts=False, font_paths=[font_dir()]
    )
    assert sorted(found.families()) == sorted({CJK_JP, LATIN})
    variants = {(f.family, f.style, f.weight, Path(f.path).name) for f in found.fonts()}
    assert variants == {
        (CJK_JP, "normal", 400, JP_FILES[0]),
        (CJK_JP, "normal", 700, JP_FILES[1]),
        (LATIN, "normal", 400, LATIN_FILES[0]),
        (LATIN, "normal", 700, LATIN_FILES[1]),
    }


def test_typst_embeds_the_shipped_fonts_in_a_pdf():
    import typst
    only_ours = typst.Fonts(
        include_system_fonts=False, include_embedded_fonts=False, font_paths=[font_dir()]
    )
    compiler = typst.Compiler(font_paths=only_ours, ignore_system_fonts=True)
    source = (
        '#set text(font: ("Noto Sans CJK JP", "Noto Sans"), lang: "ja")\n'
        f"{SENTENCE}\n\n*太字* Tiếng Việt ≒\n"
    )
    pdf, warnings = compiler.compile_with_warnings(source.encode(), format="pdf")
    assert warnings == []
    import pypdf
    page = pypdf.PdfReader(io.BytesIO(pdf)).pages[0]
    names = {str(font.get_object()["/BaseFont"]) for font in page["/Resources"]["/Font"].values()}
    # Embedded subsets are named /ABCDEF+PostScriptName; ế is not in the Japanese font, so
    # Typst takes it from Noto Sans.
    assert all(re.match(r"/[A-Z]{6}\+", name) for name in names), names
    assert {re.sub(r"^/[A-Z]{6}\+|-Identity-H$", "", name) for name in names} == {
        "NotoSansCJKjp-Regular", "NotoSansCJKjp-Bold", "NotoSans-Regular"
    }
