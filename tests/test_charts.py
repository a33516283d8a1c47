"""The charts are well-formed SVG that say what they show (radar and phase profile)."""

import xml.etree.ElementTree as ET

from questionnaires import charts

SVG = "{http://www.w3.org/2000/svg}"
LABELS = ["Procesfit", "Visie & doel", "Eigenaarschap <WIE>", "Werkwijze & mindset"]


def _parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def _texts(root: ET.Element) -> str:
    """All text, a wrapped label's lines joined by spaces."""
    return " ".join(
        " ".join(part.strip() for part in node.itertext() if part.strip())
        for node in root.iter(f"{SVG}text")
    )


def test_radar_is_well_formed_named_and_escaped():
    svg = charts.radar_svg(
        labels=LABELS, current=[2, 3, 4, 5], current_label="Nu", title="Profiel & <doel>"
    )
    root = _parse(svg)
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").text == "Profiel & <doel>"
    assert "Eigenaarschap <WIE>" in _texts(root)
    assert "Visie & doel" in _texts(root)
    assert len(root.findall(f"{SVG}circle")) == 6 + 4  # six level rings, four points
    assert root.get("width") == "388.8pt"  # the size the page and the PDF lay out


def test_radar_draws_every_layer_and_a_legend_when_there_is_more_than_one():
    svg = charts.radar_svg(
        labels=LABELS,
        current=[2, 3, 4, 5],
        current_label="Nu",
        title="t",
        band=([1, 2, 3, 4], [3, 4, 5, 6]),
        band_label="Middelste helft",
        target=[3, 3, 3, 3],
        target_label="Doel",
        previous=[1, 2, 2, 2],
        previous_label="Vorige scan",
    )
    root = _parse(svg)
    assert len(root.findall(f"{SVG}polygon")) == 4  # one band piece per pair of spokes
    assert len(root.findall(f"{SVG}path")) == 3  # previous, target, current
    for label in ("Middelste helft", "Doel", "Vorige scan", "Nu"):
        assert label in _texts(root)


def test_a_missing_value_leaves_a_gap():
    root = _parse(
        charts.radar_svg(
            labels=LABELS,
            current=[2, None, 4, 5],
            current_label="Nu",
            title="t",
            band=([1, None, 3, 4], [3, 4, 5, 6]),
            band_label="b",
        )
    )
    (line,) = root.findall(f"{SVG}path")
    assert line.get("d").count("M") == 1  # one run: from dimension 3 round to dimension 1
    assert line.get("d").count("L") == 2
    assert len(root.findall(f"{SVG}polygon")) == 2  # the two pieces next to the gap are left out
    assert len(root.findall(f"{SVG}circle")) == 6 + 3


def test_points_sit_on_their_level():
    root = _parse(charts.radar_svg(labels=LABELS, current=[6, 6, 6, 6], current_label="", title=""))
    rings = [c for c in root.findall(f"{SVG}circle") if c.get("fill") == "none"]
    outer = max(float(c.get("r")) for c in rings)
    cx, cy = float(rings[0].get("cx")), float(rings[0].get("cy"))
    points = [c for c in root.findall(f"{SVG}circle") if c.get("fill") != "none"]
    for point in points:
        distance = ((float(point.get("cx")) - cx) ** 2 + (float(point.get("cy")) - cy) ** 2) ** 0.5
        assert abs(distance - outer) < 0.02
    # The first dimension is straight up.
    assert abs(float(points[0].get("cx")) - cx) < 0.01 and float(points[0].get("cy")) < cy


def test_phase_profile_shows_values_with_a_decimal_comma_and_gaps():
    svg = charts.phase_profile_svg(
        labels=["PM", "IM 2.1 Bruikbaar", "IM 2.2", "MoC"],
        values=[3.04, None, 2.46, 2.9],
        title="Mediaan per fase",
        highlight=True,
    )
    root = _parse(svg)
    text = _texts(root)
    assert "3,0" in text and "2,4" in text and "2,9" in text  # cut, never rounded up
    assert "IM 2.1" in text and "Bruikbaar" in text
    (line,) = root.findall(f"{SVG}path")
    assert line.get("d").count("M") == 1  # only 2.46 → 2.9 is joined; 3.04 stands alone
    assert line.get("stroke") == charts.ATTENTION


def test_same_data_gives_the_same_chart_from_memory():
    arguments = {"labels": LABELS, "current": [1, 2, 3, 4], "current_label": "Nu", "title": "t"}
    assert charts.radar_svg(**arguments) is charts.radar_svg(**arguments)
