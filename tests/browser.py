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


def assert_chart_text_legible(page, smallest: float = 11.0) -> None:
    """Every text of every chart shown on the page is drawn at ``smallest`` CSS px or more
    (its font size in the SVG's units times the scale the page shows the SVG at)."""
    sizes = page.evaluate(
        """() => [...document.querySelectorAll('.im-chart svg')]
            .filter(svg => svg.getBoundingClientRect().width > 0)
            .flatMap(svg => {
              const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
              return [...svg.querySelectorAll('text')].map(text =>
                [svg.getAttribute('aria-label'), text.textContent,
                 parseFloat(text.getAttribute('font-size')) * scale]);
            })"""
    )
    assert sizes, "no chart on the page"
    small = [(chart, text, round(size, 1)) for chart, text, size in sizes if size < smallest]
    assert not small, f"chart text below {smallest} px: {small[:5]}"
