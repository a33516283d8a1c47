"""What the dashboard, the PDF report and the respondent's result show: one
AssessmentResult, told the same way on every surface.

Each story is a pure function of ``selectors.StoryData`` (the result and the content and
rows around it, read in one go): plain context (rows, charts, labels) in the reader's
language, with no HTTP and no database, so the surfaces cannot drift apart. The entry
points that take an assessment or a response make exactly that one read first.
"""

from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from . import charts, figures, richtext, scoring, selectors, visuals
from .models import ActionItem, Assessment, ConsultantNote, Response
from .selectors import StoryData


def radar_message(rows, overall) -> str:
    """The radar's headline: a finding only where its rule fires (a dimension at least
    the imbalance threshold below the average, domain model §4.6)."""
    applicable = [row for row in rows if row["result"].is_applicable]
    if len(applicable) < 2:
        return _("Maturity per dimension")
    if not overall.unbalanced:
        return _("The dimensions are in balance: none lags far behind the average")
    weakest = min(applicable, key=lambda row: row["result"].median)
    gap = figures.shown_difference(overall.mean_index, weakest["result"].median)
    return _("%(weak)s lags behind: %(gap)s levels below the average of the dimensions") % {
        "weak": weakest["dimension"].name,
        "gap": figures.score_text(gap),
    }


def dimension_rows(data: StoryData) -> list[dict]:
    rows = []
    for dimension in data.dimensions:
        code = dimension.code
        d = data.result.dimension(code)
        rows.append(
            {
                "dimension": dimension,
                "result": d,
                "now": data.descriptors.get((code, d.level)) if d.level else None,
                "next": (
                    data.descriptors.get((code, d.level + 1)) if d.level and d.level < 6 else None
                ),
                "advice": data.advice.get((code, d.level)) if d.level else None,
                "progress_percent": round((d.progress or 0) * 100),
                "comments": data.comments.get(code, []),
            }
        )
    return rows


def plan_rows(data: StoryData) -> list[dict]:
    by_code = {d.code: d for d in data.dimensions}
    advice = data.advice
    entries = data.plan_entries
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
                "actions": data.actions.get(entry.pk, []),
            }
            for entry in entries
        ]
    rows = []
    for item in data.result.plan:
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
    return plan_from(selectors.story_data(assessment, reviewing=False))


def plan_from(data: StoryData) -> list[dict] | None:
    if not enough_responses(data.assessment, data.result):
        return None
    return plan_rows(data)


def group_label(name: str, kind: str, roles: dict[str, str]) -> str:
    if name == scoring.OTHER:
        return _("Other (smaller groups together)")
    return roles.get(name, name) if kind == "role" else name


def visible_rates(rows, threshold):
    """Managers see a team's response count only where the team is big enough."""
    sizes = {row.team: row.submitted_all for row in rows if row.team}
    shown, _pooled = scoring.visible_groups(sizes, threshold)
    return [row for row in rows if row.team in shown]


def overlap_notes(groups, threshold: int) -> list[str]:
    """Why a big enough group shows no figures: it nearly matches a group of the other
    grouping (or the whole), and the difference of the two would single people out."""
    hidden = sum(1 for group in groups if group.overlap_hidden)
    if not hidden:
        return []
    return [
        ngettext(
            "One group shows no figures: its members differ by fewer than %(threshold)s "
            "people from those of another group (a team and a role) or from everyone, so "
            "subtracting one figure from the other would single those people out.",
            "%(count)s groups show no figures: their members differ by fewer than "
            "%(threshold)s people from those of another group (a team and a role) or from "
            "everyone, so subtracting one figure from the other would single those people out.",
            hidden,
        )
        % {"threshold": threshold, "count": hidden}
    ]


def pooling_notes(groups, threshold: int) -> list[str]:
    """What "other" holds and why, as it happened. No group in it is named: a name alone
    would tell how few of that group answered, or let its size be subtracted."""
    notes = []
    for group in groups:
        if group.name != scoring.OTHER:
            continue
        if len(group.pooled) > len(group.protected) or not group.pooled:
            notes.append(
                _("“Other” holds the groups of fewer than %(threshold)s people, together.")
                % {"threshold": threshold}
            )
        if group.protected:
            notes.append(
                ngettext(
                    "“Other” also holds a group of %(threshold)s people or more: on its own, "
                    "the smaller groups could be worked out from the other figures.",
                    "“Other” also holds %(count)s groups of %(threshold)s people or more: on "
                    "their own, the smaller groups could be worked out from the other figures.",
                    len(group.protected),
                )
                % {"threshold": threshold, "count": len(group.protected)}
            )
    return notes


def heatmap(result, dimensions, roles):
    sections = []
    threshold = result.parameters.anonymity_threshold
    for kind, title in (("team", _("Per team")), ("role", _("Per role"))):
        groups = [g for g in result.groups if g.kind == kind]
        if not groups:
            continue
        sections.append(
            {
                "title": title,
                "notes": pooling_notes(groups, threshold) + overlap_notes(groups, threshold),
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


def assessment_story(assessment: Assessment, *, reviewing: bool, stale_ok: bool = False) -> dict:
    """Everything the dashboard and the report show about one assessment.

    ``reviewing`` is the consultant's view: all response counts and unreleased
    examples. Managers get neither. Below the anonymity threshold only the
    response counts are returned. With ``stale_ok`` a large assessment's older result
    may be shown while a task works out the new one (``result_updating``).
    """
    return story_from(selectors.story_data(assessment, reviewing=reviewing, stale_ok=stale_ok))


def story_from(data: StoryData) -> dict:
    """The story of ``assessment_story``, from data already read."""
    assessment, result, reviewing = data.assessment, data.result, data.reviewing
    rate_rows, rate_total = data.rate_rows, data.rate_total
    if not reviewing:
        rate_rows = visible_rates(rate_rows, assessment.anonymity_threshold)
    story = {
        "assessment": assessment,
        "organization": data.organization,
        "result": result,
        "rate_rows": rate_rows,
        "rate_total": rate_total,
        "is_final": selectors.results_final(assessment),
        "enough_responses": enough_responses(assessment, result),
        "result_updating": data.updating,
    }
    story["release"] = {
        "step": assessment.anonymity_threshold,
        "shown": result.respondents,
        "submitted": rate_total.submitted_all,
    }
    if not story["enough_responses"]:
        return story
    model = data.model
    dimensions = data.dimensions
    phases = {phase.code: phase for phase in data.phases}
    levels = {level.number: level for level in data.levels}
    rows = dimension_rows(data)
    language = (get_language() or "nl")[:2]
    title = radar_message(rows, result.overall)
    phase_rows = [(phases[p.code], p) for p in result.phases]
    roles = {code: choice.label for code, choice in data.roles.items()}
    questions = data.questions
    plan = plan_rows(data)
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
        "radar_title": title,
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
        "open_answers": [
            (question, data.open_answers[question.code])
            for question in sorted(data.questions.values(), key=lambda q: q.order)
            if question.code in data.open_answers
        ],
        "action_statuses": ActionItem.Status.choices,
        "dimension_choices": dimensions,
    }
    story |= visuals.story_charts(rows, phase_rows, data, title, language)
    story |= notes_in(story, data, language)
    return story


def notes_in(story: dict, data: StoryData, language: str) -> dict:
    """The consultant's summary, and each dimension's and plan step's note (put on its
    row), as safe HTML in the reader's language, else in the assessment's first."""
    languages = [language, *data.assessment.languages]

    def note(subject: str) -> str:
        text = next((data.notes[(subject, lang)] for lang in languages
                     if (subject, lang) in data.notes), "")  # fmt: skip
        return richtext.html(text) if text else ""

    for row in story["rows"]:
        row["note"] = note(f"dimension:{row['dimension'].code}")
    for row in story["top"]:
        row["note"] = note(f"step:{row['entry'].pk}") if row["entry"] else ""
    return {"summary_note": note(ConsultantNote.SUMMARY)}


def respondent_result(response: Response) -> dict:
    """The respondent's own picture after submitting: the same content and chart."""
    return respondent_story(selectors.response_story_data(response))


def respondent_story(data: StoryData) -> dict:
    rows = []
    for dimension in data.dimensions:
        result = data.result.dimension(dimension.code)
        descriptor = data.descriptors.get((dimension.code, result.level)) if result.level else None
        rows.append({"dimension": dimension, "result": result, "descriptor": descriptor})
    language = (get_language() or "nl")[:2]
    radar = {
        "labels": [d.short_name for d in data.dimensions],
        "current": [row["result"].median for row in rows],
        "current_label": _("Your answers"),
        "title": _("Your own picture of the maturity per dimension (levels 1–6)"),
        "language": language,
    }
    return {
        "rows": rows,
        # One person's own chart: drawn for them (kept in this process), never in the
        # shared cache that the reports and the organisation's charts use.
        "chart": visuals.Drawing(charts.radar, radar, shared=False),
        "chart_phone": visuals.Drawing(charts.radar, radar | {"width": charts.WIDTH}, shared=False),
        "levels": data.levels,
    }
