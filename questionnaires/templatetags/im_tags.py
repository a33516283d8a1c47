import base64
import functools
from pathlib import Path

from django import template
from django.conf import settings
from django.utils.html import format_html

register = template.Library()


@register.filter
def with_subject(text: str, assessment) -> str:
    """Insert the assessment's system name where the content says {system} / {System}."""
    subject = assessment.subject
    return text.replace("{System}", subject[:1].upper() + subject[1:]).replace("{system}", subject)


@register.filter
def one_decimal(value) -> str:
    """Scores with one decimal, written the way the active language writes numbers."""
    from django.utils.formats import number_format

    if value is None:
        return "–"
    return number_format(round(float(value), 1), decimal_pos=1)


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
