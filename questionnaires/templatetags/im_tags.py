import base64
import functools
from pathlib import Path

from django import template
from django.conf import settings
from django.utils.formats import number_format
from django.utils.html import format_html

from .. import figures

register = template.Library()


@register.filter
def with_subject(text: str, assessment) -> str:
    """Insert the assessment's system name where the content says {system} / {System}."""
    subject = assessment.subject
    return text.replace("{System}", subject[:1].upper() + subject[1:]).replace("{system}", subject)


@register.filter
def one_decimal(value) -> str:
    """A score by the one display rule (`figures`), in the active language's numbers."""
    return figures.score_text(None if value is None else float(value))


@register.filter
def thousands(value) -> str:
    """A whole number with the reader's thousands separator: 2.580.146, 2,580,146."""
    return number_format(int(value), use_l10n=True, force_grouping=True)


@register.filter
def minus(value, other):
    """``value`` minus ``other`` as shown, the difference of the two shown figures: every
    shown difference adds up. Use with ``one_decimal`` (or ``signed``)."""
    if value is None or other is None:
        return None
    return figures.shown_difference(float(value), float(other))


@register.filter
def signed(value) -> str:
    """A shown difference with its sign: "+0,5", "−0,3", "0,0"."""
    if value is None:
        return "–"
    text = figures.score_text(abs(float(value)))
    if figures.shown(float(value)) == 0:
        return text
    return ("+" if value > 0 else "−") + text


@register.filter
def form_field(form, name: str):
    """The bound field called `name`, or None: lets a template lay out fields by name."""
    return form[name] if name in form.fields else None


@register.filter
def answer_name(question) -> str:
    return f"q-{question.code}"


@register.filter
def comment_name(question) -> str:
    return f"comment-{question.code}"


@register.filter
def svg_data_uri(svg: str) -> str:
    """An SVG chart as a data: URL, drawn as an image on the web page and in the PDF.

    As an image its inline styles are outside the page, so the page's
    Content-Security-Policy needs no 'unsafe-inline'.
    """
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


@functools.cache
def _font_face() -> str:
    """Inter as an @font-face inside the SVG: an image cannot use the page's fonts."""
    font = Path(settings.BASE_DIR, "static", "fonts", "inter", "inter-latin-400-normal.woff2")
    data = base64.b64encode(font.read_bytes()).decode()
    return (
        f"<style>@font-face{{font-family:'Inter';src:url(data:font/woff2;base64,{data})}}</style>"
    )


@register.filter
def chart_img(svg: str, alt: str) -> str:
    """An <img> of an SVG chart for a web page, drawn in the product font.

    ``alt`` names the chart; the data table beside it has the figures.
    """
    with_font = svg.replace("<defs>", "<defs>" + _font_face(), 1)
    return format_html('<img class="im-chart-img" src="{}" alt="{}">', svg_data_uri(with_font), alt)
