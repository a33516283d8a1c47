"""The pages outside the questionnaire pass axe-core: the public ones and every page a
consultant or a manager works in (the respondent's pages: test_browser_survey)."""

import re

import pytest

from tests.browser import axe_violations, sign_in
from tests.worlds import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(im_model):
    # Varied answers: the dashboard shows barriers, divided statements and comments.
    return build_world(im_model, "A", "a11y", respondents=8)


def _signed_in(browser, live_server, user, width):
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="nl-NL")
    page = context.new_page()
    if user is not None:
        sign_in(page, live_server.url, user.email)
    return context, page


@pytest.mark.parametrize("width", [375, 1280])
def test_public_consultant_and_manager_pages_pass_axe(browser, live_server, world, width):
    organization, assessment = world.organization.pk, world.assessment.pk
    pages = {
        None: ["/", "/model/", "/login/"],
        world.consultant: [
            "/workspace/",
            f"/workspace/clients/{organization}/",
            f"/workspace/clients/{organization}/assessments/new/",
            f"/workspace/assessments/{assessment}/",
            f"/workspace/assessments/{assessment}/edit/",
            f"/workspace/assessments/{assessment}/invite/",
            f"/workspace/assessments/{assessment}/privacy/",
            "/dashboard/",
            f"/dashboard/{assessment}/",
        ],
        world.manager: ["/dashboard/", f"/dashboard/{assessment}/"],
    }
    problems = []
    for user, paths in pages.items():
        context, page = _signed_in(browser, live_server, user, width)
        for path in paths:
            response = page.goto(f"{live_server.url}{path}")
            assert response.status == 200, path
            # The tab shows the page first, then the product.
            assert re.fullmatch(r"\S.* · IM Assess", page.title()), (path, page.title())
            problems += axe_violations(page, f"{user.email if user else 'anonymous'} {path}")
        context.close()
    assert problems == [], "\n".join(map(str, problems))
