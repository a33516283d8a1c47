"""Uploaded logos: what we store of a bitmap and of an SVG, and what we refuse."""

import io
import xml.etree.ElementTree as ET
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from PIL import Image

from questionnaires import logos
from tests.factories import png_bytes

SVG_NS = "{http://www.w3.org/2000/svg}"


def _svg(body: str, attributes: str = 'viewBox="0 0 100 40"') -> bytes:
    return f'<svg xmlns="http://www.w3.org/2000/svg" {attributes}>{body}</svg>'.encode()


def test_a_png_is_decoded_and_written_again_without_what_it_carried():
    image = Image.new("RGB", (2400, 600), "#1d4e89")
    out = io.BytesIO()
    image.save(out, format="PNG", pnginfo=_text_chunk("Comment", "<script>alert(1)</script>"))
    data = out.getvalue() + b"<html><script>alert(2)</script></html>"  # a polyglot tail
    clean = logos.logo_clean(data)
    assert clean.content_type == "image/png"
    assert (clean.width, clean.height) == (1200, 300)  # the longest side at most 1200
    assert b"script" not in clean.data
    assert Image.open(io.BytesIO(clean.data)).getpixel((10, 10))[:3] == (0x1D, 0x4E, 0x89)


def _text_chunk(key: str, value: str):
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text(key, value)
    return info


def test_a_jpeg_becomes_a_png():
    out = io.BytesIO()
    Image.new("RGB", (50, 30), "#d97706").save(out, format="JPEG")
    clean = logos.logo_clean(out.getvalue())
    assert clean.content_type == "image/png"
    assert (clean.width, clean.height) == (50, 30)


def test_the_same_logo_has_the_same_digest():
    assert logos.logo_clean(png_bytes()).digest == logos.logo_clean(png_bytes()).digest
    assert logos.logo_clean(png_bytes()).digest != logos.logo_clean(png_bytes(colour="#000")).digest


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"GIF89a" + b"\0" * 40, "Upload het logo als PNG-, JPEG- of SVG-bestand."),
        (b"%PDF-1.7 not a logo", "Upload het logo als PNG-, JPEG- of SVG-bestand."),
        (png_bytes()[:60], "Upload het logo als PNG-, JPEG- of SVG-bestand."),  # cut off
        (b"\x89PNG" + b"\0" * (logos.MAX_BYTES + 1), "Het logo is te groot: hooguit 1 MB."),
        (b"<svg><unclosed", "Dit SVG-bestand is niet te lezen als logo."),
        (b'<svg xmlns="http://www.w3.org/2000/svg"/>', "Het SVG-logo heeft een viewBox"),
        (b"<html><svg></svg></html>", "Dit SVG-bestand is niet te lezen als logo."),
    ],
    ids=["gif", "pdf", "truncated", "too large", "broken svg", "no size", "html"],
)
def test_what_is_not_a_logo_is_refused_in_the_users_language(data, message):
    with translation.override("nl"), pytest.raises(ValidationError) as refused:
        logos.logo_clean(data)
    assert message in refused.value.messages[0]


def test_a_decompression_bomb_is_refused_before_it_is_decoded():
    # A 6000 × 6000 PNG of one colour compresses to a few kB but decodes to 108 MB.
    raw = b"".join(b"\0" + b"\0" * 6000 * 3 for _ in range(6000))
    header = b"\x89PNG\r\n\x1a\n"

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body).to_bytes(4, "big")
        return len(body).to_bytes(4, "big") + kind + body + crc

    ihdr = (6000).to_bytes(4, "big") * 2 + bytes([8, 2, 0, 0, 0])
    pixels = zlib.compress(raw, 9)
    bomb = header + chunk(b"IHDR", ihdr) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    assert len(bomb) < logos.MAX_BYTES
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        logos.logo_clean(bomb)
    assert "too many pixels" in refused.value.messages[0]


HOSTILE_SVG = _svg(
    "<script>alert(1)</script>"
    '<rect width="10" height="10" fill="#1d4e89" onload="alert(2)" onclick="alert(3)"/>'
    '<a href="https://evil.example/"><path d="M0 0L1 1" fill="url(https://evil.example/x)"/></a>'
    '<image href="https://evil.example/track.png" width="5" height="5"/>'
    '<use href="https://evil.example/sprite.svg#x"/><use href="#mark"/>'
    '<foreignObject><div xmlns="http://www.w3.org/1999/xhtml">hi</div></foreignObject>'
    '<animate attributeName="href" to="javascript:alert(4)"/>'
    '<set attributeName="onload" to="alert(5)"/>'
    '<circle id="mark" r="4" style="fill:#d97706;background:url(https://evil.example/y)"/>'
    '<text x="1" y="30" font-family="Inter">Koers &amp; Co</text>'
)


def test_an_svg_keeps_its_drawing_and_loses_everything_that_runs_or_reaches_out():
    clean = logos.logo_clean(HOSTILE_SVG)
    assert clean.content_type == "image/svg+xml"
    body = clean.data.decode()
    for banned in ("script", "alert", "onload", "onclick", "evil.example", "foreignObject",
                   "animate", "<set", "<a ", "<image", "javascript"):  # fmt: skip
        assert banned not in body, banned
    root = ET.fromstring(clean.data)
    tags = [element.tag.removeprefix(SVG_NS) for element in root.iter()]
    assert tags == ["svg", "rect", "use", "circle", "text"]
    assert root.find(f"{SVG_NS}rect").get("fill") == "#1d4e89"
    assert root.find(f"{SVG_NS}use").get("href") == "#mark"  # inside the file: kept
    circle = root.find(f"{SVG_NS}circle")
    assert circle.get("fill") == "#d97706"  # its style became an attribute
    assert circle.get("style") is None
    assert root.find(f"{SVG_NS}text").text == "Koers & Co"
    assert (clean.width, clean.height) == (100, 40)


def test_an_svg_keeps_the_colours_of_its_style_sheet():
    data = _svg(
        "<defs><style>/* Illustrator */ .st0{fill:#1D4E89;} .st1, .st2 {fill:#d97706}"
        "rect{stroke:#000000}</style></defs>"
        '<path class="st0" d="M0 0h10v10z"/><rect class="st2" width="4" height="4"/>'
    )
    root = ET.fromstring(logos.logo_clean(data).data)
    assert root.find(f"{SVG_NS}path").get("fill") == "#1D4E89"
    rect = root.find(f"{SVG_NS}rect")
    assert (rect.get("fill"), rect.get("stroke")) == ("#d97706", "#000000")
    assert root.find(f".//{SVG_NS}style") is None


@pytest.mark.parametrize(
    "data",
    [
        b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><text>&x;</text></svg>',
        b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'
        b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><text>&c;</text></svg>',
    ],
    ids=["external entity", "entity expansion"],
)
def test_an_svg_with_a_doctype_is_refused(data):
    with pytest.raises(ValidationError):
        logos.logo_clean(data)


def test_an_svg_with_too_many_elements_is_refused():
    with pytest.raises(ValidationError):
        logos.logo_clean(_svg("<g/>" * (logos.MAX_ELEMENTS + 1)))


def test_an_svg_sized_by_width_and_height_gets_a_viewbox():
    clean = logos.logo_clean(_svg('<rect width="5" height="5"/>', 'width="120px" height="30"'))
    root = ET.fromstring(clean.data)
    assert root.get("viewBox") == "0 0 120 30"
    assert (clean.width, clean.height) == (120, 30)
