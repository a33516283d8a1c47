"""The charts of a story, as the dashboard, the report and the respondent's result
draw them: the story's own figures handed to `charts` in the reader's language.

Each chart is kept under a key of exactly what it shows, in this process and in the
cache the reports use (`selectors.kept_everywhere`), so a result is drawn once for every
worker and server; the same figures in the same language give the same SVG.
"""

import statistics
from dataclasses import dataclass
from itertools import pairwise

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from . import charts, scoring, selectors
from .charts import Chart
from .selectors import StoryData

CHART_PREFIX = "im-assess:chart:"
CHART_SECONDS = 60 * 60 * 24


def drawn(chart: Chart, **data) -> str:
    """The chart's SVG for ``data``, drawn once for every worker and server."""
    parts = [chart.name, charts.CHARTS_VERSION, sorted(data.items())]
    return selectors.kept_everywhere(
        CHART_PREFIX, parts, lambda: chart.svg(**data), seconds=CHART_SECONDS
    )


PNG_PREFIX = "im-assess:chart-png:"


def drawn_png(chart: Chart, dpi: int, **data) -> bytes:
    """The chart's PNG (for slides) at ``dpi``, drawn once for every worker and server."""
    parts = [chart.name, charts.CHARTS_VERSION, dpi, sorted(data.items())]
    return selectors.kept_everywhere(
        PNG_PREFIX, parts, lambda: chart.png(dpi=dpi, **data), seconds=CHART_SECONDS
    )


@dataclass(frozen=True)
class Drawing:
    """A chart and the figures it shows, drawn when a page or the report shows it: a
    story stays plain data (built without the database), and the cache is asked only
    for what a surface really draws."""

    chart: Chart
    data: dict
    shared: bool = True  # False: one person's own chart, kept only in this process

    __hash__ = None  # type: ignore[assignment]

    @property
    def title(self) -> str:
        return self.data["title"]

    def svg(self) -> str:
        return drawn(self.chart, **self.data) if self.shared else self.chart.svg(**self.data)

    def png(self, dpi: int = 200) -> bytes:
        if not self.shared:
            return self.chart.png(dpi=dpi, **self.data)
        return drawn_png(self.chart, dpi, **self.data)


def radar_data(rows, data: StoryData, title: str, language: str) -> dict:
    """What the dashboard's and the report's radar show (the slides draw the same)."""
    return {
        "labels": [row["dimension"].short_name for row in rows],
        "current": [row["result"].median for row in rows],
        "current_label": _("Now (median)"),
        "band": ([row["result"].p25 for row in rows], [row["result"].p75 for row in rows]),
        "band_label": _("Middle half of the answers"),
        "target": [row["result"].target for row in rows],
        "target_label": _("Target"),
        "previous": (
            [row["result"].trend.previous if row["result"].trend else None for row in rows]
            if data.assessment.previous_id
            else None
        ),
        "previous_label": _("Previous assessment"),
        "title": title,
        "language": language,
    }


def phase_expected(dimensions, phase_code: str) -> int | None:
    """The level most dimensions should have reached after a phase (the higher median of
    their phase-expected levels, domain model §2.4); None where the model expects none."""
    levels = [d.expected_levels[phase_code] for d in dimensions if phase_code in d.expected_levels]
    return statistics.median_high(levels) if levels else None


def phase_data(phase_rows, dimensions, not_landed: bool, language: str) -> dict:
    return {
        "labels": [phase.code.replace("-", " ") for phase, _p in phase_rows],
        "values": [p.median for _phase, p in phase_rows],
        "expected": [phase_expected(dimensions, phase.code) for phase, _p in phase_rows],
        "title": _("Median score per phase"),
        "median_label": _("Median"),
        "expected_label": _("Expected level after the phase"),
        "not_landed": not_landed,
        "not_landed_label": _("Delivered, but not landed"),
        "language": language,
    }


def distribution_title(rows) -> str:
    """The distribution's headline: a finding only where the consensus rule calls a
    dimension divided (domain model §4.7)."""
    divided = [row["dimension"].short_name for row in rows if row["result"].consensus == "divided"]
    if not divided:
        return _("No dimension is divided: on each, most answers lie close together")
    return ngettext(
        "Divided on %(names)s: the answers lie far apart",
        "Divided on %(names)s: the answers lie far apart",
        len(divided),
    ) % {"names": scoring.listing(divided, _("and"))}


def distribution_data(rows, language: str) -> dict:
    spreads = []
    for row in rows:
        d = row["result"]
        known = d.is_applicable and None not in (d.p10, d.p25, d.median, d.p75, d.p90)
        spreads.append((d.p10, d.p25, d.median, d.p75, d.p90) if known else None)
    return {
        "labels": [row["dimension"].short_name for row in rows],
        "spreads": spreads,
        "divided": [row["result"].consensus == "divided" for row in rows],
        "title": distribution_title(rows),
        "median_label": _("Median"),
        "middle_label": _("Middle half of the scores (P25–P75)"),
        "outer_label": _("From P10 to P90"),
        "divided_label": _("Divided"),
        "language": language,
    }


def trend_rows(rows, data: StoryData) -> list[dict]:
    """Per dimension its median in every cycle, oldest first, and per step whether the
    trend rule calls it a real change."""
    params = data.result.parameters
    found = []
    for row in rows:
        code = row["dimension"].code
        results = [
            next((d for d in result.dimensions if d.code == code), None)
            for _cycle, result in data.history
        ] + [row["result"]]
        medians = [d.median if d is not None and d.is_applicable else None for d in results]
        real = [
            a is not None and b is not None and scoring.real_change(a, b, params)
            for a, b in pairwise(results)
        ]
        found.append({"dimension": row["dimension"], "medians": medians, "real": real})
    return found


def trend_title(trend: list[dict], previous: str) -> str:
    changed = sum(1 for row in trend if row["real"] and row["real"][-1])
    if not changed:
        return _("No real change since %(previous)s: the differences are indications") % {
            "previous": previous
        }
    return ngettext(
        "A real change on %(count)s dimension since %(previous)s",
        "A real change on %(count)s dimensions since %(previous)s",
        changed,
    ) % {"count": changed, "previous": previous}


def trend_data(trend: list[dict], data: StoryData, title: str, language: str) -> dict:
    return {
        "labels": [row["dimension"].short_name for row in trend],
        "cycles": [cycle.title for cycle, _result in data.history] + [data.assessment.title],
        "medians": [row["medians"] for row in trend],
        "real": [row["real"] for row in trend],
        "title": title,
        "real_label": _(
            "Real change: half a level or more, with at least five respondents in both cycles"
        ),
        "indication_label": _("Indication only"),
        "language": language,
    }


def story_charts(rows, phase_rows, data: StoryData, radar_title: str, language: str) -> dict:
    """The charts of the dashboard and the report, with the figures they are drawn from."""
    result = data.result
    radar = radar_data(rows, data, radar_title, language)
    found = {
        "radar": Drawing(charts.radar, radar),
        "radar_phone": Drawing(charts.radar, radar | {"width": charts.WIDTH}),
        "phase_chart": Drawing(
            charts.phase_profile,
            phase_data(phase_rows, data.dimensions, result.project_not_landed, language),
        ),
        "phase_expected": [phase_expected(data.dimensions, phase.code) for phase, _p in phase_rows],
    }
    distribution = distribution_data(rows, language)
    found |= {
        "distribution_chart": Drawing(charts.distribution, distribution),
        "distribution_title": distribution["title"],
    }
    if data.history:
        trend = trend_rows(rows, data)
        title = trend_title(trend, data.history[-1][0].title)
        found |= {
            "trend": trend,
            "trend_title": title,
            "trend_cycles": [cycle for cycle, _result in data.history] + [data.assessment],
            "trend_chart": Drawing(charts.trend, trend_data(trend, data, title, language)),
        }
    return found


def draw_all(story: dict) -> int:
    """Draw every shared chart of ``story`` into the cache, so that the next page to
    show it reads it; returns how many there are."""
    drawings = [value for value in story.values() if isinstance(value, Drawing) and value.shared]
    for drawing in drawings:
        drawing.svg()
    return len(drawings)


def printed(story: dict) -> dict:
    """The report's row charts, drawn across the page: on paper the names fit on one
    line and the legend on two, so the trend and its table share a page."""
    wide = {"width": charts.PRINT_WIDTH}
    found = {}
    for name in ("distribution_chart", "trend_chart"):
        if drawing := story.get(name):
            found[name] = Drawing(drawing.chart, drawing.data | wide, drawing.shared)
    return found


def heatmap_charts(story: dict, language: str) -> list[Drawing]:
    """The report's team and role heatmaps, one chart per section of ``story["heatmap"]``."""
    columns = [row["dimension"].code for row in story["rows"]]
    return [
        Drawing(
            charts.heatmap,
            {
                "columns": columns,
                "groups": [
                    (
                        f"{group['label']}\nn = {group['n']}",
                        [cell["median"] for cell in group["cells"]],
                    )
                    for group in section["rows"]
                ],
                "title": section["title"],
                "language": language,
            },
        )
        for section in story["heatmap"]
    ]
