"""Scoring a whole assessment: from all answers to one AssessmentResult."""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import fields, replace
from itertools import combinations, pairwise

from .rules import (
    _overall,
    _respondent_score,
    consensus_class,
    gap_weight,
    item_score,
    level_of,
    overall_level,
    priority_label,
    spread,
)
from .types import (
    DIVIDED,
    DONT_KNOW,
    EPS,
    INCONSISTENT,
    INSUFFICIENT,
    LEVEL,
    NA,
    NOT_APPLICABLE,
    OK,
    OTHER,
    TOO_FEW_ITEMS,
    AssessmentResult,
    DimensionResult,
    DimensionSpec,
    GroupResult,
    ItemAnswer,
    ItemResult,
    OverallResult,
    Parameters,
    PerceptionGap,
    PhaseGate,
    PhaseResult,
    PlanItem,
    Respondent,
    RespondentScore,
    ScoringInput,
    Text,
    Trend,
)

# --- The whole assessment ---------------------------------------------------------------


def score_assessment(data: ScoringInput) -> AssessmentResult:
    params = data.parameters
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
    dimensions = tuple(
        _dimension_result(data, spec, respondents, by_respondent, respondent_scores)
        for spec in data.dimensions
    )
    reference_phase = _reference_phase(data)
    dimensions = tuple(_with_priority(data, d, reference_phase) for d in dimensions)
    applicable = {d.code: d.median for d in dimensions if d.is_applicable}
    overall = _overall_result(data, dimensions, applicable, reference_phase)
    phases = _phase_results(data, respondents, item_scores)
    gate = _phase_gate(data, dimensions, respondents)
    barrier = _barrier(data, dimensions, reference_phase)
    plan = _plan(data, dimensions, barrier)
    groups = _groups(data, respondents, respondent_scores)
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


def _dimension_result(
    data: ScoringInput,
    spec: DimensionSpec,
    respondents: Sequence[Respondent],
    by_respondent: Mapping[int, Mapping[str, ItemAnswer]],
    respondent_scores: Mapping[str, Sequence[RespondentScore]],
) -> DimensionResult:
    params = data.parameters
    dim_items = [item for item in data.items if item.dimension == spec.code]
    codes = [item.code for item in dim_items]
    level_item = next((item for item in dim_items if item.kind == LEVEL), None)
    level_code = level_item.code if level_item is not None else None
    # Counted in one pass: answers given, don't-knows, and (level item) not-applicables.
    answered = dont_knows = level_answered = level_na = 0
    for respondent in respondents:
        mine = by_respondent.get(respondent.id)
        if not mine:
            continue
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
        median = _role_balanced_median(data, rows) or median
    level = level_of(median)
    return DimensionResult(
        status=OK,
        median=median,
        mean=s.mean,
        p25=s.p25,
        p75=s.p75,
        iqr=s.iqr,
        within_one=s.within_one,
        level=level,
        progress=0.0 if level == 6 else max(0.0, min(1.0, median - level)),
        consensus=consensus_class(scores),
        consensus_indicative=len(scores) < 5,
        **common,  # type: ignore[arg-type]
    )


def _role_balanced_median(data: ScoringInput, rows: Sequence[RespondentScore]) -> float | None:
    roles = {r.id: r.role for r in data.respondents}
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


def _reference_phase(data: ScoringInput) -> str | None:
    """The IM phase whose expected levels apply now: the claimed one, MoC counts as IM-2.4."""
    expected_phases = _expected_phases(data)
    if data.claimed_phase in expected_phases:
        return data.claimed_phase
    if data.claimed_phase is not None and expected_phases:
        order = list(data.phases)
        if data.claimed_phase in order and order.index(data.claimed_phase) > order.index(
            expected_phases[-1]
        ):
            return expected_phases[-1]
    return None


def _expected_phases(data: ScoringInput) -> list[str]:
    present = {phase for spec in data.dimensions for phase in spec.expected_levels}
    return [phase for phase in data.phases if phase in present]


def _with_priority(
    data: ScoringInput, dimension: DimensionResult, reference_phase: str | None
) -> DimensionResult:
    spec = next(s for s in data.dimensions if s.code == dimension.code)
    expected = spec.expected_levels.get(reference_phase) if reference_phase else None
    params = data.parameters
    trend = _trend(data, dimension)
    if not dimension.is_applicable or dimension.median is None:
        return replace(dimension, expected_level=expected, trend=trend)
    relevance = 1.0 if expected is None or expected >= 2 else params.low_relevance_factor
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
    params = data.parameters
    real = (
        abs(delta) >= params.trend_min_delta - EPS
        and dimension.n >= params.trend_min_n
        and before.n >= params.trend_min_n
    )
    return Trend(previous=before.median, delta=delta, real=real)


def _overall_result(
    data: ScoringInput,
    dimensions: Sequence[DimensionResult],
    applicable: Mapping[str, float | None],
    reference_phase: str | None,
) -> OverallResult:
    params = data.parameters
    if not applicable:
        return OverallResult(
            level=None,
            why=Text(
                "Nog geen totaalniveau: geen enkele dimensie heeft genoeg antwoorden.",
                "No overall level yet: no dimension has enough answers.",
            ),
            mean_index=None,
            weakest=(),
            weakest_level=None,
            balance_gap=None,
            unbalanced=False,
            applicable=0,
        )
    level, checks = _overall(applicable, params.overall_share, params.overall_tolerance)
    scores = [s for s in applicable.values() if s is not None]
    lowest = min(scores)
    mean_index = statistics.fmean(scores)
    weakest = tuple(c for c, s in applicable.items() if s is not None and s <= lowest + EPS)
    scoped_level: int | None = None
    scoped: tuple[str, ...] = ()
    if reference_phase is not None:
        scoped = tuple(
            spec.code
            for spec in data.dimensions
            if spec.code in applicable and spec.expected_levels.get(reference_phase, 0) >= 2
        )
        if scoped:
            scoped_level = overall_level(
                {c: applicable[c] for c in scoped},
                share=params.overall_share,
                tolerance=params.overall_tolerance,
            )
    return OverallResult(
        level=level,
        why=_overall_why(level, checks, len(scores), params, dimensions),
        mean_index=mean_index,
        weakest=weakest,
        weakest_level=level_of(lowest),
        balance_gap=mean_index - lowest,
        unbalanced=mean_index - lowest >= params.unbalanced_gap - EPS,
        applicable=len(scores),
        phase_scoped_level=scoped_level,
        phase_scoped_dimensions=scoped,
    )


def _overall_why(
    level: int,
    checks: Mapping[int, tuple[int, list[str]]],
    total: int,
    params: Parameters,
    dimensions: Sequence[DimensionResult],
) -> Text:
    share = _pct(params.overall_share)
    names = {d.code: d.name for d in dimensions}
    reached, _ = checks.get(level, (0, []))
    low = level - params.overall_tolerance
    if level == 1 and (checks.get(1, (0, []))[0] < params.overall_share * total or total == 0):
        first_nl = f"Niveau 1: minder dan {share} van de dimensies haalt een hoger niveau."
        first_en = f"Level 1: fewer than {share} of the dimensions reach a higher level."
    else:
        first_nl = f"Niveau {level}: {reached} van {total} dimensies staan op {level} of hoger"
        first_en = f"Level {level}: {reached} of {total} dimensions are at {level} or higher"
        if low >= 1 and level > 1:
            first_nl += f" en geen enkele ligt onder {low}."
            first_en += f" and none is below {low}."
        else:
            first_nl += "."
            first_en += "."
    if level == 6:
        return Text(first_nl, first_en)
    above = level + 1
    reached_above, too_low = checks[above]
    if reached_above < params.overall_share * total - EPS:
        second = Text(
            f"Niveau {above} niet gehaald: {reached_above} van {total} dimensies op {above} "
            f"of hoger, {share} nodig.",
            f"Level {above} not reached: {reached_above} of {total} dimensions at {above} "
            f"or higher, {share} needed.",
        )
    else:
        listed_nl = ", ".join(f"{c} {names[c].nl}" for c in too_low)
        listed_en = ", ".join(f"{c} {names[c].en}" for c in too_low)
        floor = above - params.overall_tolerance
        second = Text(
            f"Niveau {above} niet gehaald: {listed_nl} ligt onder niveau {floor}.",
            f"Level {above} not reached: {listed_en} below level {floor}.",
        )
    return Text(f"{first_nl} {second.nl}", f"{first_en} {second.en}")


def _pct(share: float) -> str:
    return f"{round(share * 100)} %"


def _phase_results(
    data: ScoringInput,
    respondents: Sequence[Respondent],
    item_scores: Mapping[int, Mapping[str, float]],
) -> tuple[PhaseResult, ...]:
    params = data.parameters
    results = []
    for phase in data.phases:
        phase_items = [item for item in data.items if item.phase == phase]
        if len(phase_items) < params.phase_min_items:
            results.append(PhaseResult(phase, len(phase_items), TOO_FEW_ITEMS, 0))
            continue
        per_respondent = []
        codes = [item.code for item in phase_items]
        needed = params.phase_min_answered * len(phase_items) - EPS
        empty: dict[str, float] = {}
        for respondent in respondents:
            given = item_scores.get(respondent.id, empty)
            scores = [score for code in codes if (score := given.get(code)) is not None]
            # Scores are quarters (1, 2.25, 3.5 …): a plain sum is exact.
            if scores and len(scores) >= needed:
                per_respondent.append(sum(scores) / len(scores))
        if len(per_respondent) < params.anonymity_threshold or not per_respondent:
            results.append(PhaseResult(phase, len(phase_items), INSUFFICIENT, len(per_respondent)))
            continue
        results.append(
            PhaseResult(
                phase,
                len(phase_items),
                OK,
                len(per_respondent),
                statistics.median(per_respondent),
            )
        )
    return tuple(results)


def _phase_gate(
    data: ScoringInput, dimensions: Sequence[DimensionResult], respondents: Sequence[Respondent]
) -> PhaseGate:
    params = data.parameters
    applicable = [d for d in dimensions if d.is_applicable and d.median is not None]
    specs = {spec.code: spec for spec in data.dimensions}
    order = list(data.phases)
    passed: dict[str, bool] = {}
    demonstrated: str | None = order[0] if order else None
    blocking: list[str] = []
    failed_phase = None
    for phase in _expected_phases(data):
        checked = [
            (d.code, d.median, specs[d.code].expected_levels[phase])
            for d in applicable
            if d.median is not None and phase in specs[d.code].expected_levels
        ]
        met = sum(1 for _, median, expected in checked if median >= expected - EPS)
        too_low = [
            code
            for code, median, expected in checked
            if median < expected - params.overall_tolerance - EPS
        ]
        ok = bool(checked) and met >= params.overall_share * len(checked) - EPS and not too_low
        passed[phase] = ok
        if ok and failed_phase is None:
            demonstrated = phase
        elif failed_phase is None:
            failed_phase = phase
            blocking = [code for code, median, expected in checked if median < expected - EPS]
    perceived_counts: Counter[str | None] = Counter(
        r.perceived_phase for r in respondents if r.perceived_phase in order
    )
    perceived = _median_phase(perceived_counts, order)
    claimed = data.claimed_phase
    above = (
        claimed in order
        and demonstrated in order
        and order.index(claimed) > order.index(demonstrated)
    )
    if not applicable:
        why = Text("Nog niet te bepalen: te weinig antwoorden.", "Not yet known: too few answers.")
    elif failed_phase is None:
        why = Text(
            f"Alle fasedrempels gehaald, tot en met {demonstrated}.",
            f"All phase gates met, up to and including {demonstrated}.",
        )
    else:
        codes = ", ".join(blocking) or "–"
        why = Text(
            f"{failed_phase} niet aangetoond: {codes} onder het verwachte niveau.",
            f"{failed_phase} not demonstrated: {codes} below the expected level.",
        )
    return PhaseGate(
        demonstrated=demonstrated if applicable else None,
        why=why,
        claimed=claimed,
        perceived=perceived,
        perceived_distribution={p: perceived_counts[p] for p in order if perceived_counts[p]},
        claimed_above_demonstrated=bool(above) and bool(applicable),
        passed=passed,
    )


def _median_phase(counts: Mapping[str | None, int], order: Sequence[str]) -> str | None:
    positions = sorted(order.index(p) for p, n in counts.items() if p for _ in range(n))
    if not positions:
        return None
    return order[positions[(len(positions) - 1) // 2]]  # the lower median: no half phases


def _barrier(
    data: ScoringInput, dimensions: Sequence[DimensionResult], reference_phase: str | None
) -> str | None:
    """The first dimension in dependency order below its expected level (or target)."""
    by_code = {d.code: d for d in dimensions}
    order = [c for c in data.parameters.dependency_order if c in by_code]
    order += [d.code for d in dimensions if d.code not in order]
    for code in order:
        d = by_code[code]
        if not d.is_applicable or d.median is None:
            continue
        expected = d.expected_level if reference_phase else d.target
        if expected is not None and d.median < expected - EPS:
            return code
    return None


def _plan(
    data: ScoringInput, dimensions: Sequence[DimensionResult], barrier: str | None
) -> tuple[PlanItem, ...]:
    params = data.parameters
    dependency = {code: i for i, code in enumerate(params.dependency_order)}
    candidates = [
        d
        for d in dimensions
        if d.is_applicable
        and d.median is not None
        and ((d.gap is not None and d.gap > EPS) or d.code == barrier)
    ]
    candidates.sort(
        key=lambda d: (d.code != barrier, -d.priority_score, dependency.get(d.code, 99))
    )
    plan = []
    for rank, d in enumerate(candidates[: params.plan_size], start=1):
        current = d.level or 1
        to_level = min(6, current + 1)
        then = to_level if d.target is not None and d.target >= current + 2 else None
        plan.append(
            PlanItem(
                rank=rank,
                dimension=d.code,
                is_barrier=d.code == barrier,
                build_shared_picture=d.consensus == DIVIDED,
                from_level=current,
                to_level=to_level,
                then_from_level=then if then is not None and then < 6 else None,
                priority=d.priority,
                priority_score=d.priority_score,
            )
        )
    return tuple(plan)


def visible_groups(sizes: Mapping[str, int], threshold: int) -> tuple[list[str], int]:
    """Which groups may be shown, and the size of the pooled "other" group (0: none).

    Groups below the threshold are pooled. While that pool is non-empty but still
    below the threshold, the smallest shown group joins it: then no shown group,
    nor the pool, nor the total can be told apart by subtracting one from another
    (complementary suppression).
    """
    shown = sorted(
        (name for name, n in sizes.items() if n >= threshold), key=lambda g: (sizes[g], g)
    )
    pooled = sum(n for name, n in sizes.items() if name not in shown)
    while 0 < pooled < threshold and shown:
        smallest = shown.pop(0)
        pooled += sizes[smallest]
    return sorted(shown), (pooled if pooled >= threshold else 0)


def _groups(
    data: ScoringInput,
    respondents: Sequence[Respondent],
    respondent_scores: Mapping[str, Sequence[RespondentScore]],
) -> tuple[GroupResult, ...]:
    """Team and role medians for the groups that anonymity allows to show (see above)."""
    threshold = data.parameters.anonymity_threshold
    results = []
    for kind in ("team", "role"):
        members: dict[str, set[int]] = defaultdict(set)
        for r in respondents:
            members[getattr(r, kind) or OTHER].add(r.id)
        if len(members) < 2:
            continue  # one group is the whole organisation: nothing to compare
        shown, _pooled = visible_groups({k: len(v) for k, v in members.items()}, threshold)
        groups = [(name, members[name]) for name in shown if name != OTHER]
        # Everyone else (small groups and those without a group) forms "other";
        # visible_groups() makes sure it is empty or at least the threshold.
        rest = {r.id for r in respondents} - set().union(*(ids for _, ids in groups))
        if len(rest) >= threshold:
            groups.append((OTHER, rest))
        if len(groups) < 2:
            continue  # a single group would just repeat the organisation's result
        for name, ids in groups:
            medians: dict[str, float | None] = {}
            for spec in data.dimensions:
                scores = [
                    row.score
                    for row in respondent_scores[spec.code]
                    if row.respondent in ids and row.score is not None
                ]
                medians[spec.code] = statistics.median(scores) if len(scores) >= threshold else None
            results.append(GroupResult(kind=kind, name=name, n=len(ids), medians=medians))
    return tuple(results)


def _perception_gaps(
    groups: Sequence[GroupResult], params: Parameters
) -> tuple[PerceptionGap, ...]:
    gaps = []
    for kind in ("team", "role"):
        of_kind = [g for g in groups if g.kind == kind and g.name != OTHER]
        for a, b in combinations(of_kind, 2):
            for code, a_median in a.medians.items():
                b_median = b.medians.get(code)
                if a_median is None or b_median is None:
                    continue
                difference = abs(a_median - b_median)
                if difference < params.perception_gap - EPS:
                    continue
                high, low = (a, b) if a_median > b_median else (b, a)
                gaps.append(
                    PerceptionGap(
                        kind=kind,
                        dimension=code,
                        higher=high.name,
                        lower=low.name,
                        higher_median=max(a_median, b_median),
                        lower_median=min(a_median, b_median),
                        difference=difference,
                    )
                )
    gaps.sort(key=lambda g: (-g.difference, g.kind, g.dimension, g.higher, g.lower))
    return tuple(gaps)


def _divided_items(
    data: ScoringInput,
    respondents: Sequence[Respondent],
    item_scores: Mapping[int, Mapping[str, float]],
) -> tuple[ItemResult, ...]:
    params = data.parameters
    results = []
    per_respondent = [item_scores.get(r.id, {}) for r in respondents]
    for item in data.items:
        scores = [given[item.code] for given in per_respondent if item.code in given]
        if len(scores) >= params.anonymity_threshold and scores:
            results.append(ItemResult(item.code, item.dimension, spread(scores)))
    results.sort(key=lambda r: (-r.spread.iqr, r.spread.within_one, r.code))
    return tuple(r for r in results if r.spread.iqr > EPS)[: params.divided_items_shown]


def _project_not_landed(phases: Sequence[PhaseResult], order: Sequence[str]) -> bool:
    """PM scores well while the IM phases fall away: delivered, but not landed (§4.5)."""
    scores = {p.code: p.median for p in phases if p.median is not None}
    if not order or order[0] not in scores:
        return False
    im = [scores[p] for p in order[1:-1] if p in scores]
    if len(im) < 2:
        return False
    falling = all(later <= earlier + EPS for earlier, later in pairwise(im))
    return scores[order[0]] - im[-1] >= 1.0 - EPS and falling


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
