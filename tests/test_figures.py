"""The one display rule for scores: cut to one decimal, differences that add up, the
reader's decimal mark; the same figure on the dashboard, in the PDF and in the JSON."""

import io
import re
import xml.etree.ElementTree as ET

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from questionnaires import exports, figures, reports, selectors
from questionnaires.models import User


@pytest.mark.parametrize(
    ("value", "shown"),
    [(3.25, 3.2), (3.958, 3.9), (3.3, 3.3), (2.0, 2.0), (4.0, 4.0), (5.99, 5.9), (1.05, 1.0)],
)
def test_a_shown_score_is_cut_never_rounded_up(value, shown):
    assert figures.shown(value) == shown
    assert int(figures.shown(value)) == int(value)  # never reads as a level not reached


def test_a_shown_difference_is_that_of_the_shown_figures():
    # 2.84 → 3.25 is a change of 0.41; shown 2.8 → 3.2 it must read +0.4, never +0.5.
    assert figures.shown_difference(3.25, 2.84) == 0.4
    assert figures.shown_difference(2.81, 3.39) == -0.5
    assert figures.shown_difference(4, 3.958) == 0.1  # a gap to target 4 from 3.9


@pytest.mark.parametrize(
    ("language", "text", "line"), [("nl", "3,2", "3,2 +0,4"), ("en", "3.2", "3.2 +0.4")]
)
def test_scores_follow_the_readers_language(language, text, line):
    assert figures.score_text(3.25, language=language) == text
    with translation.override(language):
        rendered = Template("{% load im_tags %}{{ v|one_decimal }} {{ a|minus:b|signed }}").render(
            Context({"v": 3.25, "a": 3.25, "b": 2.84})
        )
    assert rendered == line


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_phase_chart_writes_the_readers_decimals(demo, language):
    from questionnaires.presentation import assessment_story

    with translation.override(language):
        chart = assessment_story(demo, reviewing=False)["phase_chart"].svg()
    texts = [t.text or "" for t in ET.fromstring(chart).iter("{http://www.w3.org/2000/svg}text")]
    values = [text for text in texts if re.fullmatch(r"\d[.,]\d", text)]  # the medians
    assert values and all(("," in v) == (language == "nl") for v in values)
    assert all(("." in v) == (language == "en") for v in values)


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["nl", "en"])
def test_dashboard_pdf_and_json_show_the_same_figure(client, demo, language):
    result = selectors.assessment_result(demo)
    document = exports.results_document(demo, result)  # the JSON download, full precision
    medians = {d["code"]: d["median"] for d in document["result"]["dimensions"]}
    client.cookies["django_language"] = language
    client.force_login(User.objects.get(email="manager@demo.local"))
    page = client.get(reverse("assessment-dashboard", args=[demo.pk])).text
    pdf = reports.render_assessment_pdf(demo, language=language)
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    appendix = text.split("\n")
    for dimension in result.dimensions:
        if dimension.median is None:
            continue
        shown = figures.score_text(dimension.median, language=language)
        assert figures.score_text(medians[dimension.code], language=language) == shown
        assert f">{shown}<" in page, (dimension.code, shown)
        # The appendix row: name, n, median, mean, P25, P75, level, target, don't know.
        row = next(line for line in appendix if f" {dimension.n} {shown} " in line)
        assert row


@pytest.mark.django_db
def test_every_trend_row_adds_up(client, demo):
    client.force_login(User.objects.get(email="manager@demo.local"))
    page = client.get(reverse("assessment-dashboard", args=[demo.pk])).text
    table = page.split('id="trend-caption"', 1)[1].split("</tbody>", 1)[0]
    rows = re.findall(
        r'<td class="text-end">([\d,]+)</td><td class="text-end">([\d,]+)</td>'
        r'<td class="text-end">([+−]?[\d,]+)',
        table,
    )
    assert len(rows) == 12
    for then, now, delta in rows:
        number = float(delta.replace("−", "-").replace(",", "."))
        assert round(float(now.replace(",", ".")) - float(then.replace(",", ".")), 1) == number
