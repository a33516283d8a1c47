"""Workspace screens for one assessment: create, edit, its page, open/close/reopen,
the next cycle, and its exports."""

import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ... import access, exports, selectors, services, tasks
from ...forms import AssessmentForm, RespondentLookupForm, TeamLinkForm
from ...models import MaturityModel
from . import downloads
from .common import _base_url, _fail


@require_http_methods(["GET", "POST"])
@access.consultant_required
def assessment_create(request: HttpRequest, pk: int) -> HttpResponse:
    organization = access.organization_for_consultant(request.user, pk)
    model = MaturityModel.objects.filter(is_published=True).order_by("-published_at").first()
    if model is None:
        messages.error(request, _("No published maturity model is available yet."))
        return redirect("organization-detail", organization.pk)
    if "apply_phase" in request.POST:
        form = AssessmentForm.with_phase_applied(request.POST, maturity_model=model)
    elif request.method == "POST":
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
            "targets_phase": phase.pk if phase else "",
        } | {f"target_{code}": level for code, level in targets.items()}
        form = AssessmentForm(initial=initial, maturity_model=model)
    context = {"organization": organization, "form": form, "model": model, "is_new": True}
    return render(request, "workspace/assessment_form.html", context)


def _edit_initial(assessment) -> dict:
    """The edit form as the assessment stands: its settings, parameters and targets."""
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
    initial["targets_phase"] = assessment.target_phase_id or ""
    return initial


@require_http_methods(["GET", "POST"])
@access.consultant_required
def assessment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = access.assessment_for_consultant(request.user, pk)
    locked = assessment.responses.exists()
    model = assessment.maturity_model
    # Disabled (locked) fields take their value from `initial`, never from the POST.
    locked_values = {
        "anonymity_threshold": assessment.anonymity_threshold,
        "comment_threshold": assessment.comment_threshold,
    }
    if "apply_phase" in request.POST:
        form = AssessmentForm.with_phase_applied(
            request.POST, initial=locked_values, maturity_model=model, lock_thresholds=locked
        )
    elif request.method == "POST":
        form = AssessmentForm(
            request.POST, initial=locked_values, maturity_model=model, lock_thresholds=locked
        )
        if form.is_valid():
            values, targets = form.values()
            initial_parameters = assessment.scoring_parameters
            try:
                services.assessment_update(
                    assessment=assessment, actor=request.user, targets=targets, **values
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                if values.get("scoring_parameters") != initial_parameters:
                    tasks.scores_refresh.enqueue(assessment.pk)  # every profile again
                messages.success(request, _("Changes saved."))
                return redirect("assessment-detail", assessment.pk)
    else:
        initial = _edit_initial(assessment)
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
    link_rates = selectors.team_link_rates(assessment)
    none = {"opened": 0, "started": 0, "submitted": 0}
    links = [
        (
            link,
            services.link_url(base, token) if (token := services.team_link_token(link)) else None,
            link_rates.get(link.pk, none),
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
        "downloads": selectors.prepared_downloads(assessment),
        "window": selectors.assessment_window(assessment),
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


@require_GET
@access.consultant_required
def assessment_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    assessment = access.assessment_for_consultant(request.user, pk)
    # Submitted responses, as the dashboard counts them; in-progress ones on request.
    in_progress = request.GET.get("responses") == "all"
    name = exports.export_name(assessment, in_progress=in_progress)
    if fmt in ("csv", "xlsx"):
        rows = exports.rows_estimate(assessment, in_progress=in_progress)
        if rows > exports.DIRECT_ROWS[fmt]:  # minutes of work: a task writes it
            return downloads.prepare_page(request, assessment, fmt, rows, name)
    response: HttpResponse | StreamingHttpResponse
    if fmt == "csv":
        semicolon = request.GET.get("delimiter") == "semicolon"
        lines = exports.responses_csv_lines(
            assessment, in_progress=in_progress, delimiter=";" if semicolon else ",", bom=True
        )
        response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}-answers.csv"'
    elif fmt == "xlsx":
        response = HttpResponse(
            exports.responses_xlsx(assessment, in_progress=in_progress),
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
