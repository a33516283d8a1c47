"""The consultant's invitation upload with its preview, in headless Chromium."""

from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from questionnaires import services
from tests.browser import assert_fits, sign_in
from tests.factories import MembershipFactory, TeamFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(settings.BASE_DIR) / "test-artifacts" / "screenshots"


@pytest.fixture
def assessment(im_model):
    consultant = MembershipFactory(role="consultant", user__email="adviseur@bureau.nl").user
    organization = consultant.memberships.get().organization
    TeamFactory(organization=organization, name="Polikliniek")
    return services.assessment_create(
        organization=organization, maturity_model=im_model, actor=consultant, title="IM-scan"
    )


def test_invitation_upload_preview(browser, live_server, assessment):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL")
    page = context.new_page()
    sign_in(page, live_server.url, "adviseur@bureau.nl")
    page.goto(f"{live_server.url}/workspace/assessments/{assessment.pk}/")
    page.get_by_role("link", name="Mensen toevoegen").click()
    page.get_by_label("Plak e-mailadressen of CSV-regels").fill(
        "email,name,team\n"
        "anna@klant.nl,Anna,Polikliniek\n"
        "geen-adres,Bert,Polikliniek\n"
        "anna@klant.nl,Anna,Polikliniek\n"
    )
    page.get_by_role("button", name="Voorbeeld tonen").click()
    table = page.locator("table.im-preview")
    assert table.locator("tbody tr").count() == 3
    assert table.locator("tr.im-row-invalid").count() == 1
    assert table.locator("tr.im-row-duplicate").count() == 1
    assert "geen geldig e-mailadres" in table.inner_text()
    assert assessment.invitations.count() == 0  # the preview saved nothing
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "workspace-invite-preview.png"), full_page=True)
    page.get_by_role("button", name="1 persoon toevoegen").click()
    assert "1 persoon toegevoegd" in page.locator(".alert").inner_text()
    assert list(assessment.invitations.values_list("email", flat=True)) == ["anna@klant.nl"]
    page.screenshot(path=str(SHOTS / "workspace-assessment.png"), full_page=True)
    context.close()


def test_workspace_fits_a_phone(browser, live_server, assessment):
    # 320 CSS px is the narrowest screen WCAG's reflow criterion asks for.
    context = browser.new_context(viewport={"width": 320, "height": 800}, locale="nl-NL")
    page = context.new_page()
    sign_in(page, live_server.url, "adviseur@bureau.nl")
    paths = ("/workspace/", f"/workspace/assessments/{assessment.pk}/", "/dashboard/", "/model/")
    for path in paths:
        page.goto(f"{live_server.url}{path}")
        assert_fits(page, 320)
    context.close()


def test_targets_follow_the_aimed_phase_at_once(browser, live_server, assessment, im_model):
    phases = {p.code: str(p.pk) for p in im_model.phases.all()}
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL")
    page = context.new_page()
    sign_in(page, live_server.url, "adviseur@bureau.nl")
    page.goto(f"{live_server.url}{reverse('assessment-create', args=[assessment.organization_id])}")
    assert page.locator("[data-phase-apply]").is_hidden()  # the script does the round trip's work
    page.locator("#id_target_D1").fill("5")
    page.locator("#id_target_phase").select_option(phases["IM-2.3"])
    assert page.locator("#id_target_D9").input_value() == "3"
    assert page.locator("#id_target_D8").input_value() == "4"
    assert page.locator("#id_target_D1").input_value() == "5"  # changed by hand: kept
    page.locator("#id_target_phase").select_option(phases["IM-2.1"])
    assert page.locator("#id_target_D8").input_value() == "2"
    context.close()
