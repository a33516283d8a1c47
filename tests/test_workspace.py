"""The consultant's workspace: services and views, one client cycle end to end."""

import csv
import io
import json
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from questionnaires import services
from questionnaires.models import (
    Answer,
    Assessment,
    AuditEntry,
    Invitation,
    Membership,
    Organization,
    Response,
    TeamLink,
    User,
)
from tests.factories import AssessmentFactory, MembershipFactory, TeamFactory, UserFactory
from tests.test_selectors import _respond

pytestmark = pytest.mark.django_db


@pytest.fixture
def consultant(im_model):
    return MembershipFactory(role="consultant").user


@pytest.fixture
def organization(consultant):
    organization = consultant.memberships.get().organization
    TeamFactory(organization=organization, name="Polikliniek")
    TeamFactory(organization=organization, name="Planning")
    return organization


@pytest.fixture
def assessment(organization, consultant, im_model):
    assessment = services.assessment_create(
        organization=organization,
        maturity_model=im_model,
        actor=consultant,
        title="IM-scan 2026",
        subject_nl="het EPD",
        subject_en="the EHR",
        languages=["nl", "en"],
    )
    return services.assessment_transition(assessment=assessment, action="open", actor=consultant)


@pytest.fixture
def logged_in(client, consultant):
    client.force_login(consultant)
    return client


def _links(text):
    return re.findall(r"https?://[^\s]+/s/[\w-]+/", text)


# --- Access --------------------------------------------------------------------------


def test_workspace_needs_a_login_and_a_consultant(client, assessment):
    assert client.get(reverse("workspace")).status_code == 302
    manager = MembershipFactory(role="manager", organization=assessment.organization).user
    client.force_login(manager)
    assert client.get(reverse("workspace")).status_code == 403
    assert client.get(reverse("assessment-detail", args=[assessment.pk])).status_code == 403


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("organization-detail", lambda a: [a.organization_id]),
        ("assessment-detail", lambda a: [a.pk]),
        ("assessment-edit", lambda a: [a.pk]),
        ("invitations-upload", lambda a: [a.pk]),
        ("respondent-privacy", lambda a: [a.pk]),
        ("assessment-export", lambda a: [a.pk, "csv"]),
        ("assessment-export", lambda a: [a.pk, "xlsx"]),
        ("assessment-export", lambda a: [a.pk, "json"]),
    ],
)
def test_other_consultants_get_404(client, assessment, name, args):
    outsider = MembershipFactory(role="consultant").user
    client.force_login(outsider)
    assert client.get(reverse(name, args=args(assessment))).status_code == 404


def test_other_consultants_cannot_change_anything(client, assessment):
    outsider = MembershipFactory(role="consultant").user
    client.force_login(outsider)
    team = assessment.organization.teams.first()
    posts = [
        (reverse("team-create", args=[assessment.organization_id]), {"name": "X"}),
        (reverse("team-rename", args=[team.pk]), {"name": "X"}),
        (reverse("assessment-transition", args=[assessment.pk, "close"]), {}),
        (reverse("assessment-clone", args=[assessment.pk]), {}),
        (reverse("link-create", args=[assessment.pk]), {"team": team.pk}),
        (reverse("invitations-send", args=[assessment.pk]), {}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 404, url
    assert Assessment.objects.get(pk=assessment.pk).status == "open"
    assert not assessment.team_links.exists()


def test_workspace_lists_only_assigned_clients(logged_in, organization):
    other = Organization.objects.create(name="Niet van jou B.V.")
    page = logged_in.get(reverse("workspace"))
    assert organization.name in page.text
    assert other.name not in page.text


# --- Clients and teams -------------------------------------------------------------------


def test_create_client_assigns_the_consultant(logged_in, consultant):
    result = logged_in.post(reverse("organization-create"), {"name": "Gemeente Oosterhout"})
    organization = Organization.objects.get(name="Gemeente Oosterhout")
    assert result["Location"] == reverse("organization-detail", args=[organization.pk])
    assert Membership.objects.filter(
        user=consultant, organization=organization, role="consultant"
    ).exists()
    assert AuditEntry.objects.filter(organization=organization, action="organisation created")


def test_duplicate_team_is_refused_with_a_message(logged_in, organization):
    result = logged_in.post(
        reverse("team-create", args=[organization.pk]), {"name": "polikliniek"}, follow=True
    )
    assert organization.teams.count() == 2
    assert "al een team met deze naam" in result.text


# --- Assessments ------------------------------------------------------------------------


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


# --- Links, invitations, reminders ------------------------------------------------------


def test_team_link_is_printed_and_works(assessment, client):
    out = io.StringIO()
    call_command("team_link", str(assessment.pk), "--team", "polikliniek", "--capacity", "3",
                 stdout=out)  # fmt: skip
    (url,) = _links(out.getvalue())
    assert client.get(url).status_code == 302
    assert TeamLink.objects.get().uses == 1


def test_revoked_team_link_stops_working(logged_in, assessment, consultant, organization):
    link = services.team_link_create(
        assessment=assessment, team=organization.teams.first(), actor=consultant
    )
    url = services.link_url("http://testserver", services.team_link_token(link))
    logged_in.post(reverse("link-revoke", args=[link.pk]))
    assert logged_in.__class__().get(url).status_code == 404


def test_invitation_preview_shows_problems_and_saves_nothing(logged_in, assessment):
    Invitation.objects.create(assessment=assessment, email="al@klant.nl", token_hash="f" * 64)
    text = (
        "email,name,team\n"
        "anna@klant.nl,Anna,Polikliniek\n"
        "geen-adres,Bert,Polikliniek\n"
        "carla@klant.nl,Carla,Onbekend team\n"
        "anna@klant.nl,Anna again,Planning\n"
        "al@klant.nl,Al,Planning\n"
    )
    page = logged_in.post(reverse("invitations-upload", args=[assessment.pk]), {"people": text})
    rows = page.context["rows"]
    assert [r.is_valid for r in rows] == [True, False, False, False, False]
    assert "geen geldig e-mailadres" in page.text
    assert "onbekend team" in page.text.lower()
    assert page.context["valid_count"] == 1
    assert assessment.invitations.count() == 1  # nothing saved by the preview
    logged_in.post(
        reverse("invitations-upload", args=[assessment.pk]), {"text": text, "confirm": "1"}
    )
    assert set(assessment.invitations.values_list("email", flat=True)) == {
        "al@klant.nl",
        "anna@klant.nl",
    }


def test_csv_upload_with_semicolons_and_a_bom(logged_in, assessment):
    from django.core.files.uploadedfile import SimpleUploadedFile

    content = "\ufeffemail;name;team;language\nda@klant.nl;Daan;Planning;en\n".encode()
    upload = SimpleUploadedFile("people.csv", content, content_type="text/csv")
    page = logged_in.post(reverse("invitations-upload", args=[assessment.pk]), {"csv_file": upload})
    (row,) = page.context["rows"]
    assert (row.email, row.team_name, row.language, row.is_valid) == (
        "da@klant.nl", "Planning", "en", True,
    )  # fmt: skip


def test_a_too_large_list_creates_nothing(assessment, consultant):
    text = "\n".join(f"p{i}@klant.nl" for i in range(services.MAX_INVITATION_ROWS + 5))
    with pytest.raises(ValidationError):
        services.invitation_rows_parse(assessment=assessment, text=text)
    assert not assessment.invitations.exists()


def _invite(assessment, consultant, *emails):
    rows = services.invitation_rows_parse(
        assessment=assessment, text="\n".join(f"{e},,Polikliniek" for e in emails)
    )
    return services.invitations_create(assessment=assessment, rows=rows, actor=consultant)


def test_invitations_are_emailed_in_the_persons_language(assessment, consultant, client):
    (anna,) = _invite(assessment, consultant, "anna@klant.nl")
    Invitation.objects.filter(pk=anna.pk).update(language="en")
    sent = services.invitations_send(assessment=assessment, base_url="http://t", actor=consultant)
    assert sent == 1
    (message,) = mail.outbox
    assert message.to == ["anna@klant.nl"]
    assert "asks for your view" in message.subject
    (url,) = _links(message.body)
    assert client.get(url.replace("http://t", "")).status_code == 302
    assert services.invitations_send(assessment=assessment, base_url="http://t", actor=None) == 0


def test_reminders_reach_only_the_right_people(assessment, consultant, client):
    never, started, done = _invite(assessment, consultant, "a@k.nl", "b@k.nl", "c@k.nl")
    services.invitations_send(assessment=assessment, base_url="http://t", actor=consultant)
    for invitation, submit in ((started, False), (done, True)):
        response = services.response_start_from_invitation(invitation=invitation, language="nl")
        if submit:
            services.response_submit(response=response)
    mail.outbox.clear()
    # Too soon after the invitation: nobody is reminded yet.
    assert (
        services.reminders_send(
            assessment=assessment, group="never_opened", base_url="http://t", actor=consultant
        )
        == 0
    )
    Invitation.objects.update(sent_at=timezone.now() - timedelta(days=4))
    assert (
        services.reminders_send(
            assessment=assessment, group="never_opened", base_url="http://t", actor=consultant
        )
        == 1
    )
    assert (
        services.reminders_send(
            assessment=assessment, group="not_submitted", base_url="http://t", actor=consultant
        )
        == 1
    )
    assert sorted(m.to[0] for m in mail.outbox) == ["a@k.nl", "b@k.nl"]
    assert "c@k.nl" not in {m.to[0] for m in mail.outbox}
    # The minimum interval and the maximum count hold.
    assert (
        services.reminders_send(
            assessment=assessment, group="never_opened", base_url="http://t", actor=consultant
        )
        == 0
    )
    Invitation.objects.filter(pk=never.pk).update(
        reminder_count=3, last_reminded_at=timezone.now() - timedelta(days=10)
    )
    assert (
        services.reminders_send(
            assessment=assessment, group="never_opened", base_url="http://t", actor=consultant
        )
        == 0
    )


def test_invite_command_prints_links_and_skips_bad_rows(assessment, tmp_path):
    path = tmp_path / "people.csv"
    path.write_text("email,name,team\nx@k.nl,X,Planning\nkapot,Y,Planning\n", encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    call_command("invite", str(assessment.pk), "--csv", str(path), "--send", stdout=out, stderr=err)
    assert len(_links(out.getvalue())) == 1
    assert "kapot" in err.getvalue()
    assert len(mail.outbox) == 1


# --- Response rates and exports ---------------------------------------------------------


def test_response_rate_panel(logged_in, assessment, consultant):
    a, b, _c = _invite(assessment, consultant, "a@k.nl", "b@k.nl", "c@k.nl")
    r1 = services.response_start_from_invitation(invitation=a, language="nl")
    r2 = services.response_start_from_invitation(invitation=b, language="nl")
    question = assessment.maturity_model.questions.get(code="D1.2")
    Answer.objects.create(response=r1, question=question, choice=question.choices.first())
    Answer.objects.create(response=r2, question=question, choice=question.choices.first())
    services.response_submit(response=r2)
    page = logged_in.get(reverse("assessment-detail", args=[assessment.pk]))
    total = page.context["rate_total"]
    assert (total.invited, total.opened, total.started, total.submitted) == (3, 2, 2, 1)


def test_panel_query_count_does_not_grow_with_responses(logged_in, assessment, consultant):
    def count():
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
    assert any(row[-1] == "'=1+1" for row in rows)
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


# --- Managers and privacy ----------------------------------------------------------------


def test_manager_invite_sets_a_password_once_and_can_be_revoked(
    logged_in, client, organization, settings
):
    logged_in.post(
        reverse("manager-invite", args=[organization.pk]),
        {"email": "Manager@Klant.nl", "language": "nl"},
    )
    user = User.objects.get(email="manager@klant.nl")
    assert not user.has_usable_password()
    (message,) = mail.outbox
    url = re.search(r"https?://\S+/account/set-password/\S+", message.body).group(0)
    path = url.split("testserver", 1)[1]
    fresh = client.__class__()
    form_page = fresh.get(path, follow=True)
    password = "Een-lang-en-sterk-wachtwoord-2026"
    fresh.post(
        form_page.redirect_chain[-1][0], {"new_password1": password, "new_password2": password}
    )
    login = fresh.post(reverse("login"), {"username": "manager@klant.nl", "password": password})
    assert login.status_code == 302
    assert fresh.session["_auth_user_id"] == str(user.pk)
    # The link works once.
    assert "no longer works" in client.__class__().get(path, follow=True).text or (
        "werkt niet meer" in client.__class__().get(path, follow=True).text
    )
    membership = Membership.objects.get(user=user)
    logged_in.post(reverse("manager-revoke", args=[membership.pk]))
    assert not Membership.objects.filter(user=user).exists()


def test_privacy_export_and_erasure(logged_in, assessment, consultant):
    (anna,) = _invite(assessment, consultant, "anna@klant.nl")
    response = services.response_start_from_invitation(invitation=anna, language="nl")
    question = assessment.maturity_model.questions.get(code="D1.1")
    Answer.objects.create(
        response=response, question=question, choice=question.choices.first(), comment="Geheim"
    )
    page = logged_in.get(
        reverse("respondent-privacy", args=[assessment.pk]), {"email": "ANNA@klant.nl"}
    )
    assert page.context["invitation"] == anna
    data = json.loads(logged_in.get(reverse("respondent-export", args=[anna.pk])).content)
    assert data["response"]["answers"][0]["comment"] == "Geheim"
    # Without the typed confirmation nothing happens.
    logged_in.post(reverse("respondent-erase", args=[anna.pk]), {"confirm": "nee"})
    assert Response.objects.filter(pk=response.pk).exists()
    logged_in.post(reverse("respondent-erase", args=[anna.pk]), {"confirm": "anna@klant.nl"})
    assert not Response.objects.filter(pk=response.pk).exists()
    assert not Answer.objects.filter(comment="Geheim").exists()
    entry = AuditEntry.objects.get(action="response erased")
    assert "Geheim" not in entry.detail
    assert Invitation.objects.get(pk=anna.pk).revoked_at is not None


# --- The whole cycle ---------------------------------------------------------------------


def test_full_cycle(client, im_model):
    consultant = UserFactory(email="adviseur@bureau.nl")
    MembershipFactory(user=consultant, role="consultant")  # another client of theirs
    client.force_login(consultant)
    client.post(reverse("organization-create"), {"name": "Zorg Oost"})
    organization = Organization.objects.get(name="Zorg Oost")
    for name in ("Noord", "Zuid"):
        client.post(reverse("team-create", args=[organization.pk]), {"name": name})
    initial = client.get(reverse("assessment-create", args=[organization.pk])).context["form"]
    data = {
        key: (value.pk if hasattr(value, "pk") else value)
        for key, value in initial.initial.items()
        if value is not None
    }
    data |= {"overall_share": "0.8", "overall_tolerance": "1", "dont_know_limit": "0.3"}
    client.post(reverse("assessment-create", args=[organization.pk]), data)
    assessment = Assessment.objects.get(organization=organization)
    client.post(reverse("assessment-transition", args=[assessment.pk, "open"]))
    noord = organization.teams.get(name="Noord")
    client.post(reverse("link-create", args=[assessment.pk]), {"team": noord.pk, "capacity": 10})
    people = "\n".join(f"p{i}@zorgoost.nl,Persoon {i},Zuid" for i in range(6))
    client.post(
        reverse("invitations-upload", args=[assessment.pk]), {"text": people, "confirm": "1"}
    )
    client.post(reverse("invitations-send", args=[assessment.pk]))
    assert len(mail.outbox) == 6
    links = [_links(m.body)[0] for m in mail.outbox]
    # Four of six respond; two of them submit.
    for index, url in enumerate(links[:4]):
        respondent = client.__class__()
        respondent.get(url)
        respondent.post(reverse("survey-welcome"), {"q-C1": "end_user"})
        if index < 2:
            respondent.post(reverse("survey-submit"))
    Invitation.objects.update(sent_at=timezone.now() - timedelta(days=5))
    mail.outbox.clear()
    client.post(reverse("reminders-send", args=[assessment.pk, "never_opened"]))
    assert sorted(m.to[0] for m in mail.outbox) == ["p4@zorgoost.nl", "p5@zorgoost.nl"]
    mail.outbox.clear()
    client.post(reverse("reminders-send", args=[assessment.pk, "not_submitted"]))
    assert sorted(m.to[0] for m in mail.outbox) == ["p2@zorgoost.nl", "p3@zorgoost.nl"]
    client.post(reverse("assessment-transition", args=[assessment.pk, "close"]))
    assert Assessment.objects.get(pk=assessment.pk).status == "closed"
    download = client.get(reverse("assessment-export", args=[assessment.pk, "csv"]))
    rows = list(csv.reader(io.StringIO(b"".join(download.streaming_content).decode())))
    assert len({row[0] for row in rows[1:]}) == 4  # four responses with answers
    panel = client.get(reverse("assessment-detail", args=[assessment.pk])).context["rate_total"]
    assert (panel.invited, panel.opened, panel.submitted) == (6, 4, 2)
    log = set(assessment.audit_entries.values_list("action", flat=True))
    assert {"assessment opened", "people invited", "reminders sent", "assessment closed"} <= log


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
