"""A standalone, accessible HTML page from a Material (Jinja2 with autoescape)."""

from __future__ import annotations

from kit.material import Material
from kit.render.document import environment, outline


def render_html(material: Material) -> str:
    env = environment(autoescape=True)
    return env.get_template("material.html.j2").render(m=material, sections=outline(material))
