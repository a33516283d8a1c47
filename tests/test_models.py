"""The database itself keeps the engagement data sound."""

import pytest
from django.contrib.admin.sites import site
from django.db import IntegrityError, transaction
from django.test import RequestFactory
from django.utils import translation

from questionnaires.models import Answer, Assessment, Dimension, Invitation, MaturityModel
from tests.factories import AssessmentFactory, ResponseFactory, UserFactory

pytestmark = pytest.mark.django_db


def _integrity_error(create):
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


def test_one_answer_per_response_and_question(im_model):
    response = ResponseFactory()
    question = im_model.questions.get(code="D1.2")
    choice = question.choices.first()
    Answer.objects.create(response=response, question=question, choice=choice)
    _integrity_error(
        lambda: Answer.objects.create(response=response, question=question, choice=choice)
    )


def test_answer_cannot_have_a_choice_and_dont_know(im_model):
    question = im_model.questions.get(code="D1.2")
    _integrity_error(
        lambda: Answer.objects.create(
            response=ResponseFactory(),
            question=question,
            choice=question.choices.first(),
            special=Answer.Special.DONT_KNOW,
        )
    )


def test_token_hashes_are_unique(im_model):
    first = ResponseFactory()
    _integrity_error(lambda: ResponseFactory(resume_token_hash=first.resume_token_hash))
    assessment = first.assessment
    Invitation.objects.create(assessment=assessment, token_hash="a" * 64)
    _integrity_error(lambda: Invitation.objects.create(assessment=assessment, token_hash="a" * 64))


def test_an_invitation_belongs_to_at_most_one_response(im_model):
    response = ResponseFactory()
    invitation = Invitation.objects.create(assessment=response.assessment, token_hash="b" * 64)
    response.invitation = invitation
    response.save()
    _integrity_error(lambda: ResponseFactory(assessment=response.assessment, invitation=invitation))


def test_anonymity_threshold_is_at_least_three(im_model):
    _integrity_error(lambda: AssessmentFactory(anonymity_threshold=2))
    assert AssessmentFactory().anonymity_threshold == 5


def test_assessment_closes_after_it_opens(im_model):
    from datetime import UTC, datetime

    _integrity_error(
        lambda: AssessmentFactory(
            opens_at=datetime(2026, 5, 1, tzinfo=UTC), closes_at=datetime(2026, 4, 1, tzinfo=UTC)
        )
    )


def test_model_version_in_use_cannot_be_deleted(im_model):
    from django.db.models import ProtectedError

    AssessmentFactory(maturity_model=im_model)
    with pytest.raises(ProtectedError), transaction.atomic():
        im_model.delete()


def test_published_model_is_locked_only_when_used(im_model):
    assert not im_model.is_locked
    AssessmentFactory(maturity_model=im_model)
    assert im_model.is_locked


@pytest.mark.parametrize("model_class", [MaturityModel, Dimension])
def test_admin_shows_locked_content_read_only(im_model, model_class):
    admin_user = UserFactory(is_staff=True, is_superuser=True)
    request = RequestFactory().get("/admin/")
    request.user = admin_user
    obj = im_model if model_class is MaturityModel else im_model.dimensions.first()
    model_admin = site._registry[model_class]
    assert model_admin.has_change_permission(request, obj)
    AssessmentFactory(maturity_model=im_model)
    assert not model_admin.has_change_permission(request, obj)
    assert not model_admin.has_delete_permission(request, obj)
    for inline in model_admin.get_inline_instances(request, obj):
        assert not inline.has_add_permission(request, obj)


def test_locked_model_admin_page_offers_no_save_button(im_model, client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    AssessmentFactory(maturity_model=im_model)
    page = client.get(f"/admin/questionnaires/maturitymodel/{im_model.pk}/change/")
    assert page.status_code == 200
    assert b'name="_save"' not in page.content


def test_translated_properties_follow_the_active_language(im_model):
    dimension = im_model.dimensions.get(code="D7")
    with translation.override("nl"):
        assert dimension.name == "Adoptie & acceptatie"
    with translation.override("en"):
        assert dimension.name == "Adoption & acceptance"
    with translation.override("de"):
        assert dimension.name == "Adoptie & acceptatie"  # unknown language: Dutch


def test_assessment_statuses():
    assert [s.value for s in Assessment.Status] == ["draft", "open", "closed"]
