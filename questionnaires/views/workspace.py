"""The consultant's workspace: clients, teams, assessments, links, invitations and exports.

Every object is fetched through `access`: anything outside the consultant's own
organisations is a 404.
"""

import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .. import access, exports, selectors, services, tasks
from ..forms import (
    AssessmentForm,
    InvitationUploadForm,
    ManagerInviteForm,
    NameForm,
    RespondentLookupForm,
    TeamLinkForm,
)
from ..models import AuditEntry, Invitation, MaturityModel, Membership, Team, TeamLink


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _fail(request: HttpRequest, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


@require_GET
@access.consultant_required
def workspace_home(request: HttpRequest) -> HttpResponse:
    organizations = selectors.organizations_overview(access.consultant_organizations(request.user))
    return render(
        request, "workspace/home.html", {"organizations": organizations, "form": NameForm()}
    )


@require_POST
@access.consultant_required
def organization_create(request: HttpRequest) -> HttpResponse:
    form = NameForm(request.POST)
    if form.is_valid():
        try:
            organization = services.organization_create(
                name=form.cleaned_data["name"], actor=request.user
            )
        except ValidationError as error:
            _fail(request, error)
        else:
            messages.success(request, _("Client added."))
            return redirect("organization-detail", organization.pk)
    else:
        messages.error(request, _("Give the client a name."))
    return redirect("workspace")


@require_GET
@access.consultant_required
def organization_detail(request: HttpRequest, pk: int) -> HttpResponse:
    organization = access.organization_for_consultant(request.user, pk)
    context = {
        "organization": organization,
        "teams": organization.teams.all(),
        "assessments": selectors.assessments_overview(organization),
        "managers": organization.memberships.filter(role=Membership.Role.MANAGER).select_related(
            "user"
        ),
        "audit": AuditEntry.objects.filter(organization=organization).select_related(
            "actor", "assessment"
        )[:15],
        "rename_form": NameForm(initial={"name": organization.name}),
        "team_form": NameForm(),
        "manager_form": ManagerInviteForm(),
    }
    return render(request, "workspace/organization.html", context)


@require_POST
@access.consultant_required
def organization_rename(request: HttpRequest, pk: int) -> HttpResponse:
    organization = access.organization_for_consultant(request.user, pk)
    form = NameForm(request.POST)
    if form.is_valid():
        try:
            services.organization_rename(
                organization=organization, name=form.cleaned_data["name"], actor=request.user
            )
            messages.success(request, _("Name changed."))
        except ValidationError as error:
            _fail(request, error)
    return redirect("organization-detail", organization.pk)


@require_POST
@access.consultant_required
def team_create(request: HttpRequest, pk: int) -> HttpResponse:
    organization = access.organization_for_consultant(request.user, pk)
    form = NameForm(request.POST)
    if form.is_valid():
        try:
            services.team_create(
                organization=organization, name=form.cleaned_data["name"], actor=request.user
            )
            messages.success(request, _("Team added."))
        except ValidationError as error:
            _fail(request, error)
    else:
        messages.error(request, _("Give the team a name."))
    return redirect("organization-detail", organization.pk)


@require_POST
@access.consultant_required
def team_rename(request: HttpRequest, pk: int) -> HttpResponse:
    team = access.scoped_for_consultant(request.user, Team.objects.all(), pk)
    form = NameForm(request.POST)
    if form.is_valid():
        try:
            services.team_rename(team=team, name=form.cleaned_data["name"], actor=request.user)
            messages.success(request, _("Team renamed."))
        except ValidationError as error:
            _fail(request, error)
    return redirect("organization-detail", team.organization_id)


@require_http_methods(["GET", "POST"])
@access.consultant_required
def assessment_create(request: HttpRequest, pk: int) -> HttpResponse:
    organization = access.organization_for_consultant(request.user, pk)
    model = MaturityModel.objects.filter(is_published=True).order_by("-published_at").first()
    if model is None:
        messages.error(request, _("No published maturity model is available yet."))
        return redirect("organization-detail", organization.pk)
    if request.method == "POST":
        form = AssessmentForm(request.POST, maturity_model=model)
        if form.is_valid():
            values, targets = form.values()
            try:
                assessment = services.assessment_create(
                    organization=organization,
                    maturity_model=model,
                    actor=request.user,
                    targets=targets,
                    **values,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Assessment created as a draft."))
                return redirect("assessment-detail", assessment.pk)
    else:
        phase = model.phases.filter(code="IM-2.2").first()
        targets = services.default_targets(model, phase)
        initial = {
            "title": _("IM assessment %(year)s") % {"year": timezone.localdate().year},
            "subject_nl": "het nieuwe systeem",
            "subject_en": "the new system",
            "languages": ["nl", "en"],
            "anonymity_threshold": 5,
            "comment_threshold": 5,
            "target_phase": phase,
        } | {f"target_{code}": level for code, level in targets.items()}
        form = AssessmentForm(initial=initial, maturity_model=model)
    context = {"organization": organization, "form": form, "model": model, "is_new": True}
    return render(request, "workspace/assessment_form.html", context)


@require_http_methods(["GET", "POST"])
@access.consultant_required
def assessment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = access.assessment_for_consultant(request.user, pk)
    locked = assessment.responses.exists()
    model = assessment.maturity_model
    if request.method == "POST":
        # Disabled (locked) fields take their value from `initial`, never from the POST.
        locked_values = {
            "anonymity_threshold": assessment.anonymity_threshold,
            "comment_threshold": assessment.comment_threshold,
        }
        form = AssessmentForm(
            request.POST, initial=locked_values, maturity_model=model, lock_thresholds=locked
        )
        if form.is_valid():
            values, targets = form.values()
            try:
                services.assessment_update(
                    assessment=assessment, actor=request.user, targets=targets, **values
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Changes saved."))
                return redirect("assessment-detail", assessment.pk)
    else:
        params = assessment.scoring_parameters or {}
        initial = {
            name: getattr(assessment, name)
            for name in services.ASSESSMENT_FIELDS
            if name != "scoring_parameters"
        }
        initial |= {
            "overall_share": params.get("overall_share", 0.8),
            "overall_tolerance": params.get("overall_tolerance", 1),
            "dont_know_limit": params.get("dont_know_limit", 0.3),
        }
        initial |= {
            f"target_{code}": level
            for code, level in assessment.targets.values_list("dimension__code", "level")
        }
        form = AssessmentForm(initial=initial, maturity_model=model, lock_thresholds=locked)
    context = {
        "organization": assessment.organization,
        "assessment": assessment,
        "form": form,
        "model": model,
        "is_new": False,
        "locked": locked,
    }
    return render(request, "workspace/assessment_form.html", context)


@require_GET
@access.consultant_required
def assessment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = access.assessment_for_consultant(request.user, pk)
    rows, total = selectors.response_rates(assessment)
    base = _base_url(request)
    links = [
        (
            link,
            services.link_url(base, token) if (token := services.team_link_token(link)) else None,
        )
        for link in assessment.team_links.select_related("team").order_by("team__name")
    ]
    invitations = assessment.invitations.select_related("team", "response").order_by("email")
    context = {
        "assessment": assessment,
        "organization": assessment.organization,
        "rate_rows": rows,
        "rate_total": total,
        "links": links,
        "invitations": invitations[:300],
        "invitation_count": assessment.invitations.count(),
        "unsent": assessment.invitations.filter(sent_at__isnull=True, revoked_at__isnull=True)
        .exclude(email="")
        .count(),
        "never_opened": len(services.reminder_candidates(assessment, services.NEVER_OPENED)),
        "not_submitted": len(services.reminder_candidates(assessment, services.NOT_SUBMITTED)),
        "link_form": TeamLinkForm(organization=assessment.organization),
        "lookup_form": RespondentLookupForm(),
        "audit": assessment.audit_entries.select_related("actor")[:15],
        "window": services.assessment_window(assessment),
    }
    return render(request, "workspace/assessment.html", context)


@require_POST
@access.consultant_required
def assessment_transition(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    assessment = access.assessment_for_consultant(request.user, pk)
    if action not in ("open", "close", "reopen"):
        return redirect("assessment-detail", assessment.pk)
    try:
        services.assessment_transition(assessment=assessment, action=action, actor=request.user)
        messages.success(request, _("Status changed."))
    except ValidationError as error:
        _fail(request, error)
    return redirect("assessment-detail", assessment.pk)


@require_POST
@access.consultant_required
def assessment_clone(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = access.assessment_for_consultant(request.user, pk)
    title = (request.POST.get("title") or "").strip()[:200] or _("%(title)s (next cycle)") % {
        "title": assessment.title
    }
    clone = services.assessment_clone(assessment=assessment, actor=request.user, title=title)
    messages.success(request, _("Next cycle created as a draft, linked to the previous one."))
    return redirect("assessment-detail", clone.pk)


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


@require_GET
@access.consultant_required
def assessment_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    assessment = access.assessment_for_consultant(request.user, pk)
    name = slugify(f"{assessment.organization.name}-{assessment.title}") or "assessment"
    if fmt == "csv":
        response = StreamingHttpResponse(
            exports.responses_csv_lines(assessment), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{name}-answers.csv"'
    elif fmt == "xlsx":
        response = HttpResponse(
            exports.responses_xlsx(assessment),
            content_type=exports.XLSX_CONTENT_TYPE,
        )
        response["Content-Disposition"] = f'attachment; filename="{name}-answers.xlsx"'
    elif fmt == "json":
        document = exports.results_document(assessment, selectors.assessment_result(assessment))
        response = HttpResponse(
            json.dumps(document, ensure_ascii=False, indent=2),
            content_type="application/json; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="{name}-results.json"'
    else:
        return redirect("assessment-detail", assessment.pk)
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@access.consultant_required
def manager_invite(request: HttpRequest, pk: int) -> HttpResponse:
    organization = access.organization_for_consultant(request.user, pk)
    form = ManagerInviteForm(request.POST)
    if form.is_valid():
        try:
            services.manager_invite(
                organization=organization,
                email=form.cleaned_data["email"],
                language=form.cleaned_data["language"],
                actor=request.user,
                base_url=_base_url(request),
            )
            messages.success(request, _("The manager has been sent a link to set a password."))
        except ValidationError as error:
            _fail(request, error)
    else:
        messages.error(request, _("Enter a valid e-mail address."))
    return redirect("organization-detail", organization.pk)


@require_POST
@access.consultant_required
def manager_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    membership = access.scoped_for_consultant(
        request.user, Membership.objects.filter(role=Membership.Role.MANAGER), pk
    )
    services.manager_revoke(membership=membership, actor=request.user)
    messages.success(request, _("Access revoked."))
    return redirect("organization-detail", membership.organization_id)


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
