"""The respondent's way through the questionnaire, with Django's test client."""

import json
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from questionnaires import services
from questionnaires.access import RESPONSE_SESSION_KEY
from questionnaires.models import Answer, Assessment, Invitation, Response, TeamLink
from questionnaires.tokens import token_new
from tests.factories import AssessmentFactory, TeamFactory, answer_every_level_statement

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(im_model):
    return TeamFactory(name="Verpleegafdeling Noord")


@pytest.fixture
def assessment(im_model, team):
    return AssessmentFactory(
        maturity_model=im_model,
        organization=team.organization,
        subject_nl="het EPD",
        subject_en="the EHR",
    )


@pytest.fixture
def invitation(assessment, team):
    token, digest = token_new()
    invitation = Invitation.objects.create(assessment=assessment, team=team, token_hash=digest)
    invitation.token = token
    return invitation


@pytest.fixture
def team_link(assessment, team):
    token, digest = token_new()
    link = TeamLink.objects.create(assessment=assessment, team=team, token_hash=digest)
    link.token = token
    return link


def _enter(client, token):
    return client.get(reverse("survey-enter", args=[token]))


def _response(client):
    return Response.objects.get(pk=client.session[RESPONSE_SESSION_KEY])


def _page_data(response, number, **overrides):
    """A complete, valid POST for page `number`: the first option of every question."""
    from questionnaires import selectors

    outline = selectors.survey_outline(response.assessment.maturity_model)
    page = selectors.survey_page(response.assessment.maturity_model, number, outline)
    data = {"move": "next"}
    for question in page.questions:
        first = question.choices.order_by("order").first()
        data[f"q-{question.code}"] = first.code if first else "Een open antwoord"
    data.update(overrides)
    return data, page


# --- Links ---------------------------------------------------------------------------


def test_invitation_link_binds_the_session_and_hides_the_token(client, invitation):
    result = _enter(client, invitation.token)
    assert result.status_code == 302
    assert result["Location"] == reverse("survey-welcome")
    assert result["Referrer-Policy"] == "no-referrer"
    response = _response(client)
    assert response.invitation == invitation
    assert response.team == invitation.team
    page = client.get(reverse("survey-welcome"))
    assert page.status_code == 200
    assert invitation.token not in page.text


def test_invitation_link_resumes_the_same_response_on_another_device(client, invitation):
    _enter(client, invitation.token)
    first = _response(client)
    other = client.__class__()
    _enter(other, invitation.token)
    assert _response(other) == first
    assert Response.objects.count() == 1


def test_team_link_gives_every_visitor_a_response_and_a_resume_cookie(client, team_link):
    result = _enter(client, team_link.token)
    cookie = result.cookies[f"im_assess_resume_{team_link.assessment_id}"]
    assert cookie["httponly"]
    first = _response(client)
    _enter(client, team_link.token)  # same device: continues
    assert _response(client) == first
    other = client.__class__()
    _enter(other, team_link.token)
    assert _response(other) != first
    team_link.refresh_from_db()
    assert team_link.uses == 2


def test_team_link_resume_url_is_shown_and_works_elsewhere(client, team_link):
    _enter(client, team_link.token)
    page = client.get(reverse("survey-welcome"))
    resume_url = page.context["resume_url"]
    assert resume_url and resume_url in page.text
    other = client.__class__()
    other.get(resume_url)
    assert _response(other) == _response(client)


def test_team_link_capacity_is_respected(client, team_link):
    TeamLink.objects.filter(pk=team_link.pk).update(capacity=1)
    _enter(client, team_link.token)
    result = _enter(client.__class__(), team_link.token)
    assert result.status_code == 410
    assert "used by everyone" in result.text or "gebruikt" in result.text


@pytest.mark.parametrize("kind", ["unknown", "revoked_invitation", "revoked_link", "garbage"])
def test_bad_tokens_all_get_the_same_friendly_404(client, invitation, team_link, kind):
    now = timezone.now()
    Invitation.objects.filter(pk=invitation.pk).update(revoked_at=now)
    TeamLink.objects.filter(pk=team_link.pk).update(revoked_at=now)
    token = {
        "unknown": token_new()[0],
        "revoked_invitation": invitation.token,
        "revoked_link": team_link.token,
        "garbage": "x" * 200,
    }[kind]
    result = _enter(client, token)
    assert result.status_code == 404
    assert "could not find this link" in result.text or "niet vinden" in result.text
    assert RESPONSE_SESSION_KEY not in client.session


def test_not_yet_open_assessment_says_when_it_opens(client, invitation):
    opens = timezone.now() + timedelta(days=3)
    Assessment.objects.filter(pk=invitation.assessment_id).update(opens_at=opens)
    result = _enter(client, invitation.token)
    assert result.status_code == 403
    assert str(opens.astimezone(timezone.get_current_timezone()).year) in result.text
    assert not Response.objects.exists()


def test_draft_assessment_is_not_open(client, invitation):
    Assessment.objects.filter(pk=invitation.assessment_id).update(status="draft")
    assert _enter(client, invitation.token).status_code == 403


@pytest.mark.parametrize("how", ["status", "date"])
def test_closed_assessment_is_410_and_shows_no_form(client, invitation, how):
    if how == "status":
        Assessment.objects.filter(pk=invitation.assessment_id).update(status="closed")
    else:
        Assessment.objects.filter(pk=invitation.assessment_id).update(
            closes_at=timezone.now() - timedelta(minutes=1)
        )
    result = _enter(client, invitation.token)
    assert result.status_code == 410
    assert "<form" not in result.text.split("<main", 1)[1].split("</main>", 1)[0]


def test_closing_while_answering_stops_the_pages_and_keeps_answers(client, invitation):
    _enter(client, invitation.token)
    response = _response(client)
    data, _ = _page_data(response, 1)
    client.post(reverse("survey-page", args=[1]), data)
    saved = Answer.objects.filter(response=response).count()
    Assessment.objects.filter(pk=invitation.assessment_id).update(status="closed")
    assert client.get(reverse("survey-page", args=[2])).status_code == 410
    assert client.post(reverse("survey-page", args=[2]), data).status_code == 410
    assert Answer.objects.filter(response=response).count() == saved


@pytest.mark.parametrize("name", ["survey-welcome", "survey-review", "survey-thanks"])
def test_pages_without_a_session_ask_to_open_the_link_again(client, im_model, name):
    result = client.get(reverse(name))
    assert result.status_code == 403
    assert "link" in result.text.lower()


# --- Answering -------------------------------------------------------------------------


def test_welcome_saves_context_answers_and_team(client, assessment, im_model):
    other_team = TeamFactory(organization=assessment.organization, name="Polikliniek")
    token, digest = token_new()
    Invitation.objects.create(assessment=assessment, token_hash=digest)  # no team
    _enter(client, token)
    page = client.get(reverse("survey-welcome"))
    assert "Polikliniek" in page.text
    result = client.post(
        reverse("survey-welcome"), {"q-C1": "key_user", "q-C3": "IM-2.2", "team": other_team.pk}
    )
    assert result.status_code == 302
    response = _response(client)
    assert response.team == other_team
    roles = Answer.objects.filter(response=response, question__code="C1")
    assert roles.get().choice.code == "key_user"


def test_page_post_saves_and_moves_on(client, invitation):
    _enter(client, invitation.token)
    response = _response(client)
    data, page = _page_data(response, 1, **{"comment-D1.1": "We typen nog over in Excel."})
    result = client.post(reverse("survey-page", args=[1]), data)
    assert result["Location"] == reverse("survey-page", args=[2])
    answers = Answer.objects.filter(response=response)
    assert answers.count() == len(page.questions)
    assert answers.get(question__code="D1.1").comment == "We typen nog over in Excel."
    again = client.get(reverse("survey-page", args=[1]))
    assert 'value="level-1" data-question="D1.1" checked' in again.text


def test_dont_know_and_not_applicable_where_allowed(client, invitation):
    _enter(client, invitation.token)
    response = _response(client)
    number = next(n for n in range(1, 13) if _page_data(response, n)[1].dimension.code == "D9")
    data, _ = _page_data(response, number, **{"q-D9.1": "not_applicable", "q-D9.2": "dont_know"})
    client.post(reverse("survey-page", args=[number]), data)
    answers = {a.question.code: a for a in Answer.objects.filter(response=response)}
    assert answers["D9.1"].special == "not_applicable"
    assert answers["D9.2"].special == "dont_know"
    # Not applicable is not offered on D1's level item.
    data, _ = _page_data(response, 1, **{"q-D1.1": "not_applicable"})
    result = client.post(reverse("survey-page", args=[1]), data)
    assert result.status_code == 200
    assert not Answer.objects.filter(response=response, question__code="D1.1").exists()


def test_resume_goes_to_the_first_unanswered_page(client, invitation):
    _enter(client, invitation.token)
    response = _response(client)
    for number in (1, 2):
        data, _ = _page_data(response, number)
        client.post(reverse("survey-page", args=[number]), data)
    fresh = client.__class__()
    result = _enter(fresh, invitation.token)
    assert result["Location"] == reverse("survey-page", args=[3])


def test_query_count_does_not_depend_on_questions_per_page(client, invitation):
    _enter(client, invitation.token)
    counts = {}
    for number in (1, 2):  # D1 has 4 questions, D2 has 5
        client.get(reverse("survey-page", args=[number]))
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("survey-page", args=[number])).status_code == 200
        counts[number] = len(queries)
    assert counts[1] == counts[2] <= 10


# --- Bad input -------------------------------------------------------------------------


def _no_answers_written(response):
    return not Answer.objects.filter(response=response).exists()


def test_choice_outside_the_options_is_refused_with_a_message(client, invitation):
    _enter(client, invitation.token)
    response = _response(client)
    data, _ = _page_data(response, 1, **{"q-D1.2": "agree-9"})
    result = client.post(reverse("survey-page", args=[1]), data)
    assert result.status_code == 200
    assert "hoort niet bij de keuzes" in result.text
    assert _no_answers_written(response)


def test_question_from_another_page_is_a_400(client, invitation):
    _enter(client, invitation.token)
    response = _response(client)
    data, _ = _page_data(response, 1, **{"q-D2.1": "level-3"})
    result = client.post(reverse("survey-page", args=[1]), data)
    assert result.status_code == 400
    assert _no_answers_written(response)


@pytest.mark.parametrize(
    "comment", ["Voorbeeld\x00met nul", "x" * 5001], ids=["nul-byte", "too-long"]
)
def test_bad_comment_is_refused_and_nothing_is_written(client, invitation, comment):
    _enter(client, invitation.token)
    response = _response(client)
    data, _ = _page_data(response, 1, **{"comment-D1.1": comment})
    result = client.post(reverse("survey-page", args=[1]), data)
    assert result.status_code == 200
    assert _no_answers_written(response)


def test_oversized_post_is_a_400_without_a_trace(client, invitation):
    _enter(client, invitation.token)
    response = _response(client)
    data, _ = _page_data(response, 1, **{"comment-D1.1": "x" * 3_000_000})
    result = client.post(reverse("survey-page", args=[1]), data)
    assert result.status_code == 400
    assert _no_answers_written(response)


# --- Autosave --------------------------------------------------------------------------


def _autosave(client, **payload):
    return client.post(
        reverse("survey-autosave"), json.dumps(payload), content_type="application/json"
    )


def test_autosave_stores_one_answer(client, invitation):
    _enter(client, invitation.token)
    client.get(reverse("survey-page", args=[1]))  # the page whose script saves
    result = _autosave(client, question="D1.2", value="agree-4", sequence=1)
    assert result.status_code == 200
    assert result.json() == {"saved": True, "sequence": 1}
    answer = Answer.objects.get(response=_response(client), question__code="D1.2")
    assert answer.choice.code == "agree-4"


def test_a_late_stale_save_never_overwrites_a_newer_answer(client, invitation):
    _enter(client, invitation.token)
    client.get(reverse("survey-page", args=[1]))  # the page whose script saves
    _autosave(client, question="D1.2", value="agree-5", sequence=7)
    _autosave(client, question="D1.2", value="agree-1", sequence=6)  # arrives late
    answer = Answer.objects.get(response=_response(client), question__code="D1.2")
    assert answer.choice.code == "agree-5"
    assert _response(client).save_counter == 7


def test_autosave_comment_and_choice_together(client, invitation):
    _enter(client, invitation.token)
    client.get(reverse("survey-page", args=[1]))  # the page whose script saves
    _autosave(client, question="D1.1", value="level-2", comment="Voorbeeld", sequence=1)
    answer = Answer.objects.get(response=_response(client), question__code="D1.1")
    assert (answer.choice.code, answer.comment) == ("level-2", "Voorbeeld")


@pytest.mark.parametrize(
    "payload",
    [
        {"question": "D1.2", "value": "agree-9", "sequence": 1},
        {"question": "C1", "value": "manager", "sequence": 1},
        {"question": "X9.9", "value": "agree-1", "sequence": 1},
        {"question": "D1.2", "value": ["agree-1"], "sequence": 1},
        {"question": "D1.2", "value": "agree-1", "sequence": "1"},
        {"question": "D1.2", "value": "agree-1", "comment": "x", "sequence": 1},
        {"question": "D1.1", "value": "level-1", "comment": "a\x00b", "sequence": 1},
        {"value": "agree-1", "sequence": 1},
    ],
)
def test_tampered_autosave_is_a_400_and_writes_nothing(client, invitation, payload):
    _enter(client, invitation.token)
    result = _autosave(client, **payload)
    assert result.status_code == 400
    assert "error" in result.json()
    assert _no_answers_written(_response(client))


def test_autosave_rejects_invalid_json(client, invitation):
    _enter(client, invitation.token)
    result = client.post(reverse("survey-autosave"), "{not json", content_type="application/json")
    assert result.status_code == 400


# --- Submit ----------------------------------------------------------------------------


def test_submit_exactly_once(client, invitation):
    _enter(client, invitation.token)
    response = _response(client)
    data, _ = _page_data(response, 1)
    client.post(reverse("survey-page", args=[1]), data)
    answer_every_level_statement(response)
    first = client.post(reverse("survey-submit"))
    assert first["Location"] == reverse("survey-thanks")
    submitted_at = Response.objects.get(pk=response.pk).submitted_at
    assert submitted_at is not None
    second = client.post(reverse("survey-submit"), follow=True)
    assert second.status_code == 200
    assert "already submitted" in second.text or "al ingediend" in second.text
    assert Response.objects.get(pk=response.pk).submitted_at == submitted_at


def test_response_submit_is_true_only_the_first_time(assessment):
    response = Response.objects.create(assessment=assessment, resume_token_hash="c" * 64)
    answer_every_level_statement(response)
    assert services.response_submit(response=response) is True
    assert services.response_submit(response=response) is False


def test_a_response_is_submitted_only_with_every_level_statement_answered(assessment):
    response = Response.objects.create(assessment=assessment, resume_token_hash="d" * 64)
    with pytest.raises(ValidationError):
        services.response_submit(response=response)  # 0 of 53 answers
    answer_every_level_statement(response)
    Answer.objects.filter(response=response, question__code="D7.1").delete()
    with pytest.raises(ValidationError):
        services.response_submit(response=response)  # one topic still open
    assert Response.objects.get(pk=response.pk).submitted_at is None


@pytest.mark.parametrize(
    ("language", "text", "topic"),
    [
        ("nl", "Voordat je kunt indienen", "Procesfit"),
        ("en", "Before you can submit", "Process fit"),
    ],
)
def test_the_review_lists_the_open_topics_with_a_link_to_each(
    client, invitation, language, text, topic
):
    client.cookies["django_language"] = language
    _enter(client, invitation.token)
    response = _response(client)
    answer_every_level_statement(response)
    Answer.objects.filter(response=response, question__code__in=["D1.1", "D12.1"]).delete()
    page = client.get(reverse("survey-review"))
    blocking = page.text.split('id="review-blocking"', 1)[1].split("</div>", 1)[0]
    assert text in blocking and topic in blocking
    assert reverse("survey-page", args=[1]) in blocking
    assert reverse("survey-page", args=[12]) in blocking
    assert blocking.count("<li>") == 2
    refused = client.post(reverse("survey-submit"), follow=True)
    assert refused.redirect_chain[-1][0] == reverse("survey-review")
    assert Response.objects.get(pk=response.pk).submitted_at is None


def test_answers_are_read_only_after_submit(client, invitation):
    _enter(client, invitation.token)
    response = _response(client)
    data, _ = _page_data(response, 1)
    client.post(reverse("survey-page", args=[1]), data)
    answer_every_level_statement(response)
    client.post(reverse("survey-submit"))
    before = list(Answer.objects.filter(response=response).values_list("choice_id", flat=True))
    changed, _ = _page_data(response, 1, **{"q-D1.2": "agree-5"})
    assert client.post(reverse("survey-page", args=[1]), changed).status_code == 302
    assert _autosave(client, question="D1.2", value="agree-5", sequence=99).status_code == 409
    after = list(Answer.objects.filter(response=response).values_list("choice_id", flat=True))
    assert after == before
    # The link now leads to the thank-you page.
    assert _enter(client.__class__(), invitation.token)["Location"] == reverse("survey-thanks")


def test_thanks_shows_only_the_respondents_own_profile(client, invitation, assessment):
    other = Response.objects.create(assessment=assessment, resume_token_hash="d" * 64)
    _enter(client, invitation.token)
    response = _response(client)
    for number in range(1, 13):
        data, _ = _page_data(response, number)
        client.post(reverse("survey-page", args=[number]), data)
    client.post(reverse("survey-submit"))
    page = client.get(reverse("survey-thanks"))
    assert page.status_code == 200
    assert page.text.count("<svg ") == 2  # the laptop's radar and the phone's
    assert f"response {other.pk}" not in page.text
    assert page.context["rows"][0]["result"].n == 1


def test_token_and_questionnaire_pages_are_never_cached(client, invitation):
    entry = _enter(client, invitation.token)
    assert "no-store" in entry["Cache-Control"]
    for name in ("survey-welcome", "survey-review"):
        assert "no-store" in client.get(reverse(name))["Cache-Control"]


def _submit_on_this_device(client, token):
    _enter(client, token)
    response = _response(client)
    answer_every_level_statement(response, choose=True)
    assert client.post(reverse("survey-submit"))["Location"] == reverse("survey-thanks")
    return response


def test_the_team_link_again_on_the_same_device_shows_the_thanks_page(client, team_link):
    first = _submit_on_this_device(client, team_link.token)
    again = _enter(client, team_link.token)
    assert again["Location"] == reverse("survey-thanks")
    assert Response.objects.filter(team_link=team_link).count() == 1
    assert _response(client) == first
    thanks = client.get(reverse("survey-thanks"))
    assert reverse("survey-next-person") in thanks.text


def test_someone_else_on_a_shared_device_gets_a_fresh_response(client, team_link):
    first = _submit_on_this_device(client, team_link.token)
    result = client.post(reverse("survey-next-person"))
    assert result["Location"] == reverse("survey-welcome")
    second = _response(client)
    assert second != first and second.submitted_at is None and second.team_link == team_link
    assert client.get(reverse("survey-thanks"))["Location"] == reverse("survey-review")
    # The link on this device now resumes the second person's response, not the first.
    assert _enter(client, team_link.token)["Location"] == reverse("survey-welcome")
    assert _response(client) == second


def test_a_personal_invitation_has_no_next_person(client, invitation):
    first = _submit_on_this_device(client, invitation.token)
    assert reverse("survey-next-person") not in client.get(reverse("survey-thanks")).text
    assert client.post(reverse("survey-next-person"))["Location"] == reverse("survey-thanks")
    assert _response(client) == first
    assert Response.objects.filter(assessment=first.assessment).count() == 1


def test_resuming_on_another_device_keeps_the_responses_language(client, invitation):
    client.cookies["django_language"] = "nl"
    _enter(client, invitation.token)
    data, _ = _page_data(_response(client), 1)
    client.post(reverse("survey-page", args=[1]), data)
    english = client.__class__(HTTP_ACCEPT_LANGUAGE="en")
    page = english.get(reverse("survey-enter", args=[invitation.token]), follow=True)
    assert "Pagina 2 van 13" in page.text  # still Dutch, though this browser prefers English
    english.post(reverse("set_language"), {"language": "en", "next": "/survey/page/2/"})
    assert "Page 2 of 13" in english.get(reverse("survey-page", args=[2])).text


@pytest.mark.parametrize("language", ["nl", "en"])
def test_respondents_are_told_what_is_true_of_their_link(client, invitation, team_link, language):
    words = {"nl": ("vertrouwelijk", "anoniem"), "en": ("confidential", "anonymous")}
    confidential, anonymous = words[language]
    client.cookies["django_language"] = language
    personal = client.get(reverse("survey-enter", args=[invitation.token]), follow=True).text
    assert confidential in personal.lower() and anonymous not in personal.lower()
    shared = client.__class__()
    shared.cookies["django_language"] = language
    visitor = shared.get(reverse("survey-enter", args=[team_link.token]), follow=True).text
    assert anonymous in visitor.lower() and confidential not in visitor.lower()


def test_the_invitation_mail_promises_no_anonymity(assessment, team):
    from django.core import mail

    from questionnaires.services import invitation_rows_parse, invitations_create, invitations_send

    rows = invitation_rows_parse(assessment=assessment, text="anna@klant.nl,Anna")
    invitations_create(assessment=assessment, rows=rows, actor=None)
    invitations_send(assessment=assessment, base_url="https://scan.example.nl", actor=None)
    (message,) = mail.outbox
    assert "vertrouwelijk" in message.body and "anoniem" not in message.body


@pytest.mark.parametrize("way", ["invitation", "team_link"])
def test_a_revoked_link_stops_the_responses_made_through_it(client, invitation, team_link, way):
    link = invitation if way == "invitation" else team_link
    _enter(client, link.token)
    response = _response(client)
    data, _ = _page_data(response, 1)
    client.post(reverse("survey-page", args=[1]), data)
    kept = Answer.objects.filter(response=response).count()
    link.__class__.objects.filter(pk=link.pk).update(revoked_at=timezone.now())
    page = client.get(reverse("survey-page", args=[2]))
    assert page.status_code == 410 and "Deze link is ingetrokken" in page.text
    saved = _autosave(client, question="D1.2", value="agree-5", sequence=50)
    assert saved.status_code == 410 and "ingetrokken" in saved.json()["error"]
    assert client.post(reverse("survey-submit")).status_code == 410
    assert Answer.objects.filter(response=response).count() == kept  # kept for the consultant
    assert Response.objects.get(pk=response.pk).submitted_at is None
    assert _enter(client.__class__(), link.token).status_code == 404


def test_autosave_takes_only_questions_of_a_page_this_session_opened(client, invitation):
    _enter(client, invitation.token)
    client.get(reverse("survey-page", args=[1]))
    refused = _autosave(client, question="D5.2", value="agree-4", sequence=1)  # page 5
    assert refused.status_code == 400 and "pagina" in refused.json()["error"]
    assert not Answer.objects.filter(response=_response(client)).exists()
    client.get(reverse("survey-page", args=[5]))
    assert _autosave(client, question="D5.2", value="agree-4", sequence=2).status_code == 200
    # Another device resumes: its session has opened nothing yet.
    other = client.__class__()
    _enter(other, invitation.token)
    assert _autosave(other, question="D5.2", value="agree-1", sequence=3).status_code == 400


def test_the_survey_pages_carry_the_consultancys_brand(client, invitation):
    from questionnaires import brand, services
    from tests.factories import UserFactory, png_bytes

    services.branding_update(
        actor=UserFactory(is_superuser=True), name="Koers & Co", primary_colour="#1d4e89",
        accent_colour="", contact="", sign_off_nl="", sign_off_en="", logo_data=png_bytes(),
    )  # fmt: skip
    current = brand.current()
    welcome = client.get(reverse("survey-enter", args=[invitation.token]), follow=True)
    assert welcome.status_code == 200
    assert reverse("logo-file", args=[current.logo.digest, "png"]) in welcome.text
    assert reverse("brand-css", args=[current.stamp]) in welcome.text
    assert 'alt="Koers &amp; Co"' in welcome.text
