"""Teams and roles: which groups may be shown without revealing anyone (small groups
pooled into "other"), their medians and the perception gaps between them."""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Mapping, Sequence
from itertools import combinations

from .types import (
    EPS,
    OTHER,
    GroupResult,
    Parameters,
    PerceptionGap,
    Respondent,
    RespondentScore,
    ScoringInput,
)


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
        sizes = {k: len(v) for k, v in members.items()}
        shown, _pooled = visible_groups(sizes, threshold)
        groups = [(name, members[name]) for name in shown if name != OTHER]
        pooled = sorted(name for name in members if name not in shown and name != OTHER)
        protected = tuple(name for name in pooled if sizes[name] >= threshold)
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
            extra = {"pooled": tuple(pooled), "protected": protected} if name == OTHER else {}
            results.append(GroupResult(kind=kind, name=name, n=len(ids), medians=medians, **extra))
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
