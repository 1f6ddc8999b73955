"""Partners' logos: bounded before anything decodes them, inert in what kit writes."""

from __future__ import annotations

import base64
import os
import re
import shutil
import struct
import zlib
from pathlib import Path
from typing import cast

import pytest

from kit.images import ImageError, check_image

from .conftest import ROOT

PARTNERS = Path(__file__).parent / "corpus" / "partners"


def png(width: int, height: int, *extra: tuple[bytes, bytes]) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1 bit, greyscale
    rows = zlib.compress((b"\0" + b"\0" * ((width + 7) // 8)) * min(height, 64))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + b"".join(chunk(k, d) for k, d in extra)
        + chunk(b"IDAT", rows)
        + chunk(b"IEND", b"")
    )


def profile_with(tmp_path: Path, name: str, data: bytes) -> Path:
    (tmp_path / name).write_bytes(data)
    path = tmp_path / "org.toml"
    path.write_text(
        f'name = "Aoba Junior High"\n[logo]\npath = "{name}"\nalt = "Aoba logo"\n', "utf-8"
    )
    return path


def test_a_small_png_declaring_ten_billion_pixels_is_refused_before_decoding(
    kit, locales, tmp_path
):
    bomb = png(100_000, 100_000)
    assert len(bomb) < 2 * 1024 * 1024  # it passes the file-size limit
    out = tmp_path / "p.pdf"
    result = kit(
        "poster",
        "-l",
        "ja",
        "--org",
        str(profile_with(tmp_path, "bomb.png", bomb)),
        "-o",
        str(out),
        "--locales",
        str(locales),
    )
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.stderr.strip().endswith(
        "logo file 'bomb.png' is a PNG of 100000 x 100000 pixels; the limit is 8192 on a side and "
        "16 megapixels in all (a logo prints well at 1000 x 1000)"
    )
    assert not out.exists()


def test_a_png_bomb_in_a_mail_merge_is_that_rows_line_and_the_rest_build(mail_merge, tmp_path):
    (tmp_path / "bomb.png").write_bytes(png(60_000, 60_000))
    result, orgs, out = mail_merge(
        "name,logo,logo_alt\nAoba,,\nBomb School,bomb.png,logo\nKaede,,\n",
        *["--locale", "ja", "--sizes", "a4", "--formats", "png", "--audiences", "students"],
    )
    assert result.exit_code == 3
    assert (
        f"{orgs}: row 3: skipped: logo file 'bomb.png' is a PNG of 60000 x 60000 pixels"
        in result.stderr
    )
    assert "10 built, 0 unchanged, 0 failed, 1 bad row(s)" in result.stderr


def test_only_the_chunks_that_draw_a_png_are_kept():
    data = png(
        10,
        10,
        (b"tEXt", b"Author\0a partner's name"),
        (b"zTXt", b"x\0\0" + zlib.compress(b"y" * 10**6)),
    )
    cleaned = check_image(data).data
    assert b"tEXt" not in cleaned and b"zTXt" not in cleaned and b"IDAT" in cleaned
    with pytest.raises(ImageError, match="does not start with its header"):
        check_image(b"\x89PNG\r\n\x1a\n" + data[33:])
    with pytest.raises(ImageError, match="ends in the middle of a chunk"):
        check_image(data[:40])


def test_an_svg_poster_carries_nothing_active_from_the_logo(kit, locales, tmp_path):
    out = tmp_path / "poster.svg"
    result = kit(
        "poster",
        "-l",
        "ja",
        "--org",
        str(PARTNERS / "logo-script.toml"),
        "--format",
        "svg",
        "-o",
        str(out),
        "--locales",
        str(locales),
    )
    assert result.exit_code == 0, result.output
    poster = out.read_text("utf-8")
    # Typst embeds the logo as a data: URI; look inside every one of them too.
    embedded = [
        base64.b64decode(m).decode("utf-8", "replace")
        for m in re.findall(r"data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)", poster)
    ]
    assert embedded, "the logo is in the poster"
    for text in (poster, *embedded):
        for active in (
            "<script",
            "onload",
            "onclick",
            "onmouseover",
            "foreignObject",
            "javascript:",
            "tracker.example",
            "<animate",
        ):
            assert active not in text, active
    assert any('fill="#1d3a6e"' in text for text in embedded)  # the logo itself is still drawn


def test_sanitizing_keeps_what_typst_draws():
    import xml.etree.ElementTree as ET

    def drawn(data: bytes) -> list[tuple[str, dict[str, str]]]:
        return [(e.tag, dict(e.attrib)) for e in ET.fromstring(data).iter()]

    logo = (ROOT / "kit/data/profiles/example-logo.svg").read_bytes()
    assert drawn(check_image(logo).data) == drawn(logo)  # a plain logo passes unchanged
    internal = (
        b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
        b'<defs><linearGradient id="g"/></defs><rect id="r" fill="url(#g)"/>'
        b'<use xlink:href="#r"/></svg>'
    )
    cleaned = check_image(internal).data.decode("utf-8")
    assert 'fill="url(#g)"' in cleaned and 'xlink:href="#r"' in cleaned


def test_an_svg_embedding_an_oversized_image_is_refused():
    inner = base64.b64encode(png(20_000, 20_000)).decode()
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg">'
        f'<image href="data:image/png;base64,{inner}"/></svg>'
    )
    with pytest.raises(ImageError, match="is an SVG embedding a PNG of 20000 x 20000 pixels"):
        check_image(svg.encode())
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg">'
        '<image href="data:image/svg+xml;base64,PHN2Zy8+"/></svg>'
    )
    with pytest.raises(ImageError, match="only PNG and JPEG may be embedded"):
        check_image(svg.encode())


@pytest.mark.parametrize("kind", ["fifo", "folder"])
def test_a_fifo_or_a_folder_as_logo_is_named_as_such_and_never_hangs(kit, locales, tmp_path, kind):
    target = tmp_path / "logo.png"
    os.mkfifo(target) if kind == "fifo" else target.mkdir()
    profile = tmp_path / "org.toml"
    profile.write_text('name = "A"\n[logo]\npath = "logo.png"\nalt = "x"\n', "utf-8")
    result = kit(
        "poster",
        "-l",
        "ja",
        "--org",
        str(profile),
        "-o",
        str(tmp_path / "p.pdf"),
        "--locales",
        str(locales),
    )
    assert result.exit_code == 1
    expected = (
        "is not a regular file (a pipe or a device?)"
        if kind == "fifo"
        else "is a folder, not an image file"
    )
    assert result.stderr.strip().endswith(f"logo file 'logo.png' {expected}")


def test_the_example_logo_prints_with_its_alt_text(kit, locales, tmp_path):
    """The shipped example logo is drawn on the poster (paths beyond those of the same
    poster without it) and reaches a screen reader as a figure with its alt text."""
    import pymupdf
    import pypdf

    shutil.copy(ROOT / "kit/data/profiles/example-logo.svg", tmp_path / "logo.svg")
    drawings = {}
    for name, logo in (("with", '[logo]\npath = "logo.svg"\nalt = "Aoba logo"\n'), ("without", "")):
        profile = tmp_path / f"{name}.toml"
        profile.write_text(f'name = "Aoba"\n{logo}', "utf-8")
        out = tmp_path / f"{name}.pdf"
        result = kit(
            "poster", "-l", "ja", "--org", str(profile), "-o", str(out), "--locales", str(locales)
        )
        assert result.exit_code == 0, result.output
        drawings[name] = len(pymupdf.open(out)[0].get_drawings())
    assert drawings["with"] > drawings["without"]
    figures = []

    def walk(node) -> None:
        node = node.get_object()
        if node.get("/S") == "/Figure":
            figures.append(str(node.get("/Alt")))
        kids = node.get("/K")
        for kid in kids if isinstance(kids, list) else [kids] if kids is not None else []:
            if isinstance(kid.get_object(), dict):
                walk(kid)

    trailer = pypdf.PdfReader(tmp_path / "with.pdf").trailer
    # pypdf types every value as PdfObject; the document catalog (/Root) is a dictionary.
    walk(cast(pypdf.generic.DictionaryObject, trailer["/Root"])["/StructTreeRoot"])
    assert figures == ["Aoba logo"]


@pytest.mark.parametrize(
    ("svg", "problem"),
    [
        ('width="0" height="0"', "is an SVG whose width '0' is not a positive length"),
        ('viewBox="0 0 0 10"', "is an SVG whose viewBox '0 0 0 10' is not four numbers with"),
        ('viewBox="0 0 10"', "is an SVG whose viewBox '0 0 10' is not four numbers"),
    ],
)
def test_an_svg_of_no_size_is_named_before_typst_sees_it(svg, problem):
    with pytest.raises(ImageError, match=re.escape(problem)):
        check_image(f'<svg xmlns="http://www.w3.org/2000/svg" {svg}><rect/></svg>'.encode())
    check_image(b'<svg xmlns="http://www.w3.org/2000/svg" width="4cm" viewBox="0,0,10,10"/>')


def jpeg(width: int, height: int) -> bytes:
    """A real JPEG, encoded by MuPDF, with an EXIF segment (a camera's) and a comment."""
    import pymupdf

    pix = pymupdf.Pixmap(pymupdf.csRGB, pymupdf.IRect(0, 0, width, height), False)
    pix.set_rect(pix.irect, (29, 58, 110))
    data = pix.tobytes("jpeg")
    exif = b"Exif\0\0MM\0*GPS-position-of-the-office"
    com = b"made by the office camera"
    segment = b"\xff\xe1" + struct.pack(">H", len(exif) + 2) + exif
    comment = b"\xff\xfe" + struct.pack(">H", len(com) + 2) + com
    return data[:2] + segment + comment + data[2:]


def test_a_jpeg_logo_prints_without_its_metadata(kit, locales, tmp_path):
    """Issue 23: JPEG, what most NGOs have, was refused as "neither a PNG nor an SVG"."""
    import pymupdf

    raw = jpeg(120, 80)
    checked = check_image(raw)
    assert checked.kind == "jpg"
    assert b"GPS-position" not in checked.data and b"office camera" not in checked.data
    profile = profile_with(tmp_path, "logo.jpg", raw)
    out = tmp_path / "p.pdf"
    result = kit(
        "poster", "-l", "ja", "--org", str(profile), "-o", str(out), "--locales", str(locales)
    )
    assert result.exit_code == 0, result.output
    with pymupdf.open(out) as doc:
        images = doc[0].get_images()
        assert len(images) == 1
        assert (images[0][2], images[0][3]) == (120, 80)  # the logo, at its own size
    for suffix in ("png", "svg"):
        result = kit(
            "poster", "-l", "ja", "--org", str(profile), "-o", str(tmp_path / f"p.{suffix}"),
            "--locales", str(locales),
        )  # fmt: skip
        assert result.exit_code == 0, result.output


def test_a_jpeg_declaring_too_many_pixels_is_refused_before_decoding():
    raw = bytearray(jpeg(16, 16))
    at = next(i for i in range(len(raw) - 1) if raw[i] == 0xFF and raw[i + 1] in (0xC0, 0xC2))
    raw[at + 5 : at + 9] = struct.pack(">HH", 60000, 60000)
    with pytest.raises(ImageError, match="is a JPEG of 60000 x 60000 pixels; the limit is"):
        check_image(bytes(raw))
    with pytest.raises(ImageError, match="is a JPEG that ends before its picture data"):
        whole = jpeg(16, 16)
        check_image(whole[: whole.index(b"\xff\xda")])


ILLUSTRATOR = """<?xml version="1.0" encoding="utf-8"?>
<!-- Generator: Adobe Illustrator 27.0.0, SVG Export Plug-In . SVG Version: 6.00 Build 0)  -->
<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">
<svg version="1.1" id="Layer_1" xmlns="http://www.w3.org/2000/svg"
  xmlns:xlink="http://www.w3.org/1999/xlink" x="0px" y="0px" viewBox="0 0 100 100"
  style="enable-background:new 0 0 100 100;" xml:space="preserve">
<style type="text/css">.st0{fill:#1D3A6E;}</style>
<circle class="st0" cx="50" cy="50" r="40"/>
</svg>
"""


def test_an_illustrator_svg_with_the_standard_doctype_prints(kit, locales, tmp_path):
    """Issue 23: Illustrator's standard SVG 1.1 DOCTYPE (no internal subset) was refused."""
    assert b"DOCTYPE" not in check_image(ILLUSTRATOR.encode()).data
    profile = profile_with(tmp_path, "logo.svg", ILLUSTRATOR.encode())
    out = tmp_path / "p.pdf"
    result = kit(
        "poster", "-l", "ja", "--org", str(profile), "-o", str(out), "--locales", str(locales)
    )
    assert result.exit_code == 0, result.output
    # The same DOCTYPE with an internal subset can declare entities: still refused.
    subset = ILLUSTRATOR.replace('svg11.dtd">', 'svg11.dtd" [<!ENTITY a "aaaa">]>')
    with pytest.raises(ImageError, match="DOCTYPE declaring its own entities"):
        check_image(subset.encode())
