"""What every chart shares: matplotlib set up once, the palette, the sizes a phone can
read, and one way out to SVG (web and PDF) and PNG (slides), kept per input.

Only ``matplotlib.figure.Figure`` is used, never ``pyplot``: a figure made this way
belongs to the function that made it, so requests in several threads never share one.
The settings below are made once, at import, and never changed per chart.
"""

import functools
import hashlib
import io
import re
import textwrap
import threading
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from pathlib import Path

import matplotlib
from matplotlib import font_manager
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text
from matplotlib.transforms import Affine2D, Transform

from .. import figures

FONT_DIR = Path(__file__).resolve().parents[2] / "static" / "fonts" / "inter"
for _face in sorted(FONT_DIR.glob("inter-latin-*-normal.ttf")):
    font_manager.fontManager.addfont(str(_face))
matplotlib.rcParams.update(
    {
        "svg.fonttype": "none",  # text stays text: the page's font on the web, Inter in the PDF
        "svg.hashsalt": "im-assess",  # the same data gives the same SVG, byte for byte
        "font.family": ["Inter", "DejaVu Sans"],
        "font.size": 11,
        "axes.unicode_minus": True,
    }
)

# The product palette (static/css/app.css). Text colours have ≥ 4.5:1 on white.
ACCENT = "#0b5563"
ACCENT_SOFT = "#6fb3bf"
ATTENTION = "#a94e0c"
ATTENTION_SOFT = "#f3c9a6"
INK = "#1f2a30"
MUTED = "#56636b"
GREY = "#8a969c"  # lines only: 3:1 on white, too light for text
GRID = "#d9e0e3"
LEVELS = ("#d7ecef", "#a9d4db", "#6fb3bf", "#2f7d8c", "#16697a", "#083f4a")
TEXT_COLOURS = (INK, MUTED, ACCENT, ATTENTION, "#ffffff")

# Web charts are drawn this wide (points: the SVG's own units) and may be shown no
# narrower than PHONE_WIDTH_PX CSS pixels (static/css/app.css, .im-chart), so text of
# TEXT_SIZE points is at least 11 px on a 375 px phone.
WIDTH = 288.0
PHONE_WIDTH_PX = 288
PRINT_WIDTH = 482.0  # an A4 page between 2 cm margins, in points
TEXT_SIZE = 11.0
LINE_HEIGHT = 1.25

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"

# Every chart's key holds its code and the matplotlib that draws it: a change to either
# draws anew.
CHARTS_VERSION = hashlib.sha256(
    b"".join(path.read_bytes() for path in sorted(Path(__file__).parent.glob("*.py")))
    + matplotlib.__version__.encode()
).hexdigest()[:16]

_measuring = threading.local()


@functools.lru_cache(maxsize=4096)
def text_size(text: str, size: float = TEXT_SIZE, weight: str = "normal") -> tuple[float, float]:
    """Width and height in points of ``text`` (lines split on newlines) as matplotlib
    lays it out, line spacing included: measured, not estimated, so that a layout
    built on it fits."""
    if getattr(_measuring, "renderer", None) is None:
        _measuring.figure = Figure(dpi=72)
        _measuring.renderer = FigureCanvasAgg(_measuring.figure).get_renderer()
    sample = Text(0, 0, text, fontsize=size, fontweight=weight, linespacing=LINE_HEIGHT)
    sample.set_figure(_measuring.figure)
    box = sample.get_window_extent(_measuring.renderer)
    return box.width, box.height


def wrap(label: str, width: int) -> str:
    """A label broken between words into lines of about ``width`` characters."""
    return "\n".join(textwrap.wrap(label, width, break_long_words=False)) or label


def fit(label: str, width: float, size: float = TEXT_SIZE) -> str:
    """A label wrapped into as few lines as keep it within ``width`` points."""
    for characters in range(len(label), 7, -4):
        wrapped = wrap(label, characters)
        if text_size(wrapped, size)[0] <= width:
            return wrapped
    return wrap(label, 8)


def number(value: float | None, language: str) -> str:
    """A score by the one display rule, in the reader's language."""
    return figures.score_text(value, language=language)


def runs(points: Sequence[tuple[float, float] | None], *, closed: bool):
    """The line through the points, split where a value is missing (a gap).

    A closed line (the radar) goes round: the last point joins the first.
    """
    count = len(points)
    if closed and count and all(point is not None for point in points):
        return [[*points, points[0]]]
    # A closed ring is read from just after a gap, so a run may wrap past the end.
    start = next((i for i, point in enumerate(points) if point is None), 0) if closed else -1
    found, run = [], []
    for step in range(1, count + 1):
        point = points[(start + step) % count]
        if point is None:
            if run:
                found.append(run)
            run = []
        else:
            run.append(point)
    if run:
        found.append(run)
    return found


def figure(width: float, height: float) -> Figure:
    """A figure of ``width`` × ``height`` points with no background (the page shows through)."""
    made = Figure(figsize=(width / 72, height / 72), dpi=72)
    made.patch.set_visible(False)
    return made


def in_points(made: Figure) -> Transform:
    """Figure coordinates in points from the bottom left, at any resolution (PNG too)."""
    return Affine2D().scale(1 / 72) + made.dpi_scale_trans


def canvas_axes(made: Figure, width: float, height: float):
    """Axes over the whole figure whose data units are points, origin bottom left."""
    axes = made.add_axes((0, 0, 1, 1))
    axes.set_axis_off()
    axes.set_xlim(0, width)
    axes.set_ylim(0, height)
    return axes


# --- Out: SVG and PNG --------------------------------------------------------------------

_STYLE_DECLARATION = re.compile(r"\s*([a-z-]+)\s*:\s*([^;]+)")
_LONG_DECIMAL = re.compile(r"(\d\.\d\d)\d+")
_REFERENCE = re.compile(r"url\(#([^)]+)\)")


def _as_svg(made: Figure, title: str) -> str:
    """The figure as an SVG element that a page can inline under a strict
    Content-Security-Policy: presentation attributes instead of style, no metadata, ids
    of its own, a title and an accessible name."""
    out = io.StringIO()
    made.savefig(out, format="svg", metadata={"Date": None, "Creator": None, "Format": None})
    root = ET.fromstring(out.getvalue())
    for metadata in root.findall(f"{{{SVG_NS}}}metadata"):
        root.remove(metadata)
    for defs in root.findall(f"{{{SVG_NS}}}defs"):
        for style in defs.findall(f"{{{SVG_NS}}}style"):
            defs.remove(style)  # *{stroke-linejoin: round; stroke-linecap: butt}, as attributes:
        if not len(defs):
            root.remove(defs)
    root.set("stroke-linejoin", "round")
    root.set("stroke-linecap", "butt")
    digest = hashlib.sha256(out.getvalue().encode()).hexdigest()[:8]
    referenced = set(_REFERENCE.findall(out.getvalue())) | set(
        re.findall(r'href="#([^"]+)"', out.getvalue())
    )
    names = {old: f"c{digest}-{index}" for index, old in enumerate(sorted(referenced))}
    href = f"{{{XLINK_NS}}}href"
    for element in root.iter():
        style = element.attrib.pop("style", None)
        if style:
            for name, value in _STYLE_DECLARATION.findall(style):
                value = value.strip()
                if name == "font-family":  # Inter, as the page and the report set it
                    value = "Inter, sans-serif"
                element.set(name, value)
        old = element.attrib.pop("id", None)
        if old in names:
            element.set("id", names[old])
        for name in ("clip-path", "mask", "fill"):
            value = element.get(name)
            if value and value.startswith("url(#"):
                element.set(name, _REFERENCE.sub(lambda m: f"url(#{names[m[1]]})", value))
        link = element.attrib.pop(href, None)  # SVG 2's plain href: no xlink namespace
        if link is not None:
            element.set("href", "#" + names[link[1:]] if link.startswith("#") else link)
        for name in ("d", "x", "y", "transform", "points", "width", "height"):
            if name in element.attrib:
                element.set(name, " ".join(_LONG_DECIMAL.sub(r"\1", element.get(name)).split()))
        if element.text and not element.text.strip():
            element.text = None
        element.tail = None
    root.set("role", "img")
    root.set("aria-label", title)
    root.attrib.pop("version", None)
    heading = ET.Element(f"{{{SVG_NS}}}title")
    heading.text = title
    root.insert(0, heading)
    # Plain names and the namespace written out, whatever prefixes another library has
    # registered with ElementTree: an HTML page inlines the SVG as it is.
    for element in root.iter():
        element.tag = element.tag.rpartition("}")[2]
    root.set("xmlns", SVG_NS)
    return ET.tostring(root, encoding="unicode")


def _as_png(made: Figure, dpi: int) -> bytes:
    out = io.BytesIO()
    made.savefig(out, format="png", dpi=dpi, metadata={"Software": None})
    return out.getvalue()


def _frozen(value):
    if isinstance(value, list | tuple):
        return tuple(_frozen(item) for item in value)
    return value


class Chart:
    """One chart: ``draw(**data)`` makes its figure from plain data (``title`` names
    it); ``svg`` and ``png`` give it out, each kept in this process under its data: the
    same data, the same bytes."""

    def __init__(self, draw: Callable[..., Figure]):
        self.draw = draw
        self.name = draw.__name__
        functools.update_wrapper(self, draw)
        self._svg = functools.lru_cache(maxsize=256)(self._render_svg)
        self._png = functools.lru_cache(maxsize=32)(self._render_png)

    def figure(self, **data) -> Figure:
        return self.draw(**data)

    def svg(self, **data) -> str:
        return self._svg(tuple(sorted((name, _frozen(v)) for name, v in data.items())))

    def png(self, *, dpi: int = 200, **data) -> bytes:
        return self._png(dpi, tuple(sorted((name, _frozen(v)) for name, v in data.items())))

    def cache_clear(self) -> None:
        self._svg.cache_clear()
        self._png.cache_clear()

    def _render_svg(self, data: tuple) -> str:
        data_ = dict(data)
        return _as_svg(self.draw(**data_), data_["title"])

    def _render_png(self, dpi: int, data: tuple) -> bytes:
        return _as_png(self.draw(**dict(data)), dpi)


def chart(draw: Callable[..., Figure]) -> Chart:
    """Makes a drawing function (plain data in, with a ``title``; its figure out) a `Chart`."""
    return Chart(draw)
