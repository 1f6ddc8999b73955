"""The poster's data: one or two Materials shaped as what the template lays out.

Everything here is typed (dataclasses); `PosterData.to_json()` is the one JSON document
the template reads from sys.inputs. The campaign's poster layout (its [posters] table)
arrives as plain mappings and is turned into component specs first, so a misspelt key
fails here, in Python, and not halfway through a Typst compile.
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import asdict, dataclass, field, replace
from typing import Any, Literal

from kit.errors import KitError
from kit.fonts import families_for
from kit.material import Block, Material
from kit.profile import Profile
from kit.render.document import OutlineSection, outline
from kit.render.poster.phrases import Metrics, Run, field_run, metrics, split_lang, text_run
from kit.render.sizes import DEFAULT_PPI, SIZES, PaperSize


@dataclass(frozen=True)
class PosterOptions:
    size: str = "a4"
    format: str = "pdf"
    bleed: float = 0.0  # mm on each side; adds crop marks
    draft: bool = False
    ppi: float = DEFAULT_PPI
    highlight: str | None = None  # a message id, marked on the page (kit studio's preview)
    # A bilingual poster: "auto" (one side when both languages fit it, else a side each),
    # "one" (refused when they do not fit) or "two" (a side each).
    sides: str = "auto"
    # The sizes the last preview of this poster chose ({"body": pt, "headline": pt}, kit
    # studio's): the fit tries them first, and stops there when they still hold.
    fit_hint: dict[str, float] | None = None
    site: SiteLink | None = None  # the `kit site` the poster points to with a QR code


@dataclass(frozen=True)
class SiteLink:
    """A `kit site` for the poster to point to: its address (the entry page) and the
    locales it holds, in its entry page's order, of which the poster names a few."""

    url: str
    locales: tuple[str, ...]


# ---- the campaign's layout, typed --------------------------------------------------------


@dataclass(frozen=True)
class SectionSpec:
    section: str


@dataclass(frozen=True)
class CalloutSpec:
    message: str
    value: str  # a count fact


@dataclass(frozen=True)
class ShareSpec:
    message: str
    value: str  # a percent fact


@dataclass(frozen=True)
class ChartSpec:
    message: str
    total: str  # a count fact: the bars are drawn to scale of it
    bars: dict[str, str]  # message id -> count fact


ComponentSpec = SectionSpec | CalloutSpec | ShareSpec | ChartSpec


def component_spec(raw: dict[str, Any]) -> ComponentSpec:
    """A component of the campaign's [posters] table (validated by kit.campaign)."""
    kind = raw["kind"]
    if kind == "section":
        return SectionSpec(raw["section"])
    if kind == "callout":
        return CalloutSpec(raw["message"], raw["value"])
    if kind == "share":
        return ShareSpec(raw["message"], raw["value"])
    return ChartSpec(raw["message"], raw["total"], dict(raw["bars"]))


# ---- what the template reads -------------------------------------------------------------


@dataclass(frozen=True)
class Text:
    """A block in one language, or two (bilingual): the second is set under the first."""

    id: str
    runs: list[Run]
    url: str | None = None  # the address of the citation the block stands for


@dataclass(frozen=True)
class Item:
    number: int | None
    block: Text
    children: list[Text]


@dataclass(frozen=True)
class SectionView:
    heading: Text | None
    notes: list[Text]
    items: list[Item]
    kind: Literal["section"] = "section"


@dataclass(frozen=True)
class CalloutView:
    value: str  # the figure as the locale writes it
    block: Text
    kind: Literal["callout"] = "callout"


@dataclass(frozen=True)
class ShareView:
    value: str
    ratio: float  # 0..1, for the bar
    block: Text
    kind: Literal["share"] = "share"


@dataclass(frozen=True)
class Bar:
    block: Text
    ratio: float


@dataclass(frozen=True)
class ChartView:
    title: Text
    bars: list[Bar]
    kind: Literal["chart"] = "chart"


Component = SectionView | CalloutView | ShareView | ChartView


@dataclass(frozen=True)
class Column:
    width: float  # relative
    components: list[Component]


@dataclass(frozen=True)
class Org:
    # Per line of `block` (the profile's name, its contacts; a mail-merge school's name
    # and contacts after them): whether it is a name, set bold.
    names: list[bool]
    url: str | None
    logo: str | None  # file name in the compile folder
    logo_alt: str | None
    qr: str | None
    qr_alt: str | None
    qr_modules: int  # the QR code's width in modules (0 without one): it sets the code's size
    heading: Text | None  # "Where to get help" (label_contact), when the campaign has it
    # One run a line, each in its own script's language, fonts and direction (an English
    # contact on an Arabic poster is a left-to-right line, its full stop at its end).
    block: Text


@dataclass(frozen=True)
class Site:
    """The foot of a poster that points to its `kit site`: a QR code to the entry page,
    a line saying the advice is there in other languages (label_site, in the poster's
    languages), a few of those languages by their own names, and the address."""

    url: str
    qr: str  # file name in the compile folder
    qr_alt: str
    qr_modules: int
    line: Text
    names: Text  # a few of the site's languages by their own names: one run, or none


@dataclass(frozen=True)
class Translator:
    label: Text
    name: str


@dataclass(frozen=True)
class Page:
    width: float  # mm, trim size
    height: float
    bleed: float
    slug: float  # mm of white outside the bleed, where the crop marks are (0 without bleed)
    margin: float
    kind: str  # print, square, story
    header: float  # the headline's band, as a share of the height


@dataclass(frozen=True)
class Fit:
    """Sizes in pt. The body size is one for the whole poster: the largest between
    `floor` and `max` at which every panel fits; everything else follows it in fixed
    ratios, except the headline (fitted to the header) and the footer (secondary size)."""

    floor: float  # the size's floor, raised so that furigana and the second language
    max: float  # stay at or above theirs at the ratios below
    headline_floor: float
    headline_max: float
    footer: float  # the footer's one size: the secondary floor, or more for the same reason
    secondary: float  # no run is set smaller (a clamp: the ratios keep text above it)
    ruby_floor: float  # nor any furigana
    ruby_ratio: float  # furigana to their base
    second_ratio: float  # the second language to the first


@dataclass(frozen=True)
class PosterData:
    title: str
    author: str
    lang: str
    dir: str
    fonts: list[str]
    page: Page
    fit: Fit
    headline: Text
    lead: Text | None
    columns: list[Column]
    source: Text
    source_url: str
    address: Metrics  # the line box of a web address (ASCII) in the poster's fonts
    translator: Translator | None
    org: Org | None
    draft: Text | None
    # Sizes decided already (the bench's fixed layout): {"body": pt, "headline": pt}.
    fixed: dict[str, float] | None = None
    hint: dict[str, float] | None = None  # PosterOptions.fit_hint
    highlight: str | None = None  # the message kit studio's translator is editing
    # A two-sided poster's line in the other side's language, saying it is overleaf.
    overleaf: Text | None = None
    site: Site | None = None
    texts: list[Run] = field(default_factory=list, repr=False)  # every run, for checks

    def to_json(self) -> str:
        data = asdict(self)
        del data["texts"]
        return json.dumps(data, ensure_ascii=False)


SLUG = 8.0  # mm: room for crop marks 6 mm long, 1 mm off the bleed
SECOND_RATIO = 0.85  # a bilingual poster's second language, to the first
# Furigana, to their base: a little over the usual half, so that Easy Japanese, set larger
# to keep its readings at their floor, still fits the page.
RUBY_RATIO = 0.6


class _Builder:
    """Turns one or two Materials into the template's data."""

    def __init__(self, material: Material, second: Material | None) -> None:
        self.m = material
        self.by_id = {b.id: b for b in material.blocks()} | material.labels
        self.second_by_id = ({b.id: b for b in second.blocks()} | second.labels) if second else {}
        self.runs: list[Run] = []

    def text(self, block_or_id: Block | str) -> Text:
        b = self.by_id[block_or_id] if isinstance(block_or_id, str) else block_or_id
        runs = [text_run(b)]
        other = self.second_by_id.get(b.id)
        if other is not None:
            runs.append(text_run(other))
        self.runs += runs
        return Text(b.id, runs, b.url)

    def component(
        self, spec: ComponentSpec, sections: dict[str, OutlineSection]
    ) -> Component | None:
        values, facts = self.m.values, self.m.facts
        if isinstance(spec, SectionSpec):
            sec = sections.get(spec.section)
            if sec is None:
                return None
            return SectionView(
                self.text(sec.heading) if sec.heading else None,
                [self.text(n) for n in sec.notes],
                [
                    Item(e.number, self.text(e.block), [self.text(c) for c in e.children])
                    for e in sec.entries
                ],
            )
        if isinstance(spec, CalloutSpec):
            return CalloutView(facts[spec.value], self.text(spec.message))
        if isinstance(spec, ShareSpec):
            return ShareView(facts[spec.value], values[spec.value] / 100, self.text(spec.message))
        total = values[spec.total]
        return ChartView(
            self.text(spec.message),
            [Bar(self.text(mid), values[fid] / total) for mid, fid in spec.bars.items()],
        )

    def label(self, msg_id: str, fallback: str) -> Text:
        """A label of the campaign, or the fallback (in English) until it has one."""
        if msg_id in self.by_id:
            return self.text(msg_id)
        run = text_run(Block(msg_id, "label", fallback, "en", "ltr", "kit"))
        self.runs.append(run)
        return Text(msg_id, [run])


def _fit(size: PaperSize, runs: list[Run], bilingual: bool) -> Fit:
    """The size's floors, raised where the poster needs it: Easy Japanese is set larger so
    that its furigana (half the size) keep their floor, and a bilingual poster so that its
    second language (smaller) keeps the secondary floor."""
    floor = size.floor
    if any(r.ruby for r in runs):
        floor = max(floor, size.ruby_floor / RUBY_RATIO)
    if bilingual:
        floor = max(floor, size.secondary / SECOND_RATIO)
    footer = size.secondary / SECOND_RATIO if bilingual else size.secondary
    return Fit(
        round(floor, 2),
        max(size.max, floor),
        size.headline_floor,
        size.headline_max,
        round(footer, 2),
        size.secondary,
        size.ruby_floor,
        RUBY_RATIO,
        SECOND_RATIO,
    )


def qr_code(url: str) -> Any:
    """The QR code of a web address (segno), error correction M: what the poster prints."""
    import segno

    return segno.make(url, error="m")


def direction(text: str, default: str) -> str:
    """A line's direction from its first strongly directional letter (as HTML's dir=auto)."""
    for c in text:
        kind = unicodedata.bidirectional(c)
        if kind in ("R", "AL"):
            return "rtl"
        if kind == "L":
            return "ltr"
    return default


def _header_share(size: PaperSize) -> float:
    """The headline's band, as a share of the height (the lead, on print, is added)."""
    return {"square": 0.26, "story": 0.17}.get(size.kind, 0.135)


def overleaf_block(other: Material) -> Block:
    """The line that tells a reader of `other` that their language is on the other side:
    its label_other_side, or, where the catalog has none of its own, the language's name
    for itself (CLDR), never an English sentence naming the wrong language."""
    from kit.locales import display_names

    label = other.labels.get("label_other_side")
    if label is not None and (label.translated or label.draft):
        return label
    name = display_names(other.locale)[0]
    return Block("label_other_side", "label", name, other.lang, other.dir, "kit")


def _org(profile: Profile, material: Material, b: _Builder) -> Org:
    lines = profile.printed_lines(material.locale)
    runs = [
        field_run(f"organisation.{i}", text, material.lang, direction(text, material.dir))
        for i, (text, _) in enumerate(lines)
    ]
    b.runs.extend(runs)
    qr_alt = None
    if profile.url:
        # In the poster's language when the campaign has the label; the address itself
        # is printed beside the code.
        label = b.by_id.get("label_qr")
        qr_alt = label.text if label else f"QR code: {profile.url}"
    return Org(
        [strong for _, strong in lines],
        profile.url,
        f"logo.{profile.logo.kind}" if profile.logo else None,
        profile.logo.alt if profile.logo else None,
        "qr.svg" if profile.url else None,
        qr_alt,
        qr_code(profile.url).symbol_size(border=0)[0] if profile.url else 0,
        b.text("label_contact") if "label_contact" in b.by_id else None,
        Text("organisation", runs),
    )


SITE_NAMES = 5  # languages a poster names of its site's


def _direction_of(locale: str) -> str:
    from kit.locales import babel_locale

    return "rtl" if babel_locale(locale).character_order == "right-to-left" else "ltr"


def site_names(site: SiteLink, shown: list[str], dir: str) -> list[str]:
    """The site's locales a poster in `shown` (written in `dir`) names, SITE_NAMES at most:
    the others, in the site's order, each new script before a second of one already named
    (Arabic, Devanagari, Latin... rather than five Latin names), so that more readers see
    at a glance that theirs may be there; those written in the other direction last, so
    that the line starts in the poster's own direction (the one every PDF reader then
    reads it in)."""
    from kit.locales import display_names

    others = [x for x in site.locales if x not in shown]
    scripts: set[str] = set()
    first: list[str] = []
    rest: list[str] = []
    for locale in others:
        name = display_names(locale)[0]
        script = unicodedata.name(name[0], "?").split()[0]
        (rest if script in scripts else first).append(locale)
        scripts.add(script)
    named = set((first + rest)[:SITE_NAMES])
    ordered = [x for x in others if x in named]
    ordered.sort(key=lambda x: _direction_of(x) != dir)
    return ordered


def _site(site: SiteLink, material: Material, second: Material | None, b: _Builder) -> Site:
    from kit.locales import display_names

    shown = [m.locale for m in (material, second) if m is not None]
    locales = site_names(site, shown, material.dir)
    # One line in every script it holds, as an organisation's contact line is, so that the
    # names and the dots between them read back in the order they are printed; it breaks
    # only after a dot, never inside a name (やさしい|日本語).
    names = [display_names(x)[0] for x in locales]
    pieces = [f"{n}\u00a0·" for n in names[:-1]] + names[-1:]
    runs = []
    if pieces:
        run = field_run("site.languages", " ".join(pieces), material.lang, material.dir)
        runs = [replace(run, phrases=pieces, tokens=pieces, joiner=" ")]
    b.runs.extend(runs)
    label = b.by_id.get("label_qr")
    return Site(
        site.url,
        "site-qr.svg",
        label.text if label else f"QR code: {site.url}",
        qr_code(site.url).symbol_size(border=0)[0],
        b.label("label_site", "This advice is also in other languages"),
        Text("site.languages", runs),
    )


def poster_data(
    material: Material,
    second: Material | None,
    options: PosterOptions,
    profile: Profile | None,
    overleaf: Material | None = None,
) -> PosterData:
    """The data the template lays out; `overleaf`, a two-sided poster's other language.
    Raises KitError for what cannot be printed."""
    if material.poster is None:
        raise KitError(f"the campaign has no poster layout for the {material.audience!r} audience")
    size = SIZES[options.size]
    b = _Builder(material, second)
    sections = {s.id: s for s in outline(material)}
    layout = material.poster[size.kind]
    widths = material.poster["widths"] if size.kind == "print" else [1] * len(layout)
    columns = []
    for width, column in zip(widths, layout, strict=True):
        views = [b.component(component_spec(c), sections) for c in column]
        columns.append(Column(width, [v for v in views if v]))
    head = sections.get("headline")
    headline = next((p for p in head.paragraphs if p.role == "headline"), None) if head else None
    lead = next((p for p in head.paragraphs if p.role == "lead"), None) if head else None
    if headline is None:
        raise KitError(f"the {material.audience!r} material has no headline message")
    translators = [t for t in (material.translators, second.translators if second else None) if t]
    lang = split_lang(material.lang)[0]
    fonts = families_for(material.lang)
    org = None
    if profile is not None:
        profile = profile.for_locale(material.locale)
        org = _org(profile, material, b)
    has_lead = lead is not None and size.kind == "print"
    headline_text = b.text(headline)
    # Social images carry the headline alone: the lead would crowd them.
    lead_text = b.text(lead) if has_lead and lead else None
    # With its furigana: Easy Japanese cites its source in words for children. The readings
    # are at their floor (ruby-size in the template), so the footer keeps its size.
    source = b.text(material.source)
    translator = (
        Translator(b.text("label_translation"), " / ".join(dict.fromkeys(translators)))
        if translators and "label_translation" in b.by_id
        else None
    )
    draft = b.label("label_draft", "DRAFT") if options.draft else None
    overleaf_text = None
    if overleaf is not None:
        run = text_run(overleaf_block(overleaf))
        b.runs.append(run)
        overleaf_text = Text("label_other_side", [run])
    return PosterData(
        title=material.title + (f" / {second.title}" if second else ""),
        author=profile.name if profile else "kit",
        lang=lang,
        dir=material.dir,
        fonts=fonts,
        page=Page(
            size.width,
            size.height,
            options.bleed,
            SLUG if options.bleed else 0.0,
            size.margin,
            size.kind,
            _header_share(size),
        ),
        fit=_fit(size, b.runs, second is not None),
        headline=headline_text,
        lead=lead_text,
        columns=columns,
        source=source,
        source_url=material.source_url,
        address=metrics(lang, fonts, "https://"),
        translator=translator,
        org=org,
        draft=draft,
        highlight=options.highlight,
        hint=options.fit_hint,
        overleaf=overleaf_text,
        # On paper only: a social image is seen on the phone that would have to scan it
        # (the post's own text carries the link).
        site=_site(options.site, material, second, b)
        if options.site and size.kind == "print"
        else None,
        texts=b.runs,
    )
