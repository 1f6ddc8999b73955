"""The organisation on every poster, as an NGO in Japan uses kit (issue 23, items 5-7 and
9): its name and contacts in any script kit has fonts for, per language, A4 in every
language, and each partner school of a mail-merge beside the NGO's branding."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import cast

import pymupdf
import pypdf
import pytest
from pypdf.generic import DictionaryObject

from kit.fonts import text_lang
from kit.render.poster.phrases import field_run

from .cli.test_cli import assert_one_line_error
from .cli.test_poster import page_mm
from .conftest import manifest
from .render.layout_gate import typst_layout

NAME_JA = "多文化子どもネットワーク東海（サンプル）"
NAME_NE = "बहुसांस्कृतिक बाल सञ्जाल (नमूना)"
CONTACT_NE = "नेपालीमा पनि: नमूना पंक्ति"

NGO = f"""
name = "{NAME_JA}"
contacts = ["相談 サンプル：ここに本当の連絡先を書く", "{CONTACT_NE}"]
url = "https://example.org/kodomo"
paper = "a4"

[language.ne]
name = "{NAME_NE}"

[language.en]
name = "Multicultural Children's Network Tokai (sample)"
contacts = ["Sample: put your real contact line here"]
"""


@pytest.fixture
def ngo(tmp_path):
    path = tmp_path / "ngo.toml"
    path.write_text(NGO, "utf-8")
    return path


def lines(data: bytes, page: int = 0) -> list[str]:
    """The text lines of a PDF page as MuPDF lays them out."""
    with pymupdf.open(stream=data, filetype="pdf") as doc:
        found = doc[page].get_text("dict")
    return [
        "".join(span["text"] for span in line["spans"])
        for block in found["blocks"]
        for line in block.get("lines", [])
    ]


def fonts(kit, *args: str) -> set[str]:
    """The fonts Typst embeds in the poster `kit poster ARGS` makes: the fonts kit draws
    its glyphs' outlines from (the final PDF's only font draws nothing; see textlayer.py)."""
    out = Path(args[args.index("-o") + 1])
    with typst_layout():
        assert kit("poster", *args).exit_code == 0
    reader = pypdf.PdfReader(io.BytesIO(out.read_bytes()))
    # pypdf types every value as PdfObject; a page's /Resources and /Font are dictionaries.
    resources = cast(DictionaryObject, reader.pages[0]["/Resources"])
    return {
        str(f.get_object()["/BaseFont"]).split("+")[-1]
        for f in cast(DictionaryObject, resources["/Font"]).values()
    }


def test_a_devanagari_contact_on_a_japanese_poster(kit, ngo, tmp_path):
    """Refused before ("no glyph" for message 'organisation'): kit ships the font."""
    out = tmp_path / "ja.pdf"
    result = kit("poster", "-l", "ja", "--org", str(ngo), "-o", str(out))
    assert result.exit_code == 0, result.output
    data = out.read_bytes()
    assert CONTACT_NE in lines(data)
    used = fonts(kit, "-l", "ja", "--org", str(ngo), "-o", str(tmp_path / "typst.pdf"))
    assert any(f.startswith("NotoSansDevanagari") for f in used), used


def test_each_language_gets_its_own_name_and_the_others_the_default(kit, ngo, tmp_path):
    made = {}
    for locale in ("ja", "ne", "vi", "en"):
        out = tmp_path / f"{locale}.pdf"
        result = kit("poster", "-l", locale, "--org", str(ngo), "-o", str(out), "--draft")
        assert result.exit_code == 0, result.output
        made[locale] = "\n".join(lines(out.read_bytes()))
    assert NAME_NE in made["ne"] and "ネットワーク" not in made["ne"]
    assert "ネットワーク" in made["vi"] and NAME_NE not in made["vi"]  # the default
    assert "Multicultural Children's Network Tokai" in made["en"]
    assert "put your real contact line here" in made["en"] and CONTACT_NE not in made["en"]


def test_a_japanese_name_on_a_nepali_poster_and_a_nepali_japanese_pair(kit, tmp_path):
    """Refused before: a Nepali poster's fonts had no kana."""
    path = tmp_path / "ngo.toml"
    path.write_text(f'name = "{NAME_JA}"\n', "utf-8")
    for args in (["-l", "ne"], ["-l", "ne", "--second-locale", "ja"]):
        out = tmp_path / "p.pdf"
        result = kit("poster", *args, "--org", str(path), "-o", str(out), "--draft")
        assert result.exit_code == 0, result.output
        data = out.read_bytes()
        assert any("ネットワーク" in x for x in lines(data))
        used = fonts(kit, *args, "--org", str(path), "-o", str(tmp_path / "t.pdf"), "--draft")
        assert any(f.startswith("NotoSansCJKjp") for f in used), used


def test_a_japanese_name_breaks_between_phrases_not_inside_a_word(kit, tmp_path):
    """The footer broke `…多文化ネッ` / `トワーク`. Now the name's line breaks come from
    BudouX, as every Japanese text's do: in a footer too narrow for the name, each
    line holds whole phrases."""
    run = field_run("organisation.0", NAME_JA, "ne", "ltr")
    assert run.lang == "ja" and run.phrases and "ネットワーク" in "".join(run.phrases)
    assert any("ネットワーク" in p for p in run.phrases)
    long_name = "特定非営利活動法人多文化子どもネットワーク東海サポートセンター（サンプル）"
    path = tmp_path / "ngo.toml"
    path.write_text(f'name = "{long_name}"\ncontacts = ["相談 テスト"]\n', "utf-8")
    out = tmp_path / "p.pdf"
    assert kit("poster", "-l", "ja", "--org", str(path), "-o", str(out)).exit_code == 0
    shown = [x for x in lines(out.read_bytes()) if x and x in long_name]
    assert len(shown) >= 2, shown  # the name did wrap
    assert "".join(shown) == long_name
    for word in ("ネットワーク", "サポートセンター", "（サンプル）"):
        assert any(word in x for x in shown), (word, shown)


@pytest.mark.parametrize(
    ("text", "poster", "expected"),
    [
        ("多文化ネットワーク", "ne", "ja"),
        ("Rede Multicultural", "ja", "ja"),  # Latin on a CJK poster: the poster's
        ("नमूना", "ja", "ne"),
        ("नमूना", "hi", "hi"),
        ("नमूना", "ne", "ne"),
        ("서울", "ja", "ko"),
        ("東京", "zh-Hans", "zh-Hans"),
        ("東京", "vi", "ja"),
    ],
)
def test_the_language_a_profile_line_is_set_in(text, poster, expected):
    assert text_lang(text, poster) == expected


def test_a_character_no_font_has_names_the_profile_file_and_key(kit, tmp_path):
    path = tmp_path / "ngo.toml"
    path.write_text('name = "Sample NGO"\ncontacts = ["Call us \U0001f4de"]\n', "utf-8")
    out = tmp_path / "p.pdf"
    assert_one_line_error(
        kit("poster", "-l", "ja", "--org", str(path), "-o", str(out)),
        f"{path}: contact line 1 holds characters none of the kit's fonts has",
        "U+1F4DE",
    )
    assert not out.exists()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('name = "A"\npaper = "a5"\n', "'paper' is 'a5'; it must be one of a4, letter, b4, a3"),
        ('name = "A"\n[language.xx-notalocale]\nname = "B"\n', "is not a locale name"),
        ('name = "A"\n[language.ne]\nphone = "1"\n', "[language.ne]: unknown key(s) phone"),
        ('name = "A"\n[language.ne]\ncontacts = "x"\n', "[language.ne] 'contacts' must be a list"),
    ],
)
def test_a_broken_language_table_or_paper_is_one_clear_error(kit, tmp_path, text, expected):
    path = tmp_path / "ngo.toml"
    path.write_text(text, "utf-8")
    out = tmp_path / "p.pdf"
    assert_one_line_error(
        kit("poster", "-l", "ja", "--org", str(path), "-o", str(out)), str(path), expected
    )


def test_the_profiles_paper_decides_not_the_language(kit, ngo, tmp_path):
    """Filipino and English posters came out on US Letter for an NGO in Japan."""
    for locale in ("fil", "en"):
        out = tmp_path / f"{locale}.pdf"
        assert (
            kit("poster", "-l", locale, "--org", str(ngo), "-o", str(out), "--draft").exit_code == 0
        )
        assert page_mm(out) == (210, 297)
    out = tmp_path / "letter.pdf"
    assert (
        kit("poster", "-l", "en", "--org", str(ngo), "--size", "letter", "-o", str(out)).exit_code
        == 0
    )
    assert page_mm(out) == (216, 279)  # asked for: --size still wins


def test_build_paper_follows_the_profile_or_paper_option(kit, ngo, tmp_path):
    out = tmp_path / "dist"
    args = ["build", "-o", str(out), "-l", "fil,en", "--sizes", "auto", "--formats", "pdf"]
    result = kit(*args, "--audiences", "students", "--org", str(ngo), "--draft")
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in out.rglob("poster-*.pdf"))
    assert names == ["poster-a4.pdf", "poster-a4.pdf"], names
    plain = tmp_path / "plain"
    result = kit(
        *args[:2], str(plain), *args[3:], "--audiences", "students", "--paper", "a4", "--draft"
    )
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in plain.rglob("poster-*.pdf")) == ["poster-a4.pdf"] * 2


def mail_merge(kit, tmp_path, ngo, schools, audience):
    """`kit build` of the Japanese A4 PDFs for each school beside the NGO: the folder."""
    out = tmp_path / "dist"
    result = kit(
        "build", "-o", str(out), "-l", "ja", "--sizes", "a4", "--formats", "pdf",
        "--audiences", audience, "--org", str(ngo), "--orgs", str(schools),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    return out


def test_mail_merge_prints_each_school_beside_the_ngo(kit, ngo, tmp_path):
    """Every poster showed the school, not the NGO; --org with --orgs was refused."""
    schools = tmp_path / "schools.csv"
    with schools.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["name", "contacts", "url", "logo", "logo_alt", "locales"])
        w.writerow(["星野中学校（サンプル）", "保健室 サンプル", "", "", "", ""])
        w.writerow(["月見台中学校（サンプル）", "相談室 サンプル|担任の先生", "", "", "", ""])
    out = mail_merge(kit, tmp_path, ngo, schools, "students")
    posters = sorted(out.rglob("poster-a4.pdf"))
    assert len(posters) == 2
    for school, contact in [
        ("星野中学校（サンプル）", "保健室 サンプル"),
        ("月見台中学校（サンプル）", "相談室 サンプル"),
    ]:
        poster = next(p for p in posters if school.split("（")[0] in str(p))
        shown = lines(poster.read_bytes())
        assert school in shown and contact in shown
        assert "相談 サンプル：ここに本当の連絡先を書く" in shown  # the NGO's own contact
        assert any("ネットワーク" in x for x in shown)  # and its name
    listed = manifest(out)
    assert {f["org_name"] for f in listed["files"]} == {
        "星野中学校（サンプル）",
        "月見台中学校（サンプル）",
    }


def test_the_readme_profile_example_loads_and_prints(kit, tmp_path):
    from pathlib import Path

    from kit.profile import load_profile

    readme = (Path(__file__).parent.parent / "README.md").read_text("utf-8")
    start = readme.index('      name = "多文化子どもネットワーク')
    block = []
    for line in readme[start:].splitlines():
        if line and not line.startswith("      "):
            break
        block.append(line[6:])
    path = tmp_path / "ngo.toml"
    path.write_text("\n".join(block) + "\n", "utf-8")
    profile = load_profile(path)
    assert profile.paper == "a4" and profile.for_locale("ne").name.startswith("बहुसांस्कृतिक")
    out = tmp_path / "ne.pdf"
    result = kit("poster", "-l", "ne", "--org", str(path), "-o", str(out), "--draft")
    assert result.exit_code == 0, result.output
    assert page_mm(out) == (210, 297)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("letter.docx", "kit text cannot write a .docx file"),
        ("letter.rtf", "kit text cannot write a .rtf file"),
        ("letter", "cannot tell the format of 'letter'"),
    ],
)
def test_kit_text_refuses_a_file_it_cannot_write(kit, tmp_path, name, expected):
    """Issue 23: `--output letter.docx` silently wrote plain text."""
    out = tmp_path / name
    result = kit("text", "-l", "ja", "-o", str(out))
    assert result.exit_code == 2 and expected in result.stderr
    assert not out.exists()


def test_kit_text_htm_is_html(kit, tmp_path):
    out = tmp_path / "letter.htm"
    assert kit("text", "-l", "ja", "-o", str(out)).exit_code == 0
    assert out.read_text("utf-8").startswith("<!DOCTYPE html>")


def test_a_bilingual_newsletter_with_the_organisation(kit, ngo, tmp_path):
    """Issue 23: no --org (every school's text the same file), no --second-locale."""
    import html
    from html.parser import HTMLParser

    out = tmp_path / "letter.html"
    result = kit(
        "text", "-l", "ja", "--second-locale", "en", "--audience", "guardians",
        "--org", str(ngo), "-o", str(out),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    page = out.read_text("utf-8")
    assert page.count("<address>") == 2 and page.count("<h1") == 1
    second = '<section class="language" lang="en" dir="ltr" aria-labelledby="h-title-en">'
    assert second in page and 'id="h-title-en"' in page
    japanese, english = html.unescape(page).split(second)
    assert NAME_JA in japanese and "Multicultural Children's Network Tokai" in english
    assert f'<span lang="ne" dir="ltr">{CONTACT_NE}</span>' in japanese
    ids: list[str | None] = []

    class Ids(HTMLParser):
        def handle_starttag(self, tag, attrs):
            ids.extend(v for k, v in attrs if k == "id")

    Ids().feed(page)
    assert len(ids) == len(set(ids)), "every id once"
    plain = tmp_path / "letter.txt"
    assert kit("text", "-l", "ja", "--org", str(ngo), "-o", str(plain)).exit_code == 0
    text = plain.read_text("utf-8")
    assert text.index(NAME_JA) < text.index("https://example.org/kodomo") < text.index("出典")
    data = json.loads(kit("text", "-l", "ja", "--org", str(ngo), "--format", "json").stdout)
    assert data["organisation"]["lines"][0] == {"text": NAME_JA, "name": True, "lang": "ja"}


def test_a_builds_texts_carry_each_schools_lines(kit, ngo, tmp_path):
    schools = tmp_path / "schools.csv"
    schools.write_text(
        "name,contacts,url,logo,logo_alt,locales\n星野中学校,保健室 サンプル,,,,\n"
        "月見台中学校,相談室 サンプル,,,,\n",
        "utf-8",
    )
    out = mail_merge(kit, tmp_path, ngo, schools, "guardians")
    texts = {p.parts[-4]: p.read_text("utf-8") for p in out.rglob("text.txt")}
    assert "星野中学校" in texts["星野中学校"] and "月見台中学校" not in texts["星野中学校"]
    assert "相談室 サンプル" in texts["月見台中学校"]
    assert all(NAME_JA in t for t in texts.values())


def test_official_helplines_print_only_when_opted_in_with_their_sources(kit, tmp_path):
    """Issue 23: a teacher asks whom pupils can call. kit offers official numbers, each
    checked against its page; prints none unless the profile names it; in Easy Japanese
    with furigana; and a text cites each number's page."""
    from kit.helplines import helplines
    from kit.ruby import ruby_problems, strip_ruby

    known = helplines()
    assert set(known) == {"jp-24h-sos", "jp-kodomo-jinken-110", "jp-189"}
    for h in known.values():
        assert h.number in h.line and h.number in strip_ruby(h.line_easy)
        assert not ruby_problems(h.line_easy), h.id
        assert h.source.startswith("https://www.") and h.checked and h.evidence
        assert h.number.replace("-", "") in h.evidence.replace("-", "").replace(
            "0120078310", "0120078310"
        )
    plain = tmp_path / "plain.toml"
    plain.write_text('name = "星野中学校"\n', "utf-8")
    chosen = tmp_path / "school.toml"
    chosen.write_text('name = "星野中学校"\nhelplines = ["jp-24h-sos", "jp-189"]\n', "utf-8")
    for profile, shown in ((plain, False), (chosen, True)):
        out = tmp_path / "p.pdf"
        assert kit("poster", "-l", "ja", "--org", str(profile), "-o", str(out)).exit_code == 0
        text = "\n".join(lines(out.read_bytes()))
        assert ("0120-0-78310" in text) is shown and ("189" in text) is shown
        assert "0120-007-110" not in text  # not chosen: never printed
    easy = tmp_path / "easy.pdf"
    result = kit("poster", "-l", "ja@easy", "--draft", "--org", str(chosen), "-o", str(easy))
    assert result.exit_code == 0, result.output
    assert "0120-0-78310" in "\n".join(lines(easy.read_bytes()))
    run = field_run("organisation.1", known["jp-24h-sos"].printed("ja@easy"), "ja", "ltr")
    assert run.ruby is not None
    readings = [u.reading for p in run.ruby for u in p if u.reading]
    assert readings[:2] == ["にじゅうよじかん", "こども"]  # set as furigana over the line
    result = kit("text", "-l", "ja", "--org", str(chosen))
    assert known["jp-24h-sos"].source in result.stdout and "(2026-12-07)" in result.stdout
    listed = kit("helplines")
    assert listed.exit_code == 0 and all(h.source in listed.stdout for h in known.values())


def test_an_unknown_helpline_is_one_clear_error(kit, tmp_path):
    path = tmp_path / "school.toml"
    path.write_text('name = "A"\nhelplines = ["jp-110-made-up"]\n', "utf-8")
    assert_one_line_error(
        kit("poster", "-l", "ja", "--org", str(path), "-o", str(tmp_path / "p.pdf")),
        str(path),
        "'helplines' names 'jp-110-made-up', which kit does not know",
    )


def test_the_footer_says_where_to_get_help(kit, ngo, tmp_path):
    """Issue 23: the help line, the one thing a family can act on, had no heading."""
    for locale, heading in (("ja", "相談窓口"), ("en", "Where to get help")):
        out = tmp_path / f"{locale}.pdf"
        assert kit("poster", "-l", locale, "--org", str(ngo), "-o", str(out)).exit_code == 0
        shown = lines(out.read_bytes())
        assert heading in shown
        name = NAME_JA if locale == "ja" else "Multicultural Children's Network Tokai (sample)"
        assert shown.index(heading) < next(i for i, x in enumerate(shown) if name.startswith(x))


def test_a_profile_takes_each_field_from_the_most_specific_language_table(tmp_path):
    from kit.profile import load_profile

    path = tmp_path / "ngo.toml"
    path.write_text(
        'name = "Default"\ncontacts = ["default line"]\n'
        '[language.pt]\nname = "Nome em português"\n'
        '[language.pt_BR]\ncontacts = ["Linha do Brasil"]\n',
        "utf-8",
    )
    shown = load_profile(path).for_locale("pt_BR")
    assert (shown.name, shown.contacts) == ("Nome em português", ("Linha do Brasil",))
    assert load_profile(path).for_locale("vi").name == "Default"
