"""`make run`'s demo data loads, is idempotent and stays out of production."""

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from questionnaires.demo import CLIENT_NAME
from questionnaires.models import (
    Answer,
    Assessment,
    Organization,
    PreparedDownload,
    Response,
    User,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(im_model, settings):
    settings.DEBUG = True
    call_command("seed_demo")


def test_demo_creates_a_client_with_two_cycles(demo):
    client = Organization.objects.get(name=CLIENT_NAME)
    assert client.teams.count() >= 5
    previous = Assessment.objects.get(organization=client, status="closed")
    current = Assessment.objects.get(organization=client, status="open")
    assert current.previous == previous
    assert current.targets.count() == 12


def test_demo_responses_are_varied(demo):
    current = Assessment.objects.get(organization__name=CLIENT_NAME, status="open")
    responses = Response.objects.filter(assessment=current)
    assert responses.filter(submitted_at__isnull=False).count() >= 30
    assert responses.filter(submitted_at__isnull=True).exists()  # some still in progress
    answers = Answer.objects.filter(response__assessment=current)
    assert answers.filter(special="dont_know").count() >= 10
    assert answers.exclude(comment="").count() >= 5
    assert answers.exclude(text="").exists()
    # Divided opinions: on D4 both level 1–2 and level 4–6 are chosen.
    d4 = answers.filter(question__code="D4.1", choice__isnull=False)
    scores = set(d4.values_list("choice__score", flat=True))
    assert min(scores) <= 2
    assert max(scores) >= 4


def test_demo_is_idempotent(demo):
    counts = (
        Response.objects.count(),
        Answer.objects.count(),
        Assessment.objects.count(),
        PreparedDownload.objects.count(),
    )
    call_command("seed_demo")
    assert (
        Response.objects.count(),
        Answer.objects.count(),
        Assessment.objects.count(),
        PreparedDownload.objects.count(),
    ) == counts


def test_demo_has_a_prepared_excel_file_to_download(demo, client):
    download = PreparedDownload.objects.get(assessment__title="IM-scan EPD 2025")
    assert download.status == PreparedDownload.Status.READY and download.size > 0
    client.force_login(User.objects.get(email="consultant@demo.local"))
    page = client.get(reverse("assessment-detail", args=[download.assessment_id]))
    assert reverse("download-status", args=[download.pk]) in page.text


@pytest.mark.parametrize("email", ["consultant@demo.local", "manager@demo.local"])
def test_demo_logins_work(demo, client, email):
    page = client.post(reverse("login"), {"username": email, "password": "im-assess-demo"})
    assert page.status_code == 302
    assert client.session["_auth_user_id"] == str(User.objects.get(email=email).pk)


def test_demo_is_refused_when_debug_is_off(im_model, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("seed_demo")
    assert not Organization.objects.filter(name=CLIENT_NAME).exists()
