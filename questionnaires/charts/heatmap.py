"""The team or role heatmap for the printed report: the median per group and dimension
in the level colours, each cell with its figure. The web shows the same as a table."""

from collections.abc import Sequence

from matplotlib.collections import PolyCollection
from matplotlib.figure import Figure

from .base import (
    INK,
    LEVELS,
    MUTED,
    PRINT_WIDTH,
    canvas_axes,
    chart,
    figure,
    number,
    text_size,
    wrap,
)

SIZE = 9.0
CELL_HEIGHT = 20.0
HEADER = 18.0
EMPTY = "#eef1f2"


def _level(value: float) -> int:
    return min(max(int(value + 1e-9), 1), 6)


@chart
def heatmap(
    *,
    columns: Sequence[str],
    groups: Sequence[tuple[str, Sequence[float | None]]],
    title: str,
    language: str = "nl",
) -> Figure:
    """One row per group (its name and size as one label), one column per dimension; a
    cell without a figure (too few answers, or held back for anonymity) shows a dash."""
    names = [wrap(name, 28) for name, _values in groups]
    column = max((text_size(name, SIZE)[0] for name in names), default=40) + 10
    heights = [max(CELL_HEIGHT, text_size(name, SIZE)[1] + 6) for name in names]
    height = HEADER + sum(heights) + 2
    made = figure(PRINT_WIDTH, height)
    axes = canvas_axes(made, PRINT_WIDTH, height)
    cell = (PRINT_WIDTH - column) / max(len(columns), 1)
    top = height - HEADER
    for index, code in enumerate(columns):
        axes.text(column + (index + 0.5) * cell, top + HEADER / 2, code, fontsize=SIZE,
                  fontweight="bold", color=INK, ha="center", va="center")  # fmt: skip
    y = top
    cells, fills = [], []
    for name, row_height, (_group, values) in zip(names, heights, groups, strict=True):
        y -= row_height
        axes.text(0, y + row_height / 2, name, fontsize=SIZE, color=INK, va="center",
                  linespacing=1.2)  # fmt: skip
        for index, value in enumerate(values):
            x = column + index * cell
            level = None if value is None else _level(value)
            left, right, bottom, upper = x + 1, x + cell - 1, y + 1, y + row_height - 1
            cells.append([(left, bottom), (right, bottom), (right, upper), (left, upper)])
            fills.append(EMPTY if level is None else LEVELS[level - 1])
            text_colour = MUTED if level is None else (INK if level <= 3 else "#ffffff")
            axes.text(x + cell / 2, y + row_height / 2, number(value, language), fontsize=SIZE,
                      color=text_colour, ha="center", va="center")  # fmt: skip
    # One collection for every cell: as many patches would each cost a layout pass.
    axes.add_collection(PolyCollection(cells, facecolors=fills, linewidths=0), autolim=False)
    return made
