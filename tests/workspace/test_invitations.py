"""Team links, importing people, and the invitation and reminder mail."""

import io
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from questionnaires import services
from questionnaires.models import Invitation, TeamLink
from tests.factories import answer_every_level_statement
from tests.workspace.helpers import _invite, _links

pytestmark = pytest.mark.django_db


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
            answer_every_level_statement(response)
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
