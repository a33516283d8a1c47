"""The pure rules of domain model §4.2–4.9, one table each: item scores, the
respondent × dimension score, the level of a score, the overall level, consensus,
gap weight and priority."""

import statistics

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from questionnaires.scoring import (
    ItemAnswer,
    ItemSpec,
    consensus_class,
    gap_weight,
    item_score,
    level_of,
    likert_to_level,
    overall_level,
    priority_label,
    respondent_dimension_score,
    spread,
)
from tests.scoring.builders import WORKED_EXAMPLE


@pytest.mark.parametrize(
    ("value", "reverse", "expected"),
    [
        (1, False, 1.0),
        (2, False, 2.25),
        (3, False, 3.5),
        (4, False, 4.75),
        (5, False, 6.0),
        (1, True, 6.0),
        (2, True, 4.75),
        (3, True, 3.5),
        (4, True, 2.25),
        (5, True, 1.0),
    ],
)
def test_likert_to_level(value, reverse, expected):
    assert likert_to_level(value, reverse=reverse) == expected


@pytest.mark.parametrize("value", [0, 6, -1])
def test_likert_outside_scale_is_refused(value):
    with pytest.raises(ValueError):
        likert_to_level(value)


@pytest.mark.parametrize(
    ("kind", "answer", "expected"),
    [
        ("level", ItemAnswer(1, "X", value=4), 4.0),
        ("level", ItemAnswer(1, "X", special="dont_know"), None),
        ("level", ItemAnswer(1, "X", special="not_applicable"), None),
        ("likert", ItemAnswer(1, "X", value=5), 6.0),
        ("likert", ItemAnswer(1, "X", special="dont_know"), None),
        ("likert", ItemAnswer(1, "X"), None),
    ],
)
def test_item_score_missing_is_never_zero(kind, answer, expected):
    assert item_score(ItemSpec("X", "D1", "PM", kind), answer) == expected


@pytest.mark.parametrize(
    ("level", "likert", "expected"),
    [
        (4.0, [3.5, 4.75], 0.5 * 4 + 0.5 * 4.125),
        (4.0, [], 4.0),  # level item only
        (None, [3.5, 4.75], 4.125),  # Likert only, two items
        (None, [3.5], None),  # one Likert item is not enough
        (None, [], None),
        (1.0, [6.0, 6.0], 3.5),
    ],
)
def test_respondent_dimension_score(level, likert, expected):
    result = respondent_dimension_score(level, likert)
    if expected is None:
        assert result is None
    else:
        assert result == pytest.approx(expected)


@pytest.mark.parametrize(
    ("score", "level"), [(1.0, 1), (2.999999999, 3), (3.99, 3), (4.0, 4), (6.0, 6)]
)
def test_level_is_the_floor_of_the_score(score, level):
    assert level_of(score) == level


@pytest.mark.parametrize(
    ("scores", "expected"),
    [
        (WORKED_EXAMPLE, 3),
        ({"D1": 4.0, "D2": 4.0, "D3": 4.0, "D4": 4.0, "D5": 2.9}, 3),  # D5 < 4 − 1
        ({"D1": 4.0, "D2": 4.0, "D3": 4.0, "D4": 4.0, "D5": 3.0}, 4),  # 80 %, none < 3
        ({"D1": 6.0, "D2": 6.0}, 6),
        ({"D1": 1.0, "D2": 6.0}, 1),
        ({"D1": 2.0, "D2": None, "D3": 2.0}, 2),  # None is not applicable
        ({}, 1),
    ],
)
def test_overall_level_tolerant_weakest_link(scores, expected):
    assert overall_level(scores) == expected


def test_overall_level_parameters_are_configurable():
    assert overall_level(WORKED_EXAMPLE, share=0.5) == 3
    assert overall_level({"D1": 4.0, "D2": 2.0}, share=0.5, tolerance=2) == 4
    assert overall_level({"D1": 4.0, "D2": 2.0}, share=0.5, tolerance=1) == 3


@pytest.mark.parametrize(
    ("scores", "expected"),
    [
        ([3, 3, 3, 4, 4], "consensus"),
        ([3, 3.5, 3, 3, 3.5, 4], "consensus"),
        ([2, 3, 4, 5, 5], "moderate"),  # IQR 2, 80 % within ±1
        ([1, 1, 2, 5, 6, 6], "divided"),  # IQR > 2
        ([1, 3, 3, 5, 5], "divided"),  # IQR 2 but only 40 % within ±1
        ([4], "consensus"),
    ],
)
def test_consensus_class(scores, expected):
    assert consensus_class(scores) == expected


def test_spread_within_one_share():
    s = spread([1, 3, 3, 5, 5])
    assert s.median == 3
    assert s.within_one == pytest.approx(2 / 5)


@pytest.mark.parametrize(
    ("target", "current", "weight"),
    [(4, 3, 3.0), (4, 2, 8.0), (4, 4, 0.0), (3, 4.5, 0.0), (4, 3.5, 1.25)],
)
def test_gap_weight_open_sammy(target, current, weight):
    assert gap_weight(target, current) == pytest.approx(weight)


@pytest.mark.parametrize(
    ("gap", "label"),
    [(2.5, "high"), (2.0, "high"), (1.99, "medium"), (1.0, "medium"), (0.5, "low"),
     (0.0, "low"), (-0.5, "above_target")],
)  # fmt: skip
def test_priority_label(gap, label):
    assert priority_label(gap) == label


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.sampled_from([1.0, 2.25, 2.5, 3.0, 3.125, 3.5, 4.75, 5.0, 6.0]),
            st.floats(1, 6, allow_nan=False),
        ),
        min_size=1,
        max_size=60,
    )
)
def test_property_the_share_within_one_is_a_plain_count(scores):
    median = statistics.median(scores)
    counted = sum(1 for s in scores if abs(s - median) <= 1 + 1e-9) / len(scores)
    assert spread(scores).within_one == counted
