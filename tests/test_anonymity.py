"""Anonymity over whole organisations, as a manager sees them (issue 8, guarantee 2).

Hypothesis draws organisations with teams of 1–12 respondents, random roles and
a threshold between 3 and 7; for each, the manager's dashboard is rendered and
checked: every group shown has at least the threshold, what is left out can
never be worked out by subtraction, small teams are not named anywhere, and
nothing at all is shown below the threshold.
"""

import io
import re
import subprocess

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from questionnaires.models import Answer, Assessment, Membership, Organization, Response, Team
from questionnaires.tokens import token_new
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

COMMENT = "Opmerking-Zq"


def _organisation(
    model, team_sizes, roles_drawn, threshold, comments_released=True, status="closed"
):
    """Closed by default: teams and roles are compared only once answering is over."""
    organization = Organization.objects.create(name="Anonimiteit BV")
    manager = UserFactory(email="manager@anoniem.nl")
    Membership.objects.create(user=manager, organization=organization, role="manager")
    assessment = Assessment.objects.create(
        organization=organization,
        maturity_model=model,
        title="Scan",
        status=status,
        anonymity_threshold=threshold,
        comment_threshold=threshold,
        comments_released=comments_released,
    )
    questions = list(model.questions.prefetch_related("choices"))
    role_question = next(q for q in questions if q.code == "C1")
    role_choices = list(role_question.choices.all())
    now = timezone.now()
    answers = []
    teams = []
    position = 0
    for index, size in enumerate(team_sizes):
        team = Team.objects.create(organization=organization, name=f"Ploeg{index}Zq")
        teams.append((team, size))
        responses = Response.objects.bulk_create(
            Response(
                assessment=assessment, team=team, resume_token_hash=token_new()[1], submitted_at=now
            )
            for _ in range(size)
        )
        for response in responses:
            role = roles_drawn[position % len(roles_drawn)]
            position += 1
            for question in questions:
                choices = list(question.choices.all())
                if question.code == "C1":
                    if role is not None:
                        answers.append(
                            Answer(
                                response=response,
                                question=question,
                                choice=role_choices[role % len(role_choices)],
                            )
                        )
                elif question.kind == "level" and choices:
                    answers.append(
                        Answer(
                            response=response,
                            question=question,
                            choice=choices[(response.pk + question.pk) % len(choices)],
                            comment=COMMENT if question.pk % 5 == 0 else "",
                        )
                    )
    Answer.objects.bulk_create(answers)
    return assessment, manager, teams


def _check_groups(result, threshold, total):
    for kind in ("team", "role"):
        groups = [group for group in result.groups if group.kind == kind]
        for group in groups:
            assert group.n >= threshold, (kind, group.name, group.n)
        if groups:
            left_out = total - sum(group.n for group in groups)
            assert left_out == 0 or left_out >= threshold, (kind, left_out)


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    team_sizes=st.lists(st.integers(min_value=1, max_value=12), min_size=1, max_size=5),
    roles_drawn=st.lists(st.one_of(st.none(), st.integers(0, 5)), min_size=1, max_size=12),
    threshold=st.integers(min_value=3, max_value=7),
)
def test_manager_dashboard_never_reveals_a_small_group(
    client, im_model, team_sizes, roles_drawn, threshold
):
    with transaction.atomic():
        assessment, manager, teams = _organisation(im_model, team_sizes, roles_drawn, threshold)
        client.force_login(manager)
        page = client.get(reverse("assessment-dashboard", args=[assessment.pk]))
        assert page.status_code == 200
        html = page.text
        total = sum(team_sizes)
        if total < threshold:
            assert "<svg" not in html
            assert not re.search(r"n\s*=\s*\d", html)
            assert COMMENT not in html
            for team, _size in teams:
                assert team.name not in html
        else:
            result = page.context["result"]
            _check_groups(result, threshold, total)
            named = [size for team, size in teams if team.name in html]
            assert all(size >= threshold for size in named), (named, threshold)
            left_out = total - sum(named)
            if named:
                assert left_out == 0 or left_out >= threshold, (named, left_out)
        transaction.set_rollback(True)
    client.logout()


def test_report_pdf_names_no_small_team(client, im_model):
    """The PDF shows the same groups as the dashboard: teams of 6, 5 and 2, threshold 5.

    The team of 2 would be found by subtraction if both others were shown, so the
    team of 5 joins it in "other" (7 people) and only the team of 6 is named.
    """
    assessment, manager, _teams = _organisation(im_model, [6, 5, 2], [None], 5)
    client.force_login(manager)
    response = client.get(reverse("report-pdf", args=[assessment.pk]) + "?lang=nl")
    assert response.status_code == 200
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    # The heatmap is a chart: its text is real PDF text inside the drawing, which poppler
    # reads (and pypdf does not).
    text += subprocess.run(
        ["pdftotext", "-", "-"], input=response.content, capture_output=True, check=True
    ).stdout.decode()
    text = " ".join(text.split())  # a label's lines, however the reader joins them
    assert "Ploeg0Zq" in text
    assert "Ploeg1Zq" not in text and "Ploeg2Zq" not in text
    assert "Overig (kleinere groepen samen)" in text


def test_a_team_and_a_role_one_person_apart_are_not_both_shown(client, im_model):
    # Issue #16: teams of 5/5/5; the first role is team 2 plus one member of team 1.
    # The dashboard, its JSON and the PDF show figures for at most one of the two.
    roles = [0, 1, 1, 1, 1] + [0] * 5 + [1] * 5
    assessment, manager, teams = _organisation(im_model, [5, 5, 5], roles, 5)
    client.force_login(manager)
    page = client.get(reverse("assessment-dashboard", args=[assessment.pk]))
    result = page.context["result"]
    with_figures = {
        (g.kind, g.name) for g in result.groups if any(m is not None for m in g.medians.values())
    }
    role_choice = im_model.questions.get(code="C1").choices.order_by("order")[0].code
    assert not {("team", teams[1][0].name), ("role", role_choice)} <= with_figures
    assert any(g.overlap_hidden for g in result.groups)
    assert "differ by fewer than 5" in page.text or "minder dan 5" in page.text


def _submit_one(assessment, team, pick):
    """One more colleague submits, answering every statement with choice ``pick``."""
    response = Response.objects.create(
        assessment=assessment, team=team, resume_token_hash=token_new()[1]
    )
    Answer.objects.bulk_create(
        Answer(response=response, question=question, choice=list(question.choices.all())[pick])
        for question in assessment.maturity_model.questions.prefetch_related("choices")
        if question.kind == "level" and question.choices.exists()
    )
    Response.objects.filter(pk=response.pk).update(submitted_at=timezone.now())


def _snapshot(client, manager, consultant, assessment):
    """What a manager can read of the results: the dashboard (without the live response
    lines), the consultant's JSON export and the PDF's text (without dates and the live
    response counts, which may move: they tell how many answered, not what)."""
    client.force_login(manager)
    page = client.get(reverse("assessment-dashboard", args=[assessment.pk]), {"lang": "en"})
    html = re.sub(r'<p class="alert[^"]*" id="release-note">.*?</p>', "", page.text, flags=re.S)
    html = re.sub(r"<dt>Respons[e]?</dt><dd>.*?</dd>", "", html, flags=re.S)
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    pdf = client.get(reverse("report-pdf", args=[assessment.pk]), {"lang": "en"}).content
    text = "\n".join(page_.extract_text() for page_ in PdfReader(io.BytesIO(pdf)).pages)
    text = re.sub(r"(?m)^.*(submitted|Date:|first \d+ of).*$", "", text)
    text = re.sub(r"(?m)^.* \d+ \d+ \d+$", "", text)  # the response table: live counts
    client.force_login(consultant)
    exported = client.get(reverse("assessment-export", args=[assessment.pk, "json"])).json()
    exported.pop("generated_at")
    return page.context["result"], html, text, exported


def test_one_more_submission_changes_nothing_a_manager_can_read(client, im_model):
    # Issue #16: a manager looking before and after one colleague submits (n 5 → 6)
    # must not be able to read that colleague's answers off the difference.
    assessment, manager, teams = _organisation(im_model, [5], [0], 5, status="open")
    consultant = UserFactory(email="adviseur@anoniem.nl")
    Membership.objects.create(
        user=consultant, organization=assessment.organization, role="consultant"
    )
    team = teams[0][0]
    before = _snapshot(client, manager, consultant, assessment)
    assert before[0].respondents == 5
    _submit_one(assessment, team, pick=-1)  # the highest level everywhere
    after = _snapshot(client, manager, consultant, assessment)
    assert after == before
    for _ in range(4):  # the fifth new colleague: the next step, and the figures move
        _submit_one(assessment, team, pick=-1)
    moved = _snapshot(client, manager, consultant, assessment)
    assert moved[0].respondents == 10
    assert moved[0] != before[0] and moved[1] != before[1] and moved[3] != before[3]
    assert moved[2] != before[2]
