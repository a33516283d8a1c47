"""The consultant's voice: the management summary and the notes per dimension and per
plan step, in each of the assessment's languages; the report's sections and its
preview as a web page."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ... import access, reports, selectors, services, tasks
from ...forms import NotesForm
from ...models import ConsultantNote, Dimension


def _subjects(assessment) -> list[tuple[str, str]]:
    """Every subject with the label the form shows for it."""
    names = {
        f"dimension:{d.code}": d.name
        for d in Dimension.objects.filter(model=assessment.maturity_model)
    }
    steps = {
        f"step:{entry.pk}": _("Step %(n)s: %(name)s")
        % {
            "n": position,
            "name": entry.dimension.name if entry.dimension else _("General"),
        }
        for position, entry in enumerate(selectors.plan_entries(assessment), start=1)
    }
    labels = {ConsultantNote.SUMMARY: _("Management summary")} | names | steps
    return [(subject, labels[subject]) for subject in services.note_subjects(assessment)]


@require_http_methods(["GET", "POST"])
@access.consultant_required
def assessment_notes(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = access.assessment_for_consultant(request.user, pk)
    subjects = _subjects(assessment)
    form = NotesForm(
        request.POST or None,
        subjects=subjects,
        languages=assessment.languages,
        texts=selectors.consultant_notes(assessment),
    )
    if request.method == "POST" and form.is_valid():
        changed, before = 0, selectors.consultant_notes(assessment)
        try:
            for subject, language, text in form.notes():
                if before.get((subject, language), "") != text.replace("\r\n", "\n").strip():
                    services.note_set(assessment=assessment, subject=subject,
                                      language=language, text=text, actor=request.user)  # fmt: skip
                    changed += 1
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, ngettext("%(n)s note saved.", "%(n)s notes saved.",
                                               changed) % {"n": changed})  # fmt: skip
            if changed:
                tasks.reports_refresh_start(assessment)
            return redirect("assessment-notes", assessment.pk)
    fields = {name: form[name] for name in form.fields}
    sections = [
        {
            "language": language,
            "summary": fields[f"{ConsultantNote.SUMMARY}|{language}"],
            "dimensions": [
                fields[f"{s}|{language}"] for s, _l in subjects if s.startswith("dimension:")
            ],
            "steps": [fields[f"{s}|{language}"] for s, _l in subjects if s.startswith("step:")],
        }
        for language in assessment.languages
    ]
    context = {"assessment": assessment, "organization": assessment.organization,
               "form": form, "sections": sections}  # fmt: skip
    return render(request, "workspace/notes.html", context)


@require_http_methods(["GET", "POST"])
@access.consultant_required
def assessment_report(request: HttpRequest, pk: int) -> HttpResponse:
    """Which sections the report includes, with its preview in each language."""
    assessment = access.assessment_for_consultant(request.user, pk)
    if request.method == "POST":
        try:
            services.report_sections_set(assessment=assessment,
                                         included=request.POST.getlist("sections"),
                                         actor=request.user)  # fmt: skip
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The report's sections are saved."))
            tasks.reports_refresh_start(assessment)
        return redirect("assessment-report", assessment.pk)
    context = {
        "assessment": assessment,
        "organization": assessment.organization,
        "sections": reports.SECTIONS,
        "included": reports.sections_of(assessment),
        "issued": assessment.issued_reports.select_related("issued_by").defer("pdf"),
    }
    return render(request, "workspace/report.html", context)


@require_POST
@access.consultant_required
def report_issue(request: HttpRequest, pk: int) -> HttpResponse:
    """Issue the report as final ("definitief") in every language of the assessment."""
    assessment = access.assessment_for_consultant(request.user, pk)
    try:
        issued = services.report_issue(assessment=assessment, actor=request.user)
    except (ValidationError, reports.ReportError) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        messages.success(request, _("Version %(version)s of the report is issued as final.")
                         % {"version": issued[0].version})  # fmt: skip
    return redirect("assessment-report", assessment.pk)


@require_GET
@access.consultant_required
def report_preview(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = access.assessment_for_consultant(request.user, pk)
    language = request.GET.get("lang", "nl")
    if language not in assessment.languages:
        raise Http404
    try:
        page = reports.report_preview(assessment, language=language)
    except reports.ReportError:
        messages.error(request, _("There is no report yet: too few people have submitted."))
        return redirect("assessment-report", assessment.pk)
    return HttpResponse(page)
