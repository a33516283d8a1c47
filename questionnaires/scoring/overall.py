"""The overall maturity level and the sentence that explains it (domain model §4.5)."""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence

from .phases import listing
from .rules import _overall, level_of, overall_level
from .types import EPS, DimensionResult, OverallResult, Parameters, ScoringInput, Text


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
        if low > 1:  # "none below 1" says nothing on a scale from 1
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
        listed_nl = listing([names[c].nl for c in too_low], "en")
        listed_en = listing([names[c].en for c in too_low], "and")
        floor = above - params.overall_tolerance
        verb_nl, verb_en = ("ligt", "is") if len(too_low) == 1 else ("liggen", "are")
        second = Text(
            f"Niveau {above} niet gehaald: {listed_nl} {verb_nl} onder niveau {floor}.",
            f"Level {above} not reached: {listed_en} {verb_en} below level {floor}.",
        )
    return Text(f"{first_nl} {second.nl}", f"{first_en} {second.en}")


def _pct(share: float) -> str:
    return f"{round(share * 100)} %"
