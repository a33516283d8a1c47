"""Uploaded logos, made safe to store and show everywhere (pages, PDF, slides, e-mail).

A PNG or JPEG is decoded and written again as a plain PNG of at most ``MAX_SIDE``
pixels: whatever else the file carried (metadata, trailing bytes, a polyglot) is gone.
An SVG is parsed without entities or external references (defusedxml) and rebuilt
from a list of drawing elements and attributes: no script, no event handler, no style
sheet, no link outside the file. Anything else, or anything too large, is refused
with a message in the user's language.
"""

import hashlib
import io
import re
from dataclasses import dataclass
from xml.etree.ElementTree import Element, SubElement, tostring

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

MAX_BYTES = 1_000_000  # what an upload may weigh
MAX_PIXELS = 25_000_000  # decoded, before scaling down (a decompression bomb is refused)
MAX_SIDE = 1200  # the stored PNG's longest side
MAX_ELEMENTS = 5000  # an SVG logo with more is not a logo

SVG = "http://www.w3.org/2000/svg"
XLINK = "http://www.w3.org/1999/xlink"
ELEMENTS = {
    "svg", "g", "defs", "title", "desc", "path", "rect", "circle", "ellipse", "line",
    "polyline", "polygon", "text", "tspan", "linearGradient", "radialGradient", "stop",
    "clipPath", "mask", "symbol", "use",
}  # fmt: skip
ATTRIBUTES = {
    "id", "x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "rx", "ry", "fx", "fy", "d",
    "points", "width", "height", "viewBox", "preserveAspectRatio", "transform", "fill",
    "fill-opacity", "fill-rule", "stroke", "stroke-width", "stroke-opacity",
    "stroke-linecap", "stroke-linejoin", "stroke-miterlimit", "stroke-dasharray",
    "stroke-dashoffset", "opacity", "clip-path", "clip-rule", "mask", "offset",
    "stop-color", "stop-opacity", "gradientUnits", "gradientTransform", "spreadMethod",
    "clipPathUnits", "maskUnits", "maskContentUnits", "font-family", "font-size",
    "font-weight", "font-style", "text-anchor", "dominant-baseline", "letter-spacing",
    "display", "visibility", "href", "dx", "dy",
}  # fmt: skip
# A reference may only point inside the file: url(#id) or href="#id".
LOCAL_URL = re.compile(r"^\s*url\(\s*#[\w.:-]+\s*\)\s*$")
LOCAL_HREF = re.compile(r"^#[\w.:-]+$")
COMMENT = re.compile(r"/\*.*?\*/", re.S)
RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
TEXT = ("text", "tspan", "title", "desc")
LENGTH = re.compile(r"^\s*([\d.]+)\s*(px|pt|mm|cm|in)?\s*$")


@dataclass(frozen=True)
class CleanLogo:
    content_type: str
    data: bytes
    width: int
    height: int

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def logo_clean(data: bytes) -> CleanLogo:
    """The logo as we store it; ValidationError when it is not one we can take."""
    if len(data) > MAX_BYTES:
        raise ValidationError(_("The logo is too large: at most 1 MB."))
    head = data[:512].lstrip()
    if head.startswith((b"<?xml", b"<svg", b"<!--")) or b"<svg" in head:
        return _svg(data)
    return _bitmap(data)


def _bitmap(data: bytes) -> CleanLogo:
    refused = ValidationError(_("Upload the logo as a PNG, JPEG or SVG file."))
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.format not in ("PNG", "JPEG"):
                raise refused
            if probe.width * probe.height > MAX_PIXELS:
                raise ValidationError(_("The logo has too many pixels: at most 25 million."))
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            picture = image.convert("RGBA")
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise refused from None
    picture.thumbnail((MAX_SIDE, MAX_SIDE))
    out = io.BytesIO()
    picture.save(out, format="PNG", optimize=True)
    return CleanLogo("image/png", out.getvalue(), picture.width, picture.height)


def _svg(data: bytes) -> CleanLogo:
    refused = ValidationError(_("This SVG file cannot be read as a logo."))
    try:
        root = SafeET.fromstring(data, forbid_dtd=True)
    except (SafeET.ParseError, DefusedXmlException, ValueError):
        raise refused from None
    if _local(root.tag) != "svg" or not root.tag.startswith("{" + SVG):
        raise refused
    if sum(1 for _ in root.iter()) > MAX_ELEMENTS:
        raise ValidationError(_("This SVG file is too complex for a logo."))
    width, height = _size(root)
    if not width or not height:
        raise ValidationError(_("The SVG logo needs a viewBox or a width and height."))
    clean = _rebuild(root, None, _rules(root))
    if clean.get("viewBox") is None:
        clean.set("viewBox", f"0 0 {width:g} {height:g}")
    clean.set("xmlns", SVG)
    body = tostring(clean, encoding="unicode", short_empty_elements=True)
    return CleanLogo("image/svg+xml", body.encode(), round(width), round(height))


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _rules(root: Element) -> dict[str, dict[str, str]]:
    """The simple rules of the file's style sheets (``.class`` or an element name, as
    drawing programs write them), so that colours kept in a sheet survive it."""
    rules: dict[str, dict[str, str]] = {}
    for sheet in root.iter(f"{{{SVG}}}style"):
        text = COMMENT.sub("", sheet.text or "")
        for selectors, body in RULE.findall(text):
            declarations = _declarations(body)
            for selector in selectors.split(","):
                rules.setdefault(selector.strip(), {}).update(declarations)
    return rules


def _declarations(text: str) -> dict[str, str]:
    pairs = (part.split(":", 1) for part in text.split(";") if ":" in part)
    return {name.strip().lower(): value.strip() for name, value in pairs}


def _rebuild(element: Element, parent: Element | None, rules: dict) -> Element:
    """A copy of ``element`` with only the listed elements and safe attributes; styles
    of its classes and its own style attribute become attributes."""
    tag = _local(element.tag)
    clean = Element(tag) if parent is None else SubElement(parent, tag)
    declared = {
        _local(name): value
        for name, value in element.attrib.items()
        if not name.startswith("{") or name.startswith(f"{{{XLINK}}}")
    }
    declared |= rules.get(tag, {})
    for name in (element.get("class") or "").split():
        declared |= rules.get(f".{name}", {})
    declared |= _declarations(element.get("style") or "")
    for attribute, value in declared.items():
        if attribute not in ATTRIBUTES:
            continue
        if attribute == "href":
            if LOCAL_HREF.match(value):
                clean.set("href", value)
        elif "url(" not in value.lower() or LOCAL_URL.match(value):
            clean.set(attribute, value)
    clean.text = element.text if tag in TEXT else None
    for child in element:
        if _kept(child):
            kept = _rebuild(child, clean, rules)
            kept.tail = child.tail if tag in TEXT else None
    return clean


def _kept(element: Element) -> bool:
    """A drawing element we keep; a ``use`` only when it points inside the file."""
    if not element.tag.startswith(f"{{{SVG}}}") or _local(element.tag) not in ELEMENTS:
        return False
    if _local(element.tag) == "use":
        href = element.get("href") or element.get(f"{{{XLINK}}}href") or ""
        return bool(LOCAL_HREF.match(href))
    return True


def _size(root: Element) -> tuple[float, float]:
    box = (root.get("viewBox") or "").replace(",", " ").split()
    if len(box) == 4:
        try:
            return abs(float(box[2])), abs(float(box[3]))
        except ValueError:
            pass
    sizes = [LENGTH.match(root.get(side) or "") for side in ("width", "height")]
    if all(sizes):
        return float(sizes[0].group(1)), float(sizes[1].group(1))  # type: ignore[union-attr]
    return 0.0, 0.0
