"""Scoring a whole assessment: from all answers to one AssessmentResult, in two steps.

`respondent_profiles` applies the rules to each respondent's own answers (what is
stored at submit); `aggregate` makes the organisation's result from those profiles.
The dimension scores are worked out here; the overall level, the phases and their
gate, the plan and the groups each have a module of their own.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import fields, replace

from .groups import _groups, _perception_gaps
from .overall import _overall_result
from .phases import (
    _phase_gate,
    _phase_results,
    _phase_scorer,
    _project_not_landed,
    _reference_phase,
)
from .plan import _barrier, _plan
from .rules import (
    _respondent_score,
    consensus_class,
    gap_weight,
    item_score,
    level_of,
    priority_label,
    real_change,
    spread,
)
from .types import (
    DONT_KNOW,
    EPS,
    INCONSISTENT,
    INSUFFICIENT,
    LEVEL,
    NA,
    NOT_APPLICABLE,
    OK,
    AssessmentResult,
    DimensionResult,
    DimensionSpec,
    ItemAnswer,
    ItemResult,
    Respondent,
    RespondentProfile,
    RespondentScore,
    ScoringInput,
    Tally,
    Trend,
)


def score_assessment(data: ScoringInput) -> AssessmentResult:
    """From every answer to one result: each respondent's profile, then the organisation."""
    return aggregate(data, respondent_profiles(data))


def respondent_profiles(data: ScoringInput) -> tuple[RespondentProfile, ...]:
    """What the rules make of each respondent's own answers (§4.2–4.3): the scores and
    flags per dimension, the answers counted per dimension and the item scores. Nothing
    in it depends on anyone else's answers, so it can be worked out once, at submit."""
    items = {item.code: item for item in data.items}
    respondents = sorted(data.respondents, key=lambda r: r.id)
    by_respondent: dict[int, dict[str, ItemAnswer]] = defaultdict(dict)
    # Each answer's score is worked out once; the rules below only look them up.
    # An item has only a handful of possible answers, so each distinct one is
    # scored once and remembered (tens of scores for hundreds of thousands of answers).
    item_scores: dict[int, dict[str, float]] = defaultdict(dict)
    known: dict[tuple[str, int | None, str], float | None] = {}
    for answer in data.answers:
        item = items.get(answer.item)
        if item is None:
            continue
        by_respondent[answer.respondent][answer.item] = answer
        key = (answer.item, answer.value, answer.special)
        if key not in known:
            known[key] = item_score(item, answer)
        score = known[key]
        if score is not None:
            item_scores[answer.respondent][answer.item] = score
        else:
            item_scores[answer.respondent].pop(answer.item, None)
    respondent_scores = _respondent_scores(data, respondents, item_scores)
    tallies = _tallies(data, respondents, by_respondent)
    phase_score = _phase_scorer(data)
    empty: dict[str, float] = {}
    return tuple(
        RespondentProfile(
            respondent=respondent,
            scores=tuple(respondent_scores[spec.code][index] for spec in data.dimensions),
            tallies=tallies[respondent.id],
            item_scores=dict(item_scores.get(respondent.id, empty)),
            phase_scores=phase_score(item_scores.get(respondent.id, empty)),
        )
        for index, respondent in enumerate(respondents)
    )


def aggregate(data: ScoringInput, profiles: Sequence[RespondentProfile]) -> AssessmentResult:
    """The organisation's result from its respondents' profiles (§4.4–4.9); the answers
    themselves are not needed (``data.answers`` may be empty)."""
    params = data.parameters
    profiles = sorted(profiles, key=lambda p: p.respondent.id)
    respondents: Sequence[Respondent] = [p.respondent for p in profiles]
    respondent_scores: dict[str, list[RespondentScore]] = {
        spec.code: [p.scores[index] for p in profiles] for index, spec in enumerate(data.dimensions)
    }
    respondents, respondent_scores = _counted(respondents, respondent_scores)
    tallies = {p.respondent.id: p.tallies for p in profiles}
    item_scores = {p.respondent.id: p.item_scores for p in profiles}
    dimensions = tuple(
        _dimension_result(data, index, spec, respondents, tallies, respondent_scores)
        for index, spec in enumerate(data.dimensions)
    )
    reference_phase = _reference_phase(data)
    dimensions = tuple(_with_priority(data, d, reference_phase) for d in dimensions)
    applicable = {d.code: d.median for d in dimensions if d.is_applicable}
    overall = _overall_result(data, dimensions, applicable, reference_phase)
    phases = _phase_results(data, respondents, {p.respondent.id: p.phase_scores for p in profiles})
    gate = _phase_gate(data, dimensions, respondents)
    barrier = _barrier(data, dimensions, reference_phase)
    plan = _plan(data, dimensions, barrier)
    groups = _groups(data, respondents, respondent_scores) if data.compare_groups else ()
    return AssessmentResult(
        parameters=params,
        respondents=len(respondents),
        dimensions=dimensions,
        phases=phases,
        overall=overall,
        phase_gate=gate,
        barrier=barrier,
        plan=plan,
        groups=groups,
        perception_gaps=_perception_gaps(groups, params),
        divided_items=_divided_items(data, respondents, item_scores),
        project_not_landed=_project_not_landed(phases, data.phases),
    )


def _tallies(
    data: ScoringInput,
    respondents: Sequence[Respondent],
    by_respondent: Mapping[int, Mapping[str, ItemAnswer]],
) -> dict[int, tuple[Tally, ...]]:
    """Per respondent and dimension: answers given, don't-knows, and whether the (first)
    level item was answered and answered "not applicable"."""
    per_dimension = []
    for spec in data.dimensions:
        dim_items = [item for item in data.items if item.dimension == spec.code]
        level_item = next((item for item in dim_items if item.kind == LEVEL), None)
        per_dimension.append(
            ([item.code for item in dim_items], level_item.code if level_item else None)
        )
    none = Tally(0, 0, 0, 0)
    result: dict[int, tuple[Tally, ...]] = {}
    for respondent in respondents:
        mine = by_respondent.get(respondent.id)
        if not mine:
            result[respondent.id] = (none,) * len(per_dimension)
            continue
        counted = []
        for codes, level_code in per_dimension:
            answered = dont_knows = level_answered = level_na = 0
            for code in codes:
                answer = mine.get(code)
                if answer is None:
                    continue
                answered += 1
                if answer.special == DONT_KNOW:
                    dont_knows += 1
                if code == level_code:
                    level_answered += 1
                    if answer.special == NOT_APPLICABLE:
                        level_na += 1
            counted.append(Tally(answered, dont_knows, level_answered, level_na))
        result[respondent.id] = tuple(counted)
    return result


def _respondent_scores(
    data: ScoringInput,
    respondents: Sequence[Respondent],
    item_scores: Mapping[int, Mapping[str, float]],
) -> dict[str, list[RespondentScore]]:
    """Each respondent's score per dimension (§4.3); the innermost loop of the scoring."""
    params = data.parameters
    weight, alone, gap = params.level_weight, params.min_likert_alone, params.consistency_gap
    empty: dict[str, float] = {}
    result: dict[str, list[RespondentScore]] = {}
    for spec in data.dimensions:
        # Later level items win, as the answers are read in item order.
        level_codes = [i.code for i in data.items if i.dimension == spec.code and i.kind == LEVEL]
        level_codes.reverse()
        likert_codes = [i.code for i in data.items if i.dimension == spec.code and i.kind != LEVEL]
        rows: list[RespondentScore] = []
        append = rows.append
        for respondent in respondents:
            scores = item_scores.get(respondent.id, empty)
            level = None
            for code in level_codes:
                level = scores.get(code)
                if level is not None:
                    break
            likert = [value for code in likert_codes if (value := scores.get(code)) is not None]
            score, flags = _respondent_score(level, likert, weight, alone, gap)
            append(
                RespondentScore(
                    respondent=respondent.id,
                    dimension=spec.code,
                    score=score,
                    level_item=level,
                    likert_mean=sum(likert) / len(likert) if likert else None,
                    flags=flags,
                )
            )
        result[spec.code] = rows
    return result


def _counted(
    respondents: Sequence[Respondent], scores: dict[str, list[RespondentScore]]
) -> tuple[list[Respondent], dict[str, list[RespondentScore]]]:
    """Only a respondent with a score on at least one dimension counts, for every figure
    (a response of nothing but "don't know" is no respondent). The rows of each dimension
    follow the order of the respondents."""
    keep = [
        any(rows[i].score is not None for rows in scores.values()) for i in range(len(respondents))
    ]
    if all(keep):
        return list(respondents), scores
    return (
        [r for r, kept in zip(respondents, keep, strict=True) if kept],
        {
            code: [row for row, kept in zip(rows, keep, strict=True) if kept]
            for code, rows in scores.items()
        },
    )


def _dimension_result(
    data: ScoringInput,
    index: int,
    spec: DimensionSpec,
    respondents: Sequence[Respondent],
    tallies: Mapping[int, Sequence[Tally]],
    respondent_scores: Mapping[str, Sequence[RespondentScore]],
) -> DimensionResult:
    params = data.parameters
    dim_items = [item for item in data.items if item.dimension == spec.code]
    level_item = next((item for item in dim_items if item.kind == LEVEL), None)
    answered = dont_knows = level_answered = level_na = 0
    for respondent in respondents:
        tally = tallies[respondent.id][index]
        answered += tally.answered
        dont_knows += tally.dont_knows
        level_answered += tally.level_answered
        level_na += tally.level_na
    dont_know = dont_knows / answered if answered else 0
    na_share = 0.0
    if level_item is not None and level_item.allow_not_applicable and level_answered:
        na_share = level_na / level_answered
    rows = [row for row in respondent_scores[spec.code] if row.score is not None]
    scores = [row.score for row in rows if row.score is not None]
    both = [row for row in rows if row.level_item is not None and row.likert_mean is not None]
    inconsistent = sum(1 for row in both if INCONSISTENT in row.flags) / len(both) if both else 0
    common = {
        "code": spec.code,
        "name": spec.name,
        "n": len(scores),
        "dont_know_share": dont_know,
        "limited_visibility": answered > 0 and dont_know >= params.dont_know_limit - EPS,
        "not_applicable_share": na_share,
        "inconsistent_share": inconsistent,
        "target": data.targets.get(spec.code),
    }
    if level_item is not None and na_share >= params.not_applicable_limit - EPS and na_share > 0:
        return DimensionResult(status=NA, **common)  # type: ignore[arg-type]
    if len(scores) < params.anonymity_threshold or not scores:
        return DimensionResult(status=INSUFFICIENT, **common)  # type: ignore[arg-type]
    s = spread(scores)
    median = s.median
    if params.role_balanced:
        median = _role_balanced_median(data, respondents, rows) or median
    level = level_of(median)
    return DimensionResult(
        status=OK,
        median=median,
        mean=s.mean,
        p25=s.p25,
        p75=s.p75,
        iqr=s.iqr,
        within_one=s.within_one,
        p10=s.p10,
        p90=s.p90,
        level=level,
        progress=0.0 if level == 6 else max(0.0, min(1.0, median - level)),
        consensus=consensus_class(scores),
        consensus_indicative=len(scores) < 5,
        **common,  # type: ignore[arg-type]
    )


def _role_balanced_median(
    data: ScoringInput, respondents: Sequence[Respondent], rows: Sequence[RespondentScore]
) -> float | None:
    roles = {r.id: r.role for r in respondents}
    groups: dict[str, list[float]] = defaultdict(list)
    for row in rows:
        role = roles.get(row.respondent)
        if role and row.score is not None:
            groups[role].append(row.score)
    medians = [
        statistics.median(scores)
        for scores in groups.values()
        if len(scores) >= data.parameters.anonymity_threshold
    ]
    return statistics.fmean(medians) if medians else None


def _with_priority(
    data: ScoringInput, dimension: DimensionResult, reference_phase: str | None
) -> DimensionResult:
    spec = next(s for s in data.dimensions if s.code == dimension.code)
    expected = spec.expected_levels.get(reference_phase) if reference_phase else None
    params = data.parameters
    trend = _trend(data, dimension)
    # The phase relevance depends on the expected level only; gap, weight, foundation and
    # priority need a score, and stay undefined (None) without one.
    relevance = 1.0 if expected is None or expected >= 2 else params.low_relevance_factor
    if not dimension.is_applicable or dimension.median is None:
        return replace(dimension, expected_level=expected, trend=trend, phase_relevance=relevance)
    foundation = (
        params.foundation_factor
        if dimension.code in params.foundation_dimensions
        and dimension.median < params.foundation_below - EPS
        else 1.0
    )
    if dimension.target is None:
        return replace(
            dimension,
            expected_level=expected,
            trend=trend,
            foundation_factor=foundation,
            phase_relevance=relevance,
        )
    gap = dimension.target - dimension.median
    weight = gap_weight(dimension.target, dimension.median)
    return replace(
        dimension,
        gap=gap,
        gap_weight=weight,
        priority=priority_label(gap),
        foundation_factor=foundation,
        phase_relevance=relevance,
        priority_score=weight * foundation * relevance,
        expected_level=expected,
        trend=trend,
    )


def _trend(data: ScoringInput, dimension: DimensionResult) -> Trend | None:
    if data.previous is None or dimension.median is None:
        return None
    before = next((d for d in data.previous.dimensions if d.code == dimension.code), None)
    if before is None or before.median is None:
        return None
    delta = dimension.median - before.median
    return Trend(
        previous=before.median, delta=delta, real=real_change(before, dimension, data.parameters)
    )


def _divided_items(
    data: ScoringInput,
    respondents: Sequence[Respondent],
    item_scores: Mapping[int, Mapping[str, float]],
) -> tuple[ItemResult, ...]:
    params = data.parameters
    results = []
    # Each respondent's item scores are dealt out once (spread() sorts, so order is free).
    dealt: dict[str, list[float]] = {item.code: [] for item in data.items}
    empty: dict[str, float] = {}
    for respondent in respondents:
        for code, score in item_scores.get(respondent.id, empty).items():
            bucket = dealt.get(code)
            if bucket is not None:
                bucket.append(score)
    for item in data.items:
        scores = dealt[item.code]
        if len(scores) >= params.anonymity_threshold and scores:
            results.append(ItemResult(item.code, item.dimension, spread(scores)))
    results.sort(key=lambda r: (-r.spread.iqr, r.spread.within_one, r.code))
    return tuple(r for r in results if r.spread.iqr > EPS)[: params.divided_items_shown]


def as_plain(value: object) -> object:
    """The result as JSON-ready data: dataclasses become dicts, tuples lists."""
    if hasattr(value, "__dataclass_fields__"):
        return {f.name: as_plain(getattr(value, f.name)) for f in fields(value)}  # type: ignore[arg-type]
    if isinstance(value, Mapping):
        return {str(k): as_plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [as_plain(v) for v in value]
    if isinstance(value, float):
        return round(value, 4)
    return value
