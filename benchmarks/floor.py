"""The floor: what plain Django does for the same work, measured in the same run.

A bare view renders a plain form with as many fields as one questionnaire page;
another saves the same number of answer rows with one bulk_create in one
transaction. Nothing here is used by the app.
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


urlpatterns = [path("floor/form/", plain_form), path("floor/save/", plain_save)]
