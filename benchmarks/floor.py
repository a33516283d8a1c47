"""The floor: what plain Django does for the same work, measured in the same run.

`plain_page` renders one questionnaire page from the same rows as ours (the session's
response, the page's questions with their options, the answers given) with a
hand-written template, padded to the same HTML size as our page (``?size=``);
`plain_autosave` validates and stores one answer row, as our autosave does; `fixed`
returns a fixed string, for reference. `plain_save` saves the answers of a page with
one bulk_create in one transaction; `pdf_floor` is a plain WeasyPrint document with the
report's page count. Nothing here is used by the app.
"""

import json

from django.db import transaction
from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse
from django.template import engines
from django.urls import path
from django.views.decorators.http import require_POST

from questionnaires.access import RESPONSE_SESSION_KEY
from questionnaires.models import Answer, Choice, Dimension, Question, Response

_PAGE = engines["django"].from_string(
    '<!doctype html><html lang="nl"><head><meta charset="utf-8">'
    "<title>{{ dimension.name_nl }}</title></head><body><main>"
    "<h1>{{ dimension.name_nl }}</h1><form method=post>{% csrf_token %}"
    "{% for question in questions %}<fieldset><legend>{{ question.text_nl }}</legend>"
    "{% for choice in question.choices.all %}<label><input type=radio "
    'name="q-{{ question.code }}" value="{{ choice.code }}"'
    "{% if choice.pk == question.chosen %} checked{% endif %}> {{ choice.label_nl }}</label>"
    '{% endfor %}<label><input type=radio name="q-{{ question.code }}" value="dont_know">'
    " Weet ik niet</label>{% if question.allow_not_applicable %}<label><input type=radio "
    'name="q-{{ question.code }}" value="not_applicable"> Niet van toepassing</label>'
    '{% endif %}<textarea name="comment-{{ question.code }}">{{ question.comment }}'
    "</textarea></fieldset>{% endfor %}<button name=move value=next>Volgende</button>"
    "</form></main></body></html>"
)


def plain_page(request, number: int):
    response = Response.objects.select_related("assessment").get(
        pk=request.session[RESPONSE_SESSION_KEY]
    )
    model_id = response.assessment.maturity_model_id
    dimension = Dimension.objects.filter(model_id=model_id).order_by("order")[number - 1]
    questions = list(
        Question.objects.filter(dimension=dimension).prefetch_related("choices").order_by("order")
    )
    answers = {
        answer.question_id: answer
        for answer in Answer.objects.filter(response=response, question__in=questions)
    }
    for question in questions:
        answer = answers.get(question.pk)
        question.chosen = answer.choice_id if answer else None
        question.comment = answer.comment if answer else ""
    html = _PAGE.render({"dimension": dimension, "questions": questions}, request)
    missing = int(request.GET.get("size", 0)) - len(html.encode()) - 7
    if missing > 0:  # the same number of bytes as our page, for the same transfer
        html += "<!--" + "x" * missing + "-->"
    return HttpResponse(html)


@require_POST
def plain_autosave(request):
    """Validate and store one answer row, newest save winning, in one transaction."""
    try:
        payload = json.loads(request.body)
        code, value, sequence = payload["question"], payload["value"], int(payload["sequence"])
    except (ValueError, KeyError, TypeError):
        return HttpResponseBadRequest("bad")
    response = Response.objects.select_related("assessment").get(
        pk=request.session[RESPONSE_SESSION_KEY]
    )
    question = Question.objects.filter(
        model_id=response.assessment.maturity_model_id, code=code, kind__in=["level", "likert"]
    ).first()
    choice = question and Choice.objects.filter(question=question, code=value).first()
    if choice is None:
        return HttpResponseBadRequest("bad")
    with transaction.atomic():
        Answer.objects.update_or_create(
            response=response, question=question, defaults={"choice": choice, "sequence": sequence}
        )
    return JsonResponse({"saved": sequence})


def fixed(request):
    return HttpResponse("ok")


def plain_save(request):
    response = Response.objects.get(pk=int(request.GET["response"]))
    count = int(request.GET.get("count", 40))
    questions = list(Question.objects.filter(kind__in=["level", "likert"])[:count])
    choice = Choice.objects.filter(question=questions[0]).first()
    with transaction.atomic():
        Answer.objects.filter(response=response, question__in=questions).delete()
        Answer.objects.bulk_create(
            Answer(response=response, question=q, choice=choice if q == questions[0] else None)
            for q in questions
        )
    return HttpResponse("ok")


_SENTENCE = (
    "Implementatiemanagement zorgt ervoor dat een nieuw systeem in het dagelijks werk "
    "landt en daar blijft werken, ook als het project al is afgesloten. "
)


def floor_document(pages: int, per_page: int) -> str:
    """`pages` sections, each a heading and `per_page` paragraphs of running text."""
    paragraph = "<p>" + _SENTENCE * 3 + "</p>"
    return "".join(
        f"<section style='break-before: page'><h1>Pagina {i + 1}</h1>"
        f"{paragraph * per_page}</section>"
        for i in range(pages)
    )


def pdf_floor(pages: int) -> str:
    """HTML for exactly `pages` full A4 pages of plain running text, no stylesheet.

    Each page holds as many paragraphs as fit on it; the page count is checked,
    so the floor can never quietly be a longer (slower) document.
    """
    from weasyprint import HTML

    for per_page in range(12, 0, -1):
        html = floor_document(pages, per_page)
        if len(HTML(string=html).render().pages) == pages:
            return html
    raise RuntimeError(f"no plain document of {pages} pages")


urlpatterns = [
    path("floor/page/<int:number>/", plain_page),
    path("floor/autosave/", plain_autosave),
    path("floor/fixed/", fixed),
    path("floor/save/", plain_save),
]


def empty_plot_svg() -> str:
    """The chart floor: a matplotlib figure with one empty plot, saved as SVG (what any
    chart costs before it draws anything)."""
    import io

    from matplotlib.figure import Figure

    figure = Figure(figsize=(4, 3))
    figure.add_subplot()
    out = io.StringIO()
    figure.savefig(out, format="svg")
    return out.getvalue()


def plain_deck(slides: int, pictures: list[bytes]) -> bytes:
    """The deck floor: python-pptx with as many slides, each a title and the same
    pictures, nothing laid out or looked up (what any deck of that size costs)."""
    import io

    from pptx import Presentation
    from pptx.util import Inches

    deck = Presentation()
    for index in range(slides):
        slide = deck.slides.add_slide(deck.slide_layouts[6])
        slide.shapes.add_textbox(Inches(0.5), Inches(0.3), Inches(9), Inches(1)).text = "Title"
        if index < len(pictures):
            slide.shapes.add_picture(io.BytesIO(pictures[index]), Inches(0.5), Inches(1.4))
    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()
