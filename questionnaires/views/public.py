from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from .. import brand, selectors
from ..models import Logo

# A logo's and the brand style's address changes with their content: kept a year.
FOREVER = "public, max-age=31536000, immutable"


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


@require_GET
def logo_file(request: HttpRequest, digest: str, extension: str) -> HttpResponse:
    """A stored logo by its digest. An SVG opened on its own may run nothing and load
    nothing (its own CSP), though we cleaned it when it was uploaded."""
    logo = get_object_or_404(Logo, digest=digest)
    if extension != logo.extension:
        raise Http404
    response = HttpResponse(bytes(logo.data), content_type=logo.content_type)
    response["Cache-Control"] = FOREVER
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
    response["Content-Disposition"] = f'inline; filename="logo.{logo.extension}"'
    return response


def _brand_sheet(stamp: str, css) -> HttpResponse:
    """A style sheet of the brand as it is now; its address names that (the stamp)."""
    current = brand.current()
    if stamp != current.stamp:
        raise Http404
    response = HttpResponse(css(current), content_type="text/css; charset=utf-8")
    response["Cache-Control"] = FOREVER
    return response


@require_GET
def brand_css(request: HttpRequest, stamp: str) -> HttpResponse:
    """The brand's colours as the product's colour variables (after static/css/app.css)."""
    return _brand_sheet(stamp, brand.Brand.css)


@require_GET
def brand_print_css(request: HttpRequest, stamp: str) -> HttpResponse:
    """The brand's colours over the report's, for its preview as a web page."""
    return _brand_sheet(stamp, brand.Brand.print_css)
