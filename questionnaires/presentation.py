"""What the dashboard and the PDF report show: one AssessmentResult, told the same way.

Builds plain context (rows, charts, labels) from the scoring result and the model
content; no HTTP here, so the web page and the report cannot drift apart.
"""

from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from . import charts, scoring, selectors
from .models import ActionItem, Assessment, Choice


def radar_message(rows) -> str:
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


def dimension_rows(dimensions, result, comments):
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


def plan_rows(assessment, result, dimensions, entries):
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


def enough_responses(assessment: Assessment, result) -> bool:
    """Results are shown once at least the anonymity threshold of people submitted."""
    return result.respondents >= assessment.anonymity_threshold


def improvement_plan(assessment: Assessment) -> list[dict] | None:
    """The plan as the dashboard shows it, without the rest of the story; None while
    fewer people have answered than the anonymity threshold (the dashboard waits too)."""
    result = selectors.assessment_result(assessment)
    if not enough_responses(assessment, result):
        return None
    dimensions = list(selectors.dimensions_with_descriptors(assessment.maturity_model))
    return plan_rows(assessment, result, dimensions, selectors.plan_entries(assessment))


def group_label(name: str, kind: str, roles: dict[str, str]) -> str:
    if name == scoring.OTHER:
        return _("Other (smaller groups together)")
    return roles.get(name, name) if kind == "role" else name


def visible_rates(rows, threshold):
    """Managers see a team's response count only where the team is big enough."""
    sizes = {row.team: row.submitted for row in rows if row.team}
    shown, _pooled = scoring.visible_groups(sizes, threshold)
    return [row for row in rows if row.team in shown]


def heatmap(result, dimensions, roles):
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
                        "label": group_label(g.name, kind, roles),
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


def assessment_story(assessment: Assessment, *, reviewing: bool) -> dict:
    """Everything the dashboard and the report show about one assessment.

    ``reviewing`` is the consultant's view: all response counts and unreleased
    examples. Managers get neither. Below the anonymity threshold only the
    response counts are returned.
    """
    result = selectors.assessment_result(assessment)
    rate_rows, rate_total = selectors.response_rates(assessment)
    if not reviewing:
        rate_rows = visible_rates(rate_rows, assessment.anonymity_threshold)
    story = {
        "assessment": assessment,
        "organization": assessment.organization,
        "result": result,
        "rate_rows": rate_rows,
        "rate_total": rate_total,
        "is_final": assessment.status == Assessment.Status.CLOSED,
        "enough_responses": enough_responses(assessment, result),
    }
    if not story["enough_responses"]:
        return story
    model = assessment.maturity_model
    dimensions = list(selectors.dimensions_with_descriptors(model))
    phases = {phase.code: phase for phase in model.phases.all()}
    levels = {level.number: level for level in model.levels.all()}
    comments = selectors.released_comments(assessment, reviewing=reviewing)
    rows = dimension_rows(dimensions, result, comments)
    language = (get_language() or "nl")[:2]
    title = radar_message(rows)
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
        title=title,
    )
    phase_rows = [(phases[p.code], p) for p in result.phases]
    phase_chart = charts.phase_profile_svg(
        labels=[phase.name for phase, _p in phase_rows],
        values=[p.median for _p2, p in phase_rows],
        title=_("Median score per phase"),
        highlight=result.project_not_landed,
    )
    roles = dict(
        Choice.objects.filter(question__model=model, question__code="C1").values_list(
            "code", f"label_{language}"
        )
    )
    questions = selectors.question_texts(model.pk)
    plan = plan_rows(assessment, result, dimensions, selectors.plan_entries(assessment))
    applicable = sorted(
        (row for row in rows if row["result"].is_applicable),
        key=lambda row: -row["result"].median,
    )
    story |= {
        "model": model,
        "rows": rows,
        "strongest": applicable[:3],
        "levels": list(levels.values()),
        "phases": list(phases.values()),
        "radar": radar,
        "radar_title": title,
        "phase_chart": phase_chart,
        "phase_rows": phase_rows,
        "overall_level": levels.get(result.overall.level),
        "why": result.overall.why.get(language),
        "gate_why": result.phase_gate.why.get(language),
        "demonstrated_phase": phases.get(result.phase_gate.demonstrated),
        "claimed_phase": phases.get(result.phase_gate.claimed),
        "perceived_phase": phases.get(result.phase_gate.perceived),
        "weakest": [d for d in dimensions if d.code in result.overall.weakest],
        "top": plan,
        "plan_adopted": bool(plan and plan[0]["entry"]),
        "heatmap": heatmap(result, dimensions, roles),
        "gaps": [
            {
                "gap": gap,
                "dimension": next(d for d in dimensions if d.code == gap.dimension),
                "higher": group_label(gap.higher, gap.kind, roles),
                "lower": group_label(gap.lower, gap.kind, roles),
            }
            for gap in result.perception_gaps
        ],
        "divided": [
            {"item": item, "question": questions[item.code]} for item in result.divided_items
        ],
        "has_trend": any(row["result"].trend for row in rows),
        "comments": [(row["dimension"], row["comments"]) for row in rows if row["comments"]],
        "action_statuses": ActionItem.Status.choices,
        "dimension_choices": dimensions,
    }
    return story
