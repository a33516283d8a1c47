"""The single rules of domain model §4.2–4.9, each a small pure function."""

from __future__ import annotations

import math
import statistics
from bisect import bisect_left, bisect_right
from collections.abc import Mapping, Sequence

from .types import (
    ABOVE_TARGET,
    CONSENSUS,
    DIVIDED,
    EPS,
    HIGH,
    INCONSISTENT,
    LEVEL,
    LEVEL_ONLY,
    LIKERT_ONLY,
    LOW,
    MEDIUM,
    MODERATE,
    DimensionResult,
    ItemAnswer,
    ItemSpec,
    Parameters,
    Spread,
)

# --- Item and respondent rules ---------------------------------------------------------


def likert_to_level(value: int, *, reverse: bool = False) -> float:
    """Agreement 1–5 on the 1–6 maturity scale (§4.2): 1, 2.25, 3.5, 4.75, 6."""
    if not 1 <= value <= 5:
        raise ValueError(f"a Likert answer is 1–5, not {value}")
    point = 6 - value if reverse else value
    return 1 + 1.25 * (point - 1)


def item_score(item: ItemSpec, answer: ItemAnswer) -> float | None:
    """The 1–6 score of one answer; don't know and not applicable are missing, never 0."""
    if answer.special or answer.value is None:
        return None
    if item.kind == LEVEL:
        if not 1 <= answer.value <= 6:
            raise ValueError(f"a level answer is 1–6, not {answer.value}")
        return float(answer.value)
    return likert_to_level(answer.value, reverse=item.reverse)


def respondent_dimension_score(
    level: float | None,
    likert: Sequence[float],
    *,
    level_weight: float = 0.5,
    min_likert_alone: int = 2,
) -> float | None:
    """S = 0.5·L + 0.5·mean(Likert); L alone; the Likert mean alone from two items (§4.3)."""
    return _respondent_score(level, likert, level_weight, min_likert_alone, 2.0)[0]


def _respondent_score(
    level: float | None,
    likert: Sequence[float],
    level_weight: float,
    min_likert_alone: int,
    consistency_gap: float,
) -> tuple[float | None, tuple[str, ...]]:
    # Likert scores are multiples of 1.25 from 1: a plain sum is exact.
    likert_mean = sum(likert) / len(likert) if likert else None
    if level is not None and likert_mean is not None:
        flags = (INCONSISTENT,) if abs(level - likert_mean) >= consistency_gap - EPS else ()
        return level_weight * level + (1 - level_weight) * likert_mean, flags
    if level is not None:
        return level, (LEVEL_ONLY,)
    if likert_mean is not None and len(likert) >= min_likert_alone:
        return likert_mean, (LIKERT_ONLY,)
    return None, ()


# --- Aggregates -------------------------------------------------------------------------


def spread(scores: Sequence[float]) -> Spread:
    """Median, mean, inclusive quartiles and outer deciles, IQR and the share within ±1
    of the median."""
    if not scores:
        raise ValueError("spread of no scores")
    ordered = sorted(scores)
    median = statistics.median(ordered)
    if len(ordered) == 1:
        p10 = p25 = p75 = p90 = ordered[0]
    else:
        p25, _, p75 = statistics.quantiles(ordered, n=4, method="inclusive")
        deciles = statistics.quantiles(ordered, n=10, method="inclusive")
        p10, p90 = deciles[0], deciles[-1]
    # Sorted: the scores within ±1 of the median are one run, found by bisection.
    within = (
        bisect_right(ordered, median + 1 + EPS) - bisect_left(ordered, median - 1 - EPS)
    ) / len(ordered)
    return Spread(
        n=len(ordered),
        median=median,
        mean=statistics.fmean(ordered),
        p25=p25,
        p75=p75,
        iqr=p75 - p25,
        within_one=within,
        p10=p10,
        p90=p90,
    )


def real_change(before: DimensionResult, after: DimensionResult, params: Parameters) -> bool:
    """Whether a dimension's change between two cycles is real, not an indication: at
    least half a level, with at least five respondents in both (domain model §4.8)."""
    if before.median is None or after.median is None:
        return False
    return (
        abs(after.median - before.median) >= params.trend_min_delta - EPS
        and after.n >= params.trend_min_n
        and before.n >= params.trend_min_n
    )


def consensus_class(scores: Sequence[float]) -> str:
    """consensus (IQR ≤ 1 and ≥ 75 % within ±1), divided (IQR > 2 or < 60 %), else moderate."""
    s = spread(scores)
    if s.iqr <= 1 + EPS and s.within_one >= 0.75 - EPS:
        return CONSENSUS
    if s.iqr > 2 + EPS or s.within_one < 0.60 - EPS:
        return DIVIDED
    return MODERATE


def level_of(score: float) -> int:
    """Levels are whole and rounded down: 3.99 is level 3, progressing towards 4."""
    return max(1, min(6, math.floor(score + EPS)))


def overall_level(
    dimension_scores: Mapping[str, float | None], *, share: float = 0.8, tolerance: int = 1
) -> int:
    """Tolerant weakest link (§4.6): the highest L with ≥ share of dimensions ≥ L, none < L − 1."""
    return _overall(dimension_scores, share, tolerance)[0]


def _overall(
    dimension_scores: Mapping[str, float | None], share: float, tolerance: int
) -> tuple[int, dict[int, tuple[int, list[str]]]]:
    scores = {code: s for code, s in dimension_scores.items() if s is not None}
    checks: dict[int, tuple[int, list[str]]] = {}
    for candidate in range(6, 0, -1):
        reached = sum(1 for s in scores.values() if s >= candidate - EPS)
        too_low = [c for c, s in scores.items() if s < candidate - tolerance - EPS]
        checks[candidate] = (reached, too_low)
        if scores and reached >= share * len(scores) - EPS and not too_low:
            return candidate, checks
    return 1, checks


def gap_weight(target: float, current: float) -> float:
    """Open SAMMY's convex weight (1 + max(0, T − S))² − 1: a 1-level gap 3, 2 levels 8."""
    return (1 + max(0.0, target - current)) ** 2 - 1


def priority_label(gap: float) -> str:
    if gap >= 2 - EPS:
        return HIGH
    if gap >= 1 - EPS:
        return MEDIUM
    if gap >= -EPS:
        return LOW
    return ABOVE_TARGET
