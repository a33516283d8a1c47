"""Priorities, the barrier and the improvement plan (domain model §4.8–4.9)."""

from questionnaires.scoring import DIVIDED, score_assessment
from tests.scoring.builders import _plan_input


def test_barrier_is_first_in_dependency_order_and_leads_the_plan():
    medians = {"D7": 1, "D1": 2, "D3": 2, "D2": 4}
    result = score_assessment(_plan_input(medians, dict.fromkeys(medians, 4)))
    assert result.barrier == "D3"  # D2 meets 3; D3 comes before D1 and D7
    assert next(p.dimension for p in result.plan) == "D3"
    assert result.plan[0].is_barrier
    # Then by priority score: D7 (gap 3 → 15) before D1 (gap 2 → 8 × 1.5 = 12).
    assert [p.dimension for p in result.plan] == ["D3", "D7", "D1"]


def test_foundation_and_phase_relevance_factors():
    medians = {"D1": 2, "D9": 2, "D7": 2}
    expected = {"D1": {"IM-2.2": 3}, "D9": {"IM-2.2": 1}, "D7": {"IM-2.2": 3}}
    result = score_assessment(_plan_input(medians, dict.fromkeys(medians, 4), expected=expected))
    d1, d9, d7 = (result.dimension(c) for c in ("D1", "D9", "D7"))
    assert (d1.foundation_factor, d1.phase_relevance, d1.priority_score) == (1.5, 1.0, 12.0)
    assert (d9.foundation_factor, d9.phase_relevance, d9.priority_score) == (1.0, 0.5, 4.0)
    assert (d7.foundation_factor, d7.priority_score) == (1.0, 8.0)
    assert d1.priority == "high"


def test_plan_never_skips_a_level_and_shows_the_next_step():
    result = score_assessment(_plan_input({"D7": 2}, {"D7": 5}))
    (item,) = result.plan
    assert (item.from_level, item.to_level, item.then_from_level) == (2, 3, 3)


def test_plan_leaves_out_dimensions_at_or_above_target():
    result = score_assessment(_plan_input({"D7": 4, "D6": 3}, {"D7": 4, "D6": 2}, claimed=None))
    assert result.plan == ()
    assert result.dimension("D6").priority == "above_target"
    assert result.dimension("D6").gap_weight == 0


def test_divided_dimension_first_builds_a_shared_picture():
    result = score_assessment(_plan_input({"D4": 3}, {"D4": 5}, divided=("D4",)))
    assert result.dimension("D4").consensus == DIVIDED
    assert result.plan[0].build_shared_picture
