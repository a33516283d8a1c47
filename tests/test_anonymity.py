"""Anonymity over whole organisations, as a manager sees them (issue 8, guarantee 2).

Hypothesis draws organisations with teams of 1–12 respondents, random roles and
a threshold between 3 and 7; for each, the manager's dashboard is rendered and
checked: every group shown has at least the threshold, what is left out can
never be worked out by subtraction, small teams are not named anywhere, and
nothing at all is shown below the threshold.
"""

import io
import re

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


def _organisation(model, team_sizes, roles_drawn, threshold, comments_released=True):
    organization = Organization.objects.create(name="Anonimiteit BV")
    manager = UserFactory(email="manager@anoniem.nl")
    Membership.objects.create(user=manager, organization=organization, role="manager")
    assessment = Assessment.objects.create(
        organization=organization,
        maturity_model=model,
        title="Scan",
        status=Assessment.Status.OPEN,
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
            assert "data:image/svg+xml" not in html
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
    assert "Ploeg0Zq" in text
    assert "Ploeg1Zq" not in text and "Ploeg2Zq" not in text
    assert "Overig (kleinere groepen samen)" in text
