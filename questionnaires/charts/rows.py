"""Charts with one row per dimension on the scale of levels 1–6: how the respondents'
scores spread (`distribution`) and the median across every linked cycle (`trend`).

Rows read well on a phone: the names wrap in a column on the left and the scale keeps
the rest of the width, however many dimensions there are.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle

from .base import (
    ACCENT,
    ACCENT_SOFT,
    ATTENTION,
    ATTENTION_SOFT,
    GREY,
    GRID,
    INK,
    LINE_HEIGHT,
    MUTED,
    TEXT_SIZE,
    WIDTH,
    canvas_axes,
    chart,
    figure,
    fit,
    text_size,
    wrap,
)

MARGIN = 4.0
LINE = TEXT_SIZE * LINE_HEIGHT
SCALE_ROW = LINE + 8  # the level numbers under the rows


@dataclass(frozen=True)
class Rows:
    """Where everything of a row chart goes, in points from the bottom left."""

    width: float
    names: list[str]
    centres: list[float]
    heights: list[float]
    left: float  # where the scale starts
    right: float
    scale_y: float  # the level numbers' line
    legend: list[tuple[str, float, float]]  # each entry's text, wrapped, and where it goes
    height: float

    def x(self, level: float) -> float:
        return self.left + (level - 1) / 5 * (self.right - self.left)


SAMPLE = 30.0  # an entry's sample and the space before its text
GAP = 14.0  # between two entries on one line of the legend


def _legend_lines(texts: Sequence[str], width: float) -> list[list[tuple[str, float]]]:
    """The legend's entries, each with its width, on as few lines as fit ``width``."""
    room = width - 2 * MARGIN
    lines: list[list[tuple[str, float]]] = []
    used = room
    for label in texts:
        text = fit(label, room - SAMPLE)
        entry = SAMPLE + text_size(text)[0]
        if used + GAP + entry > room:
            lines.append([])
            used = -GAP
        lines[-1].append((text, entry))
        used += GAP + entry
    return lines


def _rows(labels: Sequence[str], legend_texts: Sequence[str], width: float) -> Rows:
    """The layout of a row chart ``width`` points wide: on the phone's width the names
    wrap in a narrow column and the legend has an entry per line; wider, as on paper,
    the names keep to one line where they can and the entries share lines."""
    names = [wrap(label, round(14 * width / WIDTH)) for label in labels]
    sizes = [text_size(name) for name in names]
    column = min(max((size for size, _h in sizes), default=0), width * 0.42)
    heights = [max(height, LINE) + 9 for _w, height in sizes]
    lines = _legend_lines(legend_texts, width)
    line_heights = [max(text_size(text)[1] for text, _w in line) + 3 for line in lines]
    height = MARGIN + sum(heights) + SCALE_ROW + sum(line_heights) + 6 + MARGIN
    centres, y = [], height - MARGIN
    for row_height in heights:
        centres.append(y - row_height / 2)
        y -= row_height
    scale_y = y - SCALE_ROW / 2
    legend, y = [], y - SCALE_ROW - 6
    for line, line_height in zip(lines, line_heights, strict=True):
        x = MARGIN
        for text, entry in line:
            legend.append((text, x, y - line_height / 2))
            x += entry + GAP
        y -= line_height
    return Rows(
        width=width,
        names=names,
        centres=centres,
        heights=heights,
        left=MARGIN + column + 16,
        right=width - MARGIN - 8,
        scale_y=scale_y,
        legend=legend,
        height=height,
    )


def _frame(rows: Rows) -> tuple[Figure, object]:
    """The figure with the names, a line per level and the scale underneath."""
    made = figure(rows.width, rows.height)
    axes = canvas_axes(made, rows.width, rows.height)
    top = rows.centres[0] + rows.heights[0] / 2 if rows.centres else rows.scale_y
    for level in range(1, 7):
        x = rows.x(level)
        axes.plot([x, x], [rows.scale_y + SCALE_ROW / 2 - 2, top], color=GRID, linewidth=0.8,
                  zorder=0)  # fmt: skip
        axes.text(x, rows.scale_y, str(level), color=MUTED, fontsize=TEXT_SIZE, ha="center",
                  va="center")  # fmt: skip
    for name, centre in zip(rows.names, rows.centres, strict=True):
        axes.text(MARGIN, centre, name, color=INK, fontsize=TEXT_SIZE, va="center",
                  linespacing=LINE_HEIGHT)  # fmt: skip
    return made, axes


def _legend(axes, rows: Rows, entries) -> None:
    """Each entry: its sample drawn by ``draw(axes, x, y)``, then its text."""
    for (draw, _label), (text, x, middle) in zip(entries, rows.legend, strict=True):
        first_line = middle + (text_size(text)[1] - LINE) / 2
        draw(axes, x + 2, first_line)
        axes.text(x + SAMPLE, middle, text, color=INK, fontsize=TEXT_SIZE, va="center",
                  linespacing=LINE_HEIGHT)  # fmt: skip


Quantiles = tuple[float, float, float, float, float]  # P10, P25, median, P75, P90


@chart
def distribution(
    *,
    labels: Sequence[str],
    spreads: Sequence[Quantiles | None],
    divided: Sequence[bool],
    title: str,
    median_label: str,
    middle_label: str,
    outer_label: str,
    divided_label: str,
    language: str = "nl",
    width: float = WIDTH,
) -> Figure:
    """Per dimension a box of the middle half of the respondents' scores (P25–P75) with
    the median marked and whiskers to P10 and P90; a divided dimension in the warm
    colour. A dimension without a result has an empty row."""
    entries = [
        (lambda a, x, y: _box(a, x + 2, x + 22, y, False), middle_label),
        (lambda a, x, y: _whisker(a, x, x + 24, y, False), outer_label),
        (lambda a, x, y: _median(a, x + 12, y, False), median_label),
    ]
    if any(divided):
        entries.append((lambda a, x, y: _box(a, x + 2, x + 22, y, True), divided_label))
    rows = _rows(labels, [label for _draw, label in entries], width)
    made, axes = _frame(rows)
    for quantiles, split, centre in zip(spreads, divided, rows.centres, strict=True):
        if quantiles is None:
            continue
        p10, p25, median, p75, p90 = (rows.x(value) for value in quantiles)
        _whisker(axes, p10, p90, centre, split)
        _box(axes, p25, p75, centre, split)
        _median(axes, median, centre, split)
    _legend(axes, rows, entries)
    return made


def _box(axes, left: float, right: float, y: float, split: bool) -> None:
    axes.add_patch(Rectangle((left, y - 6), max(right - left, 0.8), 12, zorder=2,
                             facecolor=ATTENTION_SOFT if split else ACCENT_SOFT,
                             edgecolor=ATTENTION if split else ACCENT, linewidth=0.8))  # fmt: skip


def _whisker(axes, left: float, right: float, y: float, split: bool) -> None:
    colour = ATTENTION if split else INK
    axes.plot([left, right], [y, y], color=colour, linewidth=1, zorder=1)
    for x in (left, right):
        axes.plot([x, x], [y - 3.5, y + 3.5], color=colour, linewidth=1, zorder=1)


def _median(axes, x: float, y: float, split: bool) -> None:
    axes.plot([x, x], [y - 8, y + 8], color=ATTENTION if split else ACCENT, linewidth=3,
              solid_capstyle="butt", zorder=3)  # fmt: skip


@chart
def trend(
    *,
    labels: Sequence[str],
    cycles: Sequence[str],
    medians: Sequence[Sequence[float | None]],
    real: Sequence[Sequence[bool]],
    title: str,
    real_label: str,
    indication_label: str,
    language: str = "nl",
    width: float = WIDTH,
) -> Figure:
    """The median per dimension in every cycle, oldest first, as dots joined in order:
    the latest cycle filled, the earlier ones open and lighter; a step that the trend
    rule calls a real change (domain model §4.8) solid, an indication dotted."""
    count = len(cycles)
    shades = [GREY] * max(count - 2, 0) + [MUTED, ACCENT][-min(count, 2) :]
    entries = [
        (lambda a, x, y, s=shade, last=i == count - 1: _dot(a, x + 12, y, s, last), cycle)
        for i, (cycle, shade) in enumerate(zip(cycles, shades, strict=True))
    ]
    entries.append((lambda a, x, y: _step(a, x, x + 24, y, True), real_label))
    entries.append((lambda a, x, y: _step(a, x, x + 24, y, False), indication_label))
    rows = _rows(labels, [label for _draw, label in entries], width)
    made, axes = _frame(rows)
    for values, steps, centre in zip(medians, real, rows.centres, strict=True):
        known = [(i, rows.x(v)) for i, v in enumerate(values) if v is not None]
        for (i, x0), (j, x1) in pairwise(known):
            _step(axes, x0, x1, centre, j == i + 1 and steps[i])
        for i, x in known:
            _dot(axes, x, centre, shades[i], i == count - 1)
    _legend(axes, rows, entries)
    return made


def _dot(axes, x: float, y: float, colour: str, latest: bool) -> None:
    axes.plot([x], [y], marker="o", markersize=7 if latest else 6, zorder=3 if latest else 2,
              markerfacecolor=colour if latest else "white", markeredgecolor=colour,
              markeredgewidth=1.6)  # fmt: skip


def _step(axes, left: float, right: float, y: float, real: bool) -> None:
    if real:
        axes.add_line(Line2D([left, right], [y, y], color=ACCENT, linewidth=2.4, zorder=1))
    else:
        axes.add_line(Line2D([left, right], [y, y], color=GREY, linewidth=1.2,
                             linestyle=(0, (1.2, 2)), zorder=1))  # fmt: skip
