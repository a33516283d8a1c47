"""The phases: the score per phase, the phase the organisation demonstrates (the phase
gate, domain model §4.7) and the project that was delivered but did not land."""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Mapping, Sequence
from itertools import pairwise

from .types import (
    EPS,
    INSUFFICIENT,
    OK,
    TOO_FEW_ITEMS,
    DimensionResult,
    PhaseGate,
    PhaseResult,
    Respondent,
    ScoringInput,
    Text,
)


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


def _phase_scorer(data: ScoringInput):
    """One respondent's score per phase (in the order of ``data.phases``): the mean of
    their item scores in that phase, when they scored enough of its items."""
    params = data.parameters
    per_phase = []
    for phase in data.phases:
        codes = [item.code for item in data.items if item.phase == phase]
        per_phase.append((codes, params.phase_min_answered * len(codes) - EPS))

    def score(given: Mapping[str, float]) -> tuple[float | None, ...]:
        result: list[float | None] = []
        for codes, needed in per_phase:
            scores = [value for code in codes if (value := given.get(code)) is not None]
            # Scores are quarters (1, 2.25, 3.5 …): a plain sum is exact.
            result.append(sum(scores) / len(scores) if scores and len(scores) >= needed else None)
        return tuple(result)

    return score


def _phase_results(
    data: ScoringInput,
    respondents: Sequence[Respondent],
    phase_scores: Mapping[int, Sequence[float | None]],
) -> tuple[PhaseResult, ...]:
    params = data.parameters
    results = []
    for index, phase in enumerate(data.phases):
        phase_items = [item for item in data.items if item.phase == phase]
        if len(phase_items) < params.phase_min_items:
            results.append(PhaseResult(phase, len(phase_items), TOO_FEW_ITEMS, 0))
            continue
        per_respondent = [
            score for r in respondents if (score := phase_scores[r.id][index]) is not None
        ]
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
        shown = _phase_name(data, demonstrated)
        why = Text(
            f"Alle fasedrempels gehaald, tot en met {shown.nl}.",
            f"All phase gates met, up to and including {shown.en}.",
        )
    else:
        shown = _phase_name(data, failed_phase)
        names = [specs[code].name for code in blocking]
        nl, en = listing([n.nl for n in names], "en"), listing([n.en for n in names], "and")
        below_nl = "ligt" if len(names) == 1 else "liggen"
        below_en = "is" if len(names) == 1 else "are"
        why = Text(
            f"{shown.nl} is nog niet aangetoond: {nl} {below_nl} onder het niveau dat "
            "deze fase verwacht.",
            f"{shown.en} is not yet demonstrated: {en} {below_en} below the level this "
            "phase expects.",
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


def _phase_name(data: ScoringInput, code: str | None) -> Text:
    name = data.phase_names.get(code or "")
    return name if name is not None else Text(code or "–", code or "–")


def listing(names: Sequence[str], conjunction: str) -> str:
    """ "A, B and C" ("A, B en C"): names as a consultant writes them in a sentence."""
    if len(names) <= 1:
        return "".join(names) or "–"
    return f"{', '.join(names[:-1])} {conjunction} {names[-1]}"
