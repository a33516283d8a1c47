import factory

from questionnaires.models import (
    Answer,
    Assessment,
    MaturityModel,
    Membership,
    Organization,
    Question,
    Response,
    Team,
    User,
)
from questionnaires.tokens import token_new


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)

    email = factory.Sequence(lambda n: f"user{n}@example.nl")
    first_name = "Test"
    password = factory.django.Password("correct-horse-battery")


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Organisatie {n}")


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Team {n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = Membership.Role.MANAGER


class AssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assessment

    organization = factory.SubFactory(OrganizationFactory)
    maturity_model = factory.LazyFunction(
        lambda: MaturityModel.objects.filter(is_published=True).latest("published_at")
    )
    title = factory.Sequence(lambda n: f"IM-scan {n}")
    status = Assessment.Status.OPEN


class ResponseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Response

    assessment = factory.SubFactory(AssessmentFactory)
    resume_token_hash = factory.LazyFunction(lambda: token_new()[1])


def answer_every_level_statement(response, *, choose: bool = False):
    """Answer every level statement still open, what a submission needs: "don't know", or
    with `choose` the first statement (so the response counts as a respondent)."""
    open_levels = Question.objects.filter(
        model=response.assessment.maturity_model, kind=Question.Kind.LEVEL
    ).exclude(answers__response=response)
    Answer.objects.bulk_create(
        Answer(response=response, question=q, choice=q.choices.order_by("order").first())
        if choose
        else Answer(response=response, question=q, special=Answer.Special.DONT_KNOW)
        for q in open_levels
    )


def png_bytes(width: int = 40, height: int = 20, colour: str = "#1d4e89") -> bytes:
    """A small real PNG, as an upload would bring it."""
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(out, format="PNG")
    return out.getvalue()
