"""The improvement plan as a download (CSV and Excel) for a spreadsheet or a tracker."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from questionnaires import selectors, services
from questionnaires.models import ActionItem, Assessment, PlanEntry, User
from tests.test_dashboard import _login

pytestmark = pytest.mark.django_db

HEADER_NL = [
    "Samenvatting",
    "Stap",
    "Dimensie",
    "Van niveau",
    "Naar niveau",
    "Knelpunt",
    "Advies",
    "Eigenaar",
    "Uiterste datum",
    "Status",
]


def _csv(client, assessment, **headers):
    response = client.get(reverse("plan-export", args=[assessment.pk, "csv"]), headers=headers)
    assert response.status_code == 200
    return response, list(csv.reader(io.StringIO(response.content.decode("utf-8"))))


def test_the_suggested_plan_is_one_row_per_step_in_the_plans_order(client, demo):
    response, table = _csv(client=_login(client, "manager@demo.local"), assessment=demo)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="zorggroep-de-linde-im-scan-epd-2026-actieplan.csv"'
    )
    assert response["Cache-Control"] == "private, no-store"
    result = selectors.assessment_result(demo)
    names = {d.code: d.name_nl for d in demo.maturity_model.dimensions.all()}
    assert table[0] == HEADER_NL
    assert len(table) == 1 + len(result.plan)
    for line, item in zip(table[1:], result.plan, strict=True):
        summary, step, dimension, from_level, to_level, barrier, advice, *action = line
        name = names[item.dimension]
        assert summary == f"{name}: van niveau {item.from_level} naar {item.from_level + 1}"
        assert (step, dimension) == (str(item.rank), name)
        assert (from_level, to_level) == (str(item.from_level), str(item.from_level + 1))
        assert barrier == ("ja" if item.is_barrier else "")
        advice_text = demo.maturity_model.dimensions.get(code=item.dimension).advice
        assert advice_text.get(from_level=item.from_level).text_nl in advice
        if item.then_from_level:
            assert "\nDaarna: " in advice
        assert action == ["", "", ""]  # no actions before the plan is adopted


def test_an_adopted_plan_lists_every_action_and_the_steps_without_one(client, demo):
    _login(client, "consultant@demo.local")
    # The 2025 cycle's actions are finished first: nothing is carried over (that has a
    # test of its own in test_notes), so the plan holds only what this test adds.
    ActionItem.objects.filter(entry__assessment=demo.previous).update(status="done")
    client.post(reverse("plan-adopt", args=[demo.pk]))
    first, second, *rest = PlanEntry.objects.filter(assessment=demo).order_by("position")
    consultant = User.objects.get(email="consultant@demo.local")
    early = services.action_add(
        entry=first,
        title="Eigenaren benoemen",
        owner="Directie",
        due_date=datetime.date(2027, 3, 1),
        actor=consultant,
    )
    services.action_add(entry=first, title="Mandaat vastleggen", owner="", due_date=None,
                        actor=consultant)  # fmt: skip
    services.action_status_set(action=early, status="doing", actor=consultant)
    services.plan_entry_update(entry=second, text="Eigen advies van de adviseur.", actor=consultant)

    _response, table = _csv(client, demo)
    assert len(table) == 1 + 2 + 1 + len(rest)
    by_summary = {line[0]: line for line in table[1:]}
    assert by_summary["Eigenaren benoemen"][1:3] == ["1", first.dimension.name_nl]
    assert by_summary["Eigenaren benoemen"][7:] == ["Directie", "2027-03-01", "Bezig"]
    assert by_summary["Mandaat vastleggen"][7:] == ["", "", "Te doen"]
    assert table[3][1] == "2" and table[3][6] == "Eigen advies van de adviseur."
    assert table[3][7:] == ["", "", ""]


def test_the_download_follows_the_readers_language(client, demo):
    client.cookies["django_language"] = "en"
    response, table = _csv(_login(client, "manager@demo.local"), demo)
    assert table[0][:3] == ["Summary", "Step", "Dimension"]
    assert table[0][-3:] == ["Owner", "Due date", "Status"]
    assert ": from level " in table[1][0]
    assert response["Content-Disposition"].endswith('-action-plan.csv"')


def test_the_excel_file_has_a_header_dates_and_the_demo_plans_actions(client, demo):
    previous = Assessment.objects.get(title="IM-scan EPD 2025")
    response = _login(client, "manager@demo.local").get(
        reverse("plan-export", args=[previous.pk, "xlsx"])
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.title == "Actieplan"
    assert [cell.value for cell in sheet[1]] == HEADER_NL
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == sheet.dimensions
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    actions = ActionItem.objects.filter(entry__assessment=previous)
    # The demo's last cycle has a worked plan: done, under way and open actions.
    assert {a.status for a in actions} == {"done", "doing", "open"}
    statuses = {row[0]: row[9] for row in rows}
    for action in actions:
        assert statuses[action.title] == action.get_status_display()
    due = {row[0]: row[8] for row in rows}
    dated = actions.exclude(due_date=None).first()
    assert due[dated.title] == datetime.datetime.combine(dated.due_date, datetime.time())


def test_below_the_anonymity_threshold_there_is_no_plan_to_download(client, demo):
    demo.anonymity_threshold = 500
    demo.save(update_fields=["anonymity_threshold"])
    response = _login(client, "manager@demo.local").get(
        reverse("plan-export", args=[demo.pk, "csv"]), follow=True
    )
    assert response.redirect_chain[-1][0] == demo.get_absolute_url()
    assert "Het plan is beschikbaar zodra genoeg mensen hebben geantwoord." in response.text


def test_an_unknown_format_is_not_found(client, demo):
    response = _login(client, "manager@demo.local").get(
        reverse("plan-export", args=[demo.pk, "pdf"])
    )
    assert response.status_code == 404


def test_the_dashboard_offers_the_download(client, demo):
    page = _login(client, "manager@demo.local").get(reverse("assessment-dashboard", args=[demo.pk]))
    assert reverse("plan-export", args=[demo.pk, "xlsx"]) in page.text
    assert reverse("plan-export", args=[demo.pk, "csv"]) in page.text


def test_the_query_count_does_not_grow_with_the_actions(client, demo):
    _login(client, "consultant@demo.local")
    client.post(reverse("plan-adopt", args=[demo.pk]))
    consultant = User.objects.get(email="consultant@demo.local")
    url = reverse("plan-export", args=[demo.pk, "csv"])
    counts = []
    for extra in (1, 30):
        for entry in PlanEntry.objects.filter(assessment=demo):
            for n in range(extra):
                services.action_add(entry=entry, title=f"Actie {n}", owner="", due_date=None,
                                    actor=consultant)  # fmt: skip
        client.get(url)  # the result is cached after the first read
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
