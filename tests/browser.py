"""Helpers for the browser tests: signing in, reflow and axe-core, as short test lines."""

from axe_playwright_python.sync_playwright import Axe

_axe = Axe()


def sign_in(page, base_url: str, email: str, password: str = "correct-horse-battery") -> None:
    """Log in through the login form, as a person does, and wait for the next page."""
    page.goto(f"{base_url}/login/")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(lambda url: "/login/" not in url)


def assert_fits(page, width: int) -> None:
    """Nothing sticks out sideways: the page does not scroll horizontally."""
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width, page.url


def axe_violations(page, name: str) -> list[tuple]:
    """Every axe violation on the page, minor ones too: (name, rule, first targets)."""
    results = _axe.run(page)
    return [
        (name, violation["id"], [node["target"] for node in violation["nodes"]][:3])
        for violation in results.response["violations"]
    ]
