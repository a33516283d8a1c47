"""The installation's branding as every surface reads it, and the colour rules it keeps.

The main colour carries text (headings, links, buttons with white text), so it must
read on white at WCAG AA for text (4.5:1); the second colour draws lines and bands
(the report's cover band), so it needs the 3:1 of graphics. Without branding, or with
a field left empty, the product's own look stays.
"""

import base64
import hashlib
import re
from dataclasses import dataclass

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from .models import Branding, Logo

PRODUCT_PRIMARY = "#0b5563"
PRODUCT_ACCENT = "#6fb3bf"
TEXT_CONTRAST = 4.5
GRAPHIC_CONTRAST = 3.0
COLOUR = re.compile(r"^#[0-9a-f]{6}$")
# Every worker keeps the branding this long; a change shows on all of them within it
# (and at once on the worker that saved it).
CACHE_SECONDS = 30
CACHE_KEY = "im-assess:branding"


def luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(first: str, second: str = "#ffffff") -> float:
    low, high = sorted((luminance(first), luminance(second)))
    return (high + 0.05) / (low + 0.05)


def mix(colour: str, other: str, share: float) -> str:
    """``colour`` with ``share`` (0–1) of ``other`` mixed in."""
    channels = [
        round(int(colour[i : i + 2], 16) * (1 - share) + int(other[i : i + 2], 16) * share)
        for i in (1, 3, 5)
    ]
    return "#" + "".join(f"{c:02x}" for c in channels)


def readable(colour: str, needed: float) -> str:
    """The lightest shade of ``colour`` (darkened towards black) that reaches ``needed``."""
    for step in range(0, 101):
        shade = mix(colour, "#000000", step / 100)
        if contrast(shade) >= needed:
            return shade
    return "#000000"


def colour_clean(value: str, *, needed: float) -> str:
    """A colour as stored ("#0b5563"), or "" for none; ValidationError names the measured
    contrast and a darker shade that would pass."""
    value = (value or "").strip().lower()
    if not value:
        return ""
    if re.fullmatch(r"#?[0-9a-f]{3}", value):
        value = "#" + "".join(c * 2 for c in value.lstrip("#"))
    if not value.startswith("#"):
        value = "#" + value
    if not COLOUR.match(value):
        raise ValidationError(_("Give a colour as a hex code, for example #0b5563."))
    ratio = contrast(value)
    if ratio < needed:
        raise ValidationError(
            _(
                "%(colour)s has a contrast of %(ratio)s:1 with white, %(needed)s:1 is needed "
                "to read it. A darker shade that does: %(shade)s."
            )
            % {
                "colour": value,
                "ratio": _ratio(ratio),
                "needed": _ratio(needed),
                "shade": readable(value, needed),
            }
        )
    return value


def _ratio(value: float) -> str:
    return number_format(int(value * 10) / 10, 1)


@dataclass(frozen=True)
class Brand:
    """What the pages, the report, the slides and the e-mails show of the branding."""

    name: str = ""
    primary: str = ""
    accent: str = ""
    contact: str = ""
    sign_off_nl: str = ""
    sign_off_en: str = ""
    logo: Logo | None = None

    @property
    def branded(self) -> bool:
        return bool(self.name or self.logo or self.primary)

    @property
    def main(self) -> str:
        return self.primary or PRODUCT_PRIMARY

    @property
    def second(self) -> str:
        return self.accent or PRODUCT_ACCENT

    def sign_off(self, language: str) -> str:
        return (self.sign_off_en if language == "en" else self.sign_off_nl) or self.sign_off_nl

    @property
    def stamp(self) -> str:
        """Changes whenever anything shown changes: in URLs and cache keys."""
        parts = [self.name, self.primary, self.accent, self.contact, self.sign_off_nl,
                 self.sign_off_en, self.logo.digest if self.logo else ""]  # fmt: skip
        return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:16]

    def css(self) -> str:
        """The product's colour variables in the brand's colours (static/css/app.css)."""
        if not self.primary:
            return ""
        dark = mix(self.primary, "#000000", 0.25)
        soft = mix(self.primary, "#ffffff", 0.88)
        rgb = ", ".join(str(int(self.primary[i : i + 2], 16)) for i in (1, 3, 5))
        dark_rgb = ", ".join(str(int(dark[i : i + 2], 16)) for i in (1, 3, 5))
        return (
            ":root {\n"
            f"  --im-accent: {self.primary};\n  --im-accent-dark: {dark};\n"
            f"  --im-accent-soft: {soft};\n  --im-brand-second: {self.second};\n"
            f"  --bs-primary-rgb: {rgb};\n  --bs-link-color-rgb: {rgb};\n"
            f"  --bs-link-hover-color-rgb: {dark_rgb};\n"
            "}\n"
        )

    def print_css(self) -> str:
        """The report's accents (static/css/report.css) in the brand's colours."""
        if not (self.primary or self.accent):
            return ""
        dark = mix(self.main, "#000000", 0.25)
        soft = mix(self.main, "#ffffff", 0.88)
        return (
            f"h1, h2, h3, .tag {{ color: {dark}; }}\n"
            f".conclusion, .cover .subtitle {{ color: {self.main}; }}\n"
            f".cover-band {{ background: linear-gradient(90deg, {self.second}, {dark}); }}\n"
            f".bar span {{ background: {self.main}; }}\n"
            f".advice {{ background: {soft}; border-left-color: {self.main}; }}\n"
            f".tag {{ background: {soft}; }}\n"
        )


def data_uri(logo: Logo) -> str:
    """The logo inside the document that shows it (the PDF fetches nothing else)."""
    if "data" in logo.get_deferred_fields():
        data = Logo.objects.values_list("data", flat=True).get(pk=logo.pk)
    else:
        data = logo.data
    return f"data:{logo.content_type};base64,{base64.b64encode(bytes(data)).decode()}"


def current() -> Brand:
    """The branding now, kept briefly in this worker (``CACHE_SECONDS``)."""
    brand = cache.get(CACHE_KEY)
    if brand is None:
        # The logo's bytes stay in the database: its view and the report read them.
        row = Branding.objects.select_related("logo").defer("logo__data").filter(pk=1).first()
        brand = Brand() if row is None else _brand(row)
        cache.set(CACHE_KEY, brand, CACHE_SECONDS)
    return brand


def forget() -> None:
    """After a change: this worker shows it at once, the others within CACHE_SECONDS."""
    cache.delete(CACHE_KEY)


def _brand(row: Branding) -> Brand:
    return Brand(
        name=row.name,
        primary=row.primary_colour,
        accent=row.accent_colour,
        contact=row.contact,
        sign_off_nl=row.sign_off_nl,
        sign_off_en=row.sign_off_en,
        logo=row.logo,
    )
