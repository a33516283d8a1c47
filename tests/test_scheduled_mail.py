"""Automatic invitations and reminders: what `manage.py send_scheduled_mail` sends, when."""

import io
from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from questionnaires import services
from questionnaires.models import Assessment, AuditEntry, Invitation
from questionnaires.services import invitations
from tests.factories import MembershipFactory, TeamFactory, answer_every_level_statement
from tests.workspace.helpers import _invite

pytestmark = pytest.mark.django_db


@pytest.fixture
def consultant(im_model):
    return MembershipFactory(role="consultant").user


@pytest.fixture
def assessment(consultant, im_model):
    organization = consultant.memberships.get().organization
    TeamFactory(organization=organization, name="Polikliniek")
    assessment = services.assessment_create(
        organization=organization,
        maturity_model=im_model,
        actor=consultant,
        title="IM-scan 2026",
        subject_nl="het EPD",
        subject_en="the EHR",
        languages=["nl", "en"],
        auto_mail=True,
    )
    return services.assessment_transition(assessment=assessment, action="open", actor=consultant)


def _run(**kwargs):
    return services.scheduled_mail_send(base_url="http://t", **kwargs)


def _recipients():
    return sorted(message.to[0] for message in mail.outbox)


def test_an_open_assessment_with_automatic_mail_sends_its_invitations_once(assessment, consultant):
    _invite(assessment, consultant, "a@k.nl", "b@k.nl")
    (done,) = _run()
    assert (done.assessment, done.invitations, done.reminders) == (assessment, 2, 0)
    assert _recipients() == ["a@k.nl", "b@k.nl"]
    entry = AuditEntry.objects.filter(action="invitations sent").get()
    assert entry.actor is None and entry.detail == "2"
    # The next run has nothing to do, and writes nothing to the audit log.
    audit = AuditEntry.objects.count()
    assert _run() == []
    assert len(mail.outbox) == 2 and AuditEntry.objects.count() == audit


@pytest.mark.parametrize(
    "change",
    [
        {"auto_mail": False},
        {"status": Assessment.Status.DRAFT},
        {"status": Assessment.Status.CLOSED},
        {"opens_at": timedelta(days=1)},
        {"opens_at": timedelta(days=-2), "closes_at": timedelta(minutes=-1)},
    ],
    ids=["switched-off", "draft", "closed", "not-yet-open", "past-closing"],
)
def test_nothing_is_sent_outside_the_open_period_or_when_switched_off(
    assessment, consultant, change
):
    _invite(assessment, consultant, "a@k.nl")
    now = timezone.now()
    change = {k: now + v if isinstance(v, timedelta) else v for k, v in change.items()}
    Assessment.objects.filter(pk=assessment.pk).update(**change)
    assert _run() == []
    assert mail.outbox == []
    assert Invitation.objects.get().sent_at is None


def test_reminders_go_when_due_and_never_to_someone_who_submitted(assessment, consultant):
    never, started, done = _invite(assessment, consultant, "a@k.nl", "b@k.nl", "c@k.nl")
    _run()
    for invitation, submit in ((started, False), (done, True)):
        response = services.response_start_from_invitation(invitation=invitation, language="nl")
        if submit:
            answer_every_level_statement(response)
            services.response_submit(response=response)
    mail.outbox.clear()
    assert _run() == []  # too soon after the invitation
    Invitation.objects.update(sent_at=timezone.now() - timedelta(days=4))
    (result,) = _run()
    assert result.reminders == 2
    assert _recipients() == ["a@k.nl", "b@k.nl"]
    assert _run() == []  # the next reminder is three days away
    Invitation.objects.update(last_reminded_at=timezone.now() - timedelta(days=4))
    later = timezone.now()
    (again,) = _run(now=later)
    assert again.reminders == 2
    assert Invitation.objects.get(pk=never.pk).reminder_count == 2


def test_an_invitation_taken_by_another_run_is_not_sent_twice(assessment, consultant, monkeypatch):
    # A consultant's click while the scheduled run works: the run that claims an
    # invitation first sends it; the other skips it.
    _invite(assessment, consultant, "a@k.nl", "b@k.nl", "c@k.nl")
    send = invitations._send
    nested = []

    def send_while_another_run_starts(invitation, base_url, template, connection):
        monkeypatch.setattr(invitations, "_send", send)  # the other run sends plainly
        if not nested:
            nested.append(
                services.invitations_send(assessment=assessment, base_url=base_url, actor=None)
            )
        send(invitation, base_url, template, connection)

    monkeypatch.setattr(invitations, "_send", send_while_another_run_starts)
    (done,) = _run()
    assert nested == [2] and done.invitations == 1
    assert _recipients() == ["a@k.nl", "b@k.nl", "c@k.nl"]


def test_a_failing_mail_server_leaves_the_invitation_unsent_and_the_others_go_on(
    assessment, consultant, im_model, monkeypatch
):
    _invite(assessment, consultant, "a@k.nl")
    other = services.assessment_create(
        organization=assessment.organization,
        maturity_model=im_model,
        actor=consultant,
        title="Tweede scan",
        subject_nl="het EPD",
        subject_en="the EHR",
        auto_mail=True,
    )
    other = services.assessment_transition(assessment=other, action="open", actor=consultant)
    _invite(other, consultant, "z@k.nl")
    send = EmailMultiAlternatives.send

    def refuse_a(message, *args, **kwargs):
        if message.to == ["a@k.nl"]:
            raise ConnectionRefusedError("smtp down")
        return send(message, *args, **kwargs)

    monkeypatch.setattr(EmailMultiAlternatives, "send", refuse_a)
    failed, sent = _run()
    assert (failed.assessment, failed.invitations) == (assessment, 0)
    assert "smtp down" in failed.error
    assert Invitation.objects.get(email="a@k.nl").sent_at is None  # tried again next run
    assert (sent.assessment, sent.invitations, sent.error) == (other, 1, "")
    assert _recipients() == ["z@k.nl"]


def test_the_command_reports_what_it_sent_and_fails_when_a_mail_failed(
    assessment, consultant, monkeypatch
):
    out = io.StringIO()
    call_command("send_scheduled_mail", "--base-url", "http://t", stdout=out)
    assert out.getvalue() == "Nothing due.\n"
    _invite(assessment, consultant, "a@k.nl")
    call_command("send_scheduled_mail", "--base-url", "http://t", stdout=out)
    assert f"{assessment.pk}\tIM-scan 2026\t1 invitations\t0 reminders" in out.getvalue()
    assert "http://t/s/" in mail.outbox[0].body
    _invite(assessment, consultant, "b@k.nl")
    monkeypatch.setattr(EmailMultiAlternatives, "send", lambda *a, **k: 1 / 0)
    with pytest.raises(CommandError, match="1 assessment"):
        call_command("send_scheduled_mail", stdout=out)
    assert "FAILED: ZeroDivisionError" in out.getvalue()


def test_the_consultant_switches_it_on_and_the_next_cycle_keeps_it(client, assessment, consultant):
    Assessment.objects.filter(pk=assessment.pk).update(auto_mail=False)
    client.force_login(consultant)
    page = client.get(reverse("assessment-detail", args=[assessment.pk]))
    assert "Uitnodigingen en herinneringen gaan alleen weg als je op een knop drukt." in page.text
    form = client.get(reverse("assessment-edit", args=[assessment.pk])).context["form"]
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and name not in {"auto_mail", "target_phase", "claimed_phase"}
    }
    data["auto_mail"] = "on"
    response = client.post(reverse("assessment-edit", args=[assessment.pk]), data)
    assert response.status_code == 302, response.context["form"].errors
    assessment.refresh_from_db()
    assert assessment.auto_mail
    page = client.get(reverse("assessment-detail", args=[assessment.pk]))
    assert "automatisch" in page.text
    clone = services.assessment_clone(assessment=assessment, actor=consultant, title="Cyclus 2")
    assert clone.auto_mail
