"""Renderers: each takes a Material and returns text or bytes. None calls gettext or formats
a number; only kit/render/poster knows Typst.

This module is the one registry of what kit can write: the text formats (with the file
suffix each is saved under) and the poster formats and sizes. It imports nothing heavy, so
the command line can offer the choices without loading a renderer.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING

from kit.render.sizes import POSTER_FORMATS, SIZES, default_size, suffix_format

if TYPE_CHECKING:
    from kit.material import Material

__all__ = [
    "POSTER_FORMATS",
    "SIZES",
    "TEXT_FORMATS",
    "default_size",
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


def render_text(material: Material, fmt: str) -> str:
    module, _, name = TEXT_FORMATS[fmt][0].partition(":")
    renderer: Callable[[Material], str] = getattr(importlib.import_module(module), name)
    return renderer(material)
