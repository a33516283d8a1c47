"""Reads: scoped querysets and plain data for the scoring module."""

import hashlib
import json
from dataclasses import dataclass, field, replace

from django.core.cache import cache
from django.db.models import Count, Exists, Max, OuterRef, Prefetch, Q, QuerySet

from . import scoring
from .models import (
    ActionItem,
    Advice,
    Answer,
    Assessment,
    AssessmentTarget,
    Choice,
    Dimension,
    Invitation,
    Level,
    LevelDescriptor,
    MaturityModel,
    Organization,
    Phase,
    PlanEntry,
    Question,
    Response,
)
from .performance import collector_paused


def maturity_model_current() -> MaturityModel | None:
    """The newest published version, or None before any content is loaded."""
    return (
        MaturityModel.objects.filter(is_published=True)
        .order_by("-published_at", "-version")
        .first()
    )


def dimensions_with_descriptors(model: MaturityModel) -> QuerySet[Dimension]:
    return (
        Dimension.objects.filter(model=model)
        .select_related("main_phase")
        .prefetch_related(
            Prefetch("descriptors", queryset=LevelDescriptor.objects.order_by("level")),
            "advice",
        )
        .order_by("order")
    )


ROLE_QUESTION = "C1"
PERCEIVED_PHASE_QUESTION = "C3"


def assessment_scoring_input(
    assessment: Assessment,
    *,
    previous: scoring.AssessmentResult | None = None,
    response_ids: list[int] | None = None,
) -> scoring.ScoringInput:
    """Everything the scoring module needs, in eight queries whatever the number of answers.

    Only submitted responses count, unless ``response_ids`` names the responses.
    """
    model_id = assessment.maturity_model_id
    phases = list(
        Phase.objects.filter(model_id=model_id).order_by("order").values_list("id", "code")
    )
    dimensions = tuple(
        scoring.DimensionSpec(
            code=row["code"],
            name=scoring.Text(row["name_nl"], row["name_en"]),
            expected_levels=row["expected_levels"] or {},
        )
        for row in Dimension.objects.filter(model_id=model_id)
        .order_by("order")
        .values("code", "name_nl", "name_en", "expected_levels")
    )
    items = tuple(
        scoring.ItemSpec(
            code=row["code"],
            dimension=row["dimension__code"],
            phase=row["phase__code"],
            kind=row["kind"],
            reverse=row["reverse_keyed"],
            allow_not_applicable=row["allow_not_applicable"],
        )
        for row in Question.objects.filter(
            model_id=model_id, kind__in=[Question.Kind.LEVEL, Question.Kind.LIKERT]
        )
        .order_by("order")
        .values(
            "code",
            "dimension__code",
            "phase__code",
            "kind",
            "reverse_keyed",
            "allow_not_applicable",
        )
    )
    targets = dict(
        AssessmentTarget.objects.filter(assessment=assessment).values_list(
            "dimension__code", "level"
        )
    )
    responses = Response.objects.filter(assessment=assessment)
    if response_ids is None:
        responses = responses.filter(submitted_at__isnull=False)
    else:
        responses = responses.filter(pk__in=response_ids)
    teams = dict(responses.values_list("id", "team__name"))
    context: dict[int, dict[str, str]] = {pk: {} for pk in teams}
    # Plain ids from the answers table, names from two small lookups: no joins on
    # the one big query.
    questions = {
        pk: (code, kind)
        for pk, code, kind in Question.objects.filter(model_id=model_id).values_list(
            "pk", "code", "kind"
        )
    }
    choices = {
        pk: (order, code)
        for pk, order, code in Choice.objects.filter(question__model_id=model_id).values_list(
            "pk", "order", "code"
        )
    }
    scored = (Question.Kind.LEVEL, Question.Kind.LIKERT)
    answers = []
    append = answers.append
    for response_id, question_id, choice_id, special in (
        Answer.objects.filter(response__in=responses.values("pk"))
        .values_list("response_id", "question_id", "choice_id", "special")
        .order_by()
        .iterator(chunk_size=20000)
    ):
        code, kind = questions[question_id]
        order, choice_code = choices.get(choice_id, (None, None))
        if kind in scored:
            append(scoring.ItemAnswer(response_id, code, order, special))
        elif kind == Question.Kind.CONTEXT and choice_code:
            context[response_id][code] = choice_code
    respondents = tuple(
        scoring.Respondent(
            id=pk,
            team=team,
            role=context[pk].get(ROLE_QUESTION),
            perceived_phase=context[pk].get(PERCEIVED_PHASE_QUESTION),
        )
        for pk, team in sorted(teams.items())
    )
    claimed = dict(phases).get(assessment.claimed_phase_id) if assessment.claimed_phase_id else None
    return scoring.ScoringInput(
        dimensions=dimensions,
        phases=tuple(code for _, code in phases),
        items=items,
        respondents=respondents,
        answers=tuple(answers),
        targets=targets,
        claimed_phase=claimed,
        parameters=scoring.Parameters.from_settings(
            assessment.scoring_parameters or {},
            anonymity_threshold=assessment.anonymity_threshold,
        ),
        previous=previous,
    )


def assessment_result(assessment: Assessment) -> scoring.AssessmentResult:
    """The one result that the dashboard, the report and the exports all show.

    Submitted answers never change, so the result is cached under a fingerprint
    of everything it depends on: the submitted responses (how many, the last
    one), the settings and targets, for this cycle and the previous one.
    """
    assessments = [assessment]
    if assessment.previous_id is not None:
        assessments.append(Assessment.objects.get(pk=assessment.previous_id))
    key = "im-assess:result:" + ":".join(_result_fingerprint(a) for a in assessments)
    result = cache.get(key)
    if result is None:
        with collector_paused():
            previous = None
            if len(assessments) > 1:
                previous = scoring.score_assessment(assessment_scoring_input(assessments[1]))
            result = scoring.score_assessment(
                assessment_scoring_input(assessment, previous=previous)
            )
        cache.set(key, result, RESULT_CACHE_SECONDS)
    return result


RESULT_CACHE_SECONDS = 60 * 60


def _result_fingerprint(assessment: Assessment) -> str:
    submitted = Response.objects.filter(
        assessment=assessment, submitted_at__isnull=False
    ).aggregate(n=Count("pk"), last=Max("submitted_at"), top=Max("pk"))
    targets = sorted(
        AssessmentTarget.objects.filter(assessment=assessment).values_list("dimension_id", "level")
    )
    inputs = [
        assessment.pk,
        assessment.maturity_model_id,
        assessment.anonymity_threshold,
        assessment.claimed_phase_id,
        assessment.scoring_parameters,
        targets,
        submitted["n"],
        str(submitted["last"]),
        submitted["top"],
    ]
    return hashlib.sha256(json.dumps(inputs, sort_keys=True, default=str).encode()).hexdigest()[:32]


# --- The respondent's questionnaire -------------------------------------------------------


@dataclass(frozen=True)
class SurveyPage:
    number: int
    dimension: Dimension | None  # None: the closing page with the open questions
    questions: list[Question]


# Published content never changes (the loader refuses to change a version in use), so
# the questionnaire's structure is kept in memory per process, keyed by the model's
# content hash: a reloaded draft has another hash. Callers treat it as read-only.
_CONTENT: dict[tuple, object] = {}
_CONTENT_LIMIT = 512


def _remembered(key: tuple, build):
    try:
        return _CONTENT[key]
    except KeyError:
        if len(_CONTENT) >= _CONTENT_LIMIT:
            _CONTENT.clear()
        value = _CONTENT[key] = build()
        return value


def _content_key(model: MaturityModel, *parts) -> tuple:
    return (model.pk, model.content_hash, *parts)


def survey_outline(model: MaturityModel) -> list[tuple[int, str | None, list[int]]]:
    """(page number, dimension code or None, question ids) for every page."""
    return _remembered(_content_key(model, "outline"), lambda: _survey_outline(model.pk))


def _survey_outline(model_id: int) -> list[tuple[int, str | None, list[int]]]:
    pages: dict[str | None, list[int]] = {}
    order: list[str | None] = []
    closing: list[int] = []
    rows = (
        Question.objects.filter(model_id=model_id)
        .exclude(kind=Question.Kind.CONTEXT)
        .order_by("dimension__order", "order")
        .values_list("id", "dimension__code", "kind")
    )
    for pk, code, kind in rows:
        if kind == Question.Kind.TEXT or code is None:
            closing.append(pk)
            continue
        if code not in pages:
            pages[code] = []
            order.append(code)
        pages[code].append(pk)
    outline = [(number, code, pages[code]) for number, code in enumerate(order, start=1)]
    if closing:
        outline.append((len(outline) + 1, None, closing))
    return outline


def survey_page(model: MaturityModel, number: int, outline) -> SurveyPage | None:
    entry = next((page for page in outline if page[0] == number), None)
    if entry is None:
        return None
    return _remembered(_content_key(model, "page", number), lambda: _survey_page(number, entry))


def _survey_page(number: int, entry) -> SurveyPage:
    _, code, ids = entry
    questions = list(
        Question.objects.filter(pk__in=ids)
        .select_related("dimension")
        .prefetch_related(Prefetch("choices", queryset=Choice.objects.order_by("order")))
        .order_by("order")
    )
    dimension = questions[0].dimension if code is not None and questions else None
    return SurveyPage(number=number, dimension=dimension, questions=questions)


def context_questions(model: MaturityModel) -> list[Question]:
    return _remembered(
        _content_key(model, "context"),
        lambda: list(
            Question.objects.filter(model_id=model.pk, kind=Question.Kind.CONTEXT)
            .prefetch_related(Prefetch("choices", queryset=Choice.objects.order_by("order")))
            .order_by("order")
        ),
    )


def question_by_code(model: MaturityModel, code: str) -> Question | None:
    """A question of the model with its choices, for autosave."""
    questions = _remembered(
        _content_key(model, "by-code"),
        lambda: {
            question.code: question
            for question in Question.objects.filter(model_id=model.pk).prefetch_related(
                Prefetch("choices", queryset=Choice.objects.order_by("order"))
            )
        },
    )
    return questions.get(code)


def response_answers(response: Response, question_ids=None) -> dict[int, Answer]:
    answers = Answer.objects.filter(response=response).select_related("choice")
    if question_ids is not None:
        answers = answers.filter(question_id__in=question_ids)
    return {answer.question_id: answer for answer in answers}


def response_progress(response: Response, outline) -> list[dict]:
    """Per page: how many questions are answered (don't know counts as an answer)."""
    answered = set(
        Answer.objects.filter(response=response)
        .filter(~Q(choice__isnull=True) | ~Q(special="") | ~Q(text=""))
        .values_list("question_id", flat=True)
    )
    return [
        {
            "number": number,
            "code": code,
            "total": len(ids),
            "answered": sum(1 for pk in ids if pk in answered),
        }
        for number, code, ids in outline
    ]


def response_first_open_page(progress: list[dict]) -> int:
    """The first page with an unanswered scored question; else the last page."""
    for page in progress:
        if page["code"] is not None and page["answered"] < page["total"]:
            return page["number"]
    return progress[-1]["number"] if progress else 1


def response_profile(response: Response) -> scoring.AssessmentResult:
    """The respondent's own scores: the same rules, applied to this one response."""
    data = assessment_scoring_input(response.assessment, response_ids=[response.pk])
    return scoring.score_assessment(
        replace(data, parameters=replace(data.parameters, anonymity_threshold=1))
    )


# --- The consultant's workspace ---------------------------------------------------------


def organizations_overview(organizations: QuerySet[Organization]) -> QuerySet[Organization]:
    return organizations.annotate(
        assessment_count=Count("assessments", distinct=True),
        team_count=Count("teams", distinct=True),
    ).order_by("name")


def assessments_overview(organization: Organization) -> QuerySet[Assessment]:
    """The organisation's assessments with their response counts, in one query."""
    return (
        Assessment.objects.filter(organization=organization)
        .select_related("maturity_model", "previous")
        .annotate(
            response_count=Count("responses", distinct=True),
            submitted_count=Count(
                "responses", filter=Q(responses__submitted_at__isnull=False), distinct=True
            ),
            invitation_count=Count("invitations", distinct=True),
        )
        .order_by("-created_at")
    )


@dataclass(frozen=True)
class RateRow:
    team: str | None
    invited: int
    opened: int
    started: int
    submitted: int

    @property
    def rate(self) -> float | None:
        return self.submitted / self.invited if self.invited else None


def response_rates(assessment: Assessment) -> tuple[list[RateRow], RateRow]:
    """Per team and in total: invited, opened, started, submitted; two queries."""
    invited = dict(
        Invitation.objects.filter(assessment=assessment, revoked_at__isnull=True)
        .values_list("team__name")
        .annotate(n=Count("pk"))
        .values_list("team__name", "n")
    )
    has_answers = Exists(Answer.objects.filter(response=OuterRef("pk")))
    rows = (
        Response.objects.filter(assessment=assessment)
        .annotate(answered=has_answers)
        .values("team__name")
        .annotate(
            opened=Count("pk"),
            started=Count("pk", filter=Q(answered=True)),
            submitted=Count("pk", filter=Q(submitted_at__isnull=False)),
        )
    )
    by_team = {row["team__name"]: row for row in rows}
    names = sorted(set(invited) | set(by_team), key=lambda n: (n is None, n or ""))
    result = [
        RateRow(
            team=name,
            invited=invited.get(name, 0),
            opened=by_team.get(name, {}).get("opened", 0),
            started=by_team.get(name, {}).get("started", 0),
            submitted=by_team.get(name, {}).get("submitted", 0),
        )
        for name in names
    ]
    total = RateRow(
        team=None,
        invited=sum(r.invited for r in result),
        opened=sum(r.opened for r in result),
        started=sum(r.started for r in result),
        submitted=sum(r.submitted for r in result),
    )
    return result, total


# --- The dashboard -----------------------------------------------------------------------


def dashboard_assessments(organizations: QuerySet[Organization]) -> QuerySet[Assessment]:
    return (
        Assessment.objects.filter(organization__in=organizations)
        .exclude(status=Assessment.Status.DRAFT)
        .select_related("organization")
        .annotate(
            submitted_count=Count(
                "responses", filter=Q(responses__submitted_at__isnull=False), distinct=True
            )
        )
        .order_by("organization__name", "-opens_at")
    )


@dataclass(frozen=True)
class Example:
    """One example as respondents wrote it, and how often it was given."""

    text: str
    count: int


def released_comments(
    assessment: Assessment, *, reviewing: bool = False
) -> dict[str, list[Example]]:
    """Examples per dimension code: for managers only once released by the consultant
    (``reviewing`` is the consultant's own view), and only when enough people submitted.
    The same example given more than once (spaces and capitals aside) is listed once with
    its count; the most given come first, then alphabetically, never in submission order."""
    submitted = Response.objects.filter(assessment=assessment, submitted_at__isnull=False)
    if not (assessment.comments_released or reviewing):
        return {}
    if submitted.count() < assessment.comment_threshold:
        return {}
    rows = (
        Answer.objects.filter(response__in=submitted, question__kind=Question.Kind.LEVEL)
        .exclude(comment="")
        .values_list("question__dimension__code", "comment")
        .order_by("question__dimension__code", "comment")
    )
    grouped: dict[str, dict[str, Example]] = {}
    for code, comment in rows:
        text = " ".join(comment.split())
        if not text:
            continue
        same = grouped.setdefault(code, {})
        key = text.casefold()
        seen = same.get(key)
        same[key] = replace(seen, count=seen.count + 1) if seen else Example(text, 1)
    return {
        code: sorted(examples.values(), key=lambda e: (-e.count, e.text.casefold()))
        for code, examples in grouped.items()
    }


# --- The story: what the dashboard, the report and the respondent's result tell ----------


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
    plan_entries: list[PlanEntry] = field(default_factory=list)
    actions: dict[int, list[ActionItem]] = field(default_factory=dict)


def story_data(assessment: Assessment, *, reviewing: bool) -> StoryData:
    """The dashboard's and the report's data in a constant number of queries, whatever
    the number of responses, comments, plan steps or actions. ``reviewing`` is the
    consultant's view (unreleased examples too)."""
    rate_rows, rate_total = response_rates(assessment)
    entries = plan_entries(assessment)
    return StoryData(
        assessment=assessment,
        organization=assessment.organization,
        model=assessment.maturity_model,
        result=assessment_result(assessment),
        reviewing=reviewing,
        rate_rows=rate_rows,
        rate_total=rate_total,
        comments=released_comments(assessment, reviewing=reviewing),
        plan_entries=entries,
        actions={entry.pk: list(entry.actions.all()) for entry in entries},
        **_story_content(assessment.maturity_model),
    )


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


def question_texts(model_id: int) -> dict[str, Question]:
    return {q.code: q for q in Question.objects.filter(model_id=model_id)}


def plan_entries(assessment: Assessment) -> list[PlanEntry]:
    return list(
        PlanEntry.objects.filter(assessment=assessment)
        .select_related("dimension")
        .prefetch_related(
            Prefetch("actions", queryset=ActionItem.objects.order_by("due_date", "pk"))
        )
        .order_by("position", "pk")
    )
