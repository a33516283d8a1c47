"""The raw-answer CSV and the results JSON read the same data as the dashboard."""

import csv
import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from questionnaires import presentation, selectors
from questionnaires.exports import (
    RESPONSE_COLUMNS,
    plan_csv,
    plan_xlsx,
    response_rows,
    responses_csv_lines,
    responses_xlsx,
    safe_cell,
)
from questionnaires.models import ActionItem, Answer, PlanEntry, Response
from tests.factories import AssessmentFactory, MembershipFactory, ResponseFactory, TeamFactory
from tests.test_selectors import _respond

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+31 6 1234", "'+31 6 1234"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\x00=1+1", "'=1+1"),
        ("a\x00b\x07c", "abc"),
        ("Gewoon een opmerking", "Gewoon een opmerking"),
        (3, 3),
        ("", ""),
    ],
)
def test_safe_cell_neutralises_formulas(value, expected):
    assert safe_cell(value) == expected


@pytest.fixture
def assessment(im_model):
    team = TeamFactory(name="=Team Noord")
    assessment = AssessmentFactory(maturity_model=im_model, organization=team.organization)
    responses = _respond(assessment, 5, team=team)
    Answer.objects.filter(response=responses[0], question__code="D1.1").update(
        comment='=cmd|" /C calc"!A0'
    )
    Answer.objects.filter(response=responses[1], question__code="D2.1").update(
        choice=None, special="dont_know"
    )
    return assessment


def _csv(assessment):
    out = io.StringIO()
    call_command("export_responses", str(assessment.pk), stdout=out)
    return list(csv.reader(io.StringIO(out.getvalue())))


def test_responses_csv_has_one_row_per_response_and_question(assessment):
    rows = _csv(assessment)
    assert tuple(rows[0]) == RESPONSE_COLUMNS
    assert len(rows) - 1 == Answer.objects.filter(response__assessment=assessment).count()
    by_code = {(r[0], r[4]): r for r in rows[1:]}
    first = min(int(r[0]) for r in rows[1:])
    level = by_code[(str(first), "D1.1")]
    assert level[5:9] == ["D1", "IM-2.1", "level", "1"]
    assert level[3] == "end_user"


def test_responses_csv_is_formula_safe_in_values(assessment):
    rows = _csv(assessment)
    assert all(row[2] == "'=Team Noord" for row in rows[1:])
    assert any(row[10] == '\'=cmd|" /C calc"!A0' for row in rows)
    assert not any(cell.startswith("=") for row in rows for cell in row)


def test_dont_know_is_marked_and_has_no_value(assessment):
    rows = _csv(assessment)
    marked = [r for r in rows[1:] if r[9] == "dont_know"]
    assert len(marked) == 1
    assert marked[0][8] == ""


def test_response_rows_use_five_queries_whatever_the_size(assessment, im_model):
    large = AssessmentFactory(maturity_model=im_model)
    _respond(large, 60)
    counts = []
    for target in (assessment, large):
        with CaptureQueriesContext(connection) as queries:
            for _ in response_rows(target):
                pass
        counts.append(len(queries))
    # Questions, choices, responses, roles, and the one big query without joins.
    assert counts[0] == counts[1] <= 5


def test_results_json_matches_the_selector_result(assessment):
    out = io.StringIO()
    call_command("export_results", str(assessment.pk), stdout=out)
    document = json.loads(out.getvalue())
    result = selectors.assessment_result(assessment)
    assert document["assessment"]["id"] == assessment.pk
    assert document["result"]["respondents"] == result.respondents == 5
    exported = {d["code"]: d for d in document["result"]["dimensions"]}
    for dimension in result.dimensions:
        assert exported[dimension.code]["status"] == dimension.status
        if dimension.median is not None:
            assert exported[dimension.code]["median"] == round(dimension.median, 4)
    assert document["result"]["overall"]["why"]["nl"] == result.overall.why.nl


def test_results_json_to_a_file(assessment, tmp_path):
    target = tmp_path / "result.json"
    call_command("export_results", str(assessment.pk), "-o", str(target))
    assert json.loads(target.read_text(encoding="utf-8"))["result"]["overall"]


@pytest.mark.parametrize("command", ["export_results", "export_responses"])
def test_unknown_assessment_is_a_clear_error(im_model, command):
    with pytest.raises(CommandError, match="does not exist"):
        call_command(command, "999999")


PAYLOADS = [
    "=1+1",
    "+SUM(A1)",
    "-2+3",
    "@A1",
    "\t=1+1",
    "\r=1+1",
    "\x00=1+1",
    '=HYPERLINK("http://evil.example","klik")',
    "|calc",
    "%0A=1",
]


def _stored_payloads():
    # PostgreSQL cannot store a NUL byte at all (and every form refuses one); the
    # NUL case is then covered by test_safe_cell_neutralises_formulas alone.
    return [p for p in PAYLOADS if "\x00" not in p or connection.vendor == "sqlite"]


@pytest.fixture
def hostile(im_model):
    """Every payload as a team name and as a comment."""
    first = TeamFactory(name=PAYLOADS[0])
    assessment = AssessmentFactory(maturity_model=im_model, organization=first.organization)
    for index, payload in enumerate(_stored_payloads()):
        team = first if index == 0 else TeamFactory(organization=first.organization, name=payload)
        (response,) = _respond(assessment, 1, team=team)
        Answer.objects.filter(response=response, question__code="D1.1").update(comment=payload)
    return assessment


def _is_neutral(cell) -> bool:
    return not isinstance(cell, str) or not cell or cell[0] not in "=+-@\t\r|%\x00"


def test_csv_round_trip_keeps_every_payload_as_inert_text(hostile):
    text = "".join(responses_csv_lines(hostile))
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[0] == list(RESPONSE_COLUMNS)
    cells = [cell for row in rows for cell in row]
    assert all(_is_neutral(cell) for cell in cells if not cell.lstrip("-").isdigit())
    assert "\x00" not in text
    comments = {row[10] for row in rows[1:] if row[10]}
    # Each payload survives, readable, behind its apostrophe (NUL removed).
    assert comments == {"'" + payload.replace("\x00", "") for payload in _stored_payloads()}


AWKWARD = ['say "yes", then', "a;b", "two\nlines", "cr\rhere", "  spaced  ", "é ü ß 中文", '"']


@pytest.mark.parametrize("delimiter", [",", ";"])
@pytest.mark.parametrize("in_progress", [False, True])
def test_the_csv_is_exactly_what_csv_writer_makes_of_the_rows(hostile, delimiter, in_progress):
    """The CSV writes each response's and question's columns once; byte for byte it is
    still the standard library's writing of `response_rows`, awkward text and all."""
    (first,) = _respond(hostile, 1)
    for index, text in enumerate(AWKWARD):
        Answer.objects.filter(response=first, question__code=f"D{index + 2}.1").update(comment=text)
    Answer.objects.filter(response=first, question__kind="text").update(text=AWKWARD[0])
    open_question = hostile.maturity_model.questions.filter(kind="text").first()
    Answer.objects.create(response=first, question=open_question, text='"quoted" ;,\n')
    pending = ResponseFactory(assessment=hostile)  # in progress: only in the second file
    Answer.objects.create(response=pending, question=open_question, text="nog, bezig")
    expected = io.StringIO()
    expected.write("\ufeff")
    writer = csv.writer(expected, delimiter=delimiter)
    writer.writerow(RESPONSE_COLUMNS)
    writer.writerows(response_rows(hostile, in_progress=in_progress))
    made = responses_csv_lines(
        hostile, delimiter=delimiter, bom=True, in_progress=in_progress, chunk=7
    )
    assert "".join(made) == expected.getvalue()


def test_xlsx_round_trip_has_no_formula_and_every_payload_as_text(hostile):
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(responses_xlsx(hostile)))
    sheet = workbook["answers"]
    rows = list(sheet.iter_rows())
    assert [cell.value for cell in rows[0]] == list(RESPONSE_COLUMNS)
    for row in rows:
        for cell in row:
            assert cell.data_type != "f", cell.coordinate
            assert _is_neutral(cell.value), (cell.coordinate, cell.value)
    # A carriage return reads back as a line feed from plain XML, or as itself when
    # openpyxl writes with lxml (installed with python-pptx); the text is inert either way.
    teams = {_lines(row[2].value) for row in rows[1:]}
    assert teams == {"'" + _lines(payload.replace("\x00", "")) for payload in _stored_payloads()}


@pytest.fixture
def hostile_plan(hostile):
    """Every payload as a step of the plan and as an action's title and owner."""
    entry = PlanEntry.objects.create(
        assessment=hostile, position=1, text=PAYLOADS[0], is_manual=True
    )
    for payload in _stored_payloads():
        PlanEntry.objects.create(assessment=hostile, position=2, text=payload, is_manual=True)
        ActionItem.objects.create(entry=entry, title=payload, owner=payload)
    return presentation.improvement_plan(hostile)


def test_plan_csv_round_trip_keeps_every_payload_as_inert_text(hostile_plan):
    rows = list(csv.reader(io.StringIO(plan_csv(hostile_plan), newline="")))
    assert all(_is_neutral(cell) for row in rows for cell in row)
    expected = {"'" + payload.replace("\x00", "") for payload in _stored_payloads()}
    assert {row[7] for row in rows[1:] if row[7]} == expected  # the actions' owners
    assert {row[6] for row in rows[1:]} == expected  # the steps' own advice


def test_plan_xlsx_round_trip_has_no_formula_and_every_payload_as_text(hostile_plan):
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(plan_xlsx(hostile_plan, title="plan"))).active
    rows = list(sheet.iter_rows())
    for row in rows:
        for cell in row:
            assert cell.data_type != "f", cell.coordinate
            assert _is_neutral(cell.value), (cell.coordinate, cell.value)
    titles = {_lines(row[0].value) for row in rows[1 : 1 + len(_stored_payloads())]}
    assert titles == {"'" + _lines(payload.replace("\x00", "")) for payload in _stored_payloads()}


def _lines(text: str) -> str:
    return text.replace("\r", "\n")


def test_exports_hold_what_the_dashboard_counts_and_in_progress_on_request(assessment):
    unfinished = Response.objects.create(assessment=assessment, resume_token_hash="u" * 64)
    question = assessment.maturity_model.questions.get(code="D3.1")
    Answer.objects.create(response=unfinished, question=question, choice=question.choices.first())
    default = list(response_rows(assessment))
    assert {row[0] for row in default} == set(
        selectors.counted_responses(assessment.responses.all()).values_list("pk", flat=True)
    )
    assert {row[-1] for row in default} == {"submitted"}
    everything = list(response_rows(assessment, in_progress=True))
    assert [row[-1] for row in everything if row[0] == unfinished.pk] == ["in_progress"]


def test_dont_know_and_not_applicable_have_a_marker_each(assessment):
    response = assessment.responses.first()
    Answer.objects.filter(response=response, question__code="D9.1").update(
        choice=None, special="not_applicable"
    )
    markers = {row[9] for row in response_rows(assessment)} - {""}
    assert markers == {"dont_know", "not_applicable"}


def test_the_csv_download_opens_in_dutch_excel(client, assessment):
    consultant = MembershipFactory(organization=assessment.organization, role="consultant").user
    client.force_login(consultant)
    url = reverse("assessment-export", args=[assessment.pk, "csv"])
    body = b"".join(client.get(url + "?delimiter=semicolon").streaming_content).decode("utf-8")
    assert body.startswith("\ufeffresponse_id;submitted_at;team;")  # BOM: Excel reads UTF-8
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff")), delimiter=";"))
    assert tuple(rows[0]) == RESPONSE_COLUMNS and len(rows) > 1


def test_the_workbook_has_a_legend_frozen_header_filters_and_widths(assessment):
    from openpyxl import load_workbook

    with translation.override("en"):
        workbook = load_workbook(io.BytesIO(responses_xlsx(assessment)))
    answers, legend = workbook["answers"], workbook["legend"]
    assert answers.freeze_panes == "A2" and answers.auto_filter.ref.startswith("A1:L")
    assert answers.column_dimensions["K"].width == 50
    rows = [[cell.value for cell in row] for row in legend.iter_rows()]
    header = rows[0]
    by_code = {}
    for row in rows[1:]:
        by_code.setdefault(row[0], []).append(dict(zip(header, row, strict=True)))
    level = by_code["D1.1"]
    assert [r["level"] for r in level] == [1, 2, 3, 4, 5, 6]
    assert level[0]["dimension"] == "Process fit" and "{system}" not in level[0]["question"]
    reverse = next(rows for rows in by_code.values() if rows[0]["reverse_keyed"] == "yes")
    assert [r["level"] for r in reverse] == [6, 4.75, 3.5, 2.25, 1]  # agreement 1–5, mirrored
    assert legend.freeze_panes == "A2" and legend.auto_filter.ref
