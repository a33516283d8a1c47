"""The radar: levels 1–6 per dimension, with the middle half of the answers, the
target and the previous cycle.

Drawn on plain axes whose units are points, not on matplotlib's polar axes: the
polar axes' tick machinery alone costs more than twice an empty plot, and its
angular labels cannot be wrapped and anchored away from the centre, which is what
keeps twelve dimension names legible on a phone.
"""

import math
from collections.abc import Sequence

from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Circle, PathPatch, Rectangle
from matplotlib.path import Path

from .base import (
    ACCENT,
    ACCENT_SOFT,
    ATTENTION,
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
    runs,
    text_size,
    wrap,
)

MARGIN = 4.0
GAP = 7.0  # between the outer ring and a dimension's name
SIDE = 0.3  # |sin| below which a name sits centred above or below its spoke
BAND = {"facecolor": ACCENT_SOFT, "alpha": 0.35, "linewidth": 0}
PREVIOUS = {"color": GREY, "linewidth": 1.4, "linestyle": (0, (1.2, 2.2))}
TARGET = {"color": ATTENTION, "linewidth": 1.6, "linestyle": (0, (5, 2.5))}
CURRENT = {"color": ACCENT, "linewidth": 2.2}

WIDE = 1.25 * WIDTH  # a laptop's and the report's radar; WIDTH is the phone's

Values = Sequence[float | None]


def _layout(labels: Sequence[str], angles: Sequence[float], width: float):
    """The names wrapped so that the radar can be as large as the width allows, and that
    radius: each name must fit between its spoke's end and the edge of the figure."""
    best = None
    for characters in (16, 13, 10):
        wrapped = [wrap(label, characters) for label in labels]
        sizes = [text_size(text) for text in wrapped]
        radius = width * 0.3
        for (text_width, _height), angle in zip(sizes, angles, strict=True):
            sine = abs(math.sin(angle))
            room = width / 2 - MARGIN - (text_width / 2 if sine < SIDE else text_width)
            if sine > 1e-6:
                radius = min(radius, room / sine - GAP)
        if best is None or radius > best[0] + 1:
            best = (radius, wrapped, sizes)
    radius, wrapped, sizes = best
    return max(radius, 40.0), wrapped, sizes


def _placements(angles: Sequence[float], radius: float, sizes: Sequence[tuple[float, float]]):
    """Where each name sits (relative to the centre, y up), its alignment, top and bottom.

    A name is anchored just past its spoke's end, away from the centre. Where two
    neighbouring names would touch, the one nearer the top (or the bottom) moves up (or
    down) until they no longer do: names never overlap.
    """
    placed = []
    for angle, (width, height) in zip(angles, sizes, strict=True):
        sine, cosine = math.sin(angle), math.cos(angle)
        x, y = (radius + GAP) * sine, (radius + GAP) * cosine
        ha = "center" if abs(sine) < SIDE else ("left" if sine > 0 else "right")
        left = {"center": x - width / 2, "left": x, "right": x - width}[ha]
        bottom = y if cosine > SIDE else (y - height if cosine < -SIDE else y - height / 2)
        placed.append([x, y, ha, left, left + width, bottom, bottom + height, cosine])
    # From the horizontal outwards, each name clears those nearer the horizontal: up in
    # the upper half, down in the lower half (which clears the upper half's names too).
    done: list[list] = []
    for upper in (True, False):
        order = sorted((p for p in placed if (p[7] >= 0) == upper), key=lambda p: abs(p[7]))
        for index, name in enumerate(order):
            moved = True
            while moved:  # only ever outwards, so this ends
                moved = False
                for other in order[:index] + ([] if upper else done):
                    side_by_side = name[3] < other[4] + 2 and other[3] < name[4] + 2
                    touching = name[5] < other[6] + 2 and other[5] < name[6] + 2
                    shift = other[6] + 2 - name[5] if upper else other[5] - 2 - name[6]
                    if side_by_side and touching and (shift > 0) == upper and shift:
                        name[1] += shift
                        name[5] += shift
                        name[6] += shift
                        moved = True
        done += order
    return [
        (x, y, ha, "bottom" if cos > SIDE else ("top" if cos < -SIDE else "center"), top, bot)
        for x, y, ha, _l, _r, bot, top, cos in placed
    ]


@chart
def radar(
    *,
    labels: Sequence[str],
    current: Values,
    current_label: str,
    title: str,
    band: tuple[Values, Values] | None = None,
    band_label: str = "",
    target: Values | None = None,
    target_label: str = "",
    previous: Values | None = None,
    previous_label: str = "",
    language: str = "nl",
    width: float = WIDE,
) -> Figure:
    """A radar of levels 1–6 per dimension, clockwise from the top; None leaves a gap
    (no data, or not applicable). A legend names the layers when there is more than one.

    ``width`` in points: the names keep their size, so a narrow radar (`WIDTH`, for a
    phone) is smaller inside its names than the wide one of a laptop and the report.
    """
    count = len(labels)
    angles = [2 * math.pi * index / count for index in range(count)]
    radius, wrapped, sizes = _layout(labels, angles, width)
    placed = _placements(angles, radius, sizes)
    legend = []
    if band is not None:
        legend.append(("band", band_label))
    if previous is not None:
        legend.append(("previous", previous_label))
    if target is not None:
        legend.append(("target", target_label))
    if legend:
        legend.append(("current", current_label))
    top = max(radius, *(p[4] for p in placed)) + MARGIN
    bottom = min(-radius, *(p[5] for p in placed)) - MARGIN
    legend = [(kind, fit(label, width - MARGIN - 30)) for kind, label in legend]
    legend_height = sum(text_size(label)[1] + 3 for _kind, label in legend) + (6 if legend else 0)
    height = top - bottom + legend_height
    cx, cy = width / 2, height - top
    made = figure(width, height)
    axes = canvas_axes(made, width, height)

    def at(value: float, angle: float) -> tuple[float, float]:
        r = radius * value / 6
        return cx + r * math.sin(angle), cy + r * math.cos(angle)

    def points(values: Values) -> list[tuple[float, float] | None]:
        return [None if v is None else at(v, a) for v, a in zip(values, angles, strict=True)]

    for level in range(1, 7):
        axes.add_patch(Circle((cx, cy), radius * level / 6, fill=False, edgecolor=GRID,
                              linewidth=0.8, zorder=0))  # fmt: skip
    for angle in angles:
        x, y = at(6, angle)
        axes.plot([cx, x], [cy, y], color=GRID, linewidth=0.8, zorder=0)
    between = math.pi / count
    shown_levels = range(1, 7) if radius / 6 >= 12 else range(2, 7, 2)
    for level in shown_levels:
        x, y = at(level, between)
        axes.text(x, y, str(level), color=MUTED, fontsize=TEXT_SIZE, ha="center",
                  va="center", zorder=5)  # fmt: skip
    for text, (x, y, ha, va, _top, _bottom) in zip(wrapped, placed, strict=True):
        axes.text(cx + x, cy + y, text, color=INK, fontsize=TEXT_SIZE, ha=ha, va=va,
                  linespacing=LINE_HEIGHT)  # fmt: skip
    if band is not None:
        _band(axes, points(band[0]), points(band[1]))
    for values, style, order in ((previous, PREVIOUS, 2), (target, TARGET, 3)):
        if values is not None:
            _line(axes, points(values), style, order)
    _line(axes, points(current), CURRENT, 4)
    dots = [p for p in points(current) if p is not None]
    if dots:
        axes.plot(*zip(*dots, strict=True), linestyle="none", marker="o", markersize=4.6,
                  color=ACCENT, zorder=4)  # fmt: skip
    _legend(axes, legend, legend_height)
    return made


def _line(axes, points, style: dict, order: int) -> None:
    for run in runs(points, closed=True):
        xs, ys = zip(*run, strict=True)
        axes.plot(xs, ys, solid_joinstyle="round", zorder=order,
                  marker="o" if len(run) == 1 else None, markersize=3, **style)  # fmt: skip


def _band(axes, low, high) -> None:
    """The middle half of the answers between the two rings; a gap where either is missing."""
    count = len(low)
    if all(p is not None for p in low + high):
        vertices = [*high, high[0], *reversed(low), low[-1]]
        codes = [Path.MOVETO, *[Path.LINETO] * (count - 1), Path.CLOSEPOLY] * 2
        axes.add_patch(PathPatch(Path(vertices, codes), zorder=1, **BAND))
        return
    defined = [i if low[i] is not None and high[i] is not None else None for i in range(count)]
    for run in runs(defined, closed=True):
        if len(run) < 2:
            continue
        outline = [high[i] for i in run] + [low[i] for i in reversed(run)]
        axes.fill(*zip(*outline, strict=True), zorder=1, **BAND)


def _legend(axes, entries, height: float) -> None:
    top = height - 6
    x = MARGIN + 2
    for kind, label in entries:
        row = text_size(label)[1] + 3
        y, top = top - row / 2, top - row
        if kind == "band":
            axes.add_patch(Rectangle((x, y - 4), 18, 8, **BAND))
        else:
            style = {"previous": PREVIOUS, "target": TARGET, "current": CURRENT}[kind]
            axes.add_line(Line2D([x, x + 18], [y, y], **style))
        axes.text(x + 24, y, label, color=INK, fontsize=TEXT_SIZE, va="center",
                  linespacing=LINE_HEIGHT)  # fmt: skip
