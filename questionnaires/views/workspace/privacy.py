"""Workspace screens for privacy requests: find one respondent, download or erase their data."""

import json

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ... import access, exports, services
from ...forms import RespondentLookupForm
from ...models import Invitation


@require_http_methods(["GET", "POST"])
@access.consultant_required
def respondent_privacy(request: HttpRequest, pk: int) -> HttpResponse:
    """Find one invited person's data by e-mail, to export or erase it."""
    assessment = access.assessment_for_consultant(request.user, pk)
    form = RespondentLookupForm(request.GET or None)
    invitation = None
    if form.is_valid():
        invitation = (
            assessment.invitations.select_related("team", "response")
            .filter(email__iexact=form.cleaned_data["email"])
            .first()
        )
        if invitation is None:
            messages.info(request, _("Nobody with this e-mail address was invited."))
    context = {
        "assessment": assessment,
        "organization": assessment.organization,
        "form": form,
        "invitation": invitation,
        "response": getattr(invitation, "response", None) if invitation else None,
    }
    return render(request, "workspace/privacy.html", context)


@require_GET
@access.consultant_required
def respondent_export(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = access.scoped_for_consultant(
        request.user,
        Invitation.objects.select_related("assessment__organization", "team"),
        pk,
        "assessment__organization",
    )
    document = exports.respondent_document(invitation)
    response = HttpResponse(
        json.dumps(document, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="respondent-{invitation.pk}.json"'
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@access.consultant_required
def respondent_erase(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = access.scoped_for_consultant(
        request.user,
        Invitation.objects.select_related("assessment__organization", "response"),
        pk,
        "assessment__organization",
    )
    if request.POST.get("confirm") != invitation.email:
        messages.error(request, _("Type the e-mail address to confirm the erasure."))
        return redirect("respondent-privacy", invitation.assessment_id)
    response = getattr(invitation, "response", None)
    if response is None:
        messages.info(request, _("This person has no answers to erase."))
    else:
        services.response_erase(response=response, actor=request.user)
        messages.success(request, _("The answers have been erased and the link revoked."))
    return redirect("assessment-detail", invitation.assessment_id)
