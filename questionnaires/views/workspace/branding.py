"""The installation's branding (administrators) and a client's logo (its consultant)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ... import access, brand, services
from ...forms import BrandingForm, ClientLogoForm
from ...models import Branding
from .common import _fail


@require_http_methods(["GET", "POST"])
@access.administrator_required
def branding_edit(request: HttpRequest) -> HttpResponse:
    row = Branding.objects.select_related("logo", "updated_by").defer("logo__data").first()
    if request.method == "POST":
        form = BrandingForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.branding_update(
                    actor=request.user,
                    name=data["name"],
                    primary_colour=data["primary_colour"],
                    accent_colour=data["accent_colour"],
                    contact=data["contact"],
                    sign_off_nl=data["sign_off_nl"],
                    sign_off_en=data["sign_off_en"],
                    logo_data=data["logo"],
                    logo_remove=data["logo_remove"],
                )
            except ValidationError as error:
                _fail(request, error)
            else:
                messages.success(request, _("Branding saved. Reports made from now on carry it."))
                return redirect("branding-edit")
    else:
        initial = {}
        if row is not None:
            initial = {
                "name": row.name,
                "primary_colour": row.primary_colour,
                "accent_colour": row.accent_colour,
                "contact": row.contact,
                "sign_off_nl": row.sign_off_nl,
                "sign_off_en": row.sign_off_en,
            }
        form = BrandingForm(initial=initial)
    context = {"form": form, "row": row, "brand": brand.current()}
    return render(request, "workspace/branding.html", context)


@require_POST
@access.consultant_required
def organization_logo(request: HttpRequest, pk: int) -> HttpResponse:
    organization = access.organization_for_consultant(request.user, pk)
    form = ClientLogoForm(request.POST, request.FILES)
    if form.is_valid():
        remove = form.cleaned_data["logo_remove"] and not form.cleaned_data["logo"]
        services.organization_logo_set(
            organization=organization,
            actor=request.user,
            logo_data=None if remove else form.cleaned_data["logo"],
        )
        messages.success(request, _("Logo removed.") if remove else _("Logo saved."))
    else:
        messages.error(request, " ".join(" ".join(errors) for errors in form.errors.values()))
    return redirect("organization-detail", organization.pk)
