"""Teams and roles: pooling small groups so none can be derived, and perception gaps."""

from collections import defaultdict
from itertools import combinations

from hypothesis import given, settings
from hypothesis import strategies as st

from questionnaires.scoring import (
    OTHER,
    DimensionSpec,
    ItemAnswer,
    ItemSpec,
    Parameters,
    Respondent,
    ScoringInput,
    Text,
    differ_too_little,
    overlapping,
    score_assessment,
    visible_groups,
)
from tests.scoring.builders import PHASES, _teams_input


def test_small_groups_are_pooled_and_a_neighbour_joins_until_the_pool_is_safe():
    result = score_assessment(_teams_input({"A": [2, 2, 2], "B": [5, 5], "C": [4, 4, 4, 4]}))
    teams = {g.name: g.n for g in result.groups if g.kind == "team"}
    # B (2) alone would be below 3, so A (the smallest shown) joins it as "other".
    assert teams == {"C": 4, OTHER: 5}
    assert result.dimension("D1").n == 9  # everyone still counts in the total


def test_no_groups_when_only_one_would_remain():
    result = score_assessment(_teams_input({"A": [2, 2, 2], "B": [5, 5]}))
    assert [g for g in result.groups if g.kind == "team"] == []


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(1, 12), min_size=1, max_size=9), st.integers(3, 6))
def test_property_no_shown_group_can_be_derived_by_subtraction(sizes, threshold):
    groups = {f"team{i}": n for i, n in enumerate(sizes)}
    shown, pooled = visible_groups(groups, threshold)
    total = sum(sizes)
    assert pooled == 0 or pooled >= threshold
    assert sum(groups[g] for g in shown) + pooled == total or pooled == 0
    for name in shown:
        assert groups[name] >= threshold
        assert total - groups[name] == 0 or total - groups[name] >= threshold
    if pooled == 0:
        hidden = total - sum(groups[g] for g in shown)
        assert hidden == 0 or not shown


def test_perception_gap_flagged_from_one_and_a_half_levels():
    result = score_assessment(_teams_input({"A": [2, 2, 2], "C": [4, 4, 4], "D": [3, 3, 3]}))
    gaps = [(g.higher, g.lower, g.difference) for g in result.perception_gaps]
    assert gaps == [("C", "A", 2.0)]


def _mixed_input(people, threshold, level=lambda rid: 2 + rid % 3):
    """One level answer per respondent; ``people`` is a list of (team, role)."""
    respondents = tuple(
        Respondent(rid, team=team, role=role) for rid, (team, role) in enumerate(people, 1)
    )
    return ScoringInput(
        dimensions=(DimensionSpec("D1", Text("a", "a")),),
        phases=PHASES,
        items=(ItemSpec("L", "D1", "IM-2.1", "level"),),
        respondents=respondents,
        answers=tuple(ItemAnswer(r.id, "L", value=level(r.id)) for r in respondents),
        parameters=Parameters(anonymity_threshold=threshold),
    )


def test_a_role_of_one_team_plus_one_person_is_not_shown_beside_that_team():
    # Issue #16: teams of 5/5/5 and a role "IT" made of team 2 plus one member of
    # team 1 (n = 6). Shown together, 2 × IT − team 2 would be that person's answer.
    # The other role ("user": team 3 plus four of team 1) is as close to team 3, so the
    # fewest groups to hide are the two roles, and every team stays.
    people = [("T1", "IT" if i == 0 else "user") for i in range(5)]
    people += [("T2", "IT") for _ in range(5)]
    people += [("T3", "user") for _ in range(5)]
    answer = {1: 5}  # the one IT member of team 1 answers level 5, everyone else 3
    result = score_assessment(_mixed_input(people, 5, level=lambda rid: answer.get(rid, 3)))
    shown = {(g.kind, g.name) for g in result.groups if g.medians["D1"] is not None}
    assert not {("team", "T2"), ("role", "IT")} <= shown
    hidden = [g for g in result.groups if g.overlap_hidden]
    assert {(g.kind, g.name) for g in hidden} == {("role", "IT"), ("role", "user")}
    assert all(median is None for g in hidden for median in g.medians.values())
    assert shown == {("team", "T1"), ("team", "T2"), ("team", "T3")}
    assert result.dimension("D1").median == 3  # the organisation is always shown


def test_equal_groups_and_far_apart_groups_are_both_shown():
    people = [("T1", "IT")] * 5 + [("T2", "user")] * 10
    result = score_assessment(_mixed_input(people, 5))
    assert not any(g.overlap_hidden for g in result.groups)
    assert {(g.kind, g.name) for g in result.groups} == {
        ("team", "T1"), ("team", "T2"), ("role", "IT"), ("role", "user"),
    }  # fmt: skip


def _bits(ids):
    return sum(1 << rid for rid in ids)


@settings(max_examples=400, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["A", "B", "C", "D", None]), st.sampled_from(["x", "y", "z", None])
        ),
        min_size=1,
        max_size=40,
    ),
    st.integers(3, 7),
)
def test_property_no_two_shown_groups_nor_whole_minus_group_single_anyone_out(people, threshold):
    result = score_assessment(_mixed_input(people, threshold))
    members = {"team": defaultdict(set), "role": defaultdict(set)}
    everyone = set(range(1, len(people) + 1))
    for rid, (team, role) in enumerate(people, 1):
        members["team"][team or OTHER].add(rid)
        members["role"][role or OTHER].add(rid)
    shown = []
    for group in result.groups:
        if group.overlap_hidden:
            assert all(median is None for median in group.medians.values())
            continue
        ids = members[group.kind][group.name]
        if group.name == OTHER:  # "other" is every respondent not in a named shown group
            named = set().union(
                *(members[group.kind][g.name] for g in result.groups
                  if g.kind == group.kind and g.name != OTHER)
            )  # fmt: skip
            ids = everyone - named
        assert len(ids) == group.n
        shown.append((group.kind, group.name, ids))
    for _kind, _name, ids in shown:  # the whole minus the group
        assert len(everyone - ids) == 0 or len(everyone - ids) >= threshold
    for (_ka, a_name, a), (_kb, b_name, b) in combinations(shown, 2):  # every pair
        apart = len(a ^ b)  # in one and not the other, either way
        assert apart == 0 or apart >= threshold, (a_name, b_name)
    assert not differ_too_little(_bits(everyone), _bits(everyone), threshold)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 3), st.integers(0, 3)), min_size=3, max_size=30),
    st.integers(3, 6),
)
def test_property_as_few_groups_as_possible_are_hidden(people, threshold):
    everyone = set(range(len(people)))
    groups = []
    for kind, position in (("team", 0), ("role", 1)):
        for value in range(4):
            ids = {rid for rid, person in enumerate(people) if person[position] == value}
            if len(ids) >= threshold:
                groups.append((kind, str(value), ids))
    hidden = overlapping(groups, everyone, threshold)

    def safe(kept):
        return all(
            not differ_too_little(_bits(ids), _bits(everyone), threshold) for *_k, ids in kept
        ) and all(
            a[0] == b[0] or not differ_too_little(_bits(a[2]), _bits(b[2]), threshold)
            for a, b in combinations(kept, 2)
        )

    assert safe([g for g in groups if (g[0], g[1]) not in hidden])
    fewest = next(
        size
        for size in range(len(groups) + 1)
        if any(
            safe([g for g in groups if g not in dropped])
            for dropped in map(list, combinations(groups, size))
        )
    )
    assert len(hidden) == fewest
