"""Scores stored at submit (issue #17): a result reads one row per respondent, never the
answers, and is exactly the result of scoring every answer."""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from questionnaires import scoring, selectors, services, tasks
from questionnaires.models import Assessment, ResponseScores, StoredResult
from tests.factories import ResponseFactory, UserFactory, answer_every_level_statement

pytestmark = pytest.mark.django_db


def _from_answers(assessment):
    """The result scored from every answer, as before profiles were stored."""
    previous = None
    if assessment.previous_id:
        previous = scoring.score_assessment(selectors.assessment_scoring_input(assessment.previous))
    return scoring.score_assessment(
        selectors.assessment_scoring_input(assessment, previous=previous)
    )


def _forget():
    """No result kept anywhere (cache, stored result): the next one is worked out."""
    cache.clear()
    StoredResult.objects.all().delete()


def _answer_reads(queries):
    """Queries that read answer rows. (The counted-responses rule only asks, in a
    subquery over an alias such as U0, whether a response has a scored answer.)"""
    top_level = re.compile(r'FROM "questionnaires_answer"(?! U\d)')
    return [q for q in queries.captured_queries if top_level.search(q["sql"])]


def test_the_demo_result_from_stored_profiles_is_the_result_of_every_answer(demo):
    for assessment in (demo, demo.previous):
        released = selectors.released_responses(assessment)
        assert ResponseScores.objects.filter(response__in=released).count() == released.count()
    assert selectors.assessment_result(demo) == _from_answers(demo)
    assert selectors.assessment_result(demo.previous) == _from_answers(demo.previous)


def test_a_cold_result_reads_no_answer_when_every_profile_is_stored(demo):
    _forget()
    with CaptureQueriesContext(connection) as queries:
        selectors.assessment_result(demo)
    assert queries.captured_queries
    assert not _answer_reads(queries)


def test_missing_profiles_are_worked_out_from_the_answers_meanwhile(demo):
    expected = _from_answers(demo)
    ResponseScores.objects.filter(response__assessment=demo).order_by("pk")[:1].get().delete()
    _forget()
    assert selectors.assessment_result(demo) == expected
    ResponseScores.objects.filter(response__assessment=demo).delete()
    _forget()
    with CaptureQueriesContext(connection) as queries:
        assert selectors.assessment_result(demo) == expected
    assert _answer_reads(queries)  # here they are read: the check above can see them


def test_changed_settings_make_stored_profiles_stale_until_refreshed(demo):
    Assessment.objects.filter(pk=demo.pk).update(scoring_parameters={"level_weight": 0.7})
    demo.refresh_from_db()
    expected = _from_answers(demo)
    assert selectors.assessment_result(demo) == expected  # stale ones are not used
    assert tasks.scores_refresh.enqueue(demo.pk).return_value > 0
    key = scoring.profile_key(selectors.assessment_scoring_input(demo, answers=False))
    counted = selectors.counted_responses(demo.responses.all())
    assert set(
        ResponseScores.objects.filter(response__in=counted).values_list("key", flat=True)
    ) == {key}
    _forget()
    with CaptureQueriesContext(connection) as queries:
        assert selectors.assessment_result(demo) == expected
    assert not _answer_reads(queries)


def test_submitting_stores_that_respondents_profile(im_model):
    response = ResponseFactory(assessment__maturity_model=im_model)
    answer_every_level_statement(response, choose=True)
    assert services.response_submit(response=response)
    stored = ResponseScores.objects.get(response=response)
    data = selectors.assessment_scoring_input(response.assessment, response_ids=[response.pk])
    assert stored.key == scoring.profile_key(data)
    (profile,) = scoring.respondent_profiles(data)
    assert stored.profile == scoring.profile_to_plain(profile, [i.code for i in data.items])
    assert not services.response_submit(response=response)  # a second submit stores nothing
    assert ResponseScores.objects.filter(response=response).count() == 1


def test_erasing_a_response_erases_its_scores(demo):
    response = demo.responses.filter(scores__isnull=False).first()
    services.response_erase(response=response, actor=UserFactory())
    assert not ResponseScores.objects.filter(response_id=response.pk).exists()


def test_migrate_stores_the_profiles_an_upgrade_lacks(demo):
    from django.core.management import call_command

    ResponseScores.objects.all().delete()
    call_command("migrate", verbosity=0)
    counted = selectors.counted_responses(demo.responses.all())
    assert ResponseScores.objects.filter(response__in=counted).count() == counted.count() > 0


def test_whether_a_response_counts_is_decided_once_and_agrees_with_the_rule(demo, im_model):
    from questionnaires.models import Response

    counted = set(selectors.counted_responses(Response.objects.all()).values_list("pk", flat=True))
    Response.objects.update(counted=None)  # undecided: the rule asks the answers
    assert set(
        selectors.counted_responses(Response.objects.all()).values_list("pk", flat=True)
    ) == (counted)
    services.responses_counted_decide(Response.objects.all())
    assert not Response.objects.filter(submitted_at__isnull=False, counted__isnull=True).exists()
    assert set(Response.objects.filter(counted=True).values_list("pk", flat=True)) == counted
    blank = ResponseFactory(assessment=demo)
    answer_every_level_statement(blank)  # nothing but "don't know": no respondent
    assert services.response_submit(response=blank)
    blank.refresh_from_db()
    assert blank.counted is False
    assert not ResponseScores.objects.filter(response=blank).exists()


def test_once_decided_and_stored_a_result_needs_no_answer_at_all(demo):
    from questionnaires.models import Answer

    expected = selectors.assessment_result(demo)
    Answer.objects.filter(response__assessment=demo).delete()
    _forget()
    assert selectors.assessment_result(demo) == expected


def test_a_warm_story_reads_no_answer_and_no_comment_again(demo):
    Assessment.objects.filter(pk=demo.pk).update(comments_released=True)
    demo.refresh_from_db()
    first = selectors.story_data(demo, reviewing=False)
    assert first.comments  # the demo's examples are there
    with CaptureQueriesContext(connection) as queries:
        again = selectors.story_data(demo, reviewing=False)
    assert again.comments == first.comments and again.open_answers == first.open_answers
    assert not _answer_reads(queries)


def test_a_scoring_failure_never_costs_a_respondent_the_submission(im_model, monkeypatch, caplog):
    from questionnaires.services import scores

    def broken(data):
        raise RuntimeError("a bug in the scoring")

    monkeypatch.setattr(scores.scoring, "respondent_profiles", broken)
    response = ResponseFactory(assessment__maturity_model=im_model)
    answer_every_level_statement(response, choose=True)
    assert services.response_submit(response=response)
    response.refresh_from_db()
    assert response.submitted_at is not None and response.counted is None
    assert not ResponseScores.objects.filter(response=response).exists()
    assert "it is scored later" in caplog.text
    monkeypatch.undo()
    Assessment.objects.filter(pk=response.assessment_id).update(status="closed")
    # Undecided and unscored: the result asks the rule and scores the answers instead.
    assert (
        selectors.assessment_result(Assessment.objects.get(pk=response.assessment_id)).respondents
        == 1
    )


# --- The stored result: the second level of the result cache ---------------------------


def _profile_reads(queries):
    return [q for q in queries.captured_queries if "questionnaires_responsescores" in q["sql"]]


def test_a_flushed_cache_reads_the_stored_result_not_one_profile(demo):
    _forget()
    expected = selectors.assessment_result(demo)
    stored = StoredResult.objects.get(assessment=demo)
    assert stored.respondents == expected.respondents > 0
    assert len(stored.key) == 64  # this cycle and the previous one: fits its column
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        assert selectors.assessment_result(demo) == expected
    assert not _profile_reads(queries)
    assert not _answer_reads(queries)
    with CaptureQueriesContext(connection) as queries:  # and now it is in the cache again
        assert selectors.assessment_result(demo) == expected
    assert not [q for q in queries.captured_queries if "storedresult" in q["sql"]]


def test_a_result_of_other_scoring_code_or_unreadable_is_worked_out_again(demo, monkeypatch):
    expected = _from_answers(demo)
    selectors.assessment_result(demo)
    before = StoredResult.objects.get(assessment=demo).key
    cache.clear()
    monkeypatch.setattr(selectors.results, "SCORING_VERSION", "other rules")
    with CaptureQueriesContext(connection) as queries:
        assert selectors.assessment_result(demo) == expected
    assert _profile_reads(queries)  # not the result the old rules worked out
    assert StoredResult.objects.get(assessment=demo).key != before
    StoredResult.objects.filter(assessment=demo).update(data=b"not a result")
    cache.clear()
    assert selectors.assessment_result(demo) == expected


def test_a_large_assessment_may_be_shown_its_last_result_while_the_next_is_worked_out(
    demo, monkeypatch
):
    _forget()
    last = selectors.assessment_result(demo)
    Assessment.objects.filter(pk=demo.pk).update(scoring_parameters={"level_weight": 0.7})
    demo.refresh_from_db()
    monkeypatch.setattr(selectors.results, "INLINE_RESPONDENTS", last.respondents)
    shown = selectors.current_result(demo, stale_ok=True)
    assert shown.updating and shown.result == last
    fresh = selectors.current_result(demo)  # without a queue to do it: worked out here
    assert not fresh.updating and fresh.result == _from_answers(demo) != last
    assert selectors.current_result(demo, stale_ok=True) == fresh
    monkeypatch.setattr(selectors.results, "INLINE_RESPONDENTS", last.respondents + 1)
    Assessment.objects.filter(pk=demo.pk).update(scoring_parameters={})
    demo.refresh_from_db()
    assert not selectors.current_result(demo, stale_ok=True).updating  # small: at once
