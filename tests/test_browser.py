"""Pages as a person sees them, in headless Chromium (Debian's, through Playwright)."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def page(browser, live_server, im_model):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL")
    yield context.new_page()
    context.close()


def test_language_switch_in_the_browser(page, live_server):
    page.goto(live_server.url + "/")
    assert page.locator("h1").inner_text().startswith("Hoe goed landt")
    page.get_by_role("button", name="EN", exact=True).click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text().startswith("How well does your organisation")
    assert page.locator("html").get_attribute("lang") == "en"
    page.goto(live_server.url + "/model/")
    assert "Process fit" in page.locator("main").inner_text()


def test_pages_load_only_local_assets(page, live_server):
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(live_server.url + "/model/")
    page.wait_for_load_state("networkidle")
    assert requested
    assert all(url.startswith(live_server.url) for url in requested), requested
    # The self-hosted font is actually used.
    family = page.evaluate("getComputedStyle(document.body).fontFamily")
    assert family.startswith('"Inter"') or family.startswith("Inter")
    assert page.evaluate("document.fonts.check('16px Inter')")
