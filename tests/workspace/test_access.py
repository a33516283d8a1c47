"""Who may use the workspace: a logged-in consultant, and only for their own clients."""

import pytest
from django.urls import reverse

from questionnaires.models import Assessment, Organization
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def test_workspace_needs_a_login_and_a_consultant(client, assessment):
    assert client.get(reverse("workspace")).status_code == 302
    manager = MembershipFactory(role="manager", organization=assessment.organization).user
    client.force_login(manager)
    assert client.get(reverse("workspace")).status_code == 403
    assert client.get(reverse("assessment-detail", args=[assessment.pk])).status_code == 403


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("organization-detail", lambda a: [a.organization_id]),
        ("assessment-detail", lambda a: [a.pk]),
        ("assessment-edit", lambda a: [a.pk]),
        ("invitations-upload", lambda a: [a.pk]),
        ("respondent-privacy", lambda a: [a.pk]),
        ("assessment-export", lambda a: [a.pk, "csv"]),
        ("assessment-export", lambda a: [a.pk, "xlsx"]),
        ("assessment-export", lambda a: [a.pk, "json"]),
    ],
)
def test_other_consultants_get_404(client, assessment, name, args):
    outsider = MembershipFactory(role="consultant").user
    client.force_login(outsider)
    assert client.get(reverse(name, args=args(assessment))).status_code == 404


def test_other_consultants_cannot_change_anything(client, assessment):
    outsider = MembershipFactory(role="consultant").user
    client.force_login(outsider)
    team = assessment.organization.teams.first()
    posts = [
        (reverse("team-create", args=[assessment.organization_id]), {"name": "X"}),
        (reverse("team-rename", args=[team.pk]), {"name": "X"}),
        (reverse("assessment-transition", args=[assessment.pk, "close"]), {}),
        (reverse("assessment-clone", args=[assessment.pk]), {}),
        (reverse("link-create", args=[assessment.pk]), {"team": team.pk}),
        (reverse("invitations-send", args=[assessment.pk]), {}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 404, url
    assert Assessment.objects.get(pk=assessment.pk).status == "open"
    assert not assessment.team_links.exists()


def test_workspace_lists_only_assigned_clients(logged_in, organization):
    other = Organization.objects.create(name="Niet van jou B.V.")
    page = logged_in.get(reverse("workspace"))
    assert organization.name in page.text
    assert other.name not in page.text
