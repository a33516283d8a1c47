"""Charts as SVG text: the one place that imports matplotlib.

Only the object-oriented Figure API is used (never pyplot), so charts are safe
to draw in any server thread. Text stays text in the SVG (``svg.fonttype:
none``): it is searchable, scales cleanly and takes the page's own font, on
the web and in the PDF alike.
"""

import functools
import io
import math
import re
from collections.abc import Sequence

import matplotlib
from django.conf import settings
from matplotlib import font_manager
from matplotlib.figure import Figure

# The product font, registered once so that labels are measured as they will be drawn.
for _weight in (400, 600, 700):
    font_manager.fontManager.addfont(
        str(settings.BASE_DIR / "static" / "fonts" / "inter" / f"inter-latin-{_weight}-normal.ttf")
    )

ACCENT = "#0b5563"
ACCENT_SOFT = "#6fb3bf"
ATTENTION = "#b5540d"
GREY = "#8a969c"
INK = "#1f2a30"
GRID = "#d9e0e3"

_STYLE = {
    "svg.fonttype": "none",
    "svg.hashsalt": "im-assess",  # stable ids: the same data gives the same SVG
    "font.family": ["Inter", "DejaVu Sans", "sans-serif"],
    "font.size": 9,
    "axes.edgecolor": GRID,
    "text.color": INK,
}


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


def _values(values: Sequence[float | None]) -> list[float]:
    return [math.nan if v is None else float(v) for v in values]


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
    """A radar of levels 1–6 per dimension; None leaves a gap (no data or not applicable)."""
    count = len(labels)
    angles = [2 * math.pi * i / count for i in range(count)]  # clockwise from the top
    closed = [*angles, angles[0]]

    def ring(values: Sequence[float | None]) -> list[float]:
        points = _values(values)
        return [*points, points[0]]

    with matplotlib.rc_context(_STYLE):
        figure = Figure(figsize=(size, size * 0.86))
        axes = figure.add_subplot(projection="polar")
        axes.set_theta_offset(math.pi / 2)
        axes.set_theta_direction(-1)
        axes.set_ylim(0, 6)
        axes.set_yticks([1, 2, 3, 4, 5, 6])
        axes.set_yticklabels(["1", "2", "3", "4", "5", "6"], color=GREY, fontsize=8)
        axes.set_rlabel_position(180 / count)  # between the first two spokes
        axes.set_xticks(angles)
        axes.set_xticklabels([_wrap(label, 14) for label in labels], fontsize=10)
        axes.tick_params(axis="x", pad=10)
        axes.grid(color=GRID, linewidth=0.8)
        axes.spines["polar"].set_color(GRID)
        if band is not None:
            low, high = ring(band[0]), ring(band[1])
            axes.fill_between(
                closed, low, high, color=ACCENT_SOFT, alpha=0.35, linewidth=0, label=band_label
            )
        if previous is not None:
            axes.plot(
                closed, ring(previous), color=GREY, linewidth=1.4, linestyle=":",
                label=previous_label,
            )  # fmt: skip
        if target is not None:
            axes.plot(
                closed, ring(target), color=ATTENTION, linewidth=1.6, linestyle="--",
                label=target_label,
            )  # fmt: skip
        axes.plot(closed, ring(current), color=ACCENT, linewidth=2.2, label=current_label)
        axes.scatter(angles, _values(current), color=ACCENT, s=18, zorder=3)
        if band is not None or target is not None or previous is not None:
            axes.legend(
                loc="upper center", bbox_to_anchor=(0.5, -0.09), ncol=2, frameon=False,
                fontsize=8,
            )  # fmt: skip
        figure.subplots_adjust(left=0.17, right=0.83, top=0.88, bottom=0.22)
        return _svg(figure, title)


def _svg(figure: Figure, title: str) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg") :]  # drop the XML prolog and doctype: it is inlined in HTML
    escaped = title.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    svg = re.sub(r"<svg ", '<svg role="img" ', svg, count=1)
    return svg.replace(">", f"><title>{escaped}</title>", 1)


@_memoised
def phase_profile_svg(
    *,
    labels: Sequence[str],
    values: Sequence[float | None],
    title: str,
    highlight: bool = False,
    width: float = 6.4,
) -> str:
    """Median score per phase, PM → IM 2.1 … 2.4 → MoC, as a line over level bands."""
    with matplotlib.rc_context(_STYLE):
        figure = Figure(figsize=(width, 2.9))
        axes = figure.add_subplot()
        positions = list(range(len(labels)))
        points = _values(values)
        for level in range(1, 7):
            axes.axhline(level, color=GRID, linewidth=0.8, zorder=0)
        color = ATTENTION if highlight else ACCENT
        axes.plot(positions, points, color=color, linewidth=2.2, marker="o", markersize=6)
        for x, y in zip(positions, points, strict=True):
            if not math.isnan(y):
                axes.annotate(
                    f"{y:.1f}".replace(".", ","), (x, y), textcoords="offset points",
                    xytext=(0, 8), ha="center", fontsize=8.5, color=INK,
                )  # fmt: skip
        axes.set_xticks(positions)
        axes.set_xticklabels([_wrap(label, 12) for label in labels], fontsize=8.5)
        axes.set_ylim(1, 6.6)
        axes.set_yticks(range(1, 7))
        axes.tick_params(axis="y", labelsize=8, colors=GREY)
        for side in ("top", "right", "left"):
            axes.spines[side].set_visible(False)
        figure.subplots_adjust(left=0.06, right=0.98, top=0.95, bottom=0.27)
        return _svg(figure, title)
