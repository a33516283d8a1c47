"""The scoring rules of domain model §4.2–4.9, table by table; no database."""

import statistics

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from questionnaires.scoring import (
    DIVIDED,
    INCONSISTENT,
    INSUFFICIENT,
    LEVEL_ONLY,
    LIKERT_ONLY,
    NA,
    OK,
    OTHER,
    DimensionSpec,
    ItemAnswer,
    ItemSpec,
    Parameters,
    Respondent,
    ScoringInput,
    Text,
    as_plain,
    consensus_class,
    gap_weight,
    item_score,
    level_of,
    likert_to_level,
    overall_level,
    priority_label,
    respondent_dimension_score,
    score_assessment,
    spread,
    visible_groups,
)

PHASES = ("PM", "IM-2.1", "IM-2.2", "IM-2.3", "IM-2.4", "MoC")


# --- §4.2 item scores -------------------------------------------------------------------


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


# --- §4.3 respondent × dimension --------------------------------------------------------


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


def _one_dimension(answers_per_respondent, *, allow_na=False, threshold=3, targets=None):
    """An assessment with one dimension D1: a level item and three Likert items."""
    items = (
        ItemSpec("L", "D1", "IM-2.1", "level", allow_not_applicable=allow_na),
        ItemSpec("K1", "D1", "IM-2.1", "likert"),
        ItemSpec("K2", "D1", "IM-2.2", "likert"),
        ItemSpec("K3", "D1", "PM", "likert", reverse=True),
    )
    answers = []
    for rid, given_answers in enumerate(answers_per_respondent, start=1):
        for code, value in given_answers.items():
            if isinstance(value, str):
                answers.append(ItemAnswer(rid, code, special=value))
            else:
                answers.append(ItemAnswer(rid, code, value=value))
    return ScoringInput(
        dimensions=(DimensionSpec("D1", Text("Procesfit", "Process fit"), {"IM-2.1": 2}),),
        phases=PHASES,
        items=items,
        respondents=tuple(Respondent(i) for i in range(1, len(answers_per_respondent) + 1)),
        answers=tuple(answers),
        targets=targets or {},
        parameters=Parameters(anonymity_threshold=threshold),
    )


def test_respondent_flags_level_only_likert_only_and_inconsistent():
    data = _one_dimension(
        [
            {"L": 3},
            {"L": "dont_know", "K1": 4, "K2": 4},
            {"L": 6, "K1": 1, "K2": 1},  # |6 − 1| ≥ 2
            {"L": 3, "K1": 3},
        ]
    )
    from questionnaires.scoring.assessment import _respondent_scores

    rows = _respondent_scores(
        data, sorted(data.respondents, key=lambda r: r.id), _by_respondent(data)
    )["D1"]
    assert [row.flags for row in rows] == [(LEVEL_ONLY,), (LIKERT_ONLY,), (INCONSISTENT,), ()]
    assert [row.score for row in rows] == [3.0, 4.75, 3.5, 0.5 * 3 + 0.5 * 3.5]


def _by_respondent(data):
    """Item scores per respondent, as score_assessment hands them to its rules."""
    items = {item.code: item for item in data.items}
    result = {}
    for answer in data.answers:
        score = item_score(items[answer.item], answer)
        if score is not None:
            result.setdefault(answer.respondent, {})[answer.item] = score
    return result


# --- §4.4 organisation × dimension ------------------------------------------------------


def test_dimension_median_even_n_and_quartiles():
    data = _one_dimension([{"L": level} for level in (2, 3, 4, 5)])
    d = score_assessment(data).dimension("D1")
    assert d.status == OK
    assert d.n == 4
    assert d.median == 3.5  # even n: mean of the middle two
    expected = statistics.quantiles([2, 3, 4, 5], n=4, method="inclusive")
    assert (d.p25, d.p75) == (expected[0], expected[2])
    assert d.iqr == pytest.approx(expected[2] - expected[0])
    assert d.level == 3
    assert d.progress == pytest.approx(0.5)
    assert d.mean == 3.5


def test_dimension_below_threshold_is_insufficient_data():
    d = score_assessment(_one_dimension([{"L": 4}, {"L": 5}], threshold=3)).dimension("D1")
    assert d.status == INSUFFICIENT
    assert d.median is None
    assert d.level is None
    assert d.n == 2


def test_empty_assessment_scores_nothing():
    result = score_assessment(_one_dimension([]))
    assert result.respondents == 0
    assert result.dimension("D1").status == INSUFFICIENT
    assert result.overall.level is None
    assert "no dimension has enough answers" in result.overall.why.en
    assert result.plan == ()
    assert result.phase_gate.demonstrated is None


def test_all_dont_know_gives_no_score_and_limited_visibility():
    data = _one_dimension([{"L": "dont_know", "K1": "dont_know"} for _ in range(5)])
    d = score_assessment(data).dimension("D1")
    assert d.status == INSUFFICIENT
    assert d.n == 0
    assert d.dont_know_share == 1.0
    assert d.limited_visibility


@pytest.mark.parametrize(("dont_know", "limited"), [(2, False), (3, True)])
def test_limited_visibility_from_thirty_percent_dont_know(dont_know, limited):
    # 10 answers on the dimension's items, of which `dont_know` are "don't know".
    answers = [{"L": 3, "K1": 3}] * 5
    answers = [dict(a) for a in answers]
    for i in range(dont_know):
        answers[i]["K1"] = "dont_know"
    d = score_assessment(_one_dimension(answers)).dimension("D1")
    assert d.dont_know_share == pytest.approx(dont_know / 10)
    assert d.limited_visibility is limited


@pytest.mark.parametrize(("na_count", "status"), [(2, OK), (3, NA)])
def test_not_applicable_from_half_the_level_answers(na_count, status):
    answers = [{"L": "not_applicable"} for _ in range(na_count)]
    answers += [{"L": 3} for _ in range(6 - na_count)]
    d = score_assessment(_one_dimension(answers, allow_na=True)).dimension("D1")
    assert d.status == status
    if status == NA:
        result = score_assessment(_one_dimension(answers, allow_na=True))
        assert result.overall.level is None  # left out of the overall level


def test_not_applicable_is_ignored_where_not_allowed():
    answers = [{"L": "not_applicable", "K1": 3, "K2": 3}] * 3 + [{"L": 3}] * 2
    d = score_assessment(_one_dimension(answers, allow_na=False)).dimension("D1")
    assert d.status == OK
    assert d.not_applicable_share == 0


@pytest.mark.parametrize(
    ("score", "level"), [(1.0, 1), (2.999999999, 3), (3.99, 3), (4.0, 4), (6.0, 6)]
)
def test_level_is_the_floor_of_the_score(score, level):
    assert level_of(score) == level


# --- §4.6 overall level ---------------------------------------------------------------

WORKED_EXAMPLE = {
    "D1": 3.5, "D2": 4.0, "D3": 2.5, "D4": 3.0, "D5": 3.5, "D6": 3.0,
    "D7": 3.5, "D8": 4.0, "D9": 3.0, "D10": 3.0, "D11": 3.0, "D12": 2.5,
}  # fmt: skip


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


def _from_medians(medians, *, claimed=None, targets=None, expected=None, threshold=1):
    """One respondent whose level items give exactly these dimension scores."""
    dims, items, answers = [], [], []
    for code, median in medians.items():
        dims.append(DimensionSpec(code, Text(f"naam {code}", f"name {code}"), expected or {}))
        items.append(ItemSpec(f"{code}.1", code, "IM-2.2", "level"))
        answers.append(ItemAnswer(1, f"{code}.1", value=int(median)))
    return ScoringInput(
        dimensions=tuple(dims),
        phases=PHASES,
        items=tuple(items),
        respondents=(Respondent(1),),
        answers=tuple(answers),
        targets=targets or {},
        claimed_phase=claimed,
        parameters=Parameters(anonymity_threshold=threshold),
    )


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
    assert "Level 5 not reached: D12 name D12 below level 4." in overall.why.en


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


# --- §4.7 consensus ---------------------------------------------------------------------


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


# --- §4.8–4.9 gaps, priorities, barrier and plan ---------------------------------------


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


def _plan_input(medians, targets, claimed="IM-2.2", expected=None, divided=()):
    """Five respondents per dimension; `divided` dimensions get a split answer pattern."""
    dims, items, answers = [], [], []
    for code, median in medians.items():
        dims.append(
            DimensionSpec(code, Text(code, code), (expected or {}).get(code, {"IM-2.2": 3}))
        )
        items.append(ItemSpec(f"{code}.1", code, "IM-2.2", "level"))
        values = [1, 1, int(median), 6, 6] if code in divided else [int(median)] * 5
        answers += [ItemAnswer(r, f"{code}.1", value=v) for r, v in enumerate(values, 1)]
    return ScoringInput(
        dimensions=tuple(dims),
        phases=PHASES,
        items=tuple(items),
        respondents=tuple(Respondent(r) for r in range(1, 6)),
        answers=tuple(answers),
        targets=targets,
        claimed_phase=claimed,
        parameters=Parameters(anonymity_threshold=5),
    )


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


# --- §4.5 phases and the phase gate ----------------------------------------------------


def test_phase_gate_demonstrated_versus_claimed():
    expected = {
        "D1": {"IM-2.1": 2, "IM-2.2": 3},
        "D2": {"IM-2.1": 2, "IM-2.2": 3},
        "D3": {"IM-2.1": 2, "IM-2.2": 3},
        "D4": {"IM-2.1": 1, "IM-2.2": 2},
        "D5": {"IM-2.1": 1, "IM-2.2": 3},
    }
    medians = {"D1": 3, "D2": 3, "D3": 2, "D4": 2, "D5": 2}
    result = score_assessment(_plan_input(medians, {}, claimed="IM-2.2", expected=expected))
    gate = result.phase_gate
    assert gate.passed == {"IM-2.1": True, "IM-2.2": False}
    assert gate.demonstrated == "IM-2.1"
    assert gate.claimed_above_demonstrated
    assert gate.why.en == "IM-2.2 not demonstrated: D3, D5 below the expected level."


def test_phase_scores_need_four_items_and_half_answered():
    items = [ItemSpec(f"P{i}", "D1", "PM", "likert") for i in range(4)]
    items.append(ItemSpec("Q", "D1", "MoC", "level"))
    answers = [ItemAnswer(r, "P0", value=5) for r in range(1, 4)]
    answers += [ItemAnswer(r, "P1", value=5) for r in range(1, 4)]
    answers += [ItemAnswer(r, "Q", value=4) for r in range(1, 4)]
    answers.append(ItemAnswer(4, "P0", value=1))  # only one of four PM items: no phase score
    data = ScoringInput(
        dimensions=(DimensionSpec("D1", Text("a", "a")),),
        phases=PHASES,
        items=tuple(items),
        respondents=tuple(Respondent(r) for r in range(1, 5)),
        answers=tuple(answers),
        parameters=Parameters(anonymity_threshold=3),
    )
    phases = {p.code: p for p in score_assessment(data).phases}
    assert phases["PM"].status == "ok"
    assert phases["PM"].n == 3
    assert phases["PM"].median == 6.0
    assert phases["MoC"].status == "too_few_items"


# --- groups, perception gaps, trend ----------------------------------------------------


def _teams_input(team_levels, threshold=3, previous=None):
    respondents, answers, rid = [], [], 0
    for team, levels in team_levels.items():
        for level in levels:
            rid += 1
            respondents.append(Respondent(rid, team=team, role="end_user"))
            answers.append(ItemAnswer(rid, "L", value=level))
    return ScoringInput(
        dimensions=(DimensionSpec("D1", Text("a", "a")),),
        phases=PHASES,
        items=(ItemSpec("L", "D1", "IM-2.1", "level"),),
        respondents=tuple(respondents),
        answers=tuple(answers),
        parameters=Parameters(anonymity_threshold=threshold),
        previous=previous,
    )


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


def test_trend_real_only_with_half_a_level_and_five_in_both():
    before = score_assessment(_teams_input({"A": [2, 2, 2, 2, 2]}, threshold=3))
    after = score_assessment(_teams_input({"A": [3, 3, 3, 3, 3]}, previous=before))
    assert after.dimension("D1").trend.delta == 1.0
    assert after.dimension("D1").trend.real
    small = score_assessment(_teams_input({"A": [3, 3, 3]}, previous=before))
    assert not small.dimension("D1").trend.real  # n = 3 now: an indication only


def test_result_is_json_ready():
    import json

    result = score_assessment(_one_dimension([{"L": 3, "K1": 4}] * 3))
    text = json.dumps(as_plain(result))
    assert '"overall"' in text
    assert '"why"' in text


def test_parameters_from_settings_ignore_unknown_keys_and_keep_types():
    params = Parameters.from_settings(
        {"overall_share": "0.75", "plan_size": "3", "nonsense": 1, "dependency_order": ["D1"]},
        anonymity_threshold=7,
    )
    assert params.overall_share == 0.75
    assert params.plan_size == 3
    assert params.anonymity_threshold == 7
    assert params.dependency_order == ("D1",)


# --- Hypothesis properties ---------------------------------------------------------------

answer_value = st.one_of(st.integers(1, 5), st.sampled_from(["dont_know"]))
level_value = st.one_of(st.integers(1, 6), st.sampled_from(["dont_know"]))
respondent_answers = st.fixed_dictionaries(
    {"L": level_value, "K1": answer_value, "K2": answer_value, "K3": answer_value}
)


@settings(max_examples=150, deadline=None)
@given(st.lists(respondent_answers, min_size=0, max_size=12))
def test_property_scores_stay_within_one_and_six(answers):
    result = score_assessment(_one_dimension(answers))
    d = result.dimension("D1")
    for value in (d.median, d.mean, d.p25, d.p75):
        assert value is None or 1 <= value <= 6
    if result.overall.level is not None:
        assert 1 <= result.overall.level <= 6


@settings(max_examples=150, deadline=None)
@given(
    st.lists(respondent_answers, min_size=3, max_size=10),
    st.integers(0, 9),
    st.sampled_from(["L", "K1", "K2", "K3"]),
)
def test_property_raising_an_answer_never_lowers_scores(answers, index, item):
    index %= len(answers)
    current = answers[index][item]
    if current == "dont_know":
        return
    raised = [dict(a) for a in answers]
    top = 6 if item == "L" else 5
    # K3 is reverse-keyed: raising its *score* means lowering the agreement.
    raised[index][item] = (
        (current - 1 if current > 1 else 1) if item == "K3" else min(top, current + 1)
    )
    before = score_assessment(_one_dimension(answers))
    after = score_assessment(_one_dimension(raised))
    from questionnaires.scoring.assessment import _respondent_scores

    def person(data):
        rows = _respondent_scores(
            data, sorted(data.respondents, key=lambda r: r.id), _by_respondent(data)
        )
        return rows["D1"][index].score

    if person(_one_dimension(answers)) is not None:
        assert person(_one_dimension(raised)) >= person(_one_dimension(answers)) - 1e-9
    b, a = before.dimension("D1").median, after.dimension("D1").median
    if b is not None:
        assert a >= b - 1e-9


@settings(max_examples=100, deadline=None)
@given(st.lists(respondent_answers, min_size=0, max_size=10), st.randoms())
def test_property_respondent_order_never_changes_the_result(answers, rnd):
    data = _one_dimension(answers)
    shuffled_answers = list(data.answers)
    rnd.shuffle(shuffled_answers)
    shuffled_respondents = list(data.respondents)
    rnd.shuffle(shuffled_respondents)
    shuffled = ScoringInput(
        **{
            **data.__dict__,
            "answers": tuple(shuffled_answers),
            "respondents": tuple(shuffled_respondents),
        }
    )
    assert score_assessment(shuffled) == score_assessment(data)


@settings(max_examples=100, deadline=None)
@given(st.lists(respondent_answers, min_size=0, max_size=10), st.data())
def test_property_adding_dont_know_never_changes_a_score(answers, data):
    # Start without any "don't know", then add it only where no answer was given.
    sparse = [{k: v for k, v in a.items() if v != "dont_know"} for a in answers]
    with_dk = [dict(a) for a in sparse]
    for a in with_dk:
        for item in ("L", "K1", "K2", "K3"):
            if item not in a and data.draw(st.booleans()):
                a[item] = "dont_know"
    before = score_assessment(_one_dimension(sparse)).dimension("D1")
    after = score_assessment(_one_dimension(with_dk)).dimension("D1")
    assert (after.median, after.mean, after.p25, after.p75, after.n, after.level) == (
        before.median,
        before.mean,
        before.p25,
        before.p75,
        before.n,
        before.level,
    )


def test_worked_example_of_the_domain_model_end_to_end():
    dims, items, answers = [], [], []
    for code, median in WORKED_EXAMPLE.items():
        dims.append(DimensionSpec(code, Text(code, code)))
        items.append(ItemSpec(f"{code}.1", code, "IM-2.2", "level"))
        low, high = int(median), int(median + 0.5)  # two answers whose median is `median`
        answers += [ItemAnswer(1, f"{code}.1", value=low), ItemAnswer(2, f"{code}.1", value=high)]
    data = ScoringInput(
        dimensions=tuple(dims),
        phases=PHASES,
        items=tuple(items),
        respondents=(Respondent(1), Respondent(2)),
        answers=tuple(answers),
        parameters=Parameters(anonymity_threshold=2),
    )
    result = score_assessment(data)
    assert {d.code: d.median for d in result.dimensions} == WORKED_EXAMPLE
    overall = result.overall
    assert overall.level == 3
    assert round(overall.mean_index, 1) == 3.2
    assert overall.weakest == ("D3", "D12")
    assert overall.weakest_level == 2
    assert round(overall.balance_gap, 1) == 0.7
    assert not overall.unbalanced
    assert "Level 4 not reached: 2 of 12 dimensions at 4 or higher, 80 % needed." in (
        overall.why.en
    )


def test_role_balanced_median_is_the_mean_of_role_medians():
    respondents, answers = [], []
    levels = [("end_user", 2)] * 6 + [("manager", 5)] * 3
    for rid, (role, level) in enumerate(levels, start=1):
        respondents.append(Respondent(rid, role=role))
        answers.append(ItemAnswer(rid, "L", value=level))
    base = ScoringInput(
        dimensions=(DimensionSpec("D1", Text("a", "a")),),
        phases=PHASES,
        items=(ItemSpec("L", "D1", "IM-2.1", "level"),),
        respondents=tuple(respondents),
        answers=tuple(answers),
        parameters=Parameters(anonymity_threshold=3),
    )
    assert score_assessment(base).dimension("D1").median == 2
    balanced = ScoringInput(
        **{**base.__dict__, "parameters": Parameters(anonymity_threshold=3, role_balanced=True)}
    )
    assert score_assessment(balanced).dimension("D1").median == 3.5
