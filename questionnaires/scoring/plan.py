"""The barrier and the improvement plan: barrier first, then by priority, never skipping
a level (domain model §4.8)."""

from __future__ import annotations

from collections.abc import Sequence

from .types import DIVIDED, EPS, DimensionResult, PlanItem, ScoringInput


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
        key=lambda d: (d.code != barrier, -(d.priority_score or 0.0), dependency.get(d.code, 99))
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
