"""The floor: what plain Django does for the same work, measured in the same run.

A bare view renders a plain form with as many fields as one questionnaire page;
another saves the same number of answer rows with one bulk_create in one
transaction; `pdf_floor` is a plain WeasyPrint document with the report's page
count. Nothing here is used by the app.
"""

from django import forms
from django.db import transaction
from django.http import HttpResponse
from django.template import engines
from django.urls import path

from questionnaires.models import Answer, Choice, Question, Response

FIELD_COUNT = 10  # a dimension page: up to 5 questions with 6–8 options, plus comments

_TEMPLATE = engines["django"].from_string(
    "<!doctype html><html><body><form method=post>{% csrf_token %}{{ form.as_div }}"
    "<button>Next</button></form></body></html>"
)


class PlainForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for i in range(FIELD_COUNT):
            self.fields[f"f{i}"] = forms.ChoiceField(
                choices=[(str(k), f"Option {k}") for k in range(1, 7)],
                widget=forms.RadioSelect,
                required=False,
            )


def plain_form(request):
    return HttpResponse(_TEMPLATE.render({"form": PlainForm()}, request))


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


urlpatterns = [path("floor/form/", plain_form), path("floor/save/", plain_save)]
