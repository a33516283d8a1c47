"""A respondent's whole questionnaire in headless Chromium, as a person would do it."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from questionnaires.models import Answer, Invitation, Response
from questionnaires.tokens import token_new
from tests.browser import assert_chart_text_legible, assert_fits, axe_violations
from tests.factories import AssessmentFactory, TeamFactory, answer_every_level_statement

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(settings.BASE_DIR) / "test-artifacts" / "screenshots"


@pytest.fixture
def link(live_server, im_model):
    team = TeamFactory(name="Polikliniek")
    assessment = AssessmentFactory(
        maturity_model=im_model,
        organization=team.organization,
        subject_nl="het EPD",
        subject_en="the EHR",
    )
    token, digest = token_new()
    Invitation.objects.create(assessment=assessment, team=team, token_hash=digest)
    return f"{live_server.url}/s/{token}/"


def _context(browser, width=1280, locale="nl-NL"):
    return browser.new_context(viewport={"width": width, "height": 900}, locale=locale)


def _answer_page(page):
    """Pick an answer for every question on the page, as a person clicks them."""
    for index, fieldset in enumerate(page.locator("fieldset.im-question").all()):
        options = fieldset.locator(".im-options label.im-option, .im-likert label.im-option")
        if options.count():
            options.nth(index % options.count()).click()
        else:
            fieldset.locator("textarea").fill("Meer tijd voor key users.")
    # A function, not a string: the page's CSP forbids evaluating strings.
    page.wait_for_function(
        "() => document.getElementById('save-status').textContent.length > 0"
        " && !document.getElementById('save-status').className.includes('saving')"
    )


def _welcome(page):
    page.get_by_label("Eindgebruiker").check()
    page.get_by_role("button", name="Starten").click()


def test_complete_the_questionnaire_in_dutch(browser, link):
    context = _context(browser, width=375)
    page = context.new_page()
    page.goto(link)
    assert page.url.endswith("/survey/")  # the token is out of the address bar
    assert "Hoe gaat het met het EPD?" in page.locator("h1").inner_text()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "survey-welcome-375.png"), full_page=True)
    assert_fits(page, 375)
    _welcome(page)
    for number in range(1, 14):
        assert f"Pagina {number} van 13" in page.locator(".im-progress").inner_text()
        assert_fits(page, 375)
        _answer_page(page)
        if number == 1:
            page.screenshot(path=str(SHOTS / "survey-page-375.png"), full_page=True)
        button = "Controleer je antwoorden" if number == 13 else "Volgende"
        page.get_by_role("button", name=button).click()
    assert "/survey/review/" in page.url
    assert "Je hebt alle vragen beantwoord" in page.locator("main").inner_text()
    assert_fits(page, 375)
    page.get_by_role("button", name="Mijn antwoorden indienen").click()
    assert "/survey/thanks/" in page.url
    chart = page.locator("figure .im-chart svg:visible")  # the phone's radar
    assert chart.count() == 1
    assert chart.evaluate("svg => svg.getBBox().width > 0")
    assert_chart_text_legible(page)
    page.screenshot(path=str(SHOTS / "survey-thanks-375.png"), full_page=True)
    assert_fits(page, 375)
    response = Response.objects.get()
    assert response.submitted_at is not None
    assert Answer.objects.filter(response=response, question__kind="level").count() == 12
    context.close()


def test_review_with_nothing_answered_fits_a_phone(browser, link):
    # Every row then has the longer "Beantwoorden" link beside its count; 320 CSS px
    # is the narrowest screen WCAG's reflow criterion asks for.
    context = _context(browser, width=320)
    page = context.new_page()
    page.goto(link)
    _welcome(page)
    page.goto(page.url.replace("/survey/page/1/", "/survey/review/"))
    assert page.get_by_role("link", name="Beantwoorden – Risico- & leveranciersmanagement").count()
    assert_fits(page, 320)
    context.close()


def test_close_halfway_and_resume_in_a_fresh_browser(browser, link):
    first = _context(browser)
    page = first.new_page()
    page.goto(link)
    _welcome(page)
    _answer_page(page)  # page 1, saved by autosave only
    page.get_by_role("button", name="Volgende").click()
    _answer_page(page)  # page 2
    first.close()  # the browser is gone: no "Next" for page 2 was ever pressed

    second = _context(browser)  # another device: no cookies, no session
    page = second.new_page()
    page.goto(link)
    assert page.url.endswith("/survey/page/3/")
    assert "Pagina 3 van 13" in page.locator(".im-progress").inner_text()
    page.goto(page.url.replace("/3/", "/2/"))
    assert page.locator("input.im-option-input:checked").count() >= 4
    second.close()


def test_switch_language_midway(browser, link):
    context = _context(browser)
    page = context.new_page()
    page.goto(link)
    _welcome(page)
    _answer_page(page)
    page.get_by_role("button", name="EN", exact=True).click()
    assert "/survey/page/1/" in page.url
    assert "How well does the EHR fit the work" in page.locator("main").inner_text()
    assert page.locator("input.im-option-input:checked").count() >= 4  # answers kept
    page.get_by_role("button", name="Next").click()
    assert "Page 2 of 13" in page.locator(".im-progress").inner_text()
    context.close()


def test_submit_twice_gives_one_submission(browser, link):
    context = _context(browser)
    page = context.new_page()
    page.goto(link)
    _welcome(page)
    answer_every_level_statement(Response.objects.get())
    page.goto(page.url.replace("/survey/page/1/", "/survey/review/"))
    # The first post is held at the network until the second click has landed,
    # as on a slow connection: a second post would abort the first navigation
    # half-way and leave the server to sort out two submits.
    held = []
    page.route("**/survey/submit/", lambda route: held.append(route))
    button = page.get_by_role("button", name="Mijn antwoorden indienen")
    button.scroll_into_view_if_needed()
    box = button.bounding_box()
    centre = (box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.click(*centre)
    for _ in range(100):  # route handlers run while Playwright waits
        if held:
            break
        page.wait_for_timeout(20)
    assert len(held) == 1, "the first click sent no submit"
    page.mouse.click(*centre)
    page.keyboard.press("Enter")  # the button still has the focus
    page.wait_for_timeout(500)  # room for a second post to reach the route, if one were sent
    assert len(held) == 1, "a second submit was sent"
    with page.expect_navigation(url="**/survey/thanks/"):
        held[0].continue_()
    page.unroute("**/survey/submit/")
    page.go_back()  # back to the review page, and submit again
    if page.get_by_role("button", name="Mijn antwoorden indienen").count():
        page.get_by_role("button", name="Mijn antwoorden indienen").click()
    page.wait_for_url("**/survey/thanks/")
    assert "Bedankt" in page.locator("h1").inner_text()
    assert Response.objects.filter(submitted_at__isnull=False).count() == 1
    context.close()


def test_keyboard_only_answering(browser, link):
    context = _context(browser)
    page = context.new_page()
    page.goto(link)
    _welcome(page)
    first = page.locator("input.im-option-input").first
    first.focus()
    page.keyboard.press("ArrowDown")  # radios move with the arrow keys
    page.keyboard.press("Space")
    checked = page.locator("fieldset.im-question").first.locator("input:checked")
    assert checked.count() == 1
    page.keyboard.press("Enter")  # Enter on an answer moves on, as "Next" does
    page.wait_for_url("**/survey/page/2/")
    context.close()


@pytest.mark.parametrize("width", [375, 1280])
def test_respondent_pages_pass_axe(browser, link, width):
    context = _context(browser, width=width)
    page = context.new_page()
    page.goto(link)
    problems = []

    def check(name):
        problems.extend(axe_violations(page, name))
        if not re.fullmatch(r"\S.* · IM Assess", page.title()):
            problems.append((name, "title", page.title()))

    check("welcome")
    _welcome(page)
    check("page")
    page.goto(page.url.replace("/survey/page/1/", "/survey/page/13/"))
    check("closing page")
    page.goto(page.url.replace("/survey/page/13/", "/survey/review/"))
    check("review, topics still open")
    answer_every_level_statement(Response.objects.get())
    page.reload()
    check("review")
    page.get_by_role("button", name="Mijn antwoorden indienen").click()
    check("thanks")
    context.close()
    assert problems == [], "\n".join(map(str, problems))
