"""A standalone, accessible HTML page from a Material (Jinja2 with autoescape): one
language, or two, each an article in its own language."""

from __future__ import annotations

from kit.render.document import Part, environment


def render_html(parts: list[Part]) -> str:
    env = environment(autoescape=True)
    return env.get_template("material.html.j2").render(m=parts[0].m, parts=parts)
