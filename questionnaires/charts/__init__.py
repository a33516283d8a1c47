"""The charts of every surface, drawn with matplotlib: one function per chart, plain
data in, the same SVG for the dashboard, the PDF report and the respondent's own
result, and a PNG of the same figure for slides.

    charts.radar.svg(labels=..., current=..., title=..., language="nl")

Text stays text in the SVG (searchable; the page's own font on the web, the report's
Inter in the PDF), sized so that it reads at 11 px or more on a 375 px phone. Each
chart is kept in memory under its data; ``key`` names it for a shared cache.
"""

from .base import CHARTS_VERSION, PHONE_WIDTH_PX, PRINT_WIDTH, TEXT_COLOURS, WIDTH, Chart
from .heatmap import heatmap
from .phases import phase_profile
from .radar import radar
from .rows import distribution, trend

ALL: tuple[Chart, ...] = (radar, phase_profile, distribution, trend, heatmap)

__all__ = [
    "ALL",
    "CHARTS_VERSION",
    "PHONE_WIDTH_PX",
    "PRINT_WIDTH",
    "TEXT_COLOURS",
    "WIDTH",
    "Chart",
    "distribution",
    "heatmap",
    "phase_profile",
    "radar",
    "trend",
]
