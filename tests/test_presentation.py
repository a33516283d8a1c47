"""The stories are pure: one selector reads their data; building them runs no query."""

from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from questionnaires import presentation, selectors, services
from questionnaires.models import Assessment, PlanEntry, Response, User

# The open cycle (a previous one, released examples), the closed one before it (an
# adopted plan with actions), and one no one has answered yet (only the counts).
pytestmark = pytest.mark.django_db

TITLES = ["IM-scan EPD 2026", "IM-scan EPD 2025", "IM-scan zaaksysteem 2027"]


@pytest.mark.parametrize("reviewing", [True, False])
@pytest.mark.parametrize("title", TITLES)
def test_the_story_is_built_without_the_database(demo, django_assert_num_queries, title, reviewing):
    assessment = Assessment.objects.get(title=title)
    data = selectors.story_data(assessment, reviewing=reviewing)
    with django_assert_num_queries(0):
        story = presentation.story_from(data)
    assert story == presentation.assessment_story(assessment, reviewing=reviewing)
    assert story["enough_responses"] is (title != TITLES[2])


def test_the_plan_is_built_without_the_database(demo, django_assert_num_queries):
    assessment = Assessment.objects.get(title="IM-scan EPD 2025")
    data = selectors.story_data(assessment, reviewing=False)
    with django_assert_num_queries(0):
        plan = presentation.plan_from(data)
    assert plan == presentation.improvement_plan(assessment)
    assert plan and any(row["actions"] for row in plan)


def test_the_respondents_result_is_built_without_the_database(demo, django_assert_num_queries):
    response = Response.objects.filter(assessment=demo, submitted_at__isnull=False).first()
    data = selectors.response_story_data(response)
    with django_assert_num_queries(0):
        result = presentation.respondent_story(data)
    assert result == presentation.respondent_result(response)
    assert len(result["rows"]) == len(data.dimensions) == 12
    assert result["chart"].svg().startswith("<svg")


def test_the_story_data_takes_the_same_queries_for_few_and_many_actions(demo):
    assessment = Assessment.objects.get(title="IM-scan EPD 2025")
    consultant = User.objects.get(email="consultant@demo.local")
    selectors.story_data(assessment, reviewing=True)  # the result is cached after the first read
    counts = []
    for extra in (0, 20):
        for entry in PlanEntry.objects.filter(assessment=assessment):
            for n in range(extra):
                services.action_add(
                    entry=entry, title=f"Actie {n}", owner="", due_date=None, actor=consultant
                )
        with CaptureQueriesContext(connection) as queries:
            data = selectors.story_data(assessment, reviewing=True)
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert sum(len(actions) for actions in data.actions.values()) >= 20 * len(data.plan_entries)


def _row(name, median):
    result = SimpleNamespace(is_applicable=True, median=median)
    return {"dimension": SimpleNamespace(name=name), "result": result}


def test_the_radar_headline_states_an_imbalance_only_when_the_rule_fires():
    rows = [_row("Procesfit", 3.5), _row("Borging", 2.71), _row("Adoptie", 3.3)]
    balanced = SimpleNamespace(unbalanced=False, mean_index=3.17)
    with translation.override("en"):
        assert presentation.radar_message(rows, balanced) == (
            "The dimensions are in balance: none lags far behind the average"
        )
        rows[1] = _row("Borging", 1.6)
        unbalanced = SimpleNamespace(unbalanced=True, mean_index=3.1)
        assert presentation.radar_message(rows, unbalanced) == (
            "Borging lags behind: 1.5 levels below the average of the dimensions"
        )
    with translation.override("nl"):
        assert "1,5" in presentation.radar_message(rows, unbalanced)


def test_the_pooling_is_explained_where_it_happens():
    from questionnaires.scoring import score_assessment
    from tests.scoring.builders import _teams_input

    # Teams of 5, 5 and 2 with a threshold of 5: the 2 alone cannot be shown, and a
    # pool of 2 would still give them away, so the smaller team of 5 joins them.
    result = score_assessment(
        _teams_input({"Noord": [3] * 6, "Zuid": [2] * 5, "Oost": [4] * 2}, threshold=5)
    )
    (other,) = [g for g in result.groups if g.name == "__other__"]
    assert (other.n, other.pooled, other.protected) == (7, ("Oost", "Zuid"), ("Zuid",))
    with translation.override("nl"):
        (section,) = presentation.heatmap(result, [], {})
    assert section["notes"] == [
        "“Overig” bevat de groepen van minder dan 5 personen, samen.",
        "“Overig” bevat ook een groep van 5 personen of meer: apart getoond zouden de kleinere "
        "groepen uit de andere cijfers af te leiden zijn.",
    ]
