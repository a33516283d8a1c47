"""The overall result (domain model §4.6): the level, why, the weakest dimensions and
the phase-scoped level."""

import pytest

from questionnaires.scoring import DimensionSpec, ScoringInput, score_assessment
from tests.scoring.builders import _from_medians


def test_overall_result_explains_itself_in_both_languages():
    medians = {f"D{i}": 3 for i in range(1, 11)} | {"D11": 4, "D12": 4}
    overall = score_assessment(_from_medians(medians)).overall
    assert overall.level == 3
    assert overall.why.en == (
        "Level 3: 12 of 12 dimensions are at 3 or higher and none is below 2. "
        "Level 4 not reached: 2 of 12 dimensions at 4 or higher, 80 % needed."
    )
    assert overall.why.nl.startswith("Niveau 3: 12 van 12 dimensies staan op 3 of hoger")
    assert "Niveau 4 niet gehaald: 2 van 12 dimensies op 4 of hoger, 80 % nodig." in (
        overall.why.nl
    )
    assert overall.why.get("en-gb") == overall.why.en


def test_overall_why_names_the_dimension_that_blocks_by_tolerance():
    medians = {f"D{i}": 5 for i in range(1, 12)} | {"D12": 3}
    overall = score_assessment(_from_medians(medians)).overall
    assert overall.level == 4
    assert "Level 5 not reached: name D12 is below level 4." in overall.why.en


def test_overall_why_says_nothing_empty_about_the_bottom_of_the_scale():
    overall = score_assessment(_from_medians({f"D{i}": 2 for i in range(1, 13)})).overall
    assert overall.level == 2
    assert overall.why.nl.startswith("Niveau 2: 12 van 12 dimensies staan op 2 of hoger. ")
    assert "onder 1" not in overall.why.nl and "below 1" not in overall.why.en


def test_mean_index_weakest_and_balance_gap():
    medians = {"D1": 4, "D2": 4, "D3": 4, "D4": 1}
    overall = score_assessment(_from_medians(medians)).overall
    assert overall.mean_index == pytest.approx(3.25)
    assert overall.weakest == ("D4",)
    assert overall.weakest_level == 1
    assert overall.balance_gap == pytest.approx(2.25)
    assert overall.unbalanced


def test_phase_scoped_level_counts_only_dimensions_expected_at_two():
    medians = {"D1": 3, "D2": 3, "D9": 1}
    data = _from_medians(medians, claimed="IM-2.1")
    expected = {"D1": {"IM-2.1": 2}, "D2": {"IM-2.1": 2}, "D9": {"IM-2.1": 1}}
    data = ScoringInput(
        **{
            **data.__dict__,
            "dimensions": tuple(
                DimensionSpec(d.code, d.name, expected[d.code]) for d in data.dimensions
            ),
        }
    )
    overall = score_assessment(data).overall
    assert overall.level == 1  # D9 at 1 holds everything back
    assert overall.phase_scoped_dimensions == ("D1", "D2")
    assert overall.phase_scoped_level == 3
