"""The shipped fonts: intact, covering their scripts' text, shaping it, seen by Typst by name."""

from __future__ import annotations

import functools
import io
import json
import re
import unicodedata
from pathlib import Path
from typing import Any, cast

import pytest

from kit import fonts
from kit.errors import LocaleError
from kit.fonts import (
    ARABIC,
    CJK_JP,
    CJK_KR,
    CJK_SC,
    DEVANAGARI,
    LATIN,
    THAI,
    families_for,
    font_dir,
    font_files,
    missing_glyphs,
)

from .conftest import needs

JP_FILES = ("NotoSansCJKjp-Regular.subset.otf", "NotoSansCJKjp-Bold.subset.otf")
SC_FILES = ("NotoSansCJKsc-Regular.subset.otf", "NotoSansCJKsc-Bold.subset.otf")
KR_FILES = ("NotoSansCJKkr-Regular.subset.otf", "NotoSansCJKkr-Bold.subset.otf")
LATIN_FILES = ("NotoSans-Regular.subset.ttf", "NotoSans-Bold.subset.ttf")
DEVANAGARI_FILES = ("NotoSansDevanagari-Regular.subset.ttf", "NotoSansDevanagari-Bold.subset.ttf")
THAI_FILES = ("NotoSansThai-Regular.subset.ttf", "NotoSansThai-Bold.subset.ttf")
ARABIC_FILES = ("NotoSansArabic-Regular.subset.ttf", "NotoSansArabic-Bold.subset.ttf")
# Family -> (Regular, Bold) files.
FILES = {
    CJK_JP: JP_FILES,
    CJK_SC: SC_FILES,
    CJK_KR: KR_FILES,
    LATIN: LATIN_FILES,
    DEVANAGARI: DEVANAGARI_FILES,
    THAI: THAI_FILES,
    ARABIC: ARABIC_FILES,
}
ALL_FILES = {name for pair in FILES.values() for name in pair}
SENTENCE = "自画撮り被害から子どもを守る。ネットで知り合った人に写真を送らない（85.9%）"
# A poster-like sentence per draft language, with its punctuation and digits.
SENTENCES = {
    "zh_Hans": "保护孩子免受自拍伤害。不要把照片发给在网上认识的人（85.9%）！“骨”“直”“门”、"
    "《儿童》：请向警察咨询；必要时删除。",
    "ko": "자녀를 지키세요. 온라인에서 알게 된 사람에게 사진을 보내지 마세요(85.9%)! "
    "「경찰청」·상담 ☎ 112, 약 ≒ 86% — 뷁 똠 햏",
    "vi": "Bảo vệ trẻ em khỏi bị hại vì ảnh tự chụp. Đừng gửi ảnh cho người quen trên mạng "
    "(85,9%) – “Hãy hỏi người lớn!”",
    "fil": "Protektahan ang mga bata. Huwag magpadala ng larawan sa taong nakilala mo online "
    "(85.9%). Niño, Parañaque — “Magtanong!”",
    "pt_BR": "Proteja as crianças. Não envie fotos para quem você conheceu na internet (85,9%): "
    "ação, coração, “pergunte!”",
    "ne": "बालबालिकालाई सेल्फीको दुर्व्यवहारबाट जोगाउनुहोस्। अनलाइनमा चिनेको मान्छेलाई फोटो "
    "नपठाउनुहोस् (८५.९%)। क्षत्रिय, ज्ञान, श्री, र्‍य — “सोध्नुहोस्!” ॥",
    "id": "Lindungi anak dari bahaya swafoto. Jangan kirim foto kepada orang yang dikenal di "
    "internet (85,9%) — “Tanya orang dewasa!”",
    "es": "Protege a los niños. ¡No envíes fotos a quien conociste en internet! ¿Por qué? "
    "(85,9 %) «Pregunta» — año, acción",
    "th": "ปกป้องเด็กจากภัยการถ่ายภาพตัวเอง อย่าส่งรูปภาพให้คนที่รู้จักทางออนไลน์ (85.9%) ผู้ใหญ่ น้ำ ๑๒๓ ฯ ๆ “ถาม!”",
    "ar": "احمِ الأطفال من أضرار الصور الذاتية. لا تُرسل صورًا لشخص تعرّفت عليه عبر الإنترنت "
    "(٨٥٫٩٪)، هل فهمت؟ نعم؛ «اسأل» — 85.9%",
}


def euc_double_byte(codec: str) -> set[str]:
    """Computed here independently: every valid 2-byte EUC code 0xA1A1-0xFEFE of a codec."""
    chars = set()
    for first in range(0xA1, 0xFF):
        for second in range(0xA1, 0xFF):
            try:
                chars.add(bytes((first, second)).decode(codec))
            except UnicodeDecodeError:
                pass
    return chars


def jis_x_0208() -> set[str]:
    return euc_double_byte("euc_jp")


@functools.cache
def cmap(name: str) -> frozenset[int]:
    from fontTools import ttLib as ttlib

    with ttlib.TTFont(str(font_dir() / name), lazy=True) as font:
        return frozenset(font.getBestCmap())


def only_ours():
    import typst

    return typst.Fonts(
        include_system_fonts=False, include_embedded_fonts=False, font_paths=[font_dir()]
    )


def pdf_font_names(pdf: bytes) -> set[str]:
    """The PostScript names of the fonts a one-page PDF embeds, subset tags checked and cut."""
    import pypdf
    from pypdf.generic import DictionaryObject

    page = pypdf.PdfReader(io.BytesIO(pdf)).pages[0]
    # pypdf types every value as PdfObject; a page's /Resources and /Font are dictionaries.
    resources = cast(DictionaryObject, page["/Resources"])
    font_dict = cast(DictionaryObject, resources["/Font"])
    names = {str(font.get_object()["/BaseFont"]) for font in font_dict.values()}
    # Embedded subsets are named /ABCDEF+PostScriptName.
    assert all(re.match(r"/[A-Z]{6}\+", name) for name in names), names
    return {re.sub(r"^/[A-Z]{6}\+|-Identity-H$", "", name) for name in names}


def typst_string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # Typst reads \uXXXX differently


def manifest() -> dict[str, Any]:
    return json.loads((font_dir() / "manifest.json").read_text(encoding="utf-8"))


# -- the files ----------------------------------------------------------------------------


def test_manifest_hashes_match_the_shipped_files():
    assert fonts.verify_manifest() == []
    listed = {entry["file"] for entry in manifest()["fonts"]}
    assert listed == {p.name for p in font_files()} == ALL_FILES


def test_manifest_records_the_debian_sources():
    for entry in manifest()["fonts"]:
        assert entry["package"] in {"fonts-noto-cjk", "fonts-noto-core"}
        assert entry["package_version"] and entry["source"].startswith("/usr/share/fonts/")
        assert re.fullmatch(r"[0-9a-f]{64}", entry["sha256"])
        assert entry["size_bytes"] == (font_dir() / entry["file"]).stat().st_size
        assert entry["file"] in FILES[entry["family"]]
        assert entry["weight"] == (400 if entry["file"] == FILES[entry["family"]][0] else 700)
        if entry["package"] == "fonts-noto-cjk":
            assert entry["source"].endswith(".ttc") and entry["source_face"] == entry["family"]
        else:  # static Regular and Bold fonts, not instanced from a variable font
            assert entry["source"].endswith(f"-{entry['style']}.ttf")


def test_the_shipped_fonts_stay_small():
    sizes = {entry["file"]: entry["size_bytes"] for entry in manifest()["fonts"]}
    assert sum(sizes.values()) < 15_000_000
    assert all(sizes[name] < 3_000_000 for name in (*SC_FILES, *KR_FILES))


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
    for section in (
        "PREAMBLE",
        "DEFINITIONS",
        "PERMISSION & CONDITIONS",
        "TERMINATION",
        "DISCLAIMER",
    ):
        assert section in text
    assert "2014-2021 Adobe" in text and "Copyright 2015 Google LLC" in text


def test_names_are_noto_and_never_the_reserved_name():
    from fontTools import ttLib as ttlib

    by_file = {name: family for family, pair in FILES.items() for name in pair}
    for path in font_files():
        with ttlib.TTFont(str(path), lazy=True) as font:
            strings = [record.toUnicode() for record in font["name"].names]
            family = font["name"].getDebugName(1)
            if "CFF " in font:
                cff = font["CFF "].cff
                strings += cff.fontNames
                strings += [
                    str(getattr(top, key, ""))
                    for top in cff.topDictIndex
                    for key in ("Notice", "Copyright", "FullName", "FamilyName")
                ]
        assert family == by_file[path.name]
        assert not [s for s in strings if "source" in s.lower()], path.name


@pytest.mark.parametrize(
    ("names", "language"), [(JP_FILES, "JAN"), (SC_FILES, "ZHS"), (KR_FILES, "KOR")]
)
def test_cjk_fonts_keep_only_their_own_language_system(names, language):
    from fontTools import ttLib as ttlib

    for name in names:
        with ttlib.TTFont(str(font_dir() / name), lazy=True) as font:
            for table in ("GSUB", "GPOS"):
                for record in font[table].table.ScriptList.ScriptRecord:
                    tags = {ls.LangSysTag.strip() for ls in record.Script.LangSysRecord}
                    assert tags <= {language}, (name, table, record.ScriptTag, tags)


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


@pytest.mark.parametrize("name", SC_FILES)
def test_simplified_chinese_fonts_cover_all_of_gb_2312(name):
    repertoire = euc_double_byte("gb2312")
    assert len(repertoire) == 7445  # 6763 hanzi + 682 others
    covered = cmap(name)
    assert sorted(c for c in repertoire if ord(c) not in covered) == []
    wanted = "，。、；：？！“”‘’（）《》【】…—～·％１２３ＡＢＣ①②③"
    assert [c for c in wanted + SENTENCES["zh_Hans"] if ord(c) not in covered] == []


@pytest.mark.parametrize("name", KR_FILES)
def test_korean_fonts_cover_every_hangul_syllable_jamo_and_ks_x_1001(name):
    covered = cmap(name)
    syllables = range(0xAC00, 0xD7A4)
    assert len(syllables) == 11172
    assert [hex(c) for c in syllables if c not in covered] == []
    jamo = [*range(0x1100, 0x1200), *range(0x3131, 0x318F)]  # conjoining, compatibility
    assert [hex(c) for c in jamo if c not in covered] == []
    repertoire = euc_double_byte("euc_kr")
    assert len(repertoire) == 8225
    # 4,620 unified ideographs and 268 compatibility ones (Hanja with several readings).
    hanja = {c for c in repertoire if unicodedata.name(c).startswith("CJK ")}
    assert len(hanja) == 4888
    assert sorted(c for c in hanja if ord(c) not in covered) == []
    # Noto Sans CJK maps neither these Latin letters, phonetic and fraction signs of
    # KS X 1001 nor the 3 signs below; Noto Sans has the former, ≒ is restored from the
    # font's unencoded glyph (see build_fonts.py), and ∼ (U+223C) and ◈ no shipped font has.
    assert missing_glyphs("".join(sorted(repertoire)), [CJK_KR, LATIN]) == ["∼", "◈"]
    assert 0x2252 in covered


@pytest.mark.parametrize("name", DEVANAGARI_FILES)
def test_devanagari_fonts_cover_the_devanagari_block_digits_and_danda(name):
    covered = cmap(name)
    wanted = [*range(0x0900, 0x0980), *range(0xA8E0, 0xA900), 0x200C, 0x200D, 0x25CC, 0x20B9]
    assert [hex(c) for c in wanted if c not in covered] == []
    assert [c for c in "०१२३४५६७८९।॥0123456789.,:;!?()-%" if ord(c) not in covered] == []


@pytest.mark.parametrize("name", THAI_FILES)
def test_thai_fonts_cover_the_thai_block(name):
    covered = cmap(name)
    wanted = [*range(0x0E01, 0x0E3B), *range(0x0E3F, 0x0E5C), 0x200B, 0x25CC]
    assert [hex(c) for c in wanted if c not in covered] == []


@pytest.mark.parametrize("name", ARABIC_FILES)
def test_arabic_fonts_cover_letters_marks_digits_and_punctuation(name):
    covered = cmap(name)
    wanted = [
        *range(0x0621, 0x063B),
        *range(0x0640, 0x0656),  # letters, tatweel, harakat
        *range(0x0660, 0x066E),  # Arabic-Indic digits ٠-٩, ٪ ٫ ٬ ٭
        *range(0x06F0, 0x06FA),  # Extended Arabic-Indic (Persian, Urdu) digits
        0x060C,
        0x061B,
        0x061F,
        0x06D4,  # ، ؛ ؟ ۔
        0x067E,
        0x0686,
        0x0698,
        0x06A9,
        0x06AF,
        0x06CC,
        0x06BE,
        0x06C1,
        0x06D2,  # fa, ur
        *range(0x0750, 0x0780),
        *range(0xFE70, 0xFE75),
        *range(0xFE76, 0xFEFD),
        0xFEFB,
        0x200C,
        0x200D,
        0x200F,
        0x25CC,
    ]
    assert [hex(c) for c in wanted if c not in covered] == []
    # The ASCII the font draws; parentheses, % and the rest come from Noto Sans.
    assert [c for c in "0123456789.,:!«»" if ord(c) not in covered] == []


@pytest.mark.parametrize(
    ("names", "gsub", "gpos"),
    [
        (
            DEVANAGARI_FILES,
            {
                "nukt",
                "akhn",
                "rphf",
                "rkrf",
                "blwf",
                "half",
                "vatu",
                "cjct",
                "pres",
                "abvs",
                "blws",
                "psts",
                "haln",
                "locl",
            },
            {"abvm", "blwm", "dist"},
        ),
        (THAI_FILES, {"ccmp", "liga"}, {"mark", "mkmk", "kern"}),
        (
            ARABIC_FILES,
            {"ccmp", "isol", "init", "medi", "fina", "rlig", "dlig", "locl"},
            {"mark", "mkmk", "kern"},
        ),
    ],
)
def test_complex_script_fonts_keep_their_shaping_features(names, gsub, gpos):
    from fontTools import ttLib as ttlib

    for name in names:
        with ttlib.TTFont(str(font_dir() / name)) as font:
            for table, wanted in (("GSUB", gsub), ("GPOS", gpos)):
                features = font[table].table.FeatureList.FeatureRecord
                assert wanted <= {record.FeatureTag for record in features}, (name, table)
            languages = {
                (record.ScriptTag, ls.LangSysTag.strip())
                for record in font["GSUB"].table.ScriptList.ScriptRecord
                for ls in record.Script.LangSysRecord
            }
            if names == DEVANAGARI_FILES:  # Nepali and Marathi glyph variants (locl)
                assert {("dev2", "NEP"), ("dev2", "MAR")} <= languages
            if names == ARABIC_FILES:
                assert ("arab", "URD") in languages


@pytest.mark.parametrize("name", THAI_FILES)
def test_thai_tone_marks_attach_to_consonants_and_vowels(name):
    """GPOS mark-to-base and mark-to-mark lookups still cover the marks and their bases."""
    from fontTools import ttLib as ttlib

    with ttlib.TTFont(str(font_dir() / name)) as font:
        glyph = font.getBestCmap()
        gpos = font["GPOS"].table
        mark_base, mark_mark = set(), set()
        for lookup in gpos.LookupList.Lookup:
            for sub in lookup.SubTable:
                sub = getattr(sub, "ExtSubTable", sub)
                if lookup.LookupType in (4, 9) and hasattr(sub, "BaseCoverage"):
                    mark_base |= {
                        (m, b) for m in sub.MarkCoverage.glyphs for b in sub.BaseCoverage.glyphs
                    }
                if hasattr(sub, "Mark2Coverage"):
                    mark_mark |= {
                        (m, b) for m in sub.Mark1Coverage.glyphs for b in sub.Mark2Coverage.glyphs
                    }
    # mai ek (่) on po pla (ป) and on sara ii (ี); sara uu (ู) under ro rua (ร).
    assert (glyph[0x0E48], glyph[0x0E1B]) in mark_base
    assert (glyph[0x0E38], glyph[0x0E23]) in mark_base or (
        glyph[0x0E39],
        glyph[0x0E23],
    ) in mark_base
    assert any(m == glyph[0x0E48] for m, _ in mark_mark)


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


@pytest.mark.parametrize("lang", sorted(SENTENCES))
def test_nothing_is_missing_from_a_sentence_in_each_draft_language(lang):
    assert missing_glyphs(SENTENCES[lang], families_for(lang)) == []


def test_devanagari_and_emoji_are_missing_in_order_and_once():
    text = "नमस्ते 😀 写真 😀 क"
    assert missing_glyphs(text, [CJK_JP, LATIN]) == ["न", "म", "स", "्", "त", "े", "😀", "क"]


def test_what_needs_no_glyph_is_not_reported():
    # Spaces and separators, ZWJ/ZWNJ/ZWSP, soft hyphen, bidi marks, BOM, variation selectors.
    text = "a\u3000b\u2028c\u2029d\te\u200df\u200cg\u200bh\u00adi\u200ej\ufeff葛\U000e0100k\ufe0e"
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
        ("fil", [LATIN, CJK_JP]),
        ("pt_BR", [LATIN, CJK_JP]),
        ("id", [LATIN, CJK_JP]),
        ("es", [LATIN, CJK_JP]),
        ("es-419", [LATIN, CJK_JP]),
        ("sr-ME", [LATIN, CJK_JP]),  # Montenegrin Serbian is written in Latin
        ("ja-Latn", [LATIN, CJK_JP]),
        ("qaa", [LATIN, CJK_JP]),  # private use: unknown, taken as Latin
        ("zh", [CJK_SC, LATIN]),
        ("zh-Hans", [CJK_SC, LATIN]),
        ("zh_Hans", [CJK_SC, LATIN]),
        ("zh-CN", [CJK_SC, LATIN]),
        ("zh_CN", [CJK_SC, LATIN]),
        ("zh-SG", [CJK_SC, LATIN]),
        ("zh-Hans-HK", [CJK_SC, LATIN]),  # the script subtag wins over the region
        ("ko", [CJK_KR, LATIN]),
        ("ko-KR", [CJK_KR, LATIN]),
        ("ko-Kore", [CJK_KR, LATIN]),
        ("ko-Hang", [CJK_KR, LATIN]),
        ("ne", [DEVANAGARI, LATIN]),
        ("ne-NP", [DEVANAGARI, LATIN]),
        ("hi", [DEVANAGARI, LATIN]),
        ("mr", [DEVANAGARI, LATIN]),
        ("th", [THAI, LATIN]),
        ("th-TH", [THAI, LATIN]),
        ("ar", [ARABIC, LATIN]),
        ("ar-EG", [ARABIC, LATIN]),
        ("fa", [ARABIC, LATIN]),
        ("ur", [ARABIC, LATIN]),
    ],
)
def test_families_for(lang, expected):
    assert families_for(lang) == expected


def test_every_family_list_names_only_shipped_families():
    for key, families in fonts.FAMILIES.items():
        assert missing_glyphs("a", families) == [], key  # raises for an unknown family
        assert len(families) == len(set(families)) == 2


def test_families_for_returns_a_copy():
    families_for("ja").append("Comic Sans")
    assert families_for("ja") == fonts.FAMILIES["ja"] == [CJK_JP, LATIN]


@pytest.mark.parametrize(
    "lang", ["sr", "en-Cyrl", "ru", "uk", "bn", "ta", "he", "am", "ka", "ja-Hani", "zh-Hani"]
)
def test_families_for_refuses_scripts_without_a_shipped_font(lang):
    with pytest.raises(LocaleError, match="no shipped font"):
        families_for(lang)


@pytest.mark.parametrize(
    "lang", ["zh-Hant", "zh_Hant", "zh-TW", "zh-HK", "zh_MO", "zh-Hant-CN", "yue", "zh-Hant-TW"]
)
def test_traditional_chinese_is_refused_not_set_in_simplified_forms(lang):
    with pytest.raises(LocaleError, match=r"no shipped font.*Hant.*Traditional"):
        families_for(lang)


# -- Typst --------------------------------------------------------------------------------


def test_typst_lists_exactly_the_shipped_families():
    found = only_ours()
    assert sorted(found.families()) == sorted(FILES)
    variants = {(f.family, f.style, f.weight, Path(f.path).name) for f in found.fonts()}
    assert variants == {
        (family, "normal", weight, name)
        for family, pair in FILES.items()
        for weight, name in zip((400, 700), pair, strict=True)
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
    out, warnings = compiler.compile_with_warnings(source.encode(), format="pdf")
    pdf = cast(bytes, out)  # typst's type also allows a list of pages or None; a PDF is bytes
    assert warnings == []
    import pypdf
    from pypdf.generic import DictionaryObject

    page = pypdf.PdfReader(io.BytesIO(pdf)).pages[0]
    # pypdf types every value as PdfObject; a page's /Resources and /Font are dictionaries.
    resources = cast(DictionaryObject, page["/Resources"])
    font_dict = cast(DictionaryObject, resources["/Font"])
    names = {str(font.get_object()["/BaseFont"]) for font in font_dict.values()}
    # Embedded subsets are named /ABCDEF+PostScriptName; ế is not in the Japanese font, so
    # Typst takes it from Noto Sans.
    assert all(re.match(r"/[A-Z]{6}\+", name) for name in names), names
    assert {re.sub(r"^/[A-Z]{6}\+|-Identity-H$", "", name) for name in names} == {
        "NotoSansCJKjp-Regular",
        "NotoSansCJKjp-Bold",
        "NotoSans-Regular",
    }


# PostScript names embedded for a regular and a bold line in each draft language.
EMBEDDED = {
    "zh_Hans": {"NotoSansCJKsc-Regular", "NotoSansCJKsc-Bold"},
    "ko": {"NotoSansCJKkr-Regular", "NotoSansCJKkr-Bold"},
    "ne": {"NotoSansDevanagari-Regular", "NotoSansDevanagari-Bold"},  # has ASCII digits too
    "th": {"NotoSansThai-Regular", "NotoSansThai-Bold", "NotoSans-Regular", "NotoSans-Bold"},
    "ar": {
        "NotoSansArabic-Regular",
        "NotoSansArabic-Bold",
        "NotoSans-Regular",
        "NotoSans-Bold",
    },  # % and the em dash come from Noto Sans
    "vi": {"NotoSans-Regular", "NotoSans-Bold"},
}


@pytest.mark.parametrize("lang", sorted(EMBEDDED))
def test_typst_sets_each_script_in_its_own_fonts(lang):
    import typst

    compiler = typst.Compiler(font_paths=only_ours(), ignore_system_fonts=True)
    fonts_list = ", ".join(typst_string(f) for f in families_for(lang))
    text = typst_string(SENTENCES[lang])
    source = (
        f'#set text(font: ({fonts_list},), lang: "{lang.split("_")[0]}")\n'
        f'#text({text})\n\n#text(weight: "bold", {text})\n'
    )
    out, warnings = compiler.compile_with_warnings(source.encode(), format="pdf")
    pdf = cast(bytes, out)  # typst's type also allows a list of pages or None; a PDF is bytes
    assert warnings == []
    assert pdf_font_names(pdf) == EMBEDDED[lang]


def typst_widths(families: list[str], lang: str, strings: list[str]) -> list[float]:
    """The advance width in pt, at 100 pt, of each string as Typst shapes it."""
    import typst

    fonts_list = ", ".join(typst_string(f) for f in families)
    items = ", ".join(typst_string(s) for s in strings)
    source = (
        f'#set text(font: ({fonts_list},), lang: "{lang}", size: 100pt)\n'
        f"#context [#metadata(({items},).map(s => measure(text(s)).width.pt())) <w>]\n"
    )
    result = typst.query(
        source.encode(),
        "<w>",
        field="value",
        one=True,
        font_paths=only_ours(),
        ignore_system_fonts=True,
    )
    return json.loads(result)


def test_typst_shapes_devanagari_conjuncts():
    # क्ष and त्र are single conjunct glyphs, narrower than a half-form (or a consonant
    # with a visible virama) beside a full one; र्क puts the reph above क at no width.
    ksa, k_virama, ssa, tra, t_virama, ra, rk, ka = typst_widths(
        families_for("ne"), "ne", ["क्ष", "क्", "ष", "त्र", "त्", "र", "र्क", "क"]
    )
    assert ksa < 0.8 * (k_virama + ssa)
    assert tra < 0.8 * (t_virama + ra)
    assert rk == pytest.approx(ka)


def test_typst_joins_arabic_and_forms_lam_alef():
    lam_alef, lam, alef, seen_seen, seen = typst_widths(
        families_for("ar"), "ar", ["لا", "ل", "ا", "سس", "س"]
    )
    assert lam_alef < 0.8 * (lam + alef)  # the lam-alef ligature
    assert seen_seen < 0.95 * 2 * seen  # initial + final forms, not two isolated ones


def test_subsets_shape_exactly_like_the_debian_fonts(tmp_path):
    """Pixel for pixel, the complex-script subsets render Typst text like their sources."""
    import typst

    entries = [e for e in manifest()["fonts"] if e["family"] in (DEVANAGARI, THAI, ARABIC, LATIN)]
    needs(
        "the upstream Noto fonts",
        "fonts-noto-core",
        all(Path(e["source"]).is_file() for e in entries),
    )
    for entry in entries:
        (tmp_path / Path(entry["source"]).name).symlink_to(entry["source"])
    theirs = typst.Fonts(
        include_system_fonts=False, include_embedded_fonts=False, font_paths=[tmp_path]
    )
    for lang in ("ne", "th", "ar"):
        for weight in (400, 700):
            fonts_list = ", ".join(typst_string(f) for f in families_for(lang))
            source = (
                "#set page(width: 600pt, height: auto, margin: 4pt)\n"
                f'#set text(font: ({fonts_list},), lang: "{lang}", weight: {weight})\n'
                f"#text({typst_string(SENTENCES[lang])})\n"
            ).encode()
            # Same encoder, same pixels: identical PNG bytes exactly when the pixels are.
            ours, upstream = (
                typst.Compiler(font_paths=fonts, ignore_system_fonts=True).compile(
                    source, format="png", ppi=96
                )
                for fonts in (only_ours(), theirs)
            )
            assert ours == upstream, (lang, weight)


def test_coverage_table_is_what_the_fonts_map():
    # The glyph check reads coverage.json; it must say exactly what the font files map.
    import json as _json

    shipped = _json.loads((font_dir() / fonts.COVERAGE).read_text("utf-8"))
    assert shipped == fonts.compute_coverage()
