"""The machine's speed today: milliseconds for a fixed pure-Python loop.

Every `make bench` and `make load` report records it beside its figures, so a reader
can tell a slow machine (a higher yardstick) from a slow app (a worse ratio to the
floor at the same yardstick). About 100 ms on the 2-core machine of docs/load.md.
"""

import time


def yardstick() -> float:
    """The best of three runs of the same loop, in milliseconds."""
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        total = 0
        for number in range(2_000_000):
            total += number % 7
        best = min(best, (time.perf_counter() - start) * 1000)
    return best
