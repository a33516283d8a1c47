from django import template

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
    """An SVG chart as a data: URL, for the PDF, where it is drawn as an image."""
    import base64

    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
