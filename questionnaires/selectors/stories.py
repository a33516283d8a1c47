"""The story's one read: everything the dashboard, the report and the respondent's
result show, for `presentation` to build from without the database."""

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch

from .. import scoring
from ..models import (
    ActionItem,
    Advice,
    Answer,
    Assessment,
    Choice,
    Dimension,
    Level,
    LevelDescriptor,
    MaturityModel,
    Organization,
    Phase,
    PlanEntry,
    Question,
    Response,
)
from .content import dimensions_with_descriptors, question_texts
from .overviews import RateRow, response_rates
from .results import (
    ROLE_QUESTION,
    Release,
    assessment_result,
    current_result,
    kept_everywhere,
    release,
    response_profile,
)
from .survey import remembered_content


@dataclass(frozen=True)
class Example:
    """One example as respondents wrote it, and how often it was given."""

    text: str
    count: int


def released_comments(
    assessment: Assessment, *, reviewing: bool = False, released: Release | None = None
) -> dict[str, list[Example]]:
    """Examples per dimension code: for managers only once released by the consultant
    (``reviewing`` is the consultant's own view), and only when enough people submitted.
    The same example given more than once (spaces and capitals aside) is listed once with
    its count; the most given come first, then alphabetically, never in submission order."""
    return _own_words(
        assessment,
        reviewing,
        released,
        Question.Kind.LEVEL,
        "question__dimension__code",
        "comment",
    )


def released_open_answers(
    assessment: Assessment, *, reviewing: bool = False, released: Release | None = None
) -> dict[str, list[Example]]:
    """The answers to the closing open questions per question code, under the same rules
    as the examples (released by the consultant, above the comment threshold, the same
    answer listed once with its count)."""
    return _own_words(assessment, reviewing, released, Question.Kind.TEXT, "question__code", "text")


def _own_words(
    assessment: Assessment,
    reviewing: bool,
    released: Release | None,
    kind: str,
    key: str,
    field: str,
) -> dict[str, list[Example]]:
    """The respondents' own words in `field` of the answers to questions of `kind`, by
    `key`: for managers only once released, for anyone only from the comment threshold."""
    if not (assessment.comments_released or reviewing):
        return {}
    released = released or release(assessment)  # they move in steps, as the figures do
    # Kept under what they are made of: a warm dashboard reads no comment again.
    return kept_everywhere(
        "im-assess:words:",
        [assessment.pk, kind, assessment.comment_threshold, released.marker],
        lambda: _counted_words(assessment, released, kind, key, field),
    )


def _counted_words(
    assessment: Assessment, released: Release, kind: str, key: str, field: str
) -> dict[str, list[Example]]:
    if released.responses.count() < assessment.comment_threshold:
        return {}
    # The database counts the same words once; only each distinct text comes back.
    return _grouped(
        Answer.objects.filter(response__in=released.responses, question__kind=kind)
        .exclude(**{field: ""})
        .values_list(key, field)
        .annotate(n=Count("pk"))
        .order_by(key, field)
    )


def _grouped(rows) -> dict[str, list[Example]]:
    """Examples from (code, text, how often) rows in text order: the same words, spaces
    and capitals aside, are one example, written as the first of them."""
    grouped: dict[str, dict[str, list]] = {}
    for code, comment, count in rows:
        text = " ".join(comment.split())
        if not text:
            continue
        same = grouped.setdefault(code, {})
        seen = same.get(folded := text.casefold())
        if seen is None:
            same[folded] = [text, count]
        else:
            seen[1] += count
    return {
        code: sorted(
            (Example(text, count) for text, count in examples.values()),
            key=lambda e: (-e.count, e.text.casefold()),
        )
        for code, examples in grouped.items()
    }


@dataclass(frozen=True)
class StoryData:
    """Everything a story of one assessment shows, read at once: the result and the rows
    and texts around it. ``presentation`` builds every surface from it without going
    back to the database; the model instances come with all that is shown of them, and
    the texts of both languages (the story picks the reader's)."""

    assessment: Assessment
    organization: Organization
    model: MaturityModel
    result: scoring.AssessmentResult
    reviewing: bool = False
    updating: bool = False  # a newer result is being worked out (`current_result`)
    rate_rows: list[RateRow] = field(default_factory=list)
    rate_total: RateRow | None = None
    dimensions: list[Dimension] = field(default_factory=list)
    descriptors: dict[tuple[str, int], LevelDescriptor] = field(default_factory=dict)
    advice: dict[tuple[str, int], Advice] = field(default_factory=dict)
    phases: list[Phase] = field(default_factory=list)
    levels: list[Level] = field(default_factory=list)
    roles: dict[str, Choice] = field(default_factory=dict)
    questions: dict[str, Question] = field(default_factory=dict)
    comments: dict[str, list[Example]] = field(default_factory=dict)
    open_answers: dict[str, list[Example]] = field(default_factory=dict)
    plan_entries: list[PlanEntry] = field(default_factory=list)
    actions: dict[int, list[ActionItem]] = field(default_factory=dict)
    # The earlier linked cycles with their results, oldest first (`cycle_history`).
    history: list[tuple[Assessment, scoring.AssessmentResult]] = field(default_factory=list)
    # The consultant's notes as written, by (subject, language): `ConsultantNote`.
    notes: dict[tuple[str, str], str] = field(default_factory=dict)


def story_data(assessment: Assessment, *, reviewing: bool, stale_ok: bool = False) -> StoryData:
    """The dashboard's and the report's data in a constant number of queries, whatever
    the number of responses, comments, plan steps or actions. ``reviewing`` is the
    consultant's view (unreleased examples too); ``stale_ok``: see `current_result`."""
    rate_rows, rate_total = response_rates(assessment)
    entries = plan_entries(assessment)
    released = release(assessment)  # once, for the figures and the respondents' own words
    current = current_result(assessment, released=released, stale_ok=stale_ok)
    return StoryData(
        assessment=assessment,
        organization=assessment.organization,
        model=assessment.maturity_model,
        result=current.result,
        reviewing=reviewing,
        updating=current.updating,
        rate_rows=rate_rows,
        rate_total=rate_total,
        comments=released_comments(assessment, reviewing=reviewing, released=released),
        open_answers=released_open_answers(assessment, reviewing=reviewing, released=released),
        plan_entries=entries,
        actions={entry.pk: list(entry.actions.all()) for entry in entries},
        history=cycle_history(assessment),
        notes=consultant_notes(assessment),
        **_story_content(assessment.maturity_model),
    )


def consultant_notes(assessment: Assessment) -> dict[tuple[str, str], str]:
    rows = assessment.notes.values_list("subject", "language", "text")
    return {(subject, language): text for subject, language, text in rows}


CYCLES_SHOWN = 6  # the trend shows at most this many cycles, the current one included


def cycle_history(assessment: Assessment) -> list[tuple[Assessment, scoring.AssessmentResult]]:
    """The cycles before this one, following each one's previous cycle, with the result
    every surface shows of it; oldest first. A few queries per cycle, none per response."""
    earlier: list[tuple[Assessment, scoring.AssessmentResult]] = []
    seen, cycle = {assessment.pk}, assessment
    while cycle.previous_id is not None and cycle.previous_id not in seen:
        if len(earlier) == CYCLES_SHOWN - 1:
            break
        cycle = Assessment.objects.select_related("maturity_model").get(pk=cycle.previous_id)
        seen.add(cycle.pk)
        earlier.append((cycle, assessment_result(cycle)))
    return earlier[::-1]


def response_story_data(response: Response) -> StoryData:
    """The respondent's own result, told with the same content as the dashboard."""
    assessment = response.assessment
    return StoryData(
        assessment=assessment,
        organization=assessment.organization,
        model=assessment.maturity_model,
        result=response_profile(response),
        **_story_content(assessment.maturity_model),
    )


def _story_content(model: MaturityModel) -> dict:
    """The model's content a story shows, read once per process and content version
    (published content never changes: `survey.remembered_content`). Read-only."""
    return remembered_content(model, "story", lambda: _read_story_content(model))


def _read_story_content(model: MaturityModel) -> dict:
    dimensions = list(dimensions_with_descriptors(model))
    return {
        "dimensions": dimensions,
        "descriptors": {(d.code, x.level): x for d in dimensions for x in d.descriptors.all()},
        "advice": {(d.code, a.from_level): a for d in dimensions for a in d.advice.all()},
        "phases": list(model.phases.all()),
        "levels": list(model.levels.all()),
        "roles": {
            c.code: c
            for c in Choice.objects.filter(question__model=model, question__code=ROLE_QUESTION)
        },
        "questions": question_texts(model.pk),
    }


def plan_entries(assessment: Assessment) -> list[PlanEntry]:
    return list(
        PlanEntry.objects.filter(assessment=assessment)
        .select_related("dimension")
        .prefetch_related(
            Prefetch("actions", queryset=ActionItem.objects.order_by("due_date", "pk"))
        )
        .order_by("position", "pk")
    )
