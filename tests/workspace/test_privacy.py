"""Privacy requests: one respondent's data downloaded or erased."""

import json

import pytest
from django.urls import reverse

from questionnaires import services
from questionnaires.models import Answer, AuditEntry, Invitation, Response
from tests.workspace.helpers import _invite

pytestmark = pytest.mark.django_db


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
