"""The whole cycle as a consultant runs it: client, assessment, links, answers, results."""

import csv
import io
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from questionnaires.access import RESPONSE_SESSION_KEY
from questionnaires.models import Assessment, Invitation, Organization, Response
from tests.factories import MembershipFactory, UserFactory, answer_every_level_statement
from tests.workspace.helpers import _links

pytestmark = pytest.mark.django_db


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
            response = Response.objects.get(pk=respondent.session[RESPONSE_SESSION_KEY])
            answer_every_level_statement(response, choose=True)
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
    url = reverse("assessment-export", args=[assessment.pk, "csv"])
    for query, responses in (("", 2), ("?responses=all", 4)):  # submitted, or all with answers
        download = client.get(url + query)
        rows = list(csv.reader(io.StringIO(b"".join(download.streaming_content).decode())))
        assert len({row[0] for row in rows[1:]}) == responses
    panel = client.get(reverse("assessment-detail", args=[assessment.pk])).context["rate_total"]
    assert (panel.invited, panel.opened, panel.submitted) == (6, 4, 2)
    log = set(assessment.audit_entries.values_list("action", flat=True))
    assert {"assessment opened", "people invited", "reminders sent", "assessment closed"} <= log
