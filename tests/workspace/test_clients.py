"""Clients, their teams and their client managers."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from questionnaires.models import AuditEntry, Membership, Organization, User

pytestmark = pytest.mark.django_db


def test_create_client_assigns_the_consultant(logged_in, consultant):
    result = logged_in.post(reverse("organization-create"), {"name": "Gemeente Oosterhout"})
    organization = Organization.objects.get(name="Gemeente Oosterhout")
    assert result["Location"] == reverse("organization-detail", args=[organization.pk])
    assert Membership.objects.filter(
        user=consultant, organization=organization, role="consultant"
    ).exists()
    assert AuditEntry.objects.filter(organization=organization, action="organisation created")


def test_duplicate_team_is_refused_with_a_message(logged_in, organization):
    result = logged_in.post(
        reverse("team-create", args=[organization.pk]), {"name": "polikliniek"}, follow=True
    )
    assert organization.teams.count() == 2
    assert "al een team met deze naam" in result.text


def test_manager_invite_sets_a_password_once_and_can_be_revoked(
    logged_in, client, organization, settings
):
    logged_in.post(
        reverse("manager-invite", args=[organization.pk]),
        {"email": "Manager@Klant.nl", "language": "nl"},
    )
    user = User.objects.get(email="manager@klant.nl")
    assert not user.has_usable_password()
    (message,) = mail.outbox
    url = re.search(r"https?://\S+/account/set-password/\S+", message.body).group(0)
    path = url.split("testserver", 1)[1]
    fresh = client.__class__()
    form_page = fresh.get(path, follow=True)
    password = "Een-lang-en-sterk-wachtwoord-2026"
    fresh.post(
        form_page.redirect_chain[-1][0], {"new_password1": password, "new_password2": password}
    )
    login = fresh.post(reverse("login"), {"username": "manager@klant.nl", "password": password})
    assert login.status_code == 302
    assert fresh.session["_auth_user_id"] == str(user.pk)
    # The link works once.
    assert "no longer works" in client.__class__().get(path, follow=True).text or (
        "werkt niet meer" in client.__class__().get(path, follow=True).text
    )
    membership = Membership.objects.get(user=user)
    logged_in.post(reverse("manager-revoke", args=[membership.pk]))
    assert not Membership.objects.filter(user=user).exists()
