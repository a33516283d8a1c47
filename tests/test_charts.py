"""The charts (questionnaires/charts): matplotlib figures whose SVG holds the right
series, in the reader's numbers, legible on a phone, safe to inline under the page's
Content-Security-Policy, and the same bytes for the same data."""

import ast
import io
import itertools
import math
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache, caches
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.text import Text
from PIL import Image

from questionnaires import charts, visuals
from questionnaires.charts import base

SVG = "{http://www.w3.org/2000/svg}"
NL = ["Procesfit", "Visie & doel", "Eigenaarschap", "Werkwijze & mindset", "Communicatie",
      "Leren & kennis", "Adoptie", "Borging & beheer", "Ketenintegratie",
      "Continu verbeteren", "Risico & leverancier", "Baten & businessmodel"]  # fmt: skip
EN = ["Process fit", "Vision & purpose", "Ownership", "Ways of working", "Communication",
      "Learning & knowledge", "Adoption", "Service assurance", "Chain integration",
      "Continuous improvement", "Risk & vendor", "Benefits & business model"]  # fmt: skip
VALUES = [3.1, 3.7, 2.8, 2.7, 2.9, 2.6, 2.6, 3.2, 2.4, 2.1, 3.0, 2.0]


def radar_data(labels=NL, **changes):
    data = {
        "labels": labels,
        "current": VALUES,
        "current_label": "Nu (mediaan)",
        "title": "Profiel & <doel>",
        "band": ([v - 0.5 for v in VALUES], [v + 0.5 for v in VALUES]),
        "band_label": "Middelste helft van de antwoorden",
        "target": [3] * 12,
        "target_label": "Doel",
        "previous": [v - 0.4 for v in VALUES],
        "previous_label": "Vorige scan",
    }
    return data | changes


def phase_data(language="nl", **changes):
    data = {
        "labels": ["PM", "IM 2.1", "IM 2.2", "IM 2.3", "IM 2.4", "MoC"],
        "values": [4.2, 3.04, 2.46, None, 2.0, 1.8],
        "expected": [None, 2, 3, 3, 4, None],
        "title": "Mediaan per fase",
        "median_label": "Mediaan",
        "expected_label": "Verwacht niveau na de fase",
        "not_landed": True,
        "not_landed_label": "Opgeleverd, niet geland",
        "language": language,
    }
    return data | changes


def distribution_data(labels=NL):
    return {
        "labels": labels,
        "spreads": [(v - 1, v - 0.5, v, v + 0.5, v + 1) for v in VALUES[:-1]] + [None],
        "divided": [index == 3 for index in range(12)],
        "title": "Verdeeld over Werkwijze",
        "median_label": "Mediaan",
        "middle_label": "Middelste helft van de scores (P25–P75)",
        "outer_label": "Van P10 tot P90",
        "divided_label": "Verdeeld",
    }


def trend_data(labels=NL):
    return {
        "labels": labels,
        "cycles": ["IM-scan 2024", "IM-scan 2025", "IM-scan 2026"],
        "medians": [[v - 0.9, None if i == 2 else v - 0.3, v] for i, v in enumerate(VALUES)],
        "real": [[True, False]] * 12,
        "title": "Echte verandering op 12 dimensies",
        "real_label": "Echte verandering: een half niveau of meer, met ten minste vijf "
        "respondenten in beide rondes",
        "indication_label": "Alleen een indicatie",
    }


def heatmap_data(language="nl"):
    return {
        "columns": [f"D{n}" for n in range(1, 13)],
        "groups": [("Team Zorg & <ICT> (n = 12)", VALUES), ("Overig (n = 9)", [None, *VALUES[1:]])],
        "title": "Per team",
        "language": language,
    }


WEB_CHARTS = [
    ("radar, phone", charts.radar, lambda: radar_data(width=charts.WIDTH)),
    ("radar, phone, en", charts.radar, lambda: radar_data(EN, width=charts.WIDTH)),
    ("phase profile", charts.phase_profile, phase_data),
    ("distribution", charts.distribution, distribution_data),
    ("distribution, en", charts.distribution, lambda: distribution_data(EN)),
    ("trend", charts.trend, trend_data),
]
PAPER = {"width": charts.PRINT_WIDTH}  # the report's row charts (visuals.printed)
PRINTED_ROWS = [
    ("distribution, paper", charts.distribution, lambda: distribution_data() | PAPER),
    ("distribution, paper, en", charts.distribution, lambda: distribution_data(EN) | PAPER),
    ("trend, paper", charts.trend, lambda: trend_data() | PAPER),
]
ALL_CHARTS = [
    *WEB_CHARTS,
    ("radar, wide", charts.radar, radar_data),
    ("radar, wide, en", charts.radar, lambda: radar_data(EN)),
    ("heatmap", charts.heatmap, heatmap_data),
    *PRINTED_ROWS,
]


def _root(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def _texts(root: ET.Element) -> list[str]:
    return [text.text or "" for text in root.iter(f"{SVG}text")]


def _vertices(d: str) -> list[tuple[float, float]]:
    numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", d)]
    return list(zip(numbers[::2], numbers[1::2], strict=True))


def _line(root, **attributes) -> ET.Element:
    """The one line (three points or more, no curves) drawn with these attributes."""
    (found,) = [
        path
        for path in _paths(root, **attributes)
        if "C" not in path.get("d") and len(_vertices(path.get("d"))) >= 3
    ]
    return found


def _paths(root, **attributes) -> list[ET.Element]:
    return [
        path
        for path in root.iter(f"{SVG}path")
        if all(path.get(name) == value for name, value in attributes.items())
    ]


def test_the_radars_median_has_one_vertex_per_dimension_at_its_level():
    root = _root(charts.radar.svg(**radar_data()))
    spokes = [_vertices(p.get("d")) for p in _paths(root, stroke=base.GRID)]
    spokes = [s for s in spokes if len(s) == 2]
    assert len(spokes) == 12
    centre = spokes[0][0]
    assert all(math.dist(s[0], centre) < 0.05 for s in spokes)
    outer = math.dist(*spokes[0])  # the spoke reaches level 6
    median = _line(root, stroke=base.ACCENT, **{"stroke-width": "2.2"})
    vertices = _vertices(median.get("d"))
    assert vertices[0] == vertices[-1] and len(vertices) == 13  # closed, one per dimension
    for (x, y), value in zip(vertices, VALUES, strict=False):
        assert math.dist((x, y), centre) == pytest.approx(outer * value / 6, abs=0.05)
    first = vertices[0]
    assert abs(first[0] - centre[0]) < 0.05 and first[1] < centre[1]  # straight up
    # Clockwise: the second dimension is to the right.
    assert vertices[1][0] > centre[0]


def test_the_radar_draws_band_target_and_previous_and_names_them():
    root = _root(charts.radar.svg(**radar_data()))
    assert len(_paths(root, fill=base.ACCENT_SOFT)) == 2  # the band, and its legend sample
    assert _paths(root, stroke=base.ATTENTION)  # target
    assert _paths(root, stroke=base.GREY)  # previous
    texts = _texts(root)
    for label in ("Middelste helft van de antwoorden", "Doel", "Vorige scan", "Nu (mediaan)"):
        assert label in texts
    assert "Eigenaarschap" in texts and "1" in texts and "6" in texts


def test_a_missing_value_leaves_a_gap():
    data = radar_data(
        labels=NL[:4],
        current=[2, None, 4, 5],
        band=([1, None, 3, 4], [3, 4, 5, 6]),
        target=None,
        previous=None,
    )
    root = _root(charts.radar.svg(**data))
    line = _line(root, stroke=base.ACCENT, **{"stroke-width": "2.2"})
    assert line.get("d").count("M") == 1 and line.get("d").count("L") == 2  # 3 → 4 → 1
    # The band keeps only the stretch where both of its rings are known: 3, 4 and 1.
    (band,) = [p for p in _paths(root, fill=base.ACCENT_SOFT) if len(_vertices(p.get("d"))) > 5]
    assert len(_vertices(band.get("d"))) == 3 + 3  # out along the upper ring, back along the lower


def test_svg_is_inline_safe_named_and_escaped():
    for name, chart, data in ALL_CHARTS:
        svg = chart.svg(**data())
        root = _root(svg)
        assert root.tag == f"{SVG}svg" and root.get("role") == "img", name
        assert root.find(f"{SVG}title").text == data()["title"], name
        assert root.get("aria-label") == data()["title"], name
        assert "style" not in svg and "<script" not in svg and "xlink" not in svg, name
        assert "ns0:" not in svg, name
        ids = [e.get("id") for e in root.iter() if e.get("id")]
        assert len(ids) == len(set(ids)), name
        for reference in re.findall(r'url\(#([^)]+)\)|href="#([^"]+)"', svg):
            assert (reference[0] or reference[1]) in ids, name
    svg = charts.radar.svg(**radar_data())
    assert "Profiel &amp; &lt;doel&gt;" in svg
    heat = charts.heatmap.svg(**heatmap_data())
    assert "Team Zorg &amp; &lt;ICT&gt; (n = 12)" in heat and "<ICT>" not in heat


def _font_sizes(root) -> list[float]:
    return [float(text.get("font-size").removesuffix("px")) for text in root.iter(f"{SVG}text")]


@pytest.mark.parametrize(("name", "chart", "data"), WEB_CHARTS, ids=[c[0] for c in WEB_CHARTS])
def test_web_charts_are_legible_on_a_phone(name, chart, data):
    root = _root(chart.svg(**data()))
    width = float(root.get("viewBox").split()[2])
    scale = charts.PHONE_WIDTH_PX / width  # the narrowest the page shows it (app.css)
    assert min(_font_sizes(root)) * scale >= 11


def test_printed_charts_are_legible_on_paper():
    # The report prints the wide radar 13.5 cm wide and the heatmap across the page.
    root = _root(charts.radar.svg(**radar_data()))
    width = float(root.get("viewBox").split()[2])
    assert min(_font_sizes(root)) * (13.5 / 2.54 * 72) / width >= 9
    assert min(_font_sizes(_root(charts.heatmap.svg(**heatmap_data())))) >= 8.5
    # The row charts are drawn across the page and printed 15.5 cm wide.
    for _name, chart, data in PRINTED_ROWS:
        root = _root(chart.svg(**data()))
        width = float(root.get("viewBox").split()[2])
        assert min(_font_sizes(root)) * (15.5 / 2.54 * 72) / width >= 9


def test_on_paper_the_row_charts_keep_names_on_one_line_and_are_shorter():
    for chart, data in ((charts.distribution, distribution_data), (charts.trend, trend_data)):
        phone, paper = _root(chart.svg(**data())), _root(chart.svg(**data() | PAPER))
        ratio = [float(r.get("viewBox").split()[3]) / float(r.get("viewBox").split()[2])
                 for r in (phone, paper)]  # fmt: skip
        # Under half as tall for its width: the trend and its table share a page.
        assert ratio[1] < ratio[0] / 2
        assert "Werkwijze & mindset" in _texts(paper)  # on the phone it wraps in two lines
        assert "Werkwijze & mindset" not in _texts(phone)


def _contrast(a: str, b: str) -> float:
    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    low, high = sorted((luminance(a), luminance(b)))
    return (high + 0.05) / (low + 0.05)


def test_text_colours_have_aa_contrast():
    for name, chart, data in ALL_CHARTS:
        for text in _root(chart.svg(**data())).iter(f"{SVG}text"):
            assert text.get("fill") in charts.TEXT_COLOURS, (name, text.text)
    for colour in (c for c in charts.TEXT_COLOURS if c != "#ffffff"):
        assert _contrast(colour, "#ffffff") >= 4.5, colour
    # In the heatmap each level's figure is written in the colour that reads on it.
    root = _root(charts.heatmap.svg(**heatmap_data()))
    fills = [p.get("fill") for p in root.iter(f"{SVG}path") if p.get("fill")]
    figures = [t for t in root.iter(f"{SVG}text") if re.fullmatch(r"\d,\d|–", t.text or "")]
    for cell, text in zip(fills, figures, strict=True):
        assert _contrast(cell, text.get("fill")) >= 4.5, (cell, text.text)


@pytest.mark.parametrize("language", ["nl", "en"])
def test_numbers_are_in_the_readers_language(language):
    texts = _texts(_root(charts.phase_profile.svg(**phase_data(language))))
    mark = "," if language == "nl" else "."
    # Cut to one decimal, never rounded up: 3.04 → 3,0 and 2.46 → 2,4.
    assert {f"4{mark}2", f"3{mark}0", f"2{mark}4", f"2{mark}0", f"1{mark}8"} <= set(texts)
    heat = _texts(_root(charts.heatmap.svg(**heatmap_data(language))))
    assert f"3{mark}7" in heat and f"2{mark}0" in heat
    other = "." if language == "nl" else ","
    assert not any(re.fullmatch(rf"\d\{other}\d", text) for text in texts + heat)


def test_the_phase_profile_marks_expected_levels_and_the_change_that_did_not_land():
    root = _root(charts.phase_profile.svg(**phase_data()))
    lines = _paths(root, stroke=base.ATTENTION, **{"stroke-width": "2.2"})
    # 4.2 → 3.04 → 2.46, a gap, then 2.0 → 1.8 apart; and the legend's sample.
    assert [len(_vertices(line.get("d"))) for line in lines] == [3, 2, 2]
    assert len(_paths(root, stroke=base.MUTED, **{"stroke-width": "2.4"})) == 4 + 1  # + legend
    assert "Opgeleverd, niet geland" in _texts(root)
    calm = _root(charts.phase_profile.svg(**phase_data(not_landed=False)))
    assert not _paths(calm, stroke=base.ATTENTION) and "Opgeleverd, niet geland" not in _texts(calm)


def test_the_distribution_has_a_box_per_dimension_with_a_result():
    root = _root(charts.distribution.svg(**distribution_data()))
    calm = _paths(root, fill=base.ACCENT_SOFT)
    warm = _paths(root, fill=base.ATTENTION_SOFT)
    assert (len(calm), len(warm)) == (10 + 1, 1 + 1)  # eleven with a result, one divided
    medians = _paths(root, stroke=base.ACCENT, **{"stroke-width": "3"})
    assert len(medians) == 10 + 1


def test_the_trend_joins_every_cycle_and_marks_real_changes():
    root = _root(charts.trend.svg(**trend_data()))
    solid = _paths(root, stroke=base.ACCENT, **{"stroke-width": "2.4"})
    dotted = _paths(root, stroke=base.GREY, **{"stroke-width": "1.2"})
    # Eleven rows step 2024 → 2025 (real) and 2025 → 2026 (an indication); the third,
    # without 2025, joins 2024 to 2026 with no rule to call it real. Plus the legend.
    assert (len(solid), len(dotted)) == (11 + 1, 11 + 1 + 1)
    assert {"IM-scan 2024", "IM-scan 2025", "IM-scan 2026"} <= set(_texts(root))


def _overlaps(figure) -> list[tuple[str, str]]:
    canvas = FigureCanvasAgg(figure)
    renderer = canvas.get_renderer()
    figure.draw(renderer)
    frame = figure.bbox
    texts = [t for t in figure.findobj(Text) if t.get_text().strip() and t.get_visible()]
    boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in texts]
    problems = [(text, "outside") for text, box in boxes
                if box.x0 < frame.x0 - 0.5 or box.x1 > frame.x1 + 0.5
                or box.y0 < frame.y0 - 0.5 or box.y1 > frame.y1 + 0.5]  # fmt: skip
    for (a, first), (b, second) in itertools.combinations(boxes, 2):
        if first.overlaps(second) and first.intersection(first, second).width > 0.5:
            problems.append((a, b))
    return problems


@pytest.mark.parametrize(("name", "chart", "data"), ALL_CHARTS, ids=[c[0] for c in ALL_CHARTS])
def test_no_text_overlaps_or_leaves_the_figure(name, chart, data):
    assert _overlaps(chart.figure(**data())) == []


def test_long_names_and_many_dimensions_still_do_not_overlap():
    labels = [f"{name} en samenwerking met de keten" for name in NL] + ["Extra dimensie"] * 2
    data = radar_data(labels, current=[3.0] * 14, band=None, target=None, previous=None)
    assert _overlaps(charts.radar.figure(**data, width=charts.WIDTH)) == []


def test_same_data_gives_the_same_bytes_and_other_data_other_bytes():
    first = charts.radar.svg(**radar_data())
    assert charts.radar.svg(**radar_data()) is first  # kept in this process
    charts.radar.cache_clear()
    assert charts.radar.svg(**radar_data()) == first  # drawn again: byte for byte the same
    assert charts.radar.svg(**radar_data(current=[3.0] * 12)) != first
    assert charts.radar.svg(**radar_data(title="Another")) != first


@pytest.mark.django_db
def test_a_chart_is_drawn_once_for_every_worker(monkeypatch):
    data = radar_data()
    svg = visuals.drawn(charts.radar, **data)
    # Another worker: nothing in its own memory, the shared cache has the chart.
    cache.clear()
    charts.radar.cache_clear()
    monkeypatch.setattr(charts.radar, "svg", lambda **_: pytest.fail("drawn twice"))
    assert visuals.drawn(charts.radar, **data) == svg
    assert caches["reports"].get(visuals.CHART_PREFIX) is None  # keyed by the data


def test_the_png_is_the_same_figure_for_slides():
    png = charts.radar.png(**radar_data(), dpi=100)
    image = Image.open(io.BytesIO(png))
    root = _root(charts.radar.svg(**radar_data()))
    width, height = (float(v) for v in root.get("viewBox").split()[2:])
    assert image.size == (round(width / 72 * 100), round(height / 72 * 100))
    assert charts.radar.png(**radar_data(), dpi=100) == png


def test_the_app_never_imports_pyplot():
    found = []
    for folder in ("questionnaires", "im_assess"):
        for path in Path(settings.BASE_DIR, folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text())):
                names = []
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom):
                    names = [f"{node.module}.{alias.name}" for alias in node.names]
                found += [(str(path), n) for n in names if "pyplot" in n or "pylab" in n]
    assert found == []


@pytest.mark.django_db
def test_a_slides_png_is_drawn_once_for_every_worker(monkeypatch):
    drawing = visuals.Drawing(charts.radar, radar_data())
    png = drawing.png(dpi=100)
    assert png.startswith(b"\x89PNG")
    cache.clear()  # another worker: nothing in its own memory
    monkeypatch.setattr(charts.radar, "png", lambda **_: pytest.fail("drawn twice"))
    assert drawing.png(dpi=100) == png
    own = visuals.Drawing(charts.radar, radar_data(), shared=False)  # one person's chart
    with pytest.raises(pytest.fail.Exception):
        own.png(dpi=100)  # never from the shared cache
