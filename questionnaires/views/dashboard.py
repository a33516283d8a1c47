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
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from .. import access, charts, scoring, selectors, services
from ..models import ActionItem, Assessment, Choice, Dimension, PlanEntry


@require_GET
@login_required
def dashboard_list(request: HttpRequest) -> HttpResponse:
    assessments = selectors.dashboard_assessments(access.viewer_organizations(request.user))
    return render(request, "dashboard/list.html", {"assessments": assessments})


def _radar_message(rows) -> str:
    applicable = [row for row in rows if row["result"].is_applicable]
    if len(applicable) < 2:
        return _("Maturity per dimension")
    weakest = min(applicable, key=lambda row: row["result"].median)
    strongest = max(applicable, key=lambda row: row["result"].median)
    gap = strongest["result"].level - weakest["result"].level
    if gap <= 0:
        return _("All dimensions are at about the same level")
    text = ngettext(
        "%(weak)s lags %(gap)s level behind %(strong)s",
        "%(weak)s lags %(gap)s levels behind %(strong)s",
        gap,
    )
    return text % {
        "weak": weakest["dimension"].name,
        "gap": gap,
        "strong": strongest["dimension"].name,
    }


def _dimension_rows(dimensions, result, comments):
    rows = []
    for dimension in dimensions:
        d = result.dimension(dimension.code)
        descriptors = {x.level: x for x in dimension.descriptors.all()}
        advice = {a.from_level: a for a in dimension.advice.all()}
        rows.append(
            {
                "dimension": dimension,
                "result": d,
                "now": descriptors.get(d.level) if d.level else None,
                "next": descriptors.get(d.level + 1) if d.level and d.level < 6 else None,
                "advice": advice.get(d.level) if d.level else None,
                "progress_percent": round((d.progress or 0) * 100),
                "comments": comments.get(dimension.code, []),
            }
        )
    return rows


def _plan_rows(assessment, result, dimensions, entries):
    by_code = {d.code: d for d in dimensions}
    advice = {(d.code, a.from_level): a for d in dimensions for a in d.advice.all()}
    if entries:
        return [
            {
                "entry": entry,
                "dimension": entry.dimension,
                "is_barrier": entry.is_barrier,
                "shared_picture_first": entry.shared_picture_first,
                "text": entry.text
                or (
                    advice.get((entry.dimension.code, entry.from_level)).text
                    if entry.dimension and advice.get((entry.dimension.code, entry.from_level))
                    else ""
                ),
                "is_manual": entry.is_manual,
                "from_level": entry.from_level,
                "actions": list(entry.actions.all()),
            }
            for entry in entries
        ]
    rows = []
    for item in result.plan:
        then = advice.get((item.dimension, item.then_from_level)) if item.then_from_level else None
        rows.append(
            {
                "entry": None,
                "dimension": by_code[item.dimension],
                "is_barrier": item.is_barrier,
                "shared_picture_first": item.build_shared_picture,
                "text": advice[(item.dimension, item.from_level)].text,
                "then": then.text if then else "",
                "is_manual": False,
                "from_level": item.from_level,
                "priority": item.priority,
                "actions": [],
            }
        )
    return rows


def _group_label(name: str, kind: str, roles: dict[str, str]) -> str:
    if name == scoring.OTHER:
        return _("Other (smaller groups together)")
    return roles.get(name, name) if kind == "role" else name


@require_GET
@login_required
def assessment_dashboard(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = access.assessment_for_viewer(request.user, pk)
    consultant = access.consults(request.user, assessment.organization)
    result = selectors.assessment_result(assessment)
    rate_rows, rate_total = selectors.response_rates(assessment)
    if not consultant:
        rate_rows = _visible_rates(rate_rows, assessment.anonymity_threshold)
    context = {
        "assessment": assessment,
        "organization": assessment.organization,
        "is_consultant": consultant,
        "result": result,
        "rate_rows": rate_rows,
        "rate_total": rate_total,
        "is_final": assessment.status == Assessment.Status.CLOSED,
    }
    if result.respondents < assessment.anonymity_threshold:
        return render(request, "dashboard/waiting.html", context)
    model = assessment.maturity_model
    dimensions = list(selectors.dimensions_with_descriptors(model))
    phases = {phase.code: phase for phase in model.phases.all()}
    levels = {level.number: level for level in model.levels.all()}
    comments = selectors.released_comments(assessment, reviewing=consultant)
    rows = _dimension_rows(dimensions, result, comments)
    language = (get_language() or "nl")[:2]
    radar = charts.radar_svg(
        labels=[d.short_name for d in dimensions],
        current=[row["result"].median for row in rows],
        current_label=_("Now (median)"),
        band=([row["result"].p25 for row in rows], [row["result"].p75 for row in rows]),
        band_label=_("Middle half of the answers"),
        target=[row["result"].target for row in rows],
        target_label=_("Target"),
        previous=(
            [row["result"].trend.previous if row["result"].trend else None for row in rows]
            if assessment.previous_id
            else None
        ),
        previous_label=_("Previous assessment"),
        title=_radar_message(rows),
    )
    phase_rows = [(phases[p.code], p) for p in result.phases]
    phase_chart = charts.phase_profile_svg(
        labels=[phase.name for phase, _ in phase_rows],
        values=[p.median for _, p in phase_rows],
        title=_("Median score per phase"),
        highlight=result.project_not_landed,
    )
    roles = dict(
        Choice.objects.filter(question__model=model, question__code="C1").values_list(
            "code", f"label_{language}"
        )
    )
    questions = selectors.question_texts(model.pk)
    context |= {
        "rows": rows,
        "radar": radar,
        "radar_title": _radar_message(rows),
        "phase_chart": phase_chart,
        "phase_rows": phase_rows,
        "overall_level": levels.get(result.overall.level),
        "why": result.overall.why.get(language),
        "gate_why": result.phase_gate.why.get(language),
        "demonstrated_phase": phases.get(result.phase_gate.demonstrated),
        "claimed_phase": phases.get(result.phase_gate.claimed),
        "perceived_phase": phases.get(result.phase_gate.perceived),
        "weakest": [d for d in dimensions if d.code in result.overall.weakest],
        "top": _plan_rows(assessment, result, dimensions, selectors.plan_entries(assessment)),
        "plan_adopted": assessment.plan.exists(),
        "heatmap": _heatmap(result, dimensions, roles),
        "gaps": [
            {
                "gap": gap,
                "dimension": next(d for d in dimensions if d.code == gap.dimension),
                "higher": _group_label(gap.higher, gap.kind, roles),
                "lower": _group_label(gap.lower, gap.kind, roles),
            }
            for gap in result.perception_gaps
        ],
        "divided": [
            {"item": item, "question": questions[item.code]} for item in result.divided_items
        ],
        "has_trend": any(row["result"].trend for row in rows),
        "comments_count": sum(len(c) for c in comments.values()),
        "action_statuses": ActionItem.Status.choices,
        "dimension_choices": dimensions,
    }
    return render(request, "dashboard/assessment.html", context)


def _visible_rates(rows, threshold):
    """Managers see a team's response count only where the team is big enough."""
    sizes = {row.team: row.submitted for row in rows if row.team}
    shown, _pooled = scoring.visible_groups(sizes, threshold)
    return [row for row in rows if row.team in shown]


def _heatmap(result, dimensions, roles):
    sections = []
    for kind, title in (("team", _("Per team")), ("role", _("Per role"))):
        groups = [g for g in result.groups if g.kind == kind]
        if not groups:
            continue
        sections.append(
            {
                "title": title,
                "rows": [
                    {
                        "label": _group_label(g.name, kind, roles),
                        "n": g.n,
                        "cells": [
                            {
                                "median": g.medians.get(d.code),
                                "level": scoring.level_of(g.medians[d.code])
                                if g.medians.get(d.code) is not None
                                else None,
                            }
                            for d in dimensions
                        ],
                    }
                    for g in groups
                ],
            }
        )
    return sections


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
    return redirect(assessment.get_absolute_url())
