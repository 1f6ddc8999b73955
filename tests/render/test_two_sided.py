"""Bilingual posters on the paper schools print on: one side when both languages fit it,
else a side each (issue 22), as the reader meets them: the text of each page through
MuPDF and poppler, the structure tree a screen reader walks, the fonts embedded, the
preview image, the command line and the build."""

from __future__ import annotations

import dataclasses
import io
import struct

import pikepdf
import pymupdf
import pytest

from kit.campaign import load_campaign
from kit.errors import KitError
from kit.locales import display_names
from kit.localize import localize
from kit.render.poster import PosterOptions, make_poster
from kit.render.poster.data import overleaf_block, poster_data
from kit.render.poster.textlayer import printed_runs
from kit.render.sizes import SIZES

from ..conftest import LOCALES, SHIPPED_LOCALES, manifest, tool
from .layout_gate import typst_layout
from .test_textlayer import _marked_content_texts, norm, poppler


@pytest.fixture(scope="module")
def campaign():
    return load_campaign()


def material(campaign, locale, audience="students"):
    return localize(campaign, locale, audience, LOCALES, drafts=True)


@pytest.fixture(scope="module")
def ja_vi(campaign):
    """The issue's school: Japanese and Vietnamese on A4, which cannot hold both."""
    first, second = material(campaign, "ja"), material(campaign, "vi")
    return first, second, make_poster(first, second, PosterOptions(size="a4", draft=True))


def page_texts(data: bytes) -> list[str]:
    with pymupdf.open(stream=data, filetype="pdf") as doc:
        return [page.get_text() for page in doc]


def test_a_pair_too_long_for_a4_gets_a_side_each_and_says_so(ja_vi):
    first, second, poster = ja_vi
    assert poster.sides == 2
    front, back = page_texts(poster.data)
    for text, mine, other in ((front, first, second), (back, second, first)):
        # Every message its language prints (as a poster of its own would), the line
        # saying the other is overleaf, and nothing else of the other's.
        options = PosterOptions(size="a4", draft=not mine.complete)
        data = poster_data(mine, None, options, None, other)
        runs = printed_runs(data)
        assert len(runs) > 20
        for run in runs:
            assert norm(run.text) in norm(text), run.text
        assert norm(other.labels["label_other_side"].text) in norm(text)
        assert norm(other.sections[0].blocks[0].text) not in norm(text)
    # Poppler reads each page the same way.
    for number, mine in ((1, first), (2, second)):
        text = norm(poppler(poster.data, "-f", str(number), "-l", str(number)))
        assert norm(mine.sections[0].blocks[0].text) in text


def test_each_side_is_marked_draft_only_for_its_own_language(ja_vi):
    first, second, poster = ja_vi
    front, back = page_texts(poster.data)
    assert first.complete and not second.complete
    assert norm(second.labels["label_draft"].text) in norm(back)
    assert norm(first.labels["label_draft"].text) not in norm(front)


def test_the_structure_tree_holds_both_sides_each_in_its_language(ja_vi):
    """Every marked sequence of both pages belongs, through the parent tree, to the element
    that lists it, on its own page; the back is a Part in Vietnamese under the Document."""
    _, _, poster = ja_vi
    doc = pikepdf.open(io.BytesIO(poster.data))
    root = doc.Root.StructTreeRoot
    nums = root.ParentTree.Nums
    tree = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
    assert int(root.ParentTreeNextKey) > max(tree)
    (document,) = [root.K] if isinstance(root.K, pikepdf.Dictionary) else list(root.K)
    part = document.K[len(document.K) - 1]
    assert part.S == "/Part" and str(part.Lang) == "vi" and part.P.objgen == document.objgen
    langs: dict[int, dict[tuple[int, int], str]] = {0: {}, 1: {}}  # element -> its /Lang
    pages = [p.obj.objgen for p in doc.pages]

    def walk(element, page=None):
        page = element.get("/Pg", page)
        kids = element.K if isinstance(element.K, pikepdf.Array) else [element.K]
        for kid in kids:
            if isinstance(kid, int):
                number = pages.index(page.objgen)
                parents = tree[int(doc.pages[number].obj.StructParents)]
                assert parents[int(kid)].objgen == element.objgen
                if "/Lang" in element:
                    langs[number][element.objgen] = str(element.Lang)
            elif isinstance(kid, pikepdf.Dictionary) and "/K" in kid:
                assert kid.P.objgen == element.objgen
                walk(kid, page)

    walk(document)
    # Each side in its language, but for the one line that says the other is overleaf.
    front, back = (list(langs[n].values()) for n in (0, 1))
    assert front.count("vi") == 1 and front.count("ja") > 20
    assert back.count("ja") == 1 and back.count("vi") > 20
    for page in doc.pages:  # every marked sequence is listed by its page's entry
        parents = tree[int(page.obj.StructParents)]
        assert set(_marked_content_texts(page)) <= set(range(len(parents)))


def test_each_page_embeds_the_fonts_of_its_language(ja_vi):
    first, second, _ = ja_vi
    with typst_layout():  # the fonts the outlines are drawn from, as Typst embedded them
        data = make_poster(first, second, PosterOptions(size="a4", draft=True)).data
    with pymupdf.open(stream=data, filetype="pdf") as doc:
        fonts = [{f[3].split("+")[-1] for f in page.get_fonts()} for page in doc]
    assert any("CJK" in f for f in fonts[0]) and any(f.startswith("NotoSans-") for f in fonts[1])


def test_the_same_inputs_give_the_same_file(campaign, ja_vi):
    first, second, poster = ja_vi
    again = make_poster(first, second, PosterOptions(size="a4", draft=True))
    assert again.data == poster.data


def test_one_side_is_refused_with_the_floor_error_and_two_can_be_asked_for(campaign):
    first, second = material(campaign, "ja"), material(campaign, "vi")
    with pytest.raises(KitError, match="does not fit even at the 9.41 pt floor"):
        make_poster(first, second, PosterOptions(size="a4", draft=True, sides="one"))
    a3 = PosterOptions(size="a3", draft=True)
    assert make_poster(first, second, a3).sides == 1
    asked = make_poster(first, second, dataclasses.replace(a3, sides="two"))
    assert asked.sides == 2 and len(page_texts(asked.data)) == 2


@pytest.mark.parametrize(
    ("second", "size"), [(None, "a4"), ("en", "square"), ("en", "story")], ids=str
)
def test_two_sides_only_for_a_bilingual_poster_on_paper(campaign, second, size):
    first = material(campaign, "ja")
    other = material(campaign, second) if second else None
    with pytest.raises(KitError, match="only a bilingual poster on paper can have two sides"):
        make_poster(first, other, PosterOptions(size=size, draft=True, sides="two"))


def test_the_preview_image_shows_both_sides_side_by_side(campaign):
    first, second = material(campaign, "ja", "guardians"), material(campaign, "vi", "guardians")
    png = make_poster(first, second, PosterOptions(size="a4", format="png", ppi=36, draft=True))
    width, height = struct.unpack(">II", png.data[16:24])
    mm = 36 / 25.4
    assert png.sides == 2
    assert width == pytest.approx((2 * 210 + 6) * mm, abs=2)
    assert height == pytest.approx(297 * mm, abs=2)
    svg = make_poster(first, second, PosterOptions(size="a4", format="svg", draft=True)).data
    text = svg.decode("utf-8")
    assert first.title in text and second.title in text  # its title and description


def test_a_print_shop_file_has_its_boxes_on_both_pages(ja_vi):
    first, second, _ = ja_vi
    data = make_poster(first, second, PosterOptions(size="a4", draft=True, bleed=3)).data
    doc = pikepdf.open(io.BytesIO(data))
    assert len(doc.pages) == 2
    for page in doc.pages:
        trim = [float(v) for v in page.obj.TrimBox]
        assert trim[2] - trim[0] == pytest.approx(SIZES["a4"].width / 25.4 * 72, abs=0.1)
        assert "/BleedBox" in page.obj


@pytest.mark.parametrize("locale", SHIPPED_LOCALES)
def test_each_catalog_says_overleaf_in_its_own_language(campaign, locale):
    """The line names the language as its speakers write it (CLDR), so a reader scanning
    the other side finds their own language's name."""
    block = overleaf_block(material(campaign, locale))
    assert block.lang.split("-")[0] == locale.split("_")[0].split("@")[0]
    own = display_names(locale.split("@")[0])[0]
    name = {"zh_Hans": "中文", "id": "Indonesia", "pt_BR": "português"}.get(locale, own)
    assert name.split(" (")[0].casefold() in block.text.casefold(), (block.text, name)


def test_a_catalog_without_the_line_gets_the_language_name_not_english(campaign):
    vi = material(campaign, "vi")
    english = dataclasses.replace(
        vi.labels["label_other_side"],
        text="English: on the other side",
        lang="en",
        translated=False,
        draft=False,
    )
    for labels in (
        {k: v for k, v in vi.labels.items() if k != "label_other_side"},
        vi.labels | {"label_other_side": english},
    ):
        block = overleaf_block(dataclasses.replace(vi, labels=labels))
        assert block.text == "Tiếng Việt" and block.lang == "vi"


def test_kit_poster_says_it_made_two_sides(kit, tmp_path):
    pair = ["poster", "--locale", "ja", "--second-locale", "vi", "--size", "a4", "--draft"]
    out = tmp_path / "ja-vi.pdf"
    result = kit(*pair, "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "two-sided: ja on the front, vi on the back" in result.stderr
    assert len(page_texts(out.read_bytes())) == 2
    one = tmp_path / "one.pdf"
    result = kit(*pair, "--sides", "one", "-o", str(one))
    assert result.exit_code == 1 and "does not fit even at the" in result.stderr
    assert not one.exists()


def test_kit_build_makes_the_pairs_and_the_manifest_says_how(kit, locales, tmp_path):
    out = tmp_path / "school"
    result = kit(
        "build",
        "--output",
        str(out),
        "--locale",
        "ja",
        "--pairs",
        "ja+vi,ja-JP+en",
        "--sizes",
        "a4,a3,square",
        "--formats",
        "pdf",
        "--audiences",
        "students",
        "--draft",
        "--locales",
        str(locales),
    )
    assert result.exit_code == 0, result.output
    files = {f["path"]: f for f in manifest(out)["files"]}
    pair = {p: f for p, f in files.items() if "+" in p}
    assert set(pair) == {
        f"kit/{p}/students/{name}-{size}.{ext}"
        for p in ("ja+vi", "ja+en")
        for size in ("a4", "a3")  # a social image has one side: not made for a pair
        for name, ext in (("poster", "pdf"), ("thumb", "png"))
    }
    assert files["kit/ja+vi/students/poster-a4.pdf"]["sides"] == 2
    assert files["kit/ja+vi/students/poster-a3.pdf"]["sides"] == 1
    assert files["kit/ja/students/poster-a4.pdf"]["sides"] == 1
    entry = files["kit/ja+vi/students/poster-a4.pdf"]
    assert entry["locale"] == "ja+vi" and entry["draft"] is True
    assert entry["review"].startswith("ja: ") and " / vi: " in entry["review"]
    assert entry["awaiting_review"] and entry["untranslated"] == []
    assert all(u.startswith("vi:") for u in entry["awaiting_review"])
    assert len(page_texts((out / "kit/ja+vi/students/poster-a4.pdf").read_bytes())) == 2
    gallery = (out / "index.html").read_text("utf-8")
    assert "ja+vi · students · A4 · two-sided" in gallery
    assert "ja+vi: 日本語 + Tiếng Việt (Japanese + Vietnamese)" in gallery


@pytest.mark.parametrize(
    ("pairs", "says"),
    [
        ("ja+ja", "names one catalog twice"),
        ("ja", "is not a pair such as ja+vi"),
        ("ja+xx", "no catalog for locale 'xx'"),
    ],
)
def test_kit_build_refuses_a_bad_pair_before_writing(kit, locales, tmp_path, pairs, says):
    out = tmp_path / "dist"
    result = kit("build", "--output", str(out), "--pairs", pairs, "--locales", str(locales))
    assert result.exit_code != 0 and says in result.stderr
    assert not out.exists()


def test_poppler_is_there():
    assert tool("pdftotext", "poppler-utils")
