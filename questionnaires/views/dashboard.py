"""The maturity dashboard of one assessment, for client managers and consultants.

It shows the scoring module's AssessmentResult, the same numbers as the PDF
report and the exports, and never a single response.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.dateparse import parse_date
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from .. import access, exports, presentation, reports, selectors, services, slides, tasks
from ..models import ActionItem, Dimension, IssuedReport, PlanEntry


@require_GET
@login_required
def dashboard_list(request: HttpRequest) -> HttpResponse:
    assessments = selectors.dashboard_assessments(access.viewer_organizations(request.user))
    return render(request, "dashboard/list.html", {"assessments": assessments})


@require_GET
@never_cache
@login_required
def assessment_dashboard(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = access.assessment_for_viewer(request.user, pk)
    consultant = access.consults(request.user, assessment.organization)
    story = presentation.assessment_story(assessment, reviewing=consultant, stale_ok=tasks.queued())
    if story["result_updating"]:
        tasks.result_refresh_start(assessment)
    story["is_consultant"] = consultant
    if not story["enough_responses"]:
        return render(request, "dashboard/waiting.html", story)
    # The newest issued version in each language (the list is newest first).
    issued = list(assessment.issued_reports.values("version", "language"))
    story["issued_reports"] = [r for r in issued if r["version"] == issued[0]["version"]]
    return render(request, "dashboard/assessment.html", story)


# --- The consultant shapes the plan; managers update their actions -----------------------


def _entry(request, pk) -> PlanEntry:
    entry = get_object_or_404(
        PlanEntry.objects.select_related("assessment__organization", "dimension").filter(
            assessment__organization__in=access.viewer_organizations(request.user)
        ),
        pk=pk,
    )
    return entry


def _consultant_only(request, assessment) -> None:
    if not access.consults(request.user, assessment.organization):
        raise Http404


def _back(assessment) -> HttpResponse:
    """After a change of the plan: the report and deck are rendered again (with a queue)."""
    tasks.reports_refresh_start(assessment)
    return redirect(f"{assessment.get_absolute_url()}#plan")


@require_POST
@login_required
def plan_adopt(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = access.assessment_for_viewer(request.user, pk)
    _consultant_only(request, assessment)
    services.plan_adopt(
        assessment=assessment, result=selectors.assessment_result(assessment), actor=request.user
    )
    messages.success(request, _("The plan can now be edited."))
    return _back(assessment)


@require_POST
@login_required
def plan_entry_change(request: HttpRequest, pk: int, change: str) -> HttpResponse:
    entry = _entry(request, pk)
    _consultant_only(request, entry.assessment)
    try:
        if change == "edit":
            services.plan_entry_update(
                entry=entry, text=request.POST.get("text", ""), actor=request.user
            )
        elif change in ("up", "down"):
            services.plan_entry_move(entry=entry, up=change == "up", actor=request.user)
        elif change == "delete":
            services.plan_entry_delete(entry=entry, actor=request.user)
        elif change == "action":
            services.action_add(
                entry=entry,
                title=request.POST.get("title", ""),
                owner=request.POST.get("owner", ""),
                due_date=parse_date(request.POST.get("due_date") or "") or None,
                actor=request.user,
            )
        else:
            raise Http404
    except (ValidationError, ValueError) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    return _back(entry.assessment)


@require_POST
@login_required
def plan_entry_add(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = access.assessment_for_viewer(request.user, pk)
    _consultant_only(request, assessment)
    dimension = Dimension.objects.filter(
        model=assessment.maturity_model, code=request.POST.get("dimension", "")
    ).first()
    try:
        services.plan_entry_add(
            assessment=assessment,
            text=request.POST.get("text", ""),
            dimension=dimension,
            actor=request.user,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return _back(assessment)


@require_POST
@login_required
def action_status(request: HttpRequest, pk: int) -> HttpResponse:
    action = get_object_or_404(
        ActionItem.objects.select_related("entry__assessment__organization").filter(
            entry__assessment__organization__in=access.viewer_organizations(request.user)
        ),
        pk=pk,
    )
    try:
        services.action_status_set(
            action=action, status=request.POST.get("status", ""), actor=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return _back(action.entry.assessment)


@require_POST
@login_required
def comments_release(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = access.assessment_for_viewer(request.user, pk)
    _consultant_only(request, assessment)
    services.comments_release(
        assessment=assessment, released=request.POST.get("released") == "1", actor=request.user
    )
    tasks.reports_refresh_start(assessment)
    return redirect(assessment.get_absolute_url())


@require_GET
@login_required
def report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The PDF advice report, in the language asked for (default: the page's)."""
    assessment = access.assessment_for_viewer(request.user, pk)
    language = _report_language(request)
    try:
        key = reports.report_key(assessment, language=language)
        issued = assessment.issued_reports.filter(language=language).defer("pdf").first()
        if issued is not None and issued.inputs == reports.issued_key(
            assessment, language=language
        ):
            # Nothing has changed since the newest version was issued: that file itself.
            return _issued_response(assessment, assessment.issued_reports.get(pk=issued.pk))
        pdf = reports.stored_report(key)
        if pdf is None:
            result = tasks.report_start(assessment, language)
            if result.is_finished and not tasks.succeeded(result):
                messages.error(request, _("The report could not be made. Try again later."))
                return redirect(assessment.get_absolute_url())
            pdf = reports.stored_report(key)
    except reports.ReportError:
        messages.error(request, _("The report is available once enough people have answered."))
        return redirect(assessment.get_absolute_url())
    if pdf is None:  # queued: this page looks again every few seconds
        context = {"assessment": assessment, "language": language}
        page = render(request, "dashboard/report_pending.html", context, status=202)
        page["Cache-Control"] = "no-store"
        return page
    name = slugify(f"{assessment.organization.name}-{assessment.title}-{language}") or "report"
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


def _report_language(request: HttpRequest) -> str:
    """The language a report or deck is asked for (default: the page's, else Dutch)."""
    language = request.GET.get("lang") or (get_language() or "nl")[:2]
    return language if language in ("nl", "en") else "nl"


def _issued_response(assessment, issued: IssuedReport) -> HttpResponse:
    name = slugify(f"{assessment.organization.name}-{assessment.title}-{issued.language}")
    response = HttpResponse(bytes(issued.pdf), content_type="application/pdf")
    filename = f"{name or 'report'}-v{issued.version}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@login_required
def report_issued(request: HttpRequest, pk: int, version: int) -> HttpResponse:
    """A version of the report as it was issued as final."""
    assessment = access.assessment_for_viewer(request.user, pk)
    language = request.GET.get("lang") or (get_language() or "nl")[:2]  # as issued, or 404
    issued = get_object_or_404(assessment.issued_reports, version=version, language=language)
    return _issued_response(assessment, issued)


@require_GET
@login_required
def report_deck(request: HttpRequest, pk: int) -> HttpResponse:
    """The deck of the report (PowerPoint), in the language asked for."""
    assessment = access.assessment_for_viewer(request.user, pk)
    language = _report_language(request)
    try:
        deck = slides.render_assessment_deck(assessment, language=language)
    except reports.ReportError:
        messages.error(request, _("The report is available once enough people have answered."))
        return redirect(assessment.get_absolute_url())
    name = slugify(f"{assessment.organization.name}-{assessment.title}-{language}") or "deck"
    response = HttpResponse(deck, content_type=slides.DECK_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}.pptx"'
    response["Cache-Control"] = "private, no-store"
    return response


PLAN_FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": exports.XLSX_CONTENT_TYPE,
}


@require_GET
@login_required
def plan_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The improvement plan with its actions, for a spreadsheet or a tracker's import."""
    assessment = access.assessment_for_viewer(request.user, pk)
    if fmt not in PLAN_FORMATS:
        raise Http404
    rows = presentation.improvement_plan(assessment)
    if rows is None:
        messages.error(request, _("The plan is available once enough people have answered."))
        return redirect(assessment.get_absolute_url())
    title = _("Action plan")
    if fmt == "csv":
        body: str | bytes = exports.plan_csv(rows)
    else:
        body = exports.plan_xlsx(rows, title=title)
    name = slugify(f"{assessment.organization.name}-{assessment.title}-{title}") or "plan"
    response = HttpResponse(body, content_type=PLAN_FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    response["Cache-Control"] = "private, no-store"
    return response
