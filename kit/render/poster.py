"""Posters: Material -> Typst -> PDF, PNG or SVG. The only module that knows Typst.

Translations reach Typst only as JSON data (sys.inputs), never as markup, and only the
kit's own fonts are used. Before compiling, every character is checked against those
fonts, so a missing glyph is an error rather than a silent box (tofu).
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import json
import tempfile
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from kit.errors import KitError
from kit.fonts import families_for, font_dir, missing_glyphs
from kit.material import Block, Material
from kit.profile import Profile
from kit.render.document import outline
from kit.render.sizes import DEFAULT_PPI, POSTER_FORMATS, SIZES, default_size, suffix_format

# Languages written without spaces between words: BudouX gives the phrases, and a line
# breaks only between them (Japanese, Chinese: never inside a word; Thai: at word bounds).
_BUDOUX = {"ja": "load_default_japanese_parser", "zh-Hans": "load_default_simplified_chinese_parser",
           "zh-Hant": "load_default_traditional_chinese_parser", "th": "load_default_thai_parser"}


@dataclass(frozen=True)
class PosterOptions:
    size: str = "a4"
    format: str = "pdf"
    bleed: float = 0.0  # mm on each side; adds crop marks
    draft: bool = False
    ppi: float = DEFAULT_PPI


@functools.cache
def _parser(lang: str) -> Any:
    import budoux

    return getattr(budoux, _BUDOUX[lang])()


# Characters a Japanese or Chinese line must not start with (kinsoku shori): closing
# brackets and punctuation, small kana, the middle dot, the long-vowel mark.
_NO_LINE_START = set("、。，．・：；？！ー」』）〕］｝〉》】〙〗ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ々ゝゞ…‥％,.:;?!)]}")


def _phrases(parser: Any, text: str) -> list[str]:
    """BudouX phrases, with any punctuation that may not start a line moved onto the end of
    the phrase before it, so that no line starts with 、。・」 or a small kana."""
    out: list[str] = []
    for phrase in parser.parse(text):
        while out and phrase and phrase[0] in _NO_LINE_START:
            out[-1] += phrase[0]
            phrase = phrase[1:]
        if phrase:
            out.append(phrase)
    return out


def _split_lang(tag: str) -> tuple[str, str | None]:
    parts = tag.split("-")
    region = next((p for p in parts[1:] if len(p) == 2 and p.isalpha()), None)
    return parts[0], region.upper() if region else None


def _ruby_phrases(block: Block, parser: Any) -> list[list[dict[str, Any]]]:
    """A Japanese text with furigana as phrases (BudouX, on the base text) of units (a word
    with its reading, or plain text). A line breaks only between phrases, so a word never
    leaves its okurigana (送|らない) or its counter (263|人)."""
    bounds, at = set(), 0
    for phrase in _phrases(parser, block.text):
        at += len(phrase)
        bounds.add(at)
    phrases: list[list[dict[str, Any]]] = [[]]
    at = 0
    for base, reading in block.ruby or ():
        pieces = [base] if reading else _split_at(base, {b - at for b in bounds})
        for piece in pieces:
            if phrases[-1] and at in bounds:
                phrases.append([])
            phrases[-1].append({"base": piece, "reading": reading})
            at += len(piece)
    return [p for p in phrases if p]


def _split_at(text: str, cuts: set[int]) -> list[str]:
    points = [0, *sorted(c for c in cuts if 0 < c < len(text)), len(text)]
    return [text[a:b] for a, b in itertools.pairwise(points)]


def _ruby_token(phrase: list[dict[str, Any]]) -> str:
    """A phrase with readings as a string as wide as it prints: a reading set at half size
    over its base widens the unit when it has more than two characters per base one."""
    out = []
    for unit in phrase:
        base, reading = unit["base"], unit["reading"] or ""
        half = -(-len(reading) // 2)
        out.append(base if len(base) >= half else reading[:half])
    return "".join(out)


def _run(block: Block) -> dict[str, Any]:
    lang, region = _split_lang(block.lang)
    budoux_key = next((k for k in _BUDOUX if block.lang == k or block.lang.startswith(k + "-")
                       or (k == "ja" and lang == "ja")), None)
    joiner = "\u200b"  # a zero-width space: the only place a CJK line may break
    if budoux_key:
        phrases: list[str] | None = _phrases(_parser(budoux_key), block.text)
    elif lang == "ko":
        # Korean breaks between words (at spaces), never inside one, as CSS keep-all does.
        phrases, joiner = block.text.split(" "), " "
    else:
        phrases = None
    ruby = _ruby_phrases(block, _parser("ja")) if block.ruby else None
    return {
        "id": block.id,
        "text": block.text,
        "lang": lang,
        "region": region,
        "dir": block.dir,
        "fonts": families_for(block.lang),
        "phrases": phrases,
        "joiner": joiner,
        "ruby": ruby,
        # Pieces that cannot break: the template checks that the widest fits its column.
        "tokens": ([_ruby_token(p) for p in ruby] if ruby else phrases)
        or block.text.split() or [""],
    }


class _Builder:
    """Turns one or two Materials into the template's data."""

    def __init__(self, material: Material, second: Material | None) -> None:
        self.m = material
        self.second = second
        self.by_id = {b.id: b for b in material.blocks()} | material.labels
        self.second_by_id = ({b.id: b for b in second.blocks()} | second.labels) if second else {}

    def block(self, block_or_id: Block | str) -> dict[str, Any]:
        b = self.by_id[block_or_id] if isinstance(block_or_id, str) else block_or_id
        runs = [_run(b)]
        other = self.second_by_id.get(b.id)
        if other is not None:
            runs.append(_run(other))
        return {"id": b.id, "runs": runs}

    def component(self, spec: dict[str, Any], sections: dict[str, Any]) -> dict[str, Any] | None:
        kind = spec["kind"]
        if kind == "section":
            sec = sections.get(spec["section"])
            if sec is None:
                return None
            return {
                "kind": "section",
                "heading": self.block(sec.heading) if sec.heading else None,
                "notes": [self.block(n) for n in sec.notes],
                "items": [{"number": e.number, "block": self.block(e.block),
                           "children": [self.block(c) for c in e.children]} for e in sec.entries],
            }
        values, facts = self.m.values, self.m.facts
        if kind == "callout":
            return {"kind": kind, "value": facts[spec["value"]], "block": self.block(spec["message"])}
        if kind == "share":
            return {"kind": kind, "value": facts[spec["value"]], "ratio": values[spec["value"]] / 100,
                    "block": self.block(spec["message"])}
        total = values[spec["total"]]
        return {
            "kind": "chart",
            "title": self.block(spec["message"]),
            "bars": [{"block": self.block(mid), "ratio": values[fid] / total}
                     for mid, fid in spec["bars"].items()],
        }


def poster_data(material: Material, second: Material | None, options: PosterOptions,
                profile: Profile | None) -> dict[str, Any]:
    """The JSON the template lays out. Raises KitError for what cannot be printed."""
    if material.poster is None:
        raise KitError(f"the campaign has no poster layout for the {material.audience!r} audience")
    size = SIZES[options.size]
    b = _Builder(material, second)
    sections = {s.id: s for s in outline(material)}
    columns = []
    layout = material.poster[size.kind]
    widths = material.poster["widths"] if size.kind == "print" else [1] * len(layout)
    for width, column in zip(widths, layout, strict=True):
        components = [c for c in (b.component(spec, sections) for spec in column) if c]
        columns.append({"width": width, "components": components})
    head = sections.get("headline")
    headline = next((p for p in head.paragraphs if p.role == "headline"), None) if head else None
    lead = next((p for p in head.paragraphs if p.role == "lead"), None) if head else None
    if headline is None:
        raise KitError(f"the {material.audience!r} material has no headline message")
    translators = [t for t in (material.translators, second.translators if second else None) if t]
    fonts = families_for(material.lang)
    org = None
    if profile is not None:
        org_text = " ".join([profile.name, *profile.contacts, profile.url or ""])
        org = {
            "name": profile.name,
            "contacts": list(profile.contacts),
            "url": profile.url,
            "logo": f"logo.{profile.logo.kind}" if profile.logo else None,
            "logo-alt": profile.logo.alt if profile.logo else None,
            "qr": "qr.svg" if profile.url else None,
            "qr-alt": f"QR code: {profile.url}" if profile.url else None,
            "block": {"id": "organisation", "runs": [{
                "id": "organisation", "text": org_text, "lang": _split_lang(material.lang)[0],
                "region": None, "dir": "ltr", "fonts": fonts, "phrases": None, "ruby": None,
                "joiner": " ",
                "tokens": org_text.split()}]},
        }
    return {
        "title": material.title + (f" / {second.title}" if second else ""),
        "author": profile.name if profile else "kit",
        "lang": _split_lang(material.lang)[0],
        "dir": material.dir,
        "fonts": fonts,
        "page": {
            "width": size.width, "height": size.height, "bleed": options.bleed,
            "margin": size.margin,
            "header": {"square": 0.30, "story": 0.17}.get(size.kind, 0.2),
            "footer": 0.16 if size.kind == "square" else (0.1 if size.kind == "story" else 0.085),
            "headline-share": 0.62,
        },
        "fit": {"floor": size.floor, "max": size.max, "lead-max": size.max * 1.2,
                "headline-floor": size.headline_floor, "headline-max": size.headline_max,
                "small-floor": size.small_floor, "small-max": size.floor},
        "headline": b.block(headline),
        # Social images carry the headline alone: the lead would crowd them.
        "lead": b.block(lead) if lead and size.kind == "print" else None,
        "columns": columns,
        "source": b.block(material.source),
        "source-url": material.source_url,
        "translator": {"label": b.block("label_translation"), "name": " / ".join(dict.fromkeys(translators))}
        if translators and "label_translation" in b.by_id else None,
        "org": org,
        "draft": b.block("label_draft") if options.draft and "label_draft" in b.by_id else
        ({"id": "draft", "runs": [_run(Block("draft", "label", "DRAFT", "en", "ltr", "kit"))]}
         if options.draft else None),
    }


def _all_runs(node: Any) -> list[dict[str, Any]]:
    """Every text run anywhere in the data, for the glyph check."""
    if isinstance(node, dict):
        if "runs" in node and isinstance(node["runs"], list):
            return list(node["runs"])
        return [r for v in node.values() for r in _all_runs(v)]
    if isinstance(node, list):
        return [r for v in node for r in _all_runs(v)]
    return []


def check_glyphs(data: dict[str, Any], locale: str) -> None:
    """Every character must have a glyph in the fonts chosen for it, or it would print as
    an empty box. Raises KitError naming the locale, message id and characters."""
    problems = []
    for run in _all_runs(data):
        missing = missing_glyphs(run["text"], run["fonts"])
        if missing:
            chars = ", ".join(f"{c!r} (U+{ord(c):04X})" for c in missing)
            problems.append(f"message {run['id']!r} ({run['lang']}): {chars}")
    figures = " ".join(str(c.get("value", "")) for col in data["columns"] for c in col["components"])
    missing = missing_glyphs(figures + data["source-url"], data["fonts"])
    if missing:
        problems.append("figures: " + ", ".join(f"{c!r} (U+{ord(c):04X})" for c in missing))
    if problems:
        raise KitError(f"locale {locale}: the kit's fonts have no glyph for: " + "; ".join(problems))


@functools.cache
def _compiler() -> Any:
    """One Typst compiler per process, with only the kit's fonts (cold start ~80 ms)."""
    import typst

    fonts = typst.Fonts(include_system_fonts=False, include_embedded_fonts=False,
                        font_paths=[str(font_dir())])
    return typst.Compiler(font_paths=fonts, ignore_system_fonts=True)


def _template() -> bytes:
    return resources.files("kit.render").joinpath("templates", "poster.typ").read_bytes()


def _overflow_error(message: str, material: Material, second: Material | None) -> KitError:
    info = json.loads(message[message.index("{", message.index("KIT-OVERFLOW")):].strip())
    texts = {b.id: b.text for b in material.blocks()} | (
        {b.id: b.text for b in second.blocks()} if second else {})
    ids = info["ids"]
    # A word too wide for its column is the one to name; else the longest text.
    longest = info.get("widest") or max(ids, key=lambda i: len(texts.get(i, "")))
    locales = material.locale + (f"+{second.locale}" if second else "")
    over = max(info["ratio"] - 1, 0.01)
    return KitError(
        f"locale {locales}: the {info['panel']} text does not fit even at the {info['floor']:g} pt "
        f"floor: it is {over:.0%} too long (messages {', '.join(ids)}; the longest is {longest!r}). "
        "Shorten the translation or choose a larger --size.",
        msgid=longest,
    )


def render_poster(material: Material, second: Material | None = None,
                  options: PosterOptions | None = None, profile: Profile | None = None) -> bytes:
    """Compile the poster and return the file's bytes (PDF, PNG or SVG)."""
    import segno
    import typst

    options = options or PosterOptions()
    if options.size not in SIZES:
        raise KitError(f"unknown size {options.size!r}; choose from {', '.join(SIZES)}")
    if options.format not in POSTER_FORMATS:
        raise KitError(f"unknown format {options.format!r}; choose from {', '.join(POSTER_FORMATS)}")
    for m in (material, second):
        if m is not None and m.missing and not options.draft:
            listed = ", ".join(f"{x.id} ({x.reason})" for x in m.missing)
            raise KitError(f"locale {m.locale}: {len(m.missing)} message(s) are not translated: "
                           f"{listed}. Finish them, or pass --draft for a poster marked DRAFT.")
    data = poster_data(material, second, options, profile)
    check_glyphs(data, material.locale + (f"+{second.locale}" if second else ""))
    with tempfile.TemporaryDirectory(prefix="kit-poster-") as tmp:
        root = Path(tmp)
        (root / "poster.typ").write_bytes(_template())
        if profile and profile.logo:
            (root / f"logo.{profile.logo.kind}").write_bytes(profile.logo.data)
        if profile and profile.url:
            segno.make(profile.url, error="m").save(str(root / "qr.svg"), kind="svg", border=0,
                                                    dark="#1d3a6e")
        try:
            out = _compiler().compile(
                input=str(root / "poster.typ"),
                root=str(root),
                format=options.format,
                ppi=options.ppi,
                sys_inputs={"data": json.dumps(data, ensure_ascii=False)},
                timestamp=_timestamp(material),
                # PDF/UA-1 makes Typst enforce a title, alt texts and tagging; PDF/A-2a a
                # self-contained, archivable file that fails on text it cannot display.
                pdf_standards=["a-2a", "ua-1"] if options.format == "pdf" else [],
            )
        except typst.TypstError as e:
            if "KIT-OVERFLOW" in e.message:
                raise _overflow_error(e.message, material, second) from None
            if profile and profile.logo and "decode image" in e.message:
                raise KitError(f"the logo cannot be read as a {profile.logo.kind.upper()} image "
                               f"({e.message})", file=profile.path) from None
            raise KitError(f"Typst could not lay out the poster: {e.message}") from None
    if isinstance(out, list):  # several pages: the layout keeps a poster to one
        raise KitError(f"the poster ran to {len(out)} pages")
    return out


def _timestamp(material: Material) -> dt.datetime:
    """A fixed creation date, so identical inputs give byte-identical files."""
    day = dt.date.fromisoformat(material.revised)
    return dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)
