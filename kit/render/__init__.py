"""Renderers: each takes a Material and returns text or bytes. None calls gettext or formats
a number; only kit/render/poster knows Typst.

This module is the one registry of what kit can write: the text formats (with the file
suffix each is saved under) and the poster formats and sizes. It imports nothing heavy, so
the command line can offer the choices without loading a renderer.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from kit.errors import RequestError
from kit.render.sizes import POSTER_FORMATS, SIZES, default_size, poster_size, suffix_format

if TYPE_CHECKING:
    from kit.material import Material
    from kit.profile import Profile
    from kit.render.document import Part

__all__ = [
    "POSTER_FORMATS",
    "SIZES",
    "TEXT_FORMATS",
    "default_size",
    "output_format",
    "poster_size",
    "render_text",
    "suffix_format",
    "text_suffixes",
]

# format -> (renderer "module:function", the suffix kit build saves it under or None)
TEXT_FORMATS: dict[str, tuple[str, str | None]] = {
    "plain": ("kit.render.text:render_plain", "txt"),
    "markdown": ("kit.render.text:render_markdown", "md"),
    "html": ("kit.render.html:render_html", "html"),
    "json": ("kit.render.text:render_json", None),
}


def text_suffixes() -> dict[str, str]:
    """suffix -> format, for the text files of a build: txt, md, html."""
    return {suffix: fmt for fmt, (_, suffix) in TEXT_FORMATS.items() if suffix}


# What a text file's suffix says it holds (TEXT_FORMATS' suffixes, and their other spellings).
TEXT_SUFFIXES = {
    ".txt": "plain",
    ".text": "plain",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".json": "json",
}


def output_format(kind: str, output: Path, asked: str | None) -> str:
    """The format to write `output` in, a "poster" or a "text": `asked`, else what the
    file's suffix says (poster.png: png), else pdf for a poster. A suffix that says
    another format than `asked`, or one kit cannot write (.docx, .jpg), is refused: the
    file would not open as what its name says."""
    suffix = output.suffix.lower()
    if kind == "poster":
        implied = suffix_format(output)
        unknown = f"cannot tell the format from {output.suffix!r}: name the file .pdf, .png or .svg"
    else:
        implied = TEXT_SUFFIXES.get(suffix)
        unknown = (
            f"kit text cannot write a {suffix} file: name it .txt, .md, .html (or .htm) or "
            ".json, or use kit poster for a PDF"
        )
    if suffix and implied is None and not asked:
        raise RequestError(unknown, param="output")
    if asked and implied and asked != implied:
        raise RequestError(
            f"the file name says {implied} ({output.suffix}) but the format asked for is "
            f"{asked}: the file would not open as what its name says",
            param="output",
        )
    if kind == "text" and not asked and not implied:
        raise RequestError(
            f"cannot tell the format of {output.name!r}: give it a suffix (.txt, .md, "
            ".html, .json) or pass --format",
            param="output",
        )
    return asked or implied or "pdf"


def render_text(
    material: Material,
    fmt: str,
    profile: Profile | None = None,
    second: Material | None = None,
) -> str:
    """The material as text in `fmt`; with `profile`, the organisation's name, contacts
    and address in each language's own (the profile's [language.<locale>] ones); with
    `second`, the second language after the first (a bilingual newsletter)."""
    from kit.render.document import parts

    module, _, name = TEXT_FORMATS[fmt][0].partition(":")
    renderer: Callable[[list[Part]], str] = getattr(importlib.import_module(module), name)
    return renderer(parts(material, second, profile))
