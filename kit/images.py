"""Logos from partners, bounded and made inert before Typst or a browser sees them.

A logo is sent by one of hundreds of schools and printed on every poster of its row, so
it must never cost unbounded time or memory (a 1 MB PNG can declare 100000 x 100000
pixels; an SVG filter region can ask for terabytes; feTurbulence can run for hours) and
must carry nothing active into an SVG poster (scripts, event handlers, foreignObject).

PNG: the size is read from the header before anything decodes it, and only the chunks
that draw the image are kept. JPEG (what most NGOs have): the size is read from the
frame header likewise, and EXIF, XMP and comments (a camera's GPS position, a
thumbnail) are dropped. SVG: UTF-8 XML without an internal DTD subset or entities (no
billion laughs, no external entities; the standard SVG 1.1 DOCTYPE that Illustrator
writes declares nothing and is dropped), a bounded number of elements and nesting, no
filters or patterns (their cost grows with the region they cover, not with the file);
scripts, event handlers, foreignObject, animation, links and references to outside
resources are removed: Typst draws none of them, so the poster looks the same.
"""

from __future__ import annotations

import base64
import re
import struct
import xml.etree.ElementTree as ET
from dataclasses import dataclass

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
JPEG_MAGIC = b"\xff\xd8\xff"
MAX_SIDE = 8192  # pixels, either way
MAX_PIXELS = 16_000_000  # about 4000 x 4000: 64 MB decoded, far more than a logo needs
MAX_SVG_ELEMENTS = 20_000
MAX_SVG_DEPTH = 64
MAX_SVG_DRAWN = 50_000  # elements once every <use> is expanded

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
# Chunks that say how to draw a PNG. The rest (text, EXIF, ICC profiles, animation
# frames, private chunks) is dropped: nothing of it is needed, and compressed ancillary
# chunks are a second way to hide a decompression bomb.
_PNG_KEEP = {
    b"IHDR",
    b"PLTE",
    b"IDAT",
    b"IEND",
    b"tRNS",
    b"gAMA",
    b"cHRM",
    b"sRGB",
    b"sBIT",
    b"bKGD",
    b"pHYs",
}
_COSTLY = {"filter": "filters", "pattern": "patterns"}
_INERT = {
    "script",
    "foreignObject",
    "animate",
    "animateMotion",
    "animateTransform",
    "set",
    "discard",
    "handler",
    "listener",
}
_URL_REF = re.compile(r"url\(\s*(['\"]?)(.*?)\1\s*\)", re.IGNORECASE | re.DOTALL)
_CSS_IMPORT = re.compile(r"@import[^;]*;?", re.IGNORECASE)
_CSS_FILTER = re.compile(r"(?<![\w-])filter\s*:\s*(?!none\s*(?:[;!}]|$))", re.IGNORECASE)

ET.register_namespace("", SVG_NS)
ET.register_namespace("xlink", XLINK_NS)


class ImageError(ValueError):
    """Why an image is refused: one sentence, completed by the caller with where it is."""


@dataclass(frozen=True)
class Checked:
    data: bytes  # what may be handed to Typst: the PNG's drawing chunks, the cleaned SVG
    kind: str  # "png", "jpg" or "svg"


def check_image(data: bytes) -> Checked:
    """A PNG, JPEG or SVG logo, bounded and inert. Raises ImageError."""
    if data.startswith(PNG_MAGIC):
        return Checked(_clean_png(data), "png")
    if data.startswith(JPEG_MAGIC):
        return Checked(_clean_jpeg(data), "jpg")
    return Checked(_clean_svg(data), "svg")


# ---- PNG ------------------------------------------------------------------------------


def _check_size(width: int, height: int, what: str) -> None:
    if width == 0 or height == 0:
        raise ImageError(f"is {what} of {width} x {height} pixels")
    if width > MAX_SIDE or height > MAX_SIDE or width * height > MAX_PIXELS:
        raise ImageError(
            f"is {what} of {width} x {height} pixels; the limit is {MAX_SIDE} "
            f"on a side and {MAX_PIXELS // 1_000_000} megapixels in all "
            "(a logo prints well at 1000 x 1000)"
        )


def _clean_png(data: bytes) -> bytes:
    out, at = [PNG_MAGIC], len(PNG_MAGIC)
    first = True
    while at < len(data):
        if at + 8 > len(data):
            raise ImageError("is a PNG that ends in the middle of a chunk")
        length, kind = struct.unpack(">I4s", data[at : at + 8])
        end = at + 12 + length
        if end > len(data):
            raise ImageError("is a PNG that ends in the middle of a chunk")
        if first:
            if kind != b"IHDR" or length != 13:
                raise ImageError("is a PNG that does not start with its header (IHDR)")
            width, height = struct.unpack(">II", data[at + 8 : at + 16])
            _check_size(width, height, "a PNG")
            first = False
        if kind in _PNG_KEEP:
            out.append(data[at:end])
        at = end
        if kind == b"IEND":
            break
    if first:
        raise ImageError("is a PNG without a header (IHDR)")
    return b"".join(out)


# JPEG markers that carry no part of the picture: APP1 (EXIF, XMP) and COM. APP0 (JFIF),
# APP2 (the ICC colour profile) and APP14 (Adobe: how CMYK is stored) change how it is
# drawn, and are kept.
_JPEG_DROP = {0xE1, 0xFE}


def _clean_jpeg(data: bytes) -> bytes:
    """The JPEG with its size checked and its metadata segments dropped."""
    _check_size(*_jpeg_size(data, "a JPEG"), "a JPEG")
    out, at = [data[:2]], 2
    while at + 4 <= len(data) and data[at] == 0xFF:
        marker = data[at + 1]
        if marker == 0xFF:  # fill byte
            at += 1
            continue
        (length,) = struct.unpack(">H", data[at + 2 : at + 4])
        if marker == 0xDA:  # start of scan: the picture itself, to the end
            out.append(data[at:])
            return b"".join(out)
        if marker not in _JPEG_DROP:
            out.append(data[at : at + 2 + length])
        at += 2 + length
    raise ImageError("is a JPEG that ends before its picture data")


def _jpeg_size(data: bytes, what: str = "an SVG embedding a JPEG") -> tuple[int, int]:
    """(width, height) from a JPEG's frame header, read without decoding."""
    at = 2
    while at + 4 <= len(data):
        if data[at] != 0xFF:
            break
        marker = data[at + 1]
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
            at += 2
            continue
        (length,) = struct.unpack(">H", data[at + 2 : at + 4])
        if marker in (
            0xC0,
            0xC1,
            0xC2,
            0xC3,
            0xC5,
            0xC6,
            0xC7,
            0xC9,
            0xCA,
            0xCB,
            0xCD,
            0xCE,
            0xCF,
        ) and at + 9 <= len(data):
            height, width = struct.unpack(">HH", data[at + 5 : at + 9])
            return width, height
        at += 2 + length
    raise ImageError(f"is {what} without a frame header")


# ---- SVG ------------------------------------------------------------------------------


def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1]


_STANDARD_DOCTYPE = re.compile(
    r"<!DOCTYPE\s+svg\s+PUBLIC\s+\"-//W3C//DTD SVG 1\.[01](?: Basic| Tiny)?//EN\"\s+"
    r"\"http://www\.w3\.org/(?:Graphics/SVG/1\.1/DTD/svg11(?:-basic|-tiny)?|TR/2001/"
    r"REC-SVG-20010904/DTD/svg10)\.dtd\"\s*>"
)


def _clean_svg(data: bytes) -> bytes:
    try:
        text = data.removeprefix(b"\xef\xbb\xbf").decode("utf-8")
    except UnicodeDecodeError:
        raise ImageError("is not a PNG, JPEG or SVG image (an SVG must be UTF-8 text)") from None
    # Illustrator and Inkscape write the standard SVG 1.0/1.1 DOCTYPE: a public identifier
    # and no internal subset, so it declares nothing, and is dropped. Anything else in a
    # DOCTYPE can declare entities.
    text = _STANDARD_DOCTYPE.sub("", text, count=1)
    if re.search(r"<!\s*(DOCTYPE|ENTITY)", text, re.IGNORECASE):
        raise ImageError(
            "is an SVG with a DOCTYPE declaring its own entities or subset, which can "
            "make an XML reader expand text without end or read other files; save it "
            "without them (Illustrator's standard SVG 1.1 DOCTYPE is accepted)"
        )
    declared = re.match(r"\s*<\?xml[^>]*encoding\s*=\s*['\"]([^'\"]+)", text)
    if declared and declared.group(1).lower().replace("_", "-") not in (
        "utf-8",
        "utf8",
        "us-ascii",
    ):
        raise ImageError(
            f"is an SVG declaring the encoding {declared.group(1)!r}; save it as UTF-8"
        )
    try:
        root = ET.fromstring(text)
    except ET.ParseError as e:
        if not text.lstrip().startswith("<"):
            raise ImageError("is not a PNG, JPEG or SVG image") from None
        line, column = e.position
        raise ImageError(f"is not well-formed XML (line {line}, column {column + 1})") from None
    if _local(root.tag) != "svg":
        raise ImageError(
            f"is not a PNG, JPEG or SVG image (its root element is <{_local(root.tag)}>, not <svg>)"
        )
    _check_svg_size(root)
    _Cleaner().clean(root)
    cleaned: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return cleaned


_NUMBER_TEXT = r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?"
_NUMBER = re.compile(rf"\s*({_NUMBER_TEXT})")


def _check_svg_size(root: ET.Element) -> None:
    """Typst refuses an SVG of no size; say so here, naming the file, not in Typst's words
    from the middle of a build."""
    box = root.get("viewBox")
    if box is not None:
        numbers = [float(n) for n in re.findall(_NUMBER_TEXT, box)]
        if len(numbers) != 4 or numbers[2] <= 0 or numbers[3] <= 0:
            raise ImageError(
                f"is an SVG whose viewBox {box[:40]!r} is not four numbers with a "
                "positive width and height"
            )
    for name in ("width", "height"):
        value = root.get(name)
        number = _NUMBER.match(value) if value is not None else None
        if value is not None and (number is None or float(number.group(1)) <= 0):
            raise ImageError(f"is an SVG whose {name} {value[:20]!r} is not a positive length")


class _Cleaner:
    def __init__(self) -> None:
        self.elements = 0
        self.ids: dict[str, ET.Element] = {}

    def clean(self, root: ET.Element) -> None:
        for element in root.iter():  # the costly elements first, to name them
            name = _local(element.tag)
            if name in _COSTLY or name.startswith("fe"):
                parts = dict.fromkeys(f"<{_local(e.tag)}>" for e in element.iter())
                raise ImageError(
                    f"is an SVG using {_COSTLY.get(name, 'filters')} "
                    f"({', '.join(list(parts)[:4])}), which can take unbounded time "
                    "and memory to draw; export the logo without effects, or as a PNG"
                )
        stack = [(root, 1)]
        while stack:
            element, depth = stack.pop()
            self.elements += 1
            if self.elements > MAX_SVG_ELEMENTS:
                raise ImageError(f"is an SVG of more than {MAX_SVG_ELEMENTS} elements")
            if depth > MAX_SVG_DEPTH:
                raise ImageError(f"is an SVG nested more than {MAX_SVG_DEPTH} elements deep")
            for child in list(element):
                if _local(child.tag) in _INERT:
                    element.remove(child)
                    continue
                stack.append((child, depth + 1))
            self.element(element)
        self.drawn(root)

    def element(self, element: ET.Element) -> None:
        name = _local(element.tag)
        if element.get("id"):
            self.ids.setdefault(element.get("id", ""), element)
        for attr, value in list(element.attrib.items()):
            local = _local(attr).lower()
            if local.startswith("on"):
                del element.attrib[attr]  # an event handler: script
            elif local == "filter" and value.strip().lower() != "none":
                raise ImageError(
                    f"is an SVG using filters ({_local(attr)}={value[:40]!r}), which "
                    "can take unbounded time and memory to draw; export the logo "
                    "without effects, or as a PNG"
                )
            elif local == "style":
                element.set(attr, self.css(value))
            elif local == "href":
                self.href(element, name, attr, value)
            elif "url(" in value.lower():
                element.set(attr, _URL_REF.sub(_inside_only, value))
        if name == "style" and element.text:
            element.text = self.css(element.text)

    def css(self, text: str) -> str:
        if _CSS_FILTER.search(text):
            raise ImageError(
                "is an SVG using filters (a CSS filter), which can take unbounded "
                "time and memory to draw; export the logo without effects, or as a PNG"
            )
        return _URL_REF.sub(_inside_only, _CSS_IMPORT.sub("", text))

    def href(self, element: ET.Element, name: str, attr: str, value: str) -> None:
        value = value.strip()
        if value.startswith("#") and name != "a":
            return  # a reference inside the logo
        if name == "image" and value.lower().startswith("data:"):
            _check_embedded(value)
            return
        # A link, or a file or address outside the logo: Typst loads none of them, and a
        # browser showing an SVG poster would follow them.
        del element.attrib[attr]

    def drawn(self, root: ET.Element) -> None:
        """Refuse an SVG whose <use> references multiply into too many elements (each
        <use> of a group of ten <use>s of a group of ten...: the SVG billion laughs)."""
        sizes: dict[int, int] = {}
        busy: set[int] = set()

        def size(element: ET.Element, depth: int) -> int:
            key = id(element)
            if key in sizes:
                return sizes[key]
            if key in busy:
                raise ImageError("is an SVG whose <use> elements refer to themselves")
            if depth > 4 * MAX_SVG_DEPTH:
                raise ImageError("is an SVG whose <use> references nest too deeply")
            busy.add(key)
            total = 1
            for child in element:
                total += size(child, depth + 1)
                if total > MAX_SVG_DRAWN:
                    break
            if _local(element.tag) == "use":
                ref = next((v for a, v in element.attrib.items() if _local(a) == "href"), "")
                target = self.ids.get(ref.strip()[1:]) if ref.strip().startswith("#") else None
                if target is not None:
                    total += size(target, depth + 1)
            busy.discard(key)
            sizes[key] = min(total, MAX_SVG_DRAWN + 1)
            return sizes[key]

        if size(root, 1) > MAX_SVG_DRAWN:
            raise ImageError(
                f"is an SVG that draws more than {MAX_SVG_DRAWN} elements once its "
                "<use> references are expanded"
            )


def _inside_only(match: re.Match[str]) -> str:
    """url(#id) stays; url(anything else) points outside the logo and becomes none."""
    return match.group(0) if match.group(2).strip().startswith("#") else "none"


def _check_embedded(uri: str) -> None:
    """An image inside the SVG, as a data: URI: a PNG or JPEG within the same size limits."""
    head, _, payload = uri.partition(",")
    media = head[5:].split(";")[0].strip().lower()
    if media not in ("image/png", "image/jpeg", "image/jpg"):
        raise ImageError(
            f"is an SVG embedding an image of type {media or 'unknown'!r}; only PNG "
            "and JPEG may be embedded"
        )
    try:
        raw = base64.b64decode(payload, validate=False) if ";base64" in head.lower() else b""
    except ValueError:
        raise ImageError("is an SVG embedding an image that is not valid base64") from None
    if media == "image/png":
        if not raw.startswith(PNG_MAGIC) or len(raw) < 24:
            raise ImageError("is an SVG embedding a PNG without a PNG header")
        width, height = struct.unpack(">II", raw[16:24])
        _check_size(width, height, "an SVG embedding a PNG")
    else:
        _check_size(*_jpeg_size(raw), "an SVG embedding a JPEG")
