"""Teams and roles: pooling small groups so none can be derived, and perception gaps."""

from hypothesis import given, settings
from hypothesis import strategies as st

from questionnaires.scoring import OTHER, score_assessment, visible_groups
from tests.scoring.builders import _teams_input


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
