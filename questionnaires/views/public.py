from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .. import selectors


def home(request: HttpRequest) -> HttpResponse:
    model = selectors.maturity_model_current()
    levels = model.levels.all() if model else []
    return render(request, "questionnaires/home.html", {"model": model, "levels": levels})


def model_overview(request: HttpRequest) -> HttpResponse:
    model = selectors.maturity_model_current()
    context = {"model": model}
    if model is not None:
        context |= {
            "levels": model.levels.all(),
            "phases": model.phases.all(),
            "dimensions": selectors.dimensions_with_descriptors(model),
        }
    return render(request, "questionnaires/model_overview.html", context)
