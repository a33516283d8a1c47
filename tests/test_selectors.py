"""The scoring selector reads an assessment in a constant number of queries."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from questionnaires import selectors, services
from questionnaires.models import Answer, Organization, Response, StoredResult
from questionnaires.tokens import token_new
from tests.factories import AssessmentFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db


def _respond(assessment, count, team=None):
    questions = list(assessment.maturity_model.questions.prefetch_related("choices"))
    now = timezone.now()
    responses = Response.objects.bulk_create(
        Response(
            assessment=assessment,
            team=team,
            resume_token_hash=token_new()[1],
            submitted_at=now,
        )
        for _ in range(count)
    )
    answers = []
    for index, response in enumerate(responses):
        for question in questions:
            choices = list(question.choices.all())
            if not choices:
                continue
            answers.append(
                Answer(response=response, question=question, choice=choices[index % len(choices)])
            )
    Answer.objects.bulk_create(answers)
    return responses


def _queries(assessment):
    with CaptureQueriesContext(connection) as queries:
        selectors.assessment_result(assessment)
    return len(queries)


def test_query_count_is_the_same_for_3_and_300_responses(im_model):
    small = AssessmentFactory(maturity_model=im_model, anonymity_threshold=3)
    large = AssessmentFactory(maturity_model=im_model, anonymity_threshold=3)
    _respond(small, 3)
    _respond(large, 300)
    # Profiles not stored yet (made in bulk): four queries read the model, settings and
    # targets, two find where the released responses end while answering goes on, one
    # reads the targets for the cache key, one the stored result, two the released teams
    # and stored profiles, four the responses and every answer, and one stores the result.
    assert _queries(small) == _queries(large) <= 15
    cache.clear()
    StoredResult.objects.all().delete()
    for assessment in (small, large):
        services.response_scores_refresh(assessment=assessment)
    assert _queries(small) == _queries(large) <= 11  # stored profiles: no answer is read
    for assessment in (small, large):  # once over: one query counts what is released
        assessment.status = "closed"
        assessment.save()
    assert _queries(small) == _queries(large) <= 10
    cache.clear()  # a flushed cache: the stored result, and not one profile, is read
    assert _queries(small) == _queries(large) <= 3


def test_while_open_the_result_moves_only_in_steps_of_the_threshold(im_model):
    assessment = AssessmentFactory(maturity_model=im_model)  # threshold 5
    _respond(assessment, 5)
    first = selectors.assessment_result(assessment)
    assert first.respondents == 5
    assert _queries(assessment) == 3  # only the key: the result comes from the cache
    _respond(assessment, 1)  # one colleague more: nothing moves, not even the cache key
    assert selectors.assessment_result(assessment) == first
    assert _queries(assessment) == 3
    _respond(assessment, 3)
    assert selectors.assessment_result(assessment) == first
    _respond(assessment, 1)  # the fifth new response: the next step
    assert selectors.assessment_result(assessment).respondents == 10
    _respond(assessment, 2)
    assert selectors.assessment_result(assessment).respondents == 10
    assessment.status = "closed"  # answering is over: every response counts
    assessment.save()
    assert selectors.assessment_result(assessment).respondents == 12


def test_after_reopening_what_was_shown_at_closing_stays(im_model):
    from questionnaires import services

    assessment = AssessmentFactory(maturity_model=im_model, status="closed")
    _respond(assessment, 7)
    consultant = UserFactory()
    assert selectors.assessment_result(assessment).respondents == 7
    assessment.closes_at = None
    assessment.save()
    assessment = services.assessment_transition(
        assessment=assessment, action="reopen", actor=consultant
    )
    assert assessment.released_through is not None
    assert selectors.assessment_result(assessment).respondents == 7  # not back to 5
    _respond(assessment, 4)
    assert selectors.assessment_result(assessment).respondents == 7
    _respond(assessment, 1)
    assert selectors.assessment_result(assessment).respondents == 12


def test_changed_targets_give_a_fresh_result(im_model):
    assessment = AssessmentFactory(maturity_model=im_model)
    _respond(assessment, 5)
    assert selectors.assessment_result(assessment).dimension("D1").target is None
    from questionnaires.models import AssessmentTarget

    AssessmentTarget.objects.create(
        assessment=assessment, dimension=im_model.dimensions.get(code="D1"), level=4
    )
    assert selectors.assessment_result(assessment).dimension("D1").target == 4


def test_previous_assessment_adds_a_fixed_number_of_queries(im_model):
    previous = AssessmentFactory(maturity_model=im_model)
    current = AssessmentFactory(
        maturity_model=im_model, organization=previous.organization, previous=previous
    )
    _respond(previous, 5)
    _respond(current, 5)
    alone = AssessmentFactory(maturity_model=im_model)
    _respond(alone, 5)
    assert _queries(current) <= 2 * _queries(alone) + 1


def test_only_submitted_responses_count(im_model):
    assessment = AssessmentFactory(maturity_model=im_model, status="closed")
    _respond(assessment, 6)
    unfinished = _respond(assessment, 2)
    Response.objects.filter(pk__in=[r.pk for r in unfinished]).update(submitted_at=None)
    data = selectors.assessment_scoring_input(assessment)
    assert len(data.respondents) == 6
    assert {a.respondent for a in data.answers} <= {r.id for r in data.respondents}


def test_input_carries_team_role_and_perceived_phase(im_model):
    team = TeamFactory()
    assessment = AssessmentFactory(
        maturity_model=im_model, organization=team.organization, status="closed"
    )
    _respond(assessment, 1, team=team)
    data = selectors.assessment_scoring_input(assessment)
    (respondent,) = data.respondents
    assert respondent.team == team.name
    assert respondent.role == "end_user"  # first choice of C1
    assert respondent.perceived_phase == "PM"  # first choice of C3
    assert len(data.items) == 48
    assert len(data.dimensions) == 12
    assert data.parameters.anonymity_threshold == assessment.anonymity_threshold


def test_scoring_parameters_come_from_the_assessment(im_model):
    assessment = AssessmentFactory(
        maturity_model=im_model, anonymity_threshold=7, scoring_parameters={"overall_share": 0.9}
    )
    params = selectors.assessment_scoring_input(assessment).parameters
    assert (params.anonymity_threshold, params.overall_share) == (7, 0.9)


def test_demo_assessment_result_end_to_end(im_model, settings):
    from django.core.management import call_command

    from questionnaires.models import Assessment

    settings.DEBUG = True
    call_command("seed_demo")
    current = Assessment.objects.get(title="IM-scan EPD 2026")
    result = selectors.assessment_result(current)
    assert result.respondents >= 30
    assert result.overall.level in range(1, 7)
    assert all(d.trend is not None for d in result.dimensions if d.is_applicable)
    assert result.phase_gate.claimed == "IM-2.2"
    # The team of three stays out of every breakdown.
    assert "Functioneel beheer" not in {g.name for g in result.groups}


def test_the_garbage_collector_is_paused_only_while_a_result_is_computed(im_model, monkeypatch):
    import gc

    assessment = AssessmentFactory(maturity_model=im_model)
    _respond(assessment, 5)
    seen = []
    original = selectors.scoring.aggregate

    def spy(data, profiles):
        seen.append(gc.isenabled())
        return original(data, profiles)

    monkeypatch.setattr(selectors.scoring, "aggregate", spy)
    selectors.assessment_result(assessment)
    assert seen == [False]
    assert gc.isenabled()


def test_the_same_example_is_listed_once_with_how_often_it_was_given(im_model):
    assessment = AssessmentFactory(
        maturity_model=im_model, comments_released=True, comment_threshold=3
    )
    responses = _respond(assessment, 5)
    level = assessment.maturity_model.questions.get(kind="level", dimension__code="D3")
    given = {
        responses[0]: "Te weinig mandaat.",
        responses[1]: "te weinig  mandaat. ",  # capitals and spaces aside, the same
        responses[2]: "Te weinig mandaat.",
        responses[3]: "Geen idee wie eigenaar is.",
        responses[4]: "Alleen de teamleider weet het.",
    }
    for response, text in given.items():
        Answer.objects.filter(response=response, question=level).update(comment=text)

    examples = selectors.released_comments(assessment)["D3"]

    assert [(e.text, e.count) for e in examples] == [
        ("Te weinig mandaat.", 3),  # the most given first, as first written
        ("Alleen de teamleider weet het.", 1),  # then alphabetically
        ("Geen idee wie eigenaar is.", 1),
    ]


def test_only_responses_with_a_scored_dimension_count_anywhere(im_model):
    team = TeamFactory(name="Polikliniek")
    assessment = AssessmentFactory(
        maturity_model=im_model,
        organization=team.organization,
        anonymity_threshold=3,
        status="closed",
    )
    _respond(assessment, 4, team=team)
    now = timezone.now()
    _blank, dont_know = Response.objects.bulk_create(
        Response(
            assessment=assessment, team=team, resume_token_hash=token_new()[1], submitted_at=now
        )
        for _ in range(2)
    )
    Answer.objects.bulk_create(
        Answer(response=dont_know, question=q, special=Answer.Special.DONT_KNOW)
        for q in im_model.questions.exclude(kind="text").exclude(kind="context")
    )
    assert selectors.assessment_result(assessment).respondents == 4
    rows, total = selectors.response_rates(assessment)
    assert (rows[0].submitted_all, total.submitted_all) == (4, 4)
    assert (rows[0].link_opened, rows[0].link_started) == (6, 5)  # they opened it; one answered
    listed = selectors.assessments_overview(assessment.organization).get()
    assert listed.submitted_count == 4
    dashboards = selectors.dashboard_assessments(Organization.objects.all()).get()
    assert dashboards.submitted_count == 4
    assert selectors.counted_responses(assessment.responses.all()).count() == 4


def test_response_rates_are_counted_again_only_when_a_response_moves(im_model):
    from questionnaires.services import AnswerInput

    assessment = AssessmentFactory(maturity_model=im_model)
    team = TeamFactory(organization=assessment.organization)
    _respond(assessment, 3, team=team)
    first = selectors.response_rates(assessment)
    with CaptureQueriesContext(connection) as queries:
        assert selectors.response_rates(assessment) == first
    # Invitations, the fingerprint of the responses and the team names: no funnel.
    assert len(queries) == 3
    assert not [q for q in queries.captured_queries if "questionnaires_answer" in q["sql"]]
    total = first[1]
    opened = Response.objects.create(
        assessment=assessment, team=team, resume_token_hash=token_new()[1]
    )
    assert selectors.response_rates(assessment)[1].link_opened == total.link_opened + 1
    question = assessment.maturity_model.questions.filter(kind="level").first()
    choice = question.choices.first()
    services.answers_save(response=opened, answers=[AnswerInput(question, choice.code)])
    assert selectors.response_rates(assessment)[1].link_started == total.link_started + 1
    other = TeamFactory(organization=assessment.organization)
    services.response_team_set(response=opened, team=other)
    rows = selectors.response_rates(assessment)[0]
    assert {row.team: row.link_opened for row in rows} == {team.name: 3, other.name: 1}
    services.team_rename(team=other, name="Nieuw", actor=UserFactory())
    assert "Nieuw" in {row.team for row in selectors.response_rates(assessment)[0]}
