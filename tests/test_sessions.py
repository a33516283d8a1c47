"""Staff and manager sessions end after 30 minutes idle and after 12 hours in all."""

import time

import pytest
from django.urls import reverse

from questionnaires.middleware import SEEN, STARTED
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager_client(client, im_model):
    client.force_login(MembershipFactory(role="manager").user)
    client.get(reverse("dashboard-list"))
    return client


def _set(client, **values):
    session = client.session
    for key, value in values.items():
        session[key] = value
    session.save()


def test_active_session_stays(manager_client):
    assert manager_client.get(reverse("dashboard-list")).status_code == 200


def test_idle_for_more_than_30_minutes_logs_out(manager_client):
    old_key = manager_client.session.session_key
    _set(manager_client, **{SEEN: int(time.time()) - 31 * 60})
    result = manager_client.get(reverse("dashboard-list"))
    assert result.status_code == 302
    assert result["Location"].startswith("/login/")
    assert manager_client.session.session_key != old_key
    assert manager_client.get(reverse("dashboard-list")).status_code == 302  # logged out


def test_twelve_hours_in_all_logs_out_even_when_active(manager_client):
    _set(manager_client, **{STARTED: int(time.time()) - 12 * 3600 - 60})
    assert manager_client.get(reverse("dashboard-list"))["Location"].startswith("/login/")


def test_login_rotates_the_session_key(client, im_model):
    from tests.factories import UserFactory

    UserFactory(email="m@klant.nl")
    _set(client, visited=True)  # an anonymous session that exists before the login
    anonymous_key = client.session.session_key
    assert anonymous_key
    client.post(reverse("login"), {"username": "m@klant.nl", "password": "correct-horse-battery"})
    assert client.session.session_key not in (None, anonymous_key)
