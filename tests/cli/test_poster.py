"""`kit poster` and organisation profiles, as a user meets them."""

from __future__ import annotations

import io
import struct
import zlib

import pypdf
import pytest

from kit.profile import ProfileError, example_profile_path, load_profile

from ..conftest import edit_entry
from .test_cli import assert_one_line_error

MM = 72 / 25.4


def page_mm(path):
    box = pypdf.PdfReader(io.BytesIO(path.read_bytes())).pages[0].mediabox
    return round(float(box.width) / MM), round(float(box.height) / MM)


def test_poster_ja_default_is_a4_pdf(kit, tmp_path):
    out = tmp_path / "poster.pdf"
    result = kit("poster", "--locale", "ja", "--output", str(out))
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"%PDF") and page_mm(out) == (210, 297)
    assert f"wrote {out}" in result.stderr


def test_poster_en_defaults_to_letter_and_format_follows_suffix(kit, tmp_path):
    assert kit("poster", "-l", "en", "-o", str(tmp_path / "p.pdf")).exit_code == 0
    assert page_mm(tmp_path / "p.pdf") == (216, 279)
    # en-GB has no catalog of its own and uses en's, but its paper is A4.
    assert kit("poster", "-l", "en-GB", "-o", str(tmp_path / "gb.pdf")).exit_code == 0
    assert page_mm(tmp_path / "gb.pdf") == (210, 297)
    assert kit("poster", "-l", "ja", "-o", str(tmp_path / "p.png")).exit_code == 0
    assert (tmp_path / "p.png").read_bytes()[:4] == b"\x89PNG"
    assert (
        kit("poster", "-l", "ja", "--format", "svg", "-o", str(tmp_path / "p.out")).exit_code == 0
    )
    assert b"<svg" in (tmp_path / "p.out").read_bytes()[:200]


def test_bilingual_organisation_bleed(kit, tmp_path):
    out = tmp_path / "a3.pdf"
    result = kit(
        "poster",
        "-l",
        "ja",
        "--second-locale",
        "en",
        "-a",
        "guardians",
        "--size",
        "a3",
        "--org",
        str(example_profile_path()),
        "--bleed",
        "3",
        "-o",
        str(out),
    )
    assert result.exit_code == 0, result.output
    page = pypdf.PdfReader(io.BytesIO(out.read_bytes())).pages[0]
    assert [round(float(b.width) / MM) for b in (page.trimbox, page.bleedbox)] == [297, 303]


def test_overlong_translation_fails_and_writes_nothing(kit, locales, tmp_path):
    edit_entry(
        locales / "ja/LC_MESSAGES/messages.po", "headline_students", msgstr="長い見出し" * 60
    )
    out = tmp_path / "poster.pdf"
    result = kit("poster", "-l", "ja", "--locales", str(locales), "-o", str(out))
    assert_one_line_error(result, "headline_students", "locale ja", "too long")
    assert not out.exists() and list(tmp_path.iterdir()) == [locales]


def test_untranslated_is_refused_then_drafted(kit, locales, tmp_path):
    edit_entry(locales / "ja/LC_MESSAGES/messages.po", "help_block", msgstr="")
    out = tmp_path / "poster.pdf"
    for flags in ([], ["--draft"]):
        result = kit("poster", "-l", "ja", "--locales", str(locales), "-o", str(out), *flags)
        assert_one_line_error(result, "ja: 1 of ", "messages has no translation", "--fallback en")
        assert not out.exists()
    result = kit(
        "poster",
        "-l",
        "ja",
        "--locales",
        str(locales),
        "--draft",
        "--fallback",
        "en",
        "-o",
        str(out),
    )
    assert result.exit_code == 0 and "ja: marked DRAFT: 1 shown in English" in result.stderr
    assert out.exists()


def test_an_unknown_suffix_is_a_usage_error_not_a_pdf_in_disguise(kit, tmp_path):
    result = kit("poster", "-l", "ja", "-o", str(tmp_path / "poster.jpg"))
    assert result.exit_code == 2 and "cannot tell the format from '.jpg'" in result.output
    assert not (tmp_path / "poster.jpg").exists()
    assert (
        kit("poster", "-l", "ja", "-o", str(tmp_path / "poster")).exit_code == 0
    )  # no suffix: PDF
    assert (tmp_path / "poster").read_bytes().startswith(b"%PDF")


def test_draft_flag_marks_only_a_poster_that_is_incomplete(kit, tmp_path):
    out = tmp_path / "ja.pdf"
    assert kit("poster", "-l", "ja", "--draft", "-o", str(out)).exit_code == 0
    text = pypdf.PdfReader(io.BytesIO(out.read_bytes())).pages[0].extract_text()
    assert "下書き" not in text  # ja is complete: no DRAFT mark
    assert kit("poster", "-l", "vi", "--draft", "-o", str(out)).exit_code == 0
    assert "BẢN NHÁP" in pypdf.PdfReader(io.BytesIO(out.read_bytes())).pages[0].extract_text()


def test_unknown_size_is_a_usage_error(kit, tmp_path):
    assert kit("poster", "-l", "ja", "--size", "a5", "-o", str(tmp_path / "x.pdf")).exit_code == 2


# -- profiles -----------------------------------------------------------------------------


def write_profile(tmp_path, text, logo: bytes | None = None, logo_name="logo.png"):
    if logo is not None:
        (tmp_path / logo_name).write_bytes(logo)
    path = tmp_path / "org.toml"
    path.write_text(text, "utf-8")
    return path


def png(width: int, height: int, rgb=(29, 58, 110)) -> bytes:
    """A small valid PNG, made here so the test needs no image library."""

    def chunk(kind, body):
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    rows = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


PNG_1PX = png(4, 4)


def test_example_profile_is_plainly_fictional():
    profile = load_profile(example_profile_path())
    assert profile.url is not None
    assert "fictional" in profile.name and profile.url.startswith("https://example.org/")
    assert not any(ch.isdigit() for line in profile.contacts for ch in line)  # no phone number


def test_png_logo_profile_on_a_poster(kit, tmp_path):
    path = write_profile(
        tmp_path,
        'name = "Hoshi School"\nurl = "https://example.net/"\n'
        '[logo]\npath = "logo.png"\nalt = "Hoshi School logo"\n',
        PNG_1PX,
    )
    logo = load_profile(path).logo
    assert logo is not None
    assert logo.kind == "png"
    result = kit("poster", "-l", "ja", "--org", str(path), "-o", str(tmp_path / "p.pdf"))
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(
    ("text", "logo", "expected"),
    [
        ('name = ""\n', None, "'name' must be a non-empty string"),
        ('name = "A"\ncontacts = ["1", "2", "3", "4"]\n', None, "a poster has room for 3"),
        ('name = "A"\nurl = "javascript:alert(1)"\n', None, "'url' must be a web address"),
        ('name = "A"\nurl = "example.org"\n', None, "'url' must be a web address"),
        ('name = "A"\nphone = "0120"\n', None, "unknown key(s) phone"),
        (
            'name = "A"\n[logo]\npath = "../../etc/passwd"\nalt = "x"\n',
            None,
            "leaves the profile's folder",
        ),
        (
            'name = "A"\n[logo]\npath = "logo.png"\nalt = "x"\n',
            b"not an image",
            "not a PNG, JPEG or SVG",
        ),
        ('name = "A"\n[logo]\npath = "missing.png"\nalt = "x"\n', None, "not found"),
        ('name = "A"\n[logo]\npath = "logo.png"\n', PNG_1PX, "needs 'alt'"),
        (
            'name = "A"\n[logo]\npath = "logo.png"\nalt = "x"\n',
            b"\x89PNG\r\n\x1a\n" + b"0" * (3 * 1024 * 1024),
            "the limit is",
        ),
        ('name = "A\n', None, "not valid TOML"),
    ],
)
def test_a_broken_profile_is_one_clear_error(kit, tmp_path, text, logo, expected):
    path = write_profile(tmp_path, text, logo)
    with pytest.raises(ProfileError) as err:
        load_profile(path)
    assert expected in str(err.value) and str(path) in str(err.value)
    out = tmp_path / "p.pdf"
    assert_one_line_error(kit("poster", "-l", "ja", "--org", str(path), "-o", str(out)), expected)
    assert not out.exists()


def test_a_corrupt_png_logo_names_the_profile(kit, tmp_path):
    path = write_profile(
        tmp_path,
        'name = "A"\n[logo]\npath = "logo.png"\nalt = "x"\n',
        PNG_1PX[:40] + b"garbage" + PNG_1PX[47:],
    )
    out = tmp_path / "p.pdf"
    assert_one_line_error(
        kit("poster", "-l", "ja", "--org", str(path), "-o", str(out)),
        str(path),
        "the logo cannot be read as a PNG image",
    )
    assert not out.exists()


def test_missing_profile_file(kit, tmp_path):
    assert_one_line_error(
        kit(
            "poster",
            "-l",
            "ja",
            "--org",
            str(tmp_path / "none.toml"),
            "-o",
            str(tmp_path / "p.pdf"),
        ),
        "profile file not found",
    )


def test_contact_sheet_shows_every_poster_and_says_which_could_not_be_made(kit, locales, tmp_path):
    edit_entry(
        locales / "ja/LC_MESSAGES/messages.po", "help_tell", msgstr="とても長い文章です。" * 120
    )
    out = tmp_path / "sheet.png"
    result = kit(
        "contact-sheet",
        "--locale",
        "ja,en",
        "--sizes",
        "a4,square",
        "--audiences",
        "students",
        "--locales",
        str(locales),
        "--workers",
        "1",
        "--ppi",
        "12",
        "-o",
        str(out),
    )
    assert result.exit_code == 0, result.output
    assert "rendering 4 poster(s)" in result.stderr
    assert "1 poster(s) could not be made" in result.stderr
    data = out.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    # Two columns (A4 at 12 ppi is 99 px wide, the square 90 px) and two rows of them.
    assert 99 + 90 < width < 2 * (99 + 90) and 2 * 140 < height < 3 * 180
