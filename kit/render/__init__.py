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
    from kit.profile import Profile
    from kit.render.document import Part

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
