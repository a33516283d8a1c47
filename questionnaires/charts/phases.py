"""The phase profile: the median score per phase, PM → IM 2.1 … 2.4 → MoC, with the
level expected after each phase and the mark where the project was delivered but the
change did not land (domain model §4.5)."""

from collections.abc import Sequence

from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from .base import (
    ACCENT,
    ATTENTION,
    GRID,
    INK,
    LINE_HEIGHT,
    MUTED,
    TEXT_SIZE,
    WIDTH,
    chart,
    figure,
    in_points,
    number,
    runs,
    text_size,
)

LEFT, RIGHT, BOTTOM = 24.0, 6.0, 24.0
PLOT_HEIGHT = 150.0
ROW = TEXT_SIZE * LINE_HEIGHT + 4
EXPECTED = {"color": MUTED, "linewidth": 2.4, "solid_capstyle": "butt"}


@chart
def phase_profile(
    *,
    labels: Sequence[str],
    values: Sequence[float | None],
    title: str,
    median_label: str,
    expected: Sequence[int | None] = (),
    expected_label: str = "",
    not_landed: bool = False,
    not_landed_label: str = "",
    language: str = "nl",
) -> Figure:
    """Median score per phase as a line over the levels 1–6 (a gap where a phase has no
    score), each figure written above its point by the one display rule."""
    count = len(labels)
    expected = list(expected) or [None] * count
    legend = [("median", median_label)]
    if any(level is not None for level in expected):
        legend.append(("expected", expected_label))
    if not_landed:
        legend.append(("not_landed", not_landed_label))
    rows = _legend_rows(legend)
    top = ROW * len(rows) + 8
    height = top + PLOT_HEIGHT + BOTTOM
    made = figure(WIDTH, height)
    axes = made.add_axes((LEFT / WIDTH, BOTTOM / height, 1 - (LEFT + RIGHT) / WIDTH,
                          PLOT_HEIGHT / height))  # fmt: skip
    axes.set_xlim(-0.5, count - 0.5)
    axes.set_ylim(0.6, 6.5)
    axes.set_yticks(range(1, 7), [str(level) for level in range(1, 7)])
    axes.set_xticks(range(count), list(labels))
    axes.tick_params(axis="y", length=0, labelsize=TEXT_SIZE, labelcolor=MUTED, pad=6)
    axes.tick_params(axis="x", length=3, labelsize=TEXT_SIZE, labelcolor=INK, color=INK)
    axes.grid(axis="y", color=GRID, linewidth=0.8)
    axes.set_axisbelow(True)
    for side in ("top", "right", "left"):
        axes.spines[side].set_visible(False)
    axes.spines["bottom"].set_color(INK)
    axes.spines["bottom"].set_linewidth(0.8)
    colour = ATTENTION if not_landed else ACCENT
    if not_landed:
        axes.axvline(0.5, color=ATTENTION, linewidth=1.2, linestyle=(0, (4, 2.5)), zorder=1)
    for index, level in enumerate(expected):
        if level is not None:
            axes.plot([index - 0.3, index + 0.3], [level, level], zorder=2, **EXPECTED)
    points = [None if v is None else (i, v) for i, v in enumerate(values)]
    for run in runs(points, closed=False):
        xs, ys = zip(*run, strict=True)
        axes.plot(xs, ys, color=colour, linewidth=2.2, marker="o", markersize=5.5,
                  solid_joinstyle="round", solid_capstyle="round", zorder=3)  # fmt: skip
    for index, (value, level) in enumerate(zip(values, expected, strict=True)):
        if value is None:
            continue
        # Above the point, unless the top or the expected level's mark is in the way.
        above = value <= 5.6 and not (level is not None and 0.15 < level - value < 0.8)
        axes.annotate(number(value, language), (index, value), xytext=(0, 7 if above else -7),
                      textcoords="offset points", ha="center", va="bottom" if above else "top",
                      fontsize=TEXT_SIZE, color=INK, zorder=4)  # fmt: skip
    _legend(made, rows, height, colour)
    return made


def _legend_rows(entries):
    """The legend's entries, as many to a row as fit the width."""
    rows, row, used = [], [], 0.0
    for entry in entries:
        width = 24 + text_size(entry[1])[0] + 14
        if row and used + width > WIDTH - 8:
            rows.append(row)
            row, used = [], 0.0
        row.append((entry, width))
        used += width
    if row:
        rows.append(row)
    return rows


def _legend(made: Figure, rows, height: float, colour: str) -> None:
    y = height - 6 - ROW / 2
    for row in rows:
        x = 4.0
        for (kind, label), width in row:
            if kind == "median":
                line = Line2D([x, x + 18], [y, y], color=colour, linewidth=2.2, marker="o",
                              markersize=4, markevery=[1])  # fmt: skip
            elif kind == "expected":
                line = Line2D([x + 2, x + 16], [y, y], **EXPECTED)
            else:
                line = Line2D([x + 9, x + 9], [y - 6, y + 6], color=ATTENTION, linewidth=1.2,
                              linestyle=(0, (3, 2)))  # fmt: skip
            line.set_transform(in_points(made))
            made.add_artist(line)
            made.text(x + 24, y, label, color=ATTENTION if kind == "not_landed" else INK,
                      fontsize=TEXT_SIZE, va="center", transform=in_points(made))  # fmt: skip
            x += width
        y -= ROW
