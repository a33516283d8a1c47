"""Stored XSS: what people type is shown as text everywhere (issue 8, guarantee 6).

Every free text of an organisation (client, team and assessment names, the
system's name, comments, open answers, plan and action texts, invitation names)
holds a script payload. Every page that shows them, the admin and the PDF show
the payload as text; no page carries it as markup.
"""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from questionnaires.access import RESPONSE_SESSION_KEY
from tests.factories import UserFactory
from tests.worlds import build_world

pytestmark = pytest.mark.django_db

PAYLOAD = "<script>alert('xss')</script><img src=x onerror=alert(1)>"
MARKUP = ("<script>alert(", "<img src=x onerror")


@pytest.fixture
def world(im_model):
    return build_world(im_model, "X", PAYLOAD)


def _assert_inert(text: str, where: str):
    for markup in MARKUP:
        assert markup not in text, where
    assert "&lt;script&gt;alert(" in text, f"{where}: the payload is not shown at all"


def test_staff_pages_show_the_payload_as_text(client, world):
    client.force_login(world.consultant)
    a = world.assessment
    urls = [
        reverse("workspace"),
        reverse("organization-detail", args=[world.organization.pk]),
        reverse("assessment-detail", args=[a.pk]),
        reverse("assessment-edit", args=[a.pk]),
        reverse("assessment-notes", args=[a.pk]),
        reverse("respondent-privacy", args=[a.pk]),
        reverse("dashboard-list"),
        reverse("assessment-dashboard", args=[a.pk]),
    ]
    for url in urls:
        page = client.get(url)
        assert page.status_code == 200, url
        _assert_inert(page.text, url)


def test_manager_dashboard_shows_the_payload_as_text(client, world):
    client.force_login(world.manager)
    page = client.get(reverse("assessment-dashboard", args=[world.assessment.pk]))
    _assert_inert(page.text, "manager dashboard")


def test_respondent_pages_show_the_payload_as_text(client, world):
    session = client.session
    session[RESPONSE_SESSION_KEY] = world.in_progress.pk
    session.save()
    for url in (reverse("survey-welcome"), reverse("survey-page", args=[1])):
        page = client.get(url)
        assert page.status_code == 200, url
        _assert_inert(page.text, url)


def test_admin_shows_the_payload_as_text(client, world):
    client.force_login(UserFactory(email="root@example.nl", is_superuser=True, is_staff=True))
    urls = [
        reverse("admin:questionnaires_organization_changelist"),
        reverse("admin:questionnaires_organization_change", args=[world.organization.pk]),
        reverse("admin:questionnaires_assessment_changelist"),
        reverse("admin:questionnaires_assessment_change", args=[world.assessment.pk]),
        reverse("admin:questionnaires_invitation_changelist"),
        reverse("admin:questionnaires_teamlink_changelist"),
    ]
    for url in urls:
        page = client.get(url)
        assert page.status_code == 200, url
        _assert_inert(page.text, url)


def test_report_pdf_prints_the_payload_as_text(client, world):
    client.force_login(world.consultant)
    response = client.get(reverse("report-pdf", args=[world.assessment.pk]) + "?lang=en")
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(response.content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    # Printed literally (so it was escaped, not parsed), in the title and the comments.
    assert "<script>alert('xss')</script>" in text.replace("\n", "")


def test_the_consultancys_branding_is_text_on_pages_and_in_the_pdf(client, world):
    from questionnaires import services

    administrator = UserFactory(email="root@example.nl", is_superuser=True, is_staff=True)
    services.branding_update(
        actor=administrator, name=PAYLOAD, primary_colour="", accent_colour="",
        contact=f"Straat 1\n{PAYLOAD}", sign_off_nl=PAYLOAD, sign_off_en=PAYLOAD,
    )  # fmt: skip
    client.force_login(administrator)
    for url in (reverse("home"), reverse("branding-edit")):
        _assert_inert(client.get(url).text, url)
    client.force_login(world.consultant)
    response = client.get(reverse("report-pdf", args=[world.assessment.pk]) + "?lang=en")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    # On the cover, in the running header, the contact lines and the sign-off.
    assert text.replace("\n", "").count("<script>alert('xss')</script>") >= 5
