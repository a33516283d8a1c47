"""The one result: everything the scoring module needs in a constant number of queries,
the cached AssessmentResult, and a respondent's own profile."""

import hashlib
import json
import pickle
import zlib
from dataclasses import dataclass, replace
from pathlib import Path

from django.core.cache import cache, caches
from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet
from django.utils import timezone

from .. import scoring
from ..models import (
    Answer,
    Assessment,
    AssessmentTarget,
    Choice,
    Dimension,
    Phase,
    Question,
    Response,
    ResponseScores,
    StoredResult,
)
from ..performance import collector_paused
from .survey import WindowState, assessment_window

ROLE_QUESTION = "C1"
PERCEIVED_PHASE_QUESTION = "C3"


def counted_responses(responses: QuerySet[Response]) -> QuerySet[Response]:
    """The submitted responses that count as respondents, everywhere: at least one
    dimension has a score, a level statement chosen or enough agreement statements of one
    dimension answered to score it alone (domain model §4.3). A response of nothing but
    "don't know" is no respondent: not in the result, the response rate or any count.
    The scoring module applies the same rule to what it is given.

    Submitting decides it once (`Response.counted`), so counting 50,000 respondents
    reads no answer; a response not decided yet (made in bulk) is asked the rule."""
    return responses.filter(submitted_at__isnull=False).filter(
        Q(counted=True) | Q(counted__isnull=True) & counted_rule()
    )


def counted_rule() -> Q:
    """The rule of `counted_responses`, asked of a response's answers."""
    chosen = Answer.objects.filter(response=OuterRef("pk"), choice__isnull=False)
    level = chosen.filter(question__kind=Question.Kind.LEVEL)
    likert = (
        chosen.filter(question__kind=Question.Kind.LIKERT)
        .values("question__dimension")
        .annotate(n=Count("pk"))
        .filter(n__gte=scoring.Parameters().min_likert_alone)
    )
    return Q(Exists(level)) | Q(Exists(likert))


def results_final(assessment: Assessment) -> bool:
    """Whether answering is over, so the results hold every response and compare the
    teams and roles (while it goes on they come in steps: `released_responses`)."""
    return assessment_window(assessment) == WindowState.CLOSED


@dataclass(frozen=True)
class Release:
    """The responses the results are made of, and what identifies them for the cache."""

    responses: QuerySet[Response]
    marker: tuple


def release(assessment: Assessment) -> Release:
    """The counted responses the results are made of, for everyone who reads them, in
    one or two queries.

    Once answering is over: all of them. While it goes on, the figures move only in
    steps of the anonymity threshold: the first 5, 10, 15, … responses in the order
    they were submitted (with the default threshold), so that looking before and
    after one colleague submits never shows that colleague's answers. After a
    reopening, what was shown at closing (up to ``released_through``) stays and later
    responses join it in the same steps.
    """
    counted = counted_responses(Response.objects.filter(assessment=assessment))
    if results_final(assessment):
        marker = counted.aggregate(n=Count("pk"), last=Max("submitted_at"), top=Max("pk"))
        return Release(counted, ("all", marker["n"], str(marker["last"]), marker["top"]))
    base = assessment.released_through
    pending = counted if base is None else counted.filter(submitted_at__gt=base)
    waiting = pending.count()
    step = waiting - waiting % assessment.anonymity_threshold
    if step == 0:
        kept = counted.none() if base is None else counted.filter(submitted_at__lte=base)
        return Release(kept, ("steps", str(base), 0))
    cut_at, cut_pk = pending.order_by("submitted_at", "pk").values_list("submitted_at", "pk")[
        step - 1
    ]
    return Release(
        counted.filter(Q(submitted_at__lt=cut_at) | Q(submitted_at=cut_at, pk__lte=cut_pk)),
        ("steps", str(base), step, str(cut_at), cut_pk),
    )


def released_responses(assessment: Assessment) -> QuerySet[Response]:
    """The responses of `release`: what every figure shown about the assessment counts."""
    return release(assessment).responses


def assessment_scoring_input(
    assessment: Assessment,
    *,
    previous: scoring.AssessmentResult | None = None,
    response_ids: list[int] | None = None,
    answers: bool = True,
) -> scoring.ScoringInput:
    """Everything the scoring module needs, in eight queries whatever the number of answers.

    The released responses (`release`) are scored, unless ``response_ids`` names the
    responses. Without ``answers``: only the model,
    settings and targets (the respondents come from their stored profiles).
    """
    model_id = assessment.maturity_model_id
    phase_rows = list(
        Phase.objects.filter(model_id=model_id)
        .order_by("order")
        .values_list("id", "code", "name_nl", "name_en")
    )
    phases = [(pk, code) for pk, code, _nl, _en in phase_rows]
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
    claimed = dict(phases).get(assessment.claimed_phase_id) if assessment.claimed_phase_id else None
    specs = scoring.ScoringInput(
        dimensions=dimensions,
        phases=tuple(code for _, code in phases),
        phase_names={code: scoring.Text(nl, en) for _pk, code, nl, en in phase_rows},
        items=items,
        respondents=(),
        answers=(),
        targets=targets,
        claimed_phase=claimed,
        parameters=scoring.Parameters.from_settings(
            assessment.scoring_parameters or {},
            anonymity_threshold=assessment.anonymity_threshold,
        ),
        previous=previous,
        compare_groups=response_ids is not None or results_final(assessment),
    )
    if not answers:
        return specs
    responses = Response.objects.filter(assessment=assessment)
    if response_ids is None:
        responses = released_responses(assessment)
    else:
        responses = responses.filter(pk__in=response_ids)
    return with_answers(specs, model_id, responses)


def with_answers(
    specs: scoring.ScoringInput, model_id: int, responses: QuerySet[Response]
) -> scoring.ScoringInput:
    """The scoring input of ``specs`` with these responses and all their answers, in
    four queries: the big one reads plain ids, no joins."""
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
    return replace(specs, respondents=respondents, answers=tuple(answers))


@dataclass(frozen=True)
class CurrentResult:
    """The result to show, and whether a newer one is being worked out meanwhile."""

    result: scoring.AssessmentResult
    updating: bool = False


def assessment_result(
    assessment: Assessment, *, released: Release | None = None
) -> scoring.AssessmentResult:
    """The one result that the dashboard, the report and the exports all show: always
    the result of what is released now (`current_result`)."""
    return current_result(assessment, released=released).result


def current_result(
    assessment: Assessment, *, released: Release | None = None, stale_ok: bool = False
) -> CurrentResult:
    """The result of an assessment, from the cache, else from its stored result, else
    worked out (and stored for every server).

    Submitted answers never change, so a result is kept under a fingerprint of
    everything it depends on: the released responses (how many, the last one),
    whether answering is over, the settings and targets, for this cycle and the
    previous one, and the scoring code. While answering goes on, the key changes only
    at each step. ``released`` is this cycle's `release`, when the caller has it.

    With ``stale_ok`` (a task queue works the new result out, `tasks.result_refresh`),
    a large assessment whose stored result is older is shown that result at once,
    marked ``updating``: a manager's view never waits for a full recomputation.
    """
    assessments = [assessment]
    if assessment.previous_id is not None:
        assessments.append(Assessment.objects.get(pk=assessment.previous_id))
    releases = [released or release(assessment)] + [release(a) for a in assessments[1:]]
    fingerprints = [_result_fingerprint(a, r) for a, r in zip(assessments, releases, strict=True)]
    key = hashlib.sha256(":".join(fingerprints).encode()).hexdigest()  # 64 characters
    result = cache.get(RESULT_CACHE_PREFIX + key)
    if result is not None:
        return CurrentResult(result)
    kept = StoredResult.objects.filter(assessment=assessment).first()
    kept_result = _unpacked(kept)
    if kept_result is not None and kept is not None:
        if kept.key == key:
            cache.set(RESULT_CACHE_PREFIX + key, kept_result, RESULT_CACHE_SECONDS)
            return CurrentResult(kept_result)
        if stale_ok and kept.respondents >= INLINE_RESPONDENTS:
            return CurrentResult(kept_result, updating=True)
    with collector_paused():
        previous = None
        if len(assessments) > 1:
            previous = stored_result(assessments[1], released=releases[1].responses)
        result = stored_result(assessment, previous=previous, released=releases[0].responses)
    _keep(assessment, key, result)
    cache.set(RESULT_CACHE_PREFIX + key, result, RESULT_CACHE_SECONDS)
    return CurrentResult(result)


RESULT_CACHE_PREFIX = "im-assess:result:"
RESULT_CACHE_SECONDS = 60 * 60


def kept_everywhere(prefix: str, parts: list, build, seconds: int = RESULT_CACHE_SECONDS):
    """``build()``, kept under a fingerprint of ``parts`` (what it is made of) in this
    process's cache and in the shared one (the database by default), so that every
    worker and server reads what one of them worked out."""
    key = prefix + hashlib.sha256(json.dumps(parts, default=str).encode()).hexdigest()[:32]
    value = cache.get(key)
    if value is None:
        shared = caches["reports"]
        value = shared.get(key)
        if value is None:
            value = build()
            shared.set(key, value, seconds)
        cache.set(key, value, seconds)
    return value


# Below this many respondents a result is worked out in the request (≈ 0.3 s from the
# stored profiles, docs/scale.md), never shown stale.
INLINE_RESPONDENTS = 2000
# The scoring code is part of every key: after a change to the rules no result worked
# out by the old ones is shown.
SCORING_VERSION = hashlib.sha256(
    b"".join(path.read_bytes() for path in sorted(Path(scoring.__file__).parent.glob("*.py")))
).hexdigest()[:16]


def _keep(assessment: Assessment, key: str, result: scoring.AssessmentResult) -> None:
    """Store the result worked out for ``key`` as the assessment's latest."""
    data = zlib.compress(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
    # One statement, whichever server stores first: insert, or replace the older one.
    StoredResult.objects.bulk_create(
        [
            StoredResult(
                assessment=assessment,
                key=key,
                respondents=result.respondents,
                data=data,
                computed_at=timezone.now(),
            )
        ],
        update_conflicts=True,
        unique_fields=["assessment"],
        update_fields=["key", "respondents", "data", "computed_at"],
    )


def _unpacked(kept: StoredResult | None) -> scoring.AssessmentResult | None:
    """The stored result, or None when it cannot be read (it is then worked out again)."""
    if kept is None:
        return None
    try:
        result = pickle.loads(zlib.decompress(bytes(kept.data)))  # our own row, never input
    except Exception:
        return None
    return result if isinstance(result, scoring.AssessmentResult) else None


def stored_result(
    assessment: Assessment,
    *,
    released: QuerySet[Response],
    previous: scoring.AssessmentResult | None = None,
) -> scoring.AssessmentResult:
    """The result from the respondents' stored profiles: one row per respondent read,
    never their answers. Exactly `scoring.score_assessment` of the same responses."""
    specs = assessment_scoring_input(assessment, previous=previous, answers=False)
    return scoring.aggregate(specs, stored_profiles(assessment, specs, released))


def stored_profiles(
    assessment: Assessment, specs: scoring.ScoringInput, released: QuerySet[Response]
) -> list[scoring.RespondentProfile]:
    """The profiles of the released responses (`ResponseScores`). One missing, or stored
    with another key (the settings changed), is worked out from that respondent's
    answers instead; `services.response_scores_refresh` stores it for next time."""
    key = scoring.profile_key(specs)
    dimensions = [spec.code for spec in specs.dimensions]
    items = [item.code for item in specs.items]
    teams = dict(released.values_list("id", "team__name"))
    profiles = []
    for pk, plain in (
        ResponseScores.objects.filter(response__in=released.values("pk"), key=key)
        .values_list("response_id", "profile")
        .iterator(chunk_size=5000)
    ):
        profile = scoring.profile_from_plain(pk, teams.get(pk), dimensions, items, plain)
        if profile is not None and pk in teams:
            profiles.append(profile)
    missing = sorted(set(teams) - {profile.respondent.id for profile in profiles})
    if len(missing) == len(teams):
        responses = released
    elif missing:
        responses = Response.objects.filter(pk__in=missing)
    else:
        return profiles
    raw = with_answers(specs, assessment.maturity_model_id, responses)
    return profiles + list(scoring.respondent_profiles(raw))


def _result_fingerprint(assessment: Assessment, released: Release) -> str:
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
        released.marker,
        SCORING_VERSION,
    ]
    return hashlib.sha256(json.dumps(inputs, sort_keys=True, default=str).encode()).hexdigest()[:32]


def response_profile(response: Response) -> scoring.AssessmentResult:
    """The respondent's own scores: the same rules, applied to this one response."""
    data = assessment_scoring_input(response.assessment, response_ids=[response.pk])
    return scoring.score_assessment(
        replace(data, parameters=replace(data.parameters, anonymity_threshold=1))
    )
