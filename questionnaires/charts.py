"""Charts as SVG text, drawn from plain geometry.

A radar and a line chart need circles, lines, paths and text, nothing more, so
they are written directly as SVG: about a millisecond per chart instead of the
hundred or more a plotting library takes, with the same output for the same data.
Text stays text (searchable, scales cleanly, set in Inter). On web pages a chart
is an image with the font embedded (``im_tags.chart_img``); in the PDF WeasyPrint
draws it with the report's own font.
"""

import functools
import math
from collections.abc import Sequence
from html import escape

from . import figures

ACCENT = "#0b5563"
ACCENT_SOFT = "#6fb3bf"
ATTENTION = "#a94e0c"
GREY = "#8a969c"
INK = "#1f2a30"
GRID = "#d9e0e3"


def _freeze(value):
    if isinstance(value, list | tuple):
        return tuple(_freeze(item) for item in value)
    return value


def _memoised(function):
    """The same data gives the same SVG: keep the last few hundred in memory."""
    cached = functools.lru_cache(maxsize=256)(function)

    @functools.wraps(function)
    def wrapper(**kwargs):
        return cached(**{key: _freeze(value) for key, value in kwargs.items()})

    wrapper.cache_clear = cached.cache_clear
    return wrapper


def _wrap(label: str, width: int = 16) -> str:
    words, lines, line = label.split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return "\n".join(lines)


def _number(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _runs(
    points: Sequence[tuple[float, float] | None], *, closed: bool
) -> list[list[tuple[float, float]]]:
    """The line through the points, split where a value is missing (a gap).

    A closed line (the radar) goes round: the last point joins the first.
    """
    count = len(points)
    if closed and all(point is not None for point in points):
        return [[*points, points[0]]]
    # A closed ring is read from just after a gap, so a run may wrap past the end.
    start = next((i for i, point in enumerate(points) if point is None), 0) if closed else -1
    runs, run = [], []
    for step in range(1, count + 1):
        point = points[(start + step) % count]
        if point is None:
            if len(run) > 1:
                runs.append(run)
            run = []
        else:
            run.append(point)
    if len(run) > 1:
        runs.append(run)
    return runs


def _path(runs: list[list[tuple[float, float]]]) -> str:
    parts = []
    for run in runs:
        head, *rest = run
        parts.append(f"M{_number(head[0])} {_number(head[1])}")
        parts += [f"L{_number(x)} {_number(y)}" for x, y in rest]
    return " ".join(parts)


@_memoised
def radar_svg(
    *,
    labels: Sequence[str],
    current: Sequence[float | None],
    current_label: str,
    title: str,
    band: tuple[Sequence[float | None], Sequence[float | None]] | None = None,
    band_label: str = "",
    target: Sequence[float | None] | None = None,
    target_label: str = "",
    previous: Sequence[float | None] | None = None,
    previous_label: str = "",
    size: float = 5.4,
) -> str:
    """A radar of levels 1–6 per dimension; None leaves a gap (no data or not applicable).

    Drawn as plain SVG geometry (no plotting library): spokes clockwise from the
    top, a ring per level, the middle half of the answers as a band, then the
    previous assessment, the target and the current median on top.
    """
    width, height = size * 72, size * 0.86 * 72  # points, as the PDF and the page expect
    radius = min(width, height) * 0.33
    cx, cy = width / 2, height * 0.12 + radius
    count = len(labels)
    angles = [2 * math.pi * i / count for i in range(count)]

    def at(value: float, angle: float) -> tuple[float, float]:
        r = radius * value / 6
        return cx + r * math.sin(angle), cy - r * math.cos(angle)

    def points(values: Sequence[float | None]) -> list[tuple[float, float] | None]:
        return [None if v is None else at(v, a) for v, a in zip(values, angles, strict=True)]

    out = []
    # Grid: a ring per level and a spoke per dimension.
    for level in range(1, 7):
        out.append(
            f'<circle cx="{_number(cx)}" cy="{_number(cy)}" r="{_number(radius * level / 6)}" '
            f'fill="none" stroke="{GRID}" stroke-width="0.8"/>'
        )
    for angle in angles:
        x, y = at(6, angle)
        out.append(
            f'<line x1="{_number(cx)}" y1="{_number(cy)}" x2="{_number(x)}" y2="{_number(y)}" '
            f'stroke="{GRID}" stroke-width="0.8"/>'
        )
    between = math.pi / count  # level numbers sit between the first two spokes
    for level in range(1, 7):
        x, y = at(level, between)
        out.append(
            f'<text class="level" x="{_number(x)}" y="{_number(y)}" text-anchor="middle" '
            f'dominant-baseline="central">{level}</text>'
        )
    # Dimension names around the outside, anchored away from the centre.
    for label, angle in zip(labels, angles, strict=True):
        x, y = at(6, angle)
        x += 12 * math.sin(angle)
        y -= 12 * math.cos(angle)
        sine, cosine = math.sin(angle), math.cos(angle)
        anchor = "middle" if abs(sine) < 0.3 else ("start" if sine > 0 else "end")
        lines = _wrap(label, 14).split("\n")
        # Labels above the centre grow upwards, below it downwards.
        first = (
            y - (len(lines) - 1) * 11
            if cosine > 0.3
            else (y if cosine < -0.3 else y - (len(lines) - 1) * 5.5)
        )
        spans = "".join(
            f'<tspan x="{_number(x)}" y="{_number(first + 11 * index)}">{escape(line)}</tspan>'
            for index, line in enumerate(lines)
        )
        out.append(
            f'<text class="axis" text-anchor="{anchor}" dominant-baseline="central">{spans}</text>'
        )
    legend = []
    if band is not None:
        low, high = points(band[0]), points(band[1])
        for i in range(count):
            j = (i + 1) % count
            corners = [high[i], high[j], low[j], low[i]]
            if None in corners:
                continue
            polygon = " ".join(f"{_number(x)},{_number(y)}" for x, y in corners)
            out.append(f'<polygon points="{polygon}" fill="{ACCENT_SOFT}" fill-opacity="0.35"/>')
        legend.append((band_label, f'fill="{ACCENT_SOFT}" fill-opacity="0.35"', "band"))
    lines_to_draw = []
    if previous is not None:
        style = f'stroke="{GREY}" stroke-width="1.4" stroke-dasharray="1.4 2.3"'
        lines_to_draw.append((previous, style))
        legend.append((previous_label, style, "line"))
    if target is not None:
        style = f'stroke="{ATTENTION}" stroke-width="1.6" stroke-dasharray="5.9 2.6"'
        lines_to_draw.append((target, style))
        legend.append((target_label, style, "line"))
    current_style = f'stroke="{ACCENT}" stroke-width="2.2"'
    lines_to_draw.append((current, current_style))
    for values, style in lines_to_draw:
        path = _path(_runs(points(values), closed=True))
        if path:
            out.append(f'<path d="{path}" fill="none" {style} stroke-linejoin="round"/>')
    for point in points(current):
        if point is not None:
            out.append(
                f'<circle cx="{_number(point[0])}" cy="{_number(point[1])}" r="2.6" '
                f'fill="{ACCENT}"/>'
            )
    if legend:
        legend.append((current_label, current_style, "line"))
        top = cy + radius + 34
        columns = (width * 0.1, width * 0.56)
        for index, (text, style, kind) in enumerate(legend):
            x = columns[index % 2]
            y = top + 13 * (index // 2)
            if kind == "band":
                out.append(f'<rect x="{_number(x)}" y="{_number(y - 3.5)}" width="16" '
                           f'height="7" {style}/>')  # fmt: skip
            else:
                out.append(f'<line x1="{_number(x)}" y1="{_number(y)}" x2="{_number(x + 16)}" '
                           f'y2="{_number(y)}" {style}/>')  # fmt: skip
            out.append(
                f'<text class="legend" x="{_number(x + 21)}" y="{_number(y)}" '
                f'dominant-baseline="central">{escape(text)}</text>'
            )
    style = f".level{{fill:{GREY};font-size:8px}}.axis{{font-size:10px}}.legend{{font-size:8px}}"
    return _document(width, height, title, out, style)


def _document(width: float, height: float, title: str, body: list[str], style: str) -> str:
    """An SVG document in points, with its title for assistive technology."""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{_number(width)}pt" '
        f'height="{_number(height)}pt" viewBox="0 0 {_number(width)} {_number(height)}">'
        f"<title>{escape(title)}</title><defs><style>text{{font-family:Inter,'DejaVu Sans',"
        f"sans-serif;fill:{INK}}}{style}</style></defs>{''.join(body)}</svg>"
    )


@_memoised
def phase_profile_svg(
    *,
    labels: Sequence[str],
    values: Sequence[float | None],
    title: str,
    highlight: bool = False,
    width: float = 6.4,
    language: str = "nl",
) -> str:
    """Median score per phase, PM → IM 2.1 … 2.4 → MoC, as a line over level lines; the
    figures by the one display rule, in the reader's language."""
    w, h = width * 72, 2.9 * 72
    left, right, top, bottom = w * 0.06, w * 0.98, h * 0.05, h * 0.73
    count = len(labels)

    def x_of(index: int) -> float:
        return left + (index + 0.25) / (count - 0.5) * (right - left)

    def y_of(value: float) -> float:
        return bottom - (value - 1) / 5.6 * (bottom - top)

    body = []
    for level in range(1, 7):
        y = y_of(level)
        body.append(
            f'<line x1="{_number(left)}" y1="{_number(y)}" x2="{_number(right)}" '
            f'y2="{_number(y)}" stroke="{GRID}" stroke-width="0.8"/>'
            f'<text class="tick" x="{_number(left - 6)}" y="{_number(y)}" text-anchor="end" '
            f'dominant-baseline="central">{level}</text>'
        )
    for index, label in enumerate(labels):
        x = x_of(index)
        body.append(
            f'<line x1="{_number(x)}" y1="{_number(bottom)}" x2="{_number(x)}" '
            f'y2="{_number(bottom + 3.5)}" stroke="{INK}" stroke-width="0.8"/>'
        )
        spans = "".join(
            f'<tspan x="{_number(x)}" y="{_number(bottom + 14 + 10.5 * line_number)}">'
            f"{escape(line)}</tspan>"
            for line_number, line in enumerate(_wrap(label, 12).split("\n"))
        )
        body.append(f'<text class="label" text-anchor="middle">{spans}</text>')
    color = ATTENTION if highlight else ACCENT
    points = [
        None if value is None else (x_of(index), y_of(value)) for index, value in enumerate(values)
    ]
    runs = _runs(points, closed=False)
    if runs:
        body.append(
            f'<path d="{_path(runs)}" fill="none" stroke="{color}" stroke-width="2.2" '
            'stroke-linejoin="round" stroke-linecap="round"/>'
        )
    for point, value in zip(points, values, strict=True):
        if point is None:
            continue
        shown = figures.score_text(value, language=language)
        body.append(
            f'<circle cx="{_number(point[0])}" cy="{_number(point[1])}" r="3" fill="{color}"/>'
            f'<text class="value" x="{_number(point[0])}" y="{_number(point[1] - 9)}" '
            f'text-anchor="middle">{shown}</text>'
        )
    style = f".tick{{fill:{GREY};font-size:8px}}.label{{font-size:8.5px}}.value{{font-size:8.5px}}"
    return _document(w, h, title, body, style)
