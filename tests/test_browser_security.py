"""The Content-Security-Policy, as a real browser applies it, breaks no page."""

import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from questionnaires.models import Assessment, Invitation
from questionnaires.tokens import token_new
from tests.browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(im_model, settings):
    settings.DEBUG = True  # seed_demo only runs where DEBUG is on
    call_command("seed_demo", stdout=io.StringIO())
    settings.DEBUG = False
    return Assessment.objects.get(title="IM-scan EPD 2026")


def _watch(page) -> list[str]:
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text)
            if "Content Security Policy" in message.text or "Refused to" in message.text
            else None
        ),
    )
    return violations


def test_staff_pages_and_charts_render_under_the_policy(browser, live_server, demo):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL")
    page = context.new_page()
    violations = _watch(page)
    sign_in(page, live_server.url, "consultant@demo.local", "im-assess-demo")
    paths = [
        "/",
        "/model/",
        reverse("workspace"),
        reverse("assessment-detail", args=[demo.pk]),
        reverse("assessment-edit", args=[demo.pk]),
        reverse("dashboard-list"),
        reverse("assessment-dashboard", args=[demo.pk]),
    ]
    for path in paths:
        page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")
    # The charts are inline SVG with presentation attributes only: every one drew, with
    # nothing refused by the policy (no style attributes for it to block).
    charts = page.locator(".im-chart svg:visible")
    assert charts.count() >= 3
    for index in range(charts.count()):
        assert charts.nth(index).evaluate("svg => svg.getBBox().width > 100")
    # Bootstrap's script runs: the header's language menu still works.
    assert page.evaluate("typeof window.bootstrap") == "object"
    assert violations == []
    context.close()


def test_questionnaire_autosave_works_under_the_policy(browser, live_server, demo):
    token, digest = token_new()
    team = demo.organization.teams.first()
    Invitation.objects.create(assessment=demo, team=team, token_hash=digest)
    context = browser.new_context(viewport={"width": 375, "height": 800}, locale="nl-NL")
    page = context.new_page()
    violations = _watch(page)
    saves = []
    page.on("response", lambda r: saves.append(r.status) if "/survey/save/" in r.url else None)
    page.goto(f"{live_server.url}/s/{token}/")
    page.get_by_label("Eindgebruiker").check()
    page.get_by_role("button", name="Starten").click()
    page.wait_for_url(re.compile(r"/survey/page/1/"))
    page.locator("input[type=radio]").first.check()
    page.wait_for_timeout(1500)
    assert 200 in saves, saves  # the autosave script ran and was allowed to connect
    assert violations == []
    context.close()


def test_admin_works_under_the_policy(browser, live_server, demo):
    from tests.factories import UserFactory

    UserFactory(email="root@demo.local", is_staff=True, is_superuser=True)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    violations = _watch(page)
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "root@demo.local")
    page.fill("#id_password", "correct-horse-battery")
    page.click("input[type=submit]")
    for path in (
        "/admin/",
        "/admin/questionnaires/assessment/",
        f"/admin/questionnaires/assessment/{demo.pk}/change/",
        "/admin/questionnaires/organization/",
    ):
        page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")
        assert page.locator("#content").count() == 1, path
    assert violations == []
    context.close()
