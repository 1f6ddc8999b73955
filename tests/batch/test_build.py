"""kit build: the matrix, incremental rebuilds, mail-merge, the manifest and the gallery."""

from __future__ import annotations

import hashlib
import shutil

import pytest

from kit.campaign import load_campaign

from ..conftest import edit_entry, manifest

SMALL = ["--sizes", "a4,square", "--formats", "pdf,png", "--audiences", "students"]


def test_build_makes_the_matrix_with_manifest_and_gallery(kit, locales, tmp_path):
    out = tmp_path / "dist"
    result = kit(
        "build", "--output", str(out), "--locale", "ja,en", *SMALL, "--locales", str(locales)
    )
    assert result.exit_code == 0, result.output
    files = {f["path"]: f for f in manifest(out)["files"]}
    expected = {
        f"kit/{loc}/students/{name}"
        for loc in ("ja", "en")
        for name in (
            "poster-a4.pdf",
            "poster-a4.png",
            "poster-square.pdf",
            "poster-square.png",
            "thumb-a4.png",
            "thumb-square.png",
            "text.txt",
            "text.md",
            "text.html",
        )
    }
    assert set(files) == expected
    for path, entry in files.items():
        assert hashlib.sha256((out / path).read_bytes()).hexdigest() == entry["sha256"]
        assert entry["draft"] is False and len(entry["key"]) == 64
    gallery = (out / "index.html").read_text("utf-8")
    assert (
        'src="kit/ja/students/thumb-a4.png"' in gallery
        and 'href="kit/ja/students/poster-a4.pdf"' in gallery
    )
    assert "\r[" not in result.stderr  # no progress bar when stderr is not a terminal
    assert "18 built, 0 unchanged, 0 failed" in result.stderr


def test_rebuild_skips_unchanged_and_redoes_what_changed(kit, locales, tmp_path):
    out = tmp_path / "dist"
    args = [
        "build",
        "--output",
        str(out),
        "--locale",
        "ja,en",
        *SMALL,
        "--locales",
        str(locales),
        "--workers",
        "2",
    ]
    assert kit(*args).exit_code == 0
    assert "0 built, 18 unchanged" in kit(*args).stderr
    edit_entry(locales / "ja/LC_MESSAGES/messages.po", "help_tell", msgstr="先生に相談する。")
    (out / "kit/en/students/text.md").unlink()
    (out / "kit/en/students/poster-a4.pdf").write_bytes(b"%PDF-truncated")
    result = kit(*args)
    assert "11 built, 7 unchanged" in result.stderr  # the 9 ja files, and the 2 damaged en ones
    assert "先生に相談する。" in (out / "kit/ja/students/text.txt").read_text("utf-8")


def test_mail_merge_builds_every_good_row_and_names_the_bad_one(mail_merge, tmp_path):
    logo = tmp_path / "logo.svg"
    shutil.copy(
        __import__("kit.profile", fromlist=["x"]).example_profile_path().parent
        / "example-logo.svg",
        logo,
    )
    result, orgs, out = mail_merge(
        "name,contacts,url,logo,logo_alt,locales\n"
        "Hoshi Junior High,Office: ask at reception|Counsellor on Tuesdays,"
        "https://example.org/hoshi,logo.svg,Hoshi logo,ja\n"
        "Broken School,,not a url,,,\n"
        "Sakura Elementary,,,,,ja en\n",
        *SMALL,
        "--formats",
        "pdf",
    )
    assert result.exit_code == 3
    assert f"{orgs}: row 3: skipped: 'url' must be a web address" in result.stderr
    paths = {f["path"] for f in manifest(out)["files"]}
    assert "hoshi-junior-high/ja/students/poster-a4.pdf" in paths
    assert "sakura-elementary/en/students/poster-a4.pdf" in paths
    assert not any(p.startswith("broken-school") for p in paths)
    assert not any(p.startswith("hoshi-junior-high/en") for p in paths)  # its row says ja only


def test_drafts_are_refused_unless_asked_for_and_then_marked(kit, locales, tmp_path):
    out = tmp_path / "dist"
    result = kit(
        "build",
        "--output",
        str(out),
        "--locale",
        "ja,vi",
        *SMALL,
        "--formats",
        "pdf",
        "--locales",
        str(locales),
    )
    total = len(load_campaign().messages)
    assert result.exit_code == 1 and result.stderr == (
        f"Error: vi: {total} of {total} messages await review; --draft prints them marked DRAFT; "
        "`kit catalog check vi` lists them\n"
    )
    assert not out.exists()  # every locale is decided before anything is written
    result = kit(
        "build",
        "--output",
        str(out),
        "--locale",
        "vi",
        *SMALL,
        "--formats",
        "pdf",
        "--draft",
        "--locales",
        str(locales),
    )
    assert result.exit_code == 0
    entry = next(f for f in manifest(out)["files"] if f["path"] == "kit/vi/students/poster-a4.pdf")
    # Issue 23: drafts shown were listed as "untranslated". Every vi message has a draft.
    assert entry["draft"] is True and entry["awaiting_review"] and entry["untranslated"] == []
    assert "headline_students" in entry["awaiting_review"]
    # Who reviewed the catalog, as its X-Review header says: a draft claims no review.
    assert entry["review"].startswith("none yet")


def test_default_locales_are_the_complete_ones(kit, locales, tmp_path):
    out = tmp_path / "dist"
    assert (
        kit(
            "build", "--output", str(out), *SMALL, "--formats", "pdf", "--locales", str(locales)
        ).exit_code
        == 0
    )
    assert {f["locale"] for f in manifest(out)["files"]} == {"en", "ja"}


def test_fallback_builds_an_incomplete_locale_marked_draft_and_only_when_asked(
    kit, locales, tmp_path
):
    edit_entry(locales / "ja/LC_MESSAGES/messages.po", "help_tell", msgstr="")
    out = tmp_path / "dist"
    args = ["build", "--output", str(out), "--sizes", "a4", "--formats", "pdf"]
    args += ["--audiences", "students", "--locales", str(locales)]
    refused = kit(*args, "--locale", "ja", "--draft")
    assert refused.exit_code == 1 and "--fallback en prints it in English" in refused.stderr
    assert not out.exists()
    # Chosen by default too, with --draft --fallback: the incomplete catalog is built.
    result = kit(*args, "--draft", "--fallback", "en")
    assert result.exit_code == 0, result.stderr
    entry = next(f for f in manifest(out)["files"] if f["path"] == "kit/ja/students/poster-a4.pdf")
    assert entry["draft"] is True and entry["untranslated"] == ["help_tell"]
    assert entry["awaiting_review"] == []
    assert kit(*args, "--draft", "--fallback", "ja").exit_code == 2  # only the source language


@pytest.mark.parametrize(
    ("option", "value"), [("--sizes", "a5"), ("--formats", "gif"), ("--audiences", "x")]
)
def test_bad_matrix_values_are_usage_errors(kit, tmp_path, option, value):
    assert kit("build", "--output", str(tmp_path / "d"), option, value).exit_code == 2


def test_one_print_file_per_paper_and_a_zip_of_the_build(kit, locales, tmp_path):
    """Issue 23: 20 schools gave 20 PDFs in 20 folders; a print shop wants one file."""
    import hashlib
    import io
    import zipfile

    import pymupdf

    orgs = tmp_path / "orgs.csv"
    orgs.write_text("name,contacts\nAoba Junior High,Office\nBirch High,Room 2\n", "utf-8")
    out = tmp_path / "dist"
    args = ["build", "--output", str(out), "--locale", "ja,vi", "--pairs", "ja+vi"]
    args += ["--sizes", "a4", "--formats", "pdf", "--audiences", "students", "--draft"]
    args += ["--orgs", str(orgs), "--locales", str(locales), "--print-file", "--zip"]
    result = kit(*args)
    assert result.exit_code == 0, result.output
    assert f"print file: {out / 'print-a4.pdf'}" in result.stderr
    data = (out / "print-a4.pdf").read_bytes()
    with pymupdf.open(stream=data, filetype="pdf") as doc:
        pages = [page.get_text() for page in doc]
        sizes = {(round(p.rect.width), round(p.rect.height)) for p in doc}
    # Per school, in the manifest's order: ja+vi's two sides, then ja and vi (each one
    # side, then a blank back, so that every front prints on a front).
    assert len(pages) == 12 and sizes == {(595, 842)}
    blank = [i for i, text in enumerate(pages) if not text.strip()]
    assert blank == [3, 5, 9, 11]
    assert "Aoba Junior High" in pages[0] and "Birch High" in pages[6]
    files = manifest(out)["files"]
    with zipfile.ZipFile(io.BytesIO((out / "build.zip").read_bytes())) as z:
        names = z.namelist()
        assert set(names) == {f["path"] for f in files} | {
            "manifest.json",
            "index.html",
            "print-a4.pdf",
        }
        for f in files:
            assert hashlib.sha256(z.read(f["path"])).hexdigest() == f["sha256"]
    before = {n: (out / n).read_bytes() for n in ("print-a4.pdf", "build.zip")}
    assert "0 built" in kit(*args).stderr
    assert {n: (out / n).read_bytes() for n in before} == before  # the same bytes again
