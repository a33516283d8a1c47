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
    """Team and role medians for the groups that anonymity allows to show (see above),
    after the groupings are checked against each other (`overlapping`)."""
    threshold = data.parameters.anonymity_threshold
    candidates: list[tuple[str, str, set[int], dict[str, tuple[str, ...]]]] = []
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
            extra = {"pooled": tuple(pooled), "protected": protected} if name == OTHER else {}
            candidates.append((kind, name, ids, extra))
    everyone = {r.id for r in respondents}
    hidden = overlapping(
        [(kind, name, ids) for kind, name, ids, _extra in candidates], everyone, threshold
    )
    # Each respondent is in one group per grouping: their scores are dealt out once.
    member_of: dict[int, list[int]] = defaultdict(list)
    for index, (_kind, _name, ids, _extra) in enumerate(candidates):
        for rid in ids:
            member_of[rid].append(index)
    scores: dict[str, list[list[float]]] = {}
    for spec in data.dimensions:
        dealt: list[list[float]] = [[] for _ in candidates]
        for row in respondent_scores[spec.code]:
            if row.score is not None:
                for index in member_of.get(row.respondent, ()):
                    dealt[index].append(row.score)
        scores[spec.code] = dealt
    results = []
    for index, (kind, name, ids, extra) in enumerate(candidates):
        medians: dict[str, float | None] = {}
        for spec in data.dimensions:
            given = scores[spec.code][index]
            shown_median = len(given) >= threshold and (kind, name) not in hidden
            medians[spec.code] = statistics.median(given) if shown_median else None
        results.append(
            GroupResult(
                kind=kind,
                name=name,
                n=len(ids),
                medians=medians,
                overlap_hidden=(kind, name) in hidden,
                **extra,
            )
        )
    return tuple(results)


def differ_too_little(a: int, b: int, threshold: int) -> bool:
    """Whether two groups (as bit sets of respondents) single people out: between 1 and
    threshold − 1 people are in one and not in the other (either way, counted together),
    so subtracting one figure from the other would be about those few. Equal groups
    show equal figures and reveal nothing; groups that differ by at least the
    threshold differ by a group that could be shown on its own."""
    return 0 < (a ^ b).bit_count() < threshold


def overlapping(
    groups: Sequence[tuple[str, str, set[int]]], everyone: set[int], threshold: int
) -> set[tuple[str, str]]:
    """The groups to hide so that no two shown groups differ by fewer than the threshold,
    across the groupings (a team against a role) and against the whole organisation
    (complementary suppression).

    A group that differs too little from the whole is hidden outright (the organisation
    itself is always shown). Groups of one grouping never overlap, so the remaining
    conflicts run between teams and roles only: a bipartite graph, whose smallest
    vertex cover (König's theorem) hides as few groups as possible. Respondents are bits
    of an integer, so a comparison costs microseconds at any size.
    """
    position = {rid: index for index, rid in enumerate(sorted(everyone))}

    def bits(ids: set[int]) -> int:
        """The group as an integer whose bit i is the i-th respondent, built in one pass."""
        raw = bytearray((len(position) + 7) // 8)
        for rid in ids:
            index = position[rid]
            raw[index >> 3] |= 1 << (index & 7)
        return int.from_bytes(raw, "little")

    masks = {(kind, name): bits(ids) for kind, name, ids in groups}
    whole = bits(everyone)
    hidden = {key for key, mask in masks.items() if differ_too_little(mask, whole, threshold)}
    kinds = sorted({kind for kind, _name in masks})
    left = sorted(key for key in masks if key[0] == kinds[0] and key not in hidden)
    right = sorted(key for key in masks if key[0] != kinds[0] and key not in hidden)
    edges = {
        a: [b for b in right if differ_too_little(masks[a], masks[b], threshold)] for a in left
    }
    return hidden | _smallest_cover(edges)


Key = tuple[str, str]


def _smallest_cover(edges: Mapping[Key, Sequence[Key]]) -> set[Key]:
    """The fewest vertices that touch every edge of a bipartite graph (left → right):
    a maximum matching by augmenting paths, then König's construction."""
    match: dict[Key, Key] = {}  # right vertex → its left partner

    def augment(a: Key, seen: set[Key]) -> bool:
        for b in edges[a]:
            if b not in seen:
                seen.add(b)
                if b not in match or augment(match[b], seen):
                    match[b] = a
                    return True
        return False

    for a in edges:
        augment(a, set())
    # Z: what alternating paths reach from the unmatched left vertices.
    z_left = {a for a in edges if a not in set(match.values())}
    z_right: set[Key] = set()
    frontier = list(z_left)
    while frontier:
        for b in edges[frontier.pop()]:
            if b not in z_right:
                z_right.add(b)
                partner = match[b]  # matched, or there would be an augmenting path
                if partner not in z_left:
                    z_left.add(partner)
                    frontier.append(partner)
    return (set(edges) - z_left) | z_right


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
