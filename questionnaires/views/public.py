from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .. import selectors


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    model = selectors.maturity_model_current()
    levels = model.levels.all() if model else []
    return render(request, "questionnaires/home.html", {"model": model, "levels": levels})


@require_GET
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


def login_locked_out(request: HttpRequest, original_response=None, credentials=None):
    """django-axes calls this once an account is locked for this address, and so does
    `throttle.AccountPauseBackend` once it is paused from every address."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    email = (credentials or {}).get("username") or request.POST.get("username", "")
    everywhere = bool(getattr(request, "account_paused", False))
    page = render(
        request,
        "registration/locked_out.html",
        {"minutes": minutes, "email": email[:254], "everywhere": everywhere},
        status=429,
    )
    page["Retry-After"] = str(minutes * 60)
    return page
