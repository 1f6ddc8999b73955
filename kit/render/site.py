"""A static site: the advice in every language, one page per locale and audience, and an
entry page listing the languages by their own names (issue 26).

Each page is the HTML text output (material.html.j2) with a language switcher, the
alternates search engines read (hreflang, x-default) and, given the site's address, a
canonical URL and a sitemap. Nothing is fetched from elsewhere: the folder works from a
USB stick as from any static host.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urljoin
from xml.sax.saxutils import escape

from kit.locales import babel_locale, display_names, parse_tag
from kit.material import Material
from kit.render.document import parts


def slug(locale: str) -> str:
    """The locale as a BCP 47 tag, for folder names and hreflang: pt_BR -> pt-BR,
    ja@easy -> ja-x-easy (private use: BCP 47 has no subtag for Easy Japanese)."""
    tag = parse_tag(locale)
    return tag.bcp47 + (f"-x-{tag.variant}" if tag.variant else "")


@dataclass(frozen=True)
class Language:
    locale: str
    slug: str
    name: str  # in its own language and script
    lang: str
    dir: str
    pages: tuple[tuple[str, str], ...]  # (audience id, its headline in the language)


def _language(locale: str, by_audience: dict[str, Material]) -> Language:
    first = next(iter(by_audience.values()))
    pages = tuple(
        (aid, next(b.text for b in m.blocks() if b.role == "headline"))
        for aid, m in by_audience.items()
    )
    return Language(locale, slug(locale), display_names(locale)[0], first.lang, first.dir, pages)


def _label(lang: str) -> str:
    """CLDR's name for "multiple languages" in the page's language: the switcher's name."""
    try:
        return str(babel_locale(lang).languages.get("mul") or "Languages")
    except Exception:  # noqa: BLE001 - a tag CLDR does not know: the English word
        return "Languages"


# Each language in the kit's own fonts, as on the posters (Chinese must not take Japanese
# forms), shipped in the site's fonts/ folder: a reader needs no font of their own, and a
# browser loads only the fonts a page's text uses.
_FAMILIES = {
    "NotoSans": "kit Noto Sans",
    "NotoSansArabic": "kit Noto Sans Arabic",
    "NotoSansCJKjp": "kit Noto Sans CJK JP",
    "NotoSansCJKkr": "kit Noto Sans CJK KR",
    "NotoSansCJKsc": "kit Noto Sans CJK SC",
    "NotoSansDevanagari": "kit Noto Sans Devanagari",
    "NotoSansThai": "kit Noto Sans Thai",
}
_BY_LANG = {
    "ja": "NotoSansCJKjp",
    "zh": "NotoSansCJKsc",
    "ko": "NotoSansCJKkr",
    "hi, ne, mr": "NotoSansDevanagari",
    "th": "NotoSansThai",
    "ar, fa, ur": "NotoSansArabic",
}


def _stylesheet(fonts: list[str]) -> str:
    faces = []
    for name in fonts:
        stem, weight = name.split(".")[0].rsplit("-", 1)
        faces.append(
            f'@font-face {{ font-family: "{_FAMILIES[stem]}"; font-weight: '
            f'{700 if weight == "Bold" else 400}; font-display: swap; src: url("fonts/{name}"); }}'
        )
    rules = [
        'html { font-family: "kit Noto Sans", "kit Noto Sans CJK JP", sans-serif; }',
        *(
            ", ".join(f":lang({x})" for x in langs.split(", "))
            + f' {{ font-family: "{_FAMILIES[stem]}", "kit Noto Sans", sans-serif; }}'
            for langs, stem in _BY_LANG.items()
        ),
    ]
    return "/* kit site: the kit's fonts, from this folder. */\n" + "\n".join(faces + rules) + "\n"


def page_path(locale: str, audience: str) -> str:
    return f"{slug(locale)}/{audience}.html"


def render_site(
    materials: dict[str, dict[str, Material]], title: str, url: str | None
) -> dict[str, bytes]:
    """Every file of the site by its path: the materials by locale, then by audience (the
    same audiences for every locale); the entry page's title; the site's address, if any
    (then the pages name their canonical URL, and a sitemap lists them)."""
    from kit.render.document import environment

    env = environment(autoescape=True)
    page = env.get_template("site.html.j2")
    base = url.rstrip("/") + "/" if url else None
    languages = [_language(loc, by) for loc, by in materials.items()]

    def href(locale: str, aid: str) -> str:
        return urljoin(base, page_path(locale, aid)) if base else "../" + page_path(locale, aid)

    files: dict[str, bytes] = {}
    for lang in languages:
        for aid, m in materials[lang.locale].items():
            path = page_path(lang.locale, aid)
            site = {
                "here": lang,
                "audience": aid,
                "languages": languages,
                "label": _label(m.lang),
                "canonical": urljoin(base, path) if base else None,
                "alternates": [(o.slug, href(o.locale, aid)) for o in languages],
                "x_default": urljoin(base, "index.html") if base else "../index.html",
            }
            files[path] = page.render(m=m, parts=parts(m, None, None), site=site).encode()
    first = next(iter(next(iter(materials.values()))))
    index = env.get_template("site-index.html.j2")
    files["index.html"] = index.render(
        languages=languages, audience=first, base=base, path=page_path, title=title
    ).encode()
    from kit.fonts import font_files

    fonts = [p for p in font_files() if p.name.split(".")[0].rsplit("-", 1)[0] in _FAMILIES]
    files["site.css"] = _stylesheet([p.name for p in fonts]).encode()
    files.update((f"fonts/{p.name}", p.read_bytes()) for p in fonts)
    files["fonts/OFL.txt"] = (fonts[0].parent / "OFL.txt").read_bytes()  # the fonts' licence
    if base:
        urls = sorted(urljoin(base, p) for p in files if p.endswith(".html"))
        files["sitemap.xml"] = (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
            + "".join(f"  <url><loc>{escape(u)}</loc></url>\n" for u in urls)
            + "</urlset>\n"
        ).encode()
    return files
