"""The one display rule for scores, on every surface: the dashboard, the PDF report, the
respondent's own result, the spreadsheet downloads and the charts.

A score is shown with one decimal, cut off rather than rounded: a shown score never reads
as a level it has not reached (3.96 shows as 3.9, beside level 3, never as 4.0), and 3.25
shows as 3.2 everywhere. A shown difference is the difference of the shown figures, so
every row adds up (2.8 → 3.3 is +0.5). The JSON export keeps full precision.
"""

import math

from django.utils.formats import get_format, number_format
from django.utils.translation import get_language, override

# Scores are sums of multiples of 1/32; this only absorbs binary noise (3.3 is 3.29999…).
_NOISE = 1e-9


def shown(value: float | None) -> float | None:
    """The score as shown: cut to one decimal."""
    if value is None:
        return None
    return math.floor(value * 10 + _NOISE) / 10


def shown_difference(a: float | None, b: float | None) -> float | None:
    """``a`` minus ``b`` as shown: the difference of the two shown figures."""
    if a is None or b is None:
        return None
    return round(shown(a) - shown(b), 1)  # type: ignore[operator]


def score_text(value: float | None, *, language: str | None = None) -> str:
    """The shown score in the reader's language ("3,2" in Dutch, "3.2" in English)."""
    if value is None:
        return "–"
    figure = shown(value)
    if language is None:
        return number_format(figure, decimal_pos=1)
    with override(language):
        return f"{figure:.1f}".replace(".", get_format("DECIMAL_SEPARATOR"))


def percent_text(share: float | None, *, language: str | None = None) -> str:
    """A share (0–1) as a whole percentage in the reader's convention: "80 %" in Dutch
    (a non-breaking space), "80%" in English."""
    if share is None:
        return "–"
    language = (language or get_language() or "nl")[:2]
    whole = math.floor(share * 100 + 0.5 + _NOISE)
    return f"{whole}\u00a0%" if language == "nl" else f"{whole}%"
