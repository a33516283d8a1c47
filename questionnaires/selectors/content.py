"""Reads of the maturity model's content: the current version, its dimensions with
descriptors and advice, its questions by code."""

from django.db.models import Prefetch, QuerySet

from ..models import Dimension, LevelDescriptor, MaturityModel, Question


def maturity_model_current() -> MaturityModel | None:
    """The newest published version, or None before any content is loaded."""
    return (
        MaturityModel.objects.filter(is_published=True)
        .order_by("-published_at", "-version")
        .first()
    )


def dimensions_with_descriptors(model: MaturityModel) -> QuerySet[Dimension]:
    return (
        Dimension.objects.filter(model=model)
        .select_related("main_phase")
        .prefetch_related(
            Prefetch("descriptors", queryset=LevelDescriptor.objects.order_by("level")),
            "advice",
        )
        .order_by("order")
    )


def question_texts(model_id: int) -> dict[str, Question]:
    return {q.code: q for q in Question.objects.filter(model_id=model_id)}
