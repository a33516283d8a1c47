from django import template
from django.utils.formats import number_format
from django.utils.safestring import mark_safe

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
def percent(value) -> str:
    """A share (0–1) as a percentage in the reader's convention (`figures.percent_text`)."""
    return figures.percent_text(None if value is None else float(value))


@register.filter
def index(sequence, position: int):
    """The item at ``position`` (negative counts from the end), or None past either end."""
    try:
        return sequence[int(position)]
    except (IndexError, TypeError, ValueError):
        return None


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
def chart_svg(drawing) -> str:
    """A chart inline in a web page, drawn in the page's own font (no font per image).

    `charts` writes the SVG through ElementTree, so every text in it is escaped, and
    with presentation attributes only: no style for the Content-Security-Policy to
    refuse. Its <title> and aria-label name it; the table beside it has the figures.
    """
    return mark_safe(drawing.svg())  # made by charts, every text escaped there
