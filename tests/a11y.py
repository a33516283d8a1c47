"""axe-core in the browser: what a page breaks of WCAG, as short lines for a test message."""

from axe_playwright_python.sync_playwright import Axe

_axe = Axe()


def axe_violations(page, name: str) -> list[tuple]:
    """Every axe violation on the page, minor ones too: (name, rule, first targets)."""
    results = _axe.run(page)
    return [
        (name, violation["id"], [node["target"] for node in violation["nodes"]][:3])
        for violation in results.response["violations"]
    ]
