"""Workspace screens for reaching respondents: team links, importing people, and the
invitation and reminder mail."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from ... import access, services, tasks
from ...forms import InvitationUploadForm, TeamLinkForm
from ...models import TeamLink
from .common import _base_url, _fail


@require_POST
@access.consultant_required
def team_link_create(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = access.assessment_for_consultant(request.user, pk)
    form = TeamLinkForm(request.POST, organization=assessment.organization)
    if form.is_valid():
        try:
            services.team_link_create(
                assessment=assessment,
                team=form.cleaned_data["team"],
                capacity=form.cleaned_data["capacity"],
                actor=request.user,
            )
            messages.success(request, _("Team link created."))
        except ValidationError as error:
            _fail(request, error)
    else:
        messages.error(request, _("Choose a team and a capacity of at least 1 (or none)."))
    return redirect("assessment-detail", assessment.pk)


@require_POST
@access.consultant_required
def team_link_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    link = access.scoped_for_consultant(
        request.user, TeamLink.objects.select_related("assessment", "team"), pk,
        "assessment__organization",
    )  # fmt: skip
    services.team_link_revoke(link=link, actor=request.user)
    messages.success(request, _("Team link revoked; it no longer works."))
    return redirect("assessment-detail", link.assessment_id)


@require_http_methods(["GET", "POST"])
@access.consultant_required
def invitations_upload(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = access.assessment_for_consultant(request.user, pk)
    rows = None
    text = ""
    if request.method == "POST" and request.POST.get("confirm") and request.POST.get("text"):
        text = request.POST["text"]
        try:
            rows = services.invitation_rows_parse(assessment=assessment, text=text)
            created = services.invitations_create(
                assessment=assessment, rows=rows, actor=request.user
            )
        except ValidationError as error:
            _fail(request, error)
        else:
            added = ngettext(
                "%(count)s person added. Nothing is sent until you send the invitations.",
                "%(count)s people added. Nothing is sent until you send the invitations.",
                len(created),
            )
            messages.success(request, added % {"count": len(created)})
            return redirect("assessment-detail", assessment.pk)
        form = InvitationUploadForm()
    elif request.method == "POST":
        form = InvitationUploadForm(request.POST, request.FILES)
        if form.is_valid():
            text = form.cleaned_data["text"]
            try:
                rows = services.invitation_rows_parse(assessment=assessment, text=text)
            except ValidationError as error:
                form.add_error(None, error)
    else:
        form = InvitationUploadForm()
    context = {
        "assessment": assessment,
        "organization": assessment.organization,
        "form": form,
        "rows": rows,
        "text": text,
        "valid_count": sum(1 for row in rows or [] if row.is_valid),
        "teams": assessment.organization.teams.all(),
    }
    return render(request, "workspace/invite.html", context)


@require_POST
@access.consultant_required
def invitations_send(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = access.assessment_for_consultant(request.user, pk)
    result = tasks.invitations_send.enqueue(assessment.pk, _base_url(request), request.user.pk)
    _report_mail_result(request, result, "invitation")
    return redirect("assessment-detail", assessment.pk)


def _report_mail_result(request: HttpRequest, result, kind: str) -> None:
    """Say what happened to e-mail work: sent now, refused, or queued."""
    if not result.is_finished:
        messages.info(
            request,
            _("The e-mails are being sent in the background; the lists below fill in as they go."),
        )
        return
    outcome = result.return_value if tasks.succeeded(result) else None
    if not outcome or "error" in outcome:
        messages.error(
            request, (outcome or {}).get("error") or _("The e-mails could not be sent. Try again.")
        )
        return
    sent = outcome["sent"]
    if kind == "invitation":
        text = ngettext("%(count)s invitation sent.", "%(count)s invitations sent.", sent)
    else:
        text = ngettext("%(count)s reminder sent.", "%(count)s reminders sent.", sent)
    messages.success(request, text % {"count": sent})


@require_POST
@access.consultant_required
def reminders_send(request: HttpRequest, pk: int, group: str) -> HttpResponse:
    assessment = access.assessment_for_consultant(request.user, pk)
    if group not in (services.NEVER_OPENED, services.NOT_SUBMITTED):
        return redirect("assessment-detail", assessment.pk)
    result = tasks.reminders_send.enqueue(assessment.pk, group, _base_url(request), request.user.pk)
    _report_mail_result(request, result, "reminder")
    return redirect("assessment-detail", assessment.pk)
