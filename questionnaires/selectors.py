"""Reads: scoped querysets and plain data for the scoring module."""

from django.db.models import Prefetch, QuerySet

from . import scoring
from .models import (
    Answer,
    Assessment,
    AssessmentTarget,
    Dimension,
    LevelDescriptor,
    MaturityModel,
    Phase,
    Question,
    Response,
)


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
    assessment: Assessment, *, previous: scoring.AssessmentResult | None = None
) -> scoring.ScoringInput:
    """Everything the scoring module needs, in six queries whatever the number of answers."""
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
    teams = dict(
        Response.objects.filter(assessment=assessment, submitted_at__isnull=False).values_list(
            "id", "team__name"
        )
    )
    context: dict[int, dict[str, str]] = {pk: {} for pk in teams}
    answers = []
    for response_id, code, kind, order, choice_code, special in (
        Answer.objects.filter(response__assessment=assessment, response__submitted_at__isnull=False)
        .values_list(
            "response_id", "question__code", "question__kind", "choice__order", "choice__code",
            "special",
        )
        .order_by("response_id", "question__order")
    ):  # fmt: skip
        if kind in (Question.Kind.LEVEL, Question.Kind.LIKERT):
            answers.append(
                scoring.ItemAnswer(respondent=response_id, item=code, value=order, special=special)
            )
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
    """The one result that the dashboard, the report and the exports all show."""
    previous = None
    if assessment.previous_id is not None:
        earlier = Assessment.objects.get(pk=assessment.previous_id)
        previous = scoring.score_assessment(assessment_scoring_input(earlier))
    return scoring.score_assessment(assessment_scoring_input(assessment, previous=previous))
