"""Respondent profiles: worked out once per respondent, stored as JSON, read back, and
aggregated to exactly the result of scoring every answer."""

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from questionnaires.scoring import (
    Parameters,
    Respondent,
    aggregate,
    profile_from_plain,
    profile_key,
    profile_to_plain,
    respondent_profiles,
    score_assessment,
)
from tests.scoring.builders import _one_dimension, respondent_answers


def _stored(data):
    """Every profile through JSON text and back, as the database keeps it."""
    dimensions = [spec.code for spec in data.dimensions]
    items = [item.code for item in data.items]
    return [
        profile_from_plain(
            profile.respondent.id,
            profile.respondent.team,
            dimensions,
            items,
            json.loads(json.dumps(profile_to_plain(profile, items))),
        )
        for profile in respondent_profiles(data)
    ]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(respondent_answers, min_size=0, max_size=14),
    st.lists(st.sampled_from(["A", "B", None]), min_size=14, max_size=14),
    st.lists(st.sampled_from(["end_user", "it", None]), min_size=14, max_size=14),
    st.booleans(),
    st.integers(3, 5),
)
def test_property_stored_profiles_give_exactly_the_result_of_every_answer(
    answers, teams, roles, role_balanced, threshold
):
    from dataclasses import replace

    data = _one_dimension(answers, allow_na=True, threshold=threshold)
    data = replace(
        data,
        respondents=tuple(
            Respondent(r.id, team=teams[i], role=roles[i], perceived_phase="IM-2.1")
            for i, r in enumerate(data.respondents)
        ),
        parameters=Parameters(anonymity_threshold=threshold, role_balanced=role_balanced),
    )
    assert aggregate(replace(data, answers=(), respondents=()), _stored(data)) == (
        score_assessment(data)
    )


def test_a_profile_of_other_dimensions_or_format_is_worked_out_again():
    data = _one_dimension([{"L": 3, "K1": 4}], threshold=1)
    (profile,) = respondent_profiles(data)
    items = [item.code for item in data.items]
    plain = profile_to_plain(profile, items)
    assert profile_from_plain(1, None, ["D1"], items, plain) == profile
    assert profile_from_plain(1, None, ["D1", "D2"], items, plain) is None
    assert profile_from_plain(1, None, ["D1"], items[:-1], plain) is None
    assert profile_from_plain(1, None, ["D1"], items, {**plain, "format": 0}) is None


def test_the_key_changes_with_the_respondent_level_settings_only():
    from dataclasses import replace

    data = _one_dimension([{"L": 3}], threshold=3)
    key = profile_key(data)
    assert profile_key(replace(data, parameters=Parameters(anonymity_threshold=7))) == key
    assert profile_key(replace(data, parameters=Parameters(level_weight=0.6))) != key
    assert profile_key(replace(data, items=data.items[:-1])) != key
