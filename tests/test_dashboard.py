"""The maturity dashboard: what managers and consultants see, and what they never see."""

import io

import pytest
from django.core.cache import cache, caches
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from pypdf import PdfReader

from questionnaires import charts, selectors
from questionnaires.demo import CLIENT_NAME
from questionnaires.models import (
    ActionItem,
    Answer,
    Assessment,
    Membership,
    PlanEntry,
    Question,
    Response,
)
from questionnaires.tokens import token_new
from tests.factories import AssessmentFactory, MembershipFactory, TeamFactory

pytestmark = pytest.mark.django_db


def _login(client, email):
    from questionnaires.models import User

    client.force_login(User.objects.get(email=email))
    return client


def _dashboard(client, assessment, **headers):
    return client.get(reverse("assessment-dashboard", args=[assessment.pk]), headers=headers)


def test_manager_sees_the_dashboard_of_their_own_organisation(client, demo):
    page = _dashboard(_login(client, "manager@demo.local"), demo)
    assert page.status_code == 200
    result = page.context["result"]
    assert f">{result.overall.level}<" in page.text
    assert result.overall.why.nl in page.text
    # Radar (laptop and phone), phases, distribution and the trend over the cycles.
    assert page.text.count("<svg ") == 5
    assert "font/woff2;base64" not in page.text  # no font per chart: the page's own
    assert "Voorlopig" in page.text  # the assessment is still open
    assert "Manage this assessment" not in page.text and "Beheer deze scan" not in page.text


def test_dashboard_in_english(client, demo):
    client.cookies["django_language"] = "en"
    page = _dashboard(_login(client, "manager@demo.local"), demo)
    assert page.context["result"].overall.why.en in page.text
    assert "Adoption &amp; acceptance" in page.text


@pytest.mark.parametrize("role", ["manager", "consultant"])
def test_people_of_another_organisation_get_404(client, demo, role):
    outsider = MembershipFactory(role=role).user
    client.force_login(outsider)
    assert _dashboard(client, demo).status_code == 404
    assert demo.title not in client.get(reverse("dashboard-list")).text


def test_anonymous_visitors_are_sent_to_the_login(client, demo):
    assert _dashboard(client, demo).status_code == 302


def test_small_teams_never_appear_for_anyone(client, demo):
    for email in ("manager@demo.local", "consultant@demo.local"):
        page = _dashboard(_login(client, email), demo.previous)  # closed: teams compared
        heat = page.text.split('id="heat-title"', 1)[1].split("</section>", 1)[0]
        assert "Functioneel beheer" not in heat  # 3 people, below the threshold of 5
        assert "Overig" in heat or "Other" in heat


def test_while_open_teams_wait_and_the_figures_say_how_far_they_go(client, demo):
    page = _dashboard(_login(client, "manager@demo.local"), demo)
    assert 'id="heat-title"' not in page.text
    release = page.context["release"]
    assert release["shown"] % demo.anonymity_threshold == 0
    assert 0 <= release["submitted"] - release["shown"] < demo.anonymity_threshold
    note = page.text.split('id="release-note">', 1)[1].split("</p>", 1)[0]
    assert f"de eerste {release['shown']} van de {release['submitted']}" in note


def test_managers_see_response_rates_only_of_large_enough_teams(client, demo):
    page = _dashboard(_login(client, "manager@demo.local"), demo)
    assert "Functioneel beheer" not in [row.team for row in page.context["rate_rows"]]
    page = _dashboard(_login(client, "consultant@demo.local"), demo)
    assert "Functioneel beheer" in [row.team for row in page.context["rate_rows"]]


def test_below_the_threshold_only_a_waiting_page(client, im_model):
    membership = MembershipFactory(role="manager")
    assessment = AssessmentFactory(organization=membership.organization, maturity_model=im_model)
    for _ in range(assessment.anonymity_threshold - 1):
        Response.objects.create(
            assessment=assessment, resume_token_hash=token_new()[1], submitted_at=timezone.now()
        )
    client.force_login(membership.user)
    page = _dashboard(client, assessment)
    assert page.status_code == 200
    assert "result" in page.context
    assert "<svg" not in page.text
    assert "5" in page.text


def test_comments_need_release_for_managers(client, demo):
    comment = Answer.objects.filter(response__assessment=demo).exclude(comment="").first().comment
    assert comment in _dashboard(_login(client, "consultant@demo.local"), demo).text
    assert comment not in _dashboard(_login(client, "manager@demo.local"), demo).text
    _login(client, "consultant@demo.local").post(
        reverse("comments-release", args=[demo.pk]), {"released": "1"}
    )
    assert comment in _dashboard(_login(client, "manager@demo.local"), demo).text


def test_an_example_given_by_several_people_is_shown_once_with_its_count(client, demo):
    repeated = (
        Answer.objects.filter(response__assessment=demo, response__submitted_at__isnull=False)
        .exclude(comment="")
        .values("comment")
        .annotate(times=Count("id"))
        .filter(times__gt=1)
        .order_by("-times", "comment")
        .first()
    )
    assert repeated, "the demo has examples that several people gave"
    page = _dashboard(_login(client, "consultant@demo.local"), demo).text
    assert page.count(escape(repeated["comment"])) == 1
    assert f"· {repeated['times']} keer genoemd" in page


def test_managers_cannot_release_comments_or_edit_the_plan(client, demo):
    _login(client, "manager@demo.local")
    assert (
        client.post(reverse("comments-release", args=[demo.pk]), {"released": "1"}).status_code
        == 404
    )
    assert client.post(reverse("plan-adopt", args=[demo.pk])).status_code == 404
    assert not Assessment.objects.get(pk=demo.pk).comments_released


def test_consultant_shapes_the_plan_and_manager_updates_actions(client, demo):
    _login(client, "consultant@demo.local")
    # The 2025 cycle's actions are finished first: nothing is carried over (that has a
    # test of its own in test_notes), so the plan holds only what this test adds.
    ActionItem.objects.filter(entry__assessment=demo.previous).update(status="done")
    client.post(reverse("plan-adopt", args=[demo.pk]))
    entries = list(PlanEntry.objects.filter(assessment=demo).order_by("position"))
    result = selectors.assessment_result(demo)
    assert [e.dimension.code for e in entries] == [p.dimension for p in result.plan]
    first, second = entries[0], entries[1]
    client.post(reverse("plan-entry-change", args=[second.pk, "up"]))
    assert PlanEntry.objects.get(pk=second.pk).position == 1
    client.post(
        reverse("plan-entry-change", args=[first.pk, "edit"]),
        {"text": "Benoem per afdeling een eigenaar met mandaat."},
    )
    edited = PlanEntry.objects.get(pk=first.pk)
    assert edited.is_manual
    client.post(
        reverse("plan-entry-change", args=[first.pk, "action"]),
        {"title": "Eigenaren benoemen", "owner": "Directie", "due_date": "2027-03-01"},
    )
    action = ActionItem.objects.get(entry__assessment=demo)
    client.post(reverse("plan-entry-add", args=[demo.pk]), {"text": "Extra stap", "dimension": ""})
    client.post(reverse("plan-entry-change", args=[entries[-1].pk, "delete"]))
    page = _dashboard(client, demo)
    assert "Benoem per afdeling een eigenaar met mandaat." in page.text
    assert "Extra stap" in page.text
    assert "door de adviseur geschreven" in page.text
    # The manager sets the status of the action, and sees no edit controls.
    _login(client, "manager@demo.local")
    client.post(reverse("action-status", args=[action.pk]), {"status": "doing"})
    assert ActionItem.objects.get(pk=action.pk).status == "doing"
    assert client.post(reverse("plan-entry-change", args=[first.pk, "delete"])).status_code == 404
    assert PlanEntry.objects.filter(pk=first.pk).exists()


def test_divided_dimension_and_trend_are_shown(client, demo):
    page = _dashboard(_login(client, "manager@demo.local"), demo)
    result = page.context["result"]
    assert any(d.consensus == "divided" for d in result.dimensions)
    assert result.divided_items
    assert page.context["has_trend"]
    assert "IM-scan EPD 2025" in page.text


def test_organisation_b_never_leaks_into_a(client, demo, im_model):
    canary = "Kanarie-Organisatie-Zeldzaam-7731"
    other = MembershipFactory(role="manager")
    team = TeamFactory(organization=other.organization, name=canary)
    assessment = AssessmentFactory(organization=other.organization, title=canary)
    Response.objects.create(
        assessment=assessment,
        team=team,
        resume_token_hash=token_new()[1],
        submitted_at=timezone.now(),
    )
    for email in ("manager@demo.local", "consultant@demo.local"):
        _login(client, email)
        assert canary not in _dashboard(client, demo).text
        assert canary not in client.get(reverse("dashboard-list")).text


def test_query_count_is_the_same_for_5_and_5000_responses(client, im_model):
    membership = MembershipFactory(role="manager")
    team = TeamFactory(organization=membership.organization)
    client.force_login(membership.user)
    level_items = list(
        Question.objects.filter(model=im_model, kind="level").prefetch_related("choices")
    )

    def fill(assessment, count):
        now = timezone.now()
        responses = Response.objects.bulk_create(
            Response(
                assessment=assessment, team=team, resume_token_hash=token_new()[1], submitted_at=now
            )
            for _ in range(count)
        )
        Answer.objects.bulk_create(
            Answer(response=r, question=q, choice=list(q.choices.all())[i % 6])
            for i, r in enumerate(responses)
            for q in level_items
        )

    counts = []
    for size in (5, 5000):
        assessment = AssessmentFactory(
            organization=membership.organization, maturity_model=im_model
        )
        fill(assessment, size)
        # Both views cold: no result, no chart in any cache; the model's content is read
        # once per process (here by a first view of an assessment no one answered).
        cache.clear()
        caches["reports"].clear()
        for chart in charts.ALL:
            chart.cache_clear()
        empty = AssessmentFactory(organization=membership.organization, maturity_model=im_model)
        _dashboard(client, empty)
        with CaptureQueriesContext(connection) as queries:
            assert _dashboard(client, assessment).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
    # 40 for the figures; each chart the view draws is asked of the shared cache once and
    # stored there once (four queries with the database cache, none once it is warm).
    assert counts[0] <= 60


def test_dashboard_list_shows_the_users_assessments(client, demo):
    page = _login(client, "manager@demo.local").get(reverse("dashboard-list"))
    assert "IM-scan EPD 2026" in page.text
    assert "IM-scan zaaksysteem" not in page.text  # another client of the consultant, a draft
    assert Membership.objects.filter(user__email="manager@demo.local").count() == 1
    assert CLIENT_NAME in page.text


def test_dashboard_is_never_cached(client, demo):
    page = _dashboard(_login(client, "manager@demo.local"), demo)
    assert "no-store" in page["Cache-Control"]
    assert "private" in page["Cache-Control"]


def test_the_open_answers_are_shown_for_release_and_then_to_managers(client, demo):
    from questionnaires import reports

    Assessment.objects.filter(pk=demo.pk).update(comments_released=False)
    words = "Eén plek waar werkinstructies actueel staan."
    consultant = _dashboard(_login(client, "consultant@demo.local"), demo)
    assert words in consultant.text and "In hun eigen woorden" in consultant.text
    client.logout()
    assert words not in _dashboard(_login(client, "manager@demo.local"), demo).text
    Assessment.objects.filter(pk=demo.pk).update(comments_released=True)
    demo.refresh_from_db()
    manager = _dashboard(client, demo)
    assert words in manager.text
    open_answers = manager.context["open_answers"]
    assert [question.code for question, _answers in open_answers] == ["T1", "T2"]
    assert all(answers == sorted(answers, key=lambda e: -e.count) for _q, answers in open_answers)
    pdf = reports.render_assessment_pdf(demo, language="nl")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "In hun eigen woorden" in text and "werkinstructies actueel" in text
