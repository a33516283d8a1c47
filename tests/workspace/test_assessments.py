"""An assessment: created with its targets, its settings and life cycle, the next cycle,
the response panel and the exports."""

import csv
import io
import json
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from questionnaires import brand, services
from questionnaires.exports import RESPONSE_COLUMNS
from questionnaires.models import Answer, Assessment, Response
from tests.factories import AssessmentFactory, answer_every_level_statement
from tests.test_selectors import _respond
from tests.workspace.helpers import _invite

pytestmark = pytest.mark.django_db


def test_new_assessment_form_prefills_targets_from_the_aimed_phase(logged_in, organization):
    page = logged_in.get(reverse("assessment-create", args=[organization.pk]))
    form = page.context["form"]
    assert form.initial["target_D9"] == 1  # chain integration is not yet expected in IM 2.2
    assert form.initial["target_D1"] == 3


def test_create_assessment_through_the_form(logged_in, organization, im_model):
    phases = {p.code: p for p in im_model.phases.all()}
    data = {
        "title": "IM-scan 2027",
        "subject_nl": "het zaaksysteem",
        "subject_en": "the case system",
        "opens_at": "2027-01-10T09:00",
        "closes_at": "2027-02-01T17:00",
        "languages": ["nl"],
        "anonymity_threshold": 6,
        "comment_threshold": 5,
        "target_phase": phases["IM-2.3"].pk,
        "claimed_phase": phases["IM-2.2"].pk,
        "overall_share": "0.8",
        "overall_tolerance": "1",
        "dont_know_limit": "0.3",
    } | {f"target_D{i}": 3 for i in range(1, 13)}
    result = logged_in.post(reverse("assessment-create", args=[organization.pk]), data)
    assessment = Assessment.objects.get(title="IM-scan 2027")
    assert result["Location"] == reverse("assessment-detail", args=[assessment.pk])
    assert assessment.status == "draft"
    assert assessment.anonymity_threshold == 6
    assert assessment.opens_at.hour == 8  # 09:00 in Amsterdam is 08:00 UTC in winter
    assert assessment.targets.count() == 12
    assert assessment.scoring_parameters["overall_share"] == 0.8


def test_closing_before_opening_is_refused(logged_in, organization):
    data = {"title": "X", "opens_at": "2027-02-01T09:00", "closes_at": "2027-01-01T09:00"}
    page = logged_in.post(reverse("assessment-create", args=[organization.pk]), data)
    assert page.status_code == 200
    assert not Assessment.objects.filter(title="X").exists()


def test_anonymity_threshold_locks_at_the_first_response(assessment, consultant):
    services.assessment_update(assessment=assessment, actor=consultant, anonymity_threshold=7)
    Response.objects.create(assessment=assessment, resume_token_hash="e" * 64)
    with pytest.raises(ValidationError, match="liggen vast"):
        services.assessment_update(assessment=assessment, actor=consultant, anonymity_threshold=8)
    assert Assessment.objects.get(pk=assessment.pk).anonymity_threshold == 7


def test_status_transitions_are_logged_and_checked(assessment, consultant):
    services.assessment_transition(assessment=assessment, action="close", actor=consultant)
    with pytest.raises(ValidationError):
        services.assessment_transition(assessment=assessment, action="close", actor=consultant)
    Assessment.objects.filter(pk=assessment.pk).update(closes_at=timezone.now() + timedelta(days=3))
    services.assessment_transition(assessment=assessment, action="reopen", actor=consultant)
    actions = list(
        assessment.audit_entries.order_by("created_at", "pk").values_list("action", flat=True)
    )
    assert actions[-3:] == ["assessment opened", "assessment closed", "assessment reopened"]


def test_clone_is_the_next_cycle(assessment, consultant, organization):
    services.team_link_create(
        assessment=assessment, team=organization.teams.first(), capacity=9, actor=consultant
    )
    assessment.targets.filter(dimension__code="D7").update(level=5)
    clone = services.assessment_clone(assessment=assessment, actor=consultant, title="Cyclus 2")
    assert clone.previous == assessment
    assert clone.status == "draft"
    assert clone.targets.get(dimension__code="D7").level == 5
    assert clone.team_links.get().capacity == 9
    assert clone.subject_nl == "het EPD"


def test_response_rate_panel(logged_in, assessment, consultant):
    a, b, _c = _invite(assessment, consultant, "a@k.nl", "b@k.nl", "c@k.nl")
    r1 = services.response_start_from_invitation(invitation=a, language="nl")
    r2 = services.response_start_from_invitation(invitation=b, language="nl")
    question = assessment.maturity_model.questions.get(code="D1.2")
    Answer.objects.create(response=r1, question=question, choice=question.choices.first())
    Answer.objects.create(response=r2, question=question, choice=question.choices.first())
    answer_every_level_statement(r2, choose=True)
    services.response_submit(response=r2)
    page = logged_in.get(reverse("assessment-detail", args=[assessment.pk]))
    total = page.context["rate_total"]
    assert (total.invited, total.opened, total.started, total.submitted) == (3, 2, 2, 1)


def test_panel_query_count_does_not_grow_with_responses(logged_in, assessment, consultant):
    def count():
        brand.forget()  # each view reads the branding (a worker keeps it only a while)
        with CaptureQueriesContext(connection) as queries:
            logged_in.get(reverse("assessment-detail", args=[assessment.pk]))
        return len(queries)

    _respond(assessment, 3)
    small = count()
    _respond(assessment, 60)
    assert count() == small
    with CaptureQueriesContext(connection) as queries:
        logged_in.get(reverse("organization-detail", args=[assessment.organization_id]))
    before = len(queries)
    AssessmentFactory(organization=assessment.organization)
    with CaptureQueriesContext(connection) as queries:
        logged_in.get(reverse("organization-detail", args=[assessment.organization_id]))
    assert len(queries) == before


def test_exports_are_downloads_and_formula_safe(logged_in, assessment):
    (response,) = _respond(assessment, 1)
    Answer.objects.filter(response=response, question__code="D1.1").update(comment="=1+1")
    csv_download = logged_in.get(reverse("assessment-export", args=[assessment.pk, "csv"]))
    assert csv_download["Content-Disposition"].startswith("attachment;")
    rows = list(csv.reader(io.StringIO(b"".join(csv_download.streaming_content).decode())))
    assert any(row[RESPONSE_COLUMNS.index("comment")] == "'=1+1" for row in rows)
    xlsx = logged_in.get(reverse("assessment-export", args=[assessment.pk, "xlsx"]))
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    values = [cell.value for row in sheet.iter_rows() for cell in row]
    assert "'=1+1" in values
    assert "=1+1" not in values
    document = json.loads(
        logged_in.get(reverse("assessment-export", args=[assessment.pk, "json"])).content
    )
    assert document["assessment"]["id"] == assessment.pk


def test_settings_can_be_saved_after_the_first_response(logged_in, assessment):
    Response.objects.create(assessment=assessment, resume_token_hash="9" * 64)
    form = logged_in.get(reverse("assessment-edit", args=[assessment.pk])).context["form"]
    data = {k: (v.pk if hasattr(v, "pk") else v) for k, v in form.initial.items() if v is not None}
    data |= {"title": "Nieuwe titel", "anonymity_threshold": 3}  # a tampered threshold
    result = logged_in.post(reverse("assessment-edit", args=[assessment.pk]), data)
    assert result.status_code == 302
    saved = Assessment.objects.get(pk=assessment.pk)
    assert saved.title == "Nieuwe titel"
    assert saved.anonymity_threshold == 5  # locked: the posted value is ignored


def _shown(page) -> dict:
    """What the browser posts back for a shown assessment form when nothing is changed."""
    form = page.context["form"]
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if field.disabled or value in (None, False):
            continue
        data[name] = getattr(value, "pk", value)
    return data


def _phases(im_model) -> dict:
    return {p.code: p.pk for p in im_model.phases.all()}


def test_saving_another_aimed_phase_takes_its_levels_and_keeps_own_targets(
    logged_in, organization, im_model
):
    url = reverse("assessment-create", args=[organization.pk])
    data = _shown(logged_in.get(url)) | {"title": "IM-scan 2027", "target_D1": 5}
    data["target_phase"] = _phases(im_model)["IM-2.3"]
    assert (data["target_D9"], data["target_D8"]) == (1, 3)  # IM 2.2 as prefilled
    assert logged_in.post(url, data).status_code == 302
    targets = dict(
        Assessment.objects.get(title="IM-scan 2027").targets.values_list("dimension__code", "level")
    )
    assert (targets["D9"], targets["D8"], targets["D4"]) == (3, 4, 3)  # IM 2.3 expects these
    assert targets["D1"] == 5  # the consultant's own choice


def test_the_phase_button_refills_the_targets_without_javascript(logged_in, organization, im_model):
    url = reverse("assessment-create", args=[organization.pk])
    data = _shown(logged_in.get(url)) | {"target_D1": 5, "title": ""}
    data |= {"target_phase": _phases(im_model)["IM-2.4"], "apply_phase": "1"}
    page = logged_in.post(url, data)
    assert page.status_code == 200
    assert not Assessment.objects.filter(organization=organization).exists()
    shown = _shown(page)
    assert (shown["target_D9"], shown["target_D2"], shown["target_D1"]) == (4, 4, 5)
    assert shown["targets_phase"] == _phases(im_model)["IM-2.4"]
    assert "form-text text-danger" not in page.text and "is-invalid" not in page.text


def test_editing_the_aimed_phase_moves_the_targets_that_follow_it(logged_in, assessment, im_model):
    AssessmentTarget = assessment.targets.model
    AssessmentTarget.objects.filter(assessment=assessment, dimension__code="D1").update(level=6)
    url = reverse("assessment-edit", args=[assessment.pk])
    data = _shown(logged_in.get(url)) | {"target_phase": _phases(im_model)["IM-2.1"]}
    assert logged_in.post(url, data).status_code == 302
    targets = dict(assessment.targets.values_list("dimension__code", "level"))
    assert (targets["D9"], targets["D6"], targets["D2"]) == (1, 1, 2)  # IM 2.1's levels
    assert targets["D1"] == 6


def test_invitations_and_team_links_are_reported_apart(logged_in, assessment, consultant):
    a, _b = _invite(assessment, consultant, "a@k.nl", "b@k.nl")
    answer_every_level_statement(
        services.response_start_from_invitation(invitation=a, language="nl"), choose=True
    )
    services.response_submit(response=a.response)
    link = services.team_link_create(
        assessment=assessment, team=assessment.organization.teams.first(), actor=consultant
    )
    for n in range(5):
        visitor, _token = services.response_start_from_team_link(team_link=link, language="nl")
        if n < 3:
            answer_every_level_statement(visitor, choose=True)
            services.response_submit(response=visitor)
    page = logged_in.get(reverse("assessment-detail", args=[assessment.pk]))
    total = page.context["rate_total"]
    assert (total.invited, total.opened, total.submitted, total.rate) == (2, 1, 1, 0.5)
    assert (total.link_opened, total.link_submitted, total.submitted_all) == (5, 3, 4)
    summary = page.text.split('id="response-summary">', 1)[1].split("</p>", 1)[0]
    assert "4 ingediend: 1 van 2 uitgenodigde mensen en 3 via teamlinks (50 %" in summary
    assert "geopend 5 · begonnen 3 · ingediend 3" in page.text  # the team link's own counts
    assert "250 %" not in page.text and "400 %" not in page.text
