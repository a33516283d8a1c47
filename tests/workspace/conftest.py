"""The workspace tests' world: a consultant with a client of two teams and an open
assessment."""

import pytest

from questionnaires import services
from tests.factories import MembershipFactory, TeamFactory


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
