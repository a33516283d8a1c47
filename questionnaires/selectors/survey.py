"""The respondent's questionnaire: its pages (kept in memory per content version), the
context questions, and one response's answers and progress."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Exists, OuterRef, Prefetch, Q
from django.utils import timezone

from ..models import Answer, Assessment, Choice, Dimension, MaturityModel, Question, Response


class WindowState:
    NOT_OPEN = "not_open"
    OPEN = "open"
    CLOSED = "closed"


def assessment_window(assessment: Assessment, *, now: datetime | None = None) -> str:
    """Whether respondents may answer now: the status and the dates both count."""
    now = now or timezone.now()
    if assessment.status == Assessment.Status.CLOSED:
        return WindowState.CLOSED
    if assessment.closes_at is not None and now >= assessment.closes_at:
        return WindowState.CLOSED
    if assessment.status == Assessment.Status.DRAFT:
        return WindowState.NOT_OPEN
    if assessment.opens_at is not None and now < assessment.opens_at:
        return WindowState.NOT_OPEN
    return WindowState.OPEN


@dataclass(frozen=True)
class SurveyPage:
    number: int
    dimension: Dimension | None  # None: the closing page with the open questions
    questions: list[Question]


# Published content never changes (the loader refuses to change a version in use), so
# the questionnaire's structure is kept in memory per process, keyed by the model's
# content hash: a reloaded draft has another hash. Callers treat it as read-only.
_CONTENT: dict[tuple, object] = {}
_CONTENT_LIMIT = 512


def _remembered(key: tuple, build):
    try:
        return _CONTENT[key]
    except KeyError:
        if len(_CONTENT) >= _CONTENT_LIMIT:
            _CONTENT.clear()
        value = _CONTENT[key] = build()
        return value


def _content_key(model: MaturityModel, *parts) -> tuple:
    return (model.pk, model.content_hash, *parts)


def remembered_content(model: MaturityModel, part: str, build):
    """``build()``, the part of the model's content it reads, once per process and
    content version (see `_CONTENT`); callers treat it as read-only."""
    return _remembered(_content_key(model, part), build)


def survey_outline(model: MaturityModel) -> list[tuple[int, str | None, list[int]]]:
    """(page number, dimension code or None, question ids) for every page."""
    return _remembered(_content_key(model, "outline"), lambda: _survey_outline(model.pk))


def _survey_outline(model_id: int) -> list[tuple[int, str | None, list[int]]]:
    pages: dict[str | None, list[int]] = {}
    order: list[str | None] = []
    closing: list[int] = []
    rows = (
        Question.objects.filter(model_id=model_id)
        .exclude(kind=Question.Kind.CONTEXT)
        .order_by("dimension__order", "order")
        .values_list("id", "dimension__code", "kind")
    )
    for pk, code, kind in rows:
        if kind == Question.Kind.TEXT or code is None:
            closing.append(pk)
            continue
        if code not in pages:
            pages[code] = []
            order.append(code)
        pages[code].append(pk)
    outline = [(number, code, pages[code]) for number, code in enumerate(order, start=1)]
    if closing:
        outline.append((len(outline) + 1, None, closing))
    return outline


def survey_page(model: MaturityModel, number: int, outline) -> SurveyPage | None:
    entry = next((page for page in outline if page[0] == number), None)
    if entry is None:
        return None
    return _remembered(_content_key(model, "page", number), lambda: _survey_page(number, entry))


def _survey_page(number: int, entry) -> SurveyPage:
    _, code, ids = entry
    questions = list(
        Question.objects.filter(pk__in=ids)
        .select_related("dimension")
        .prefetch_related(Prefetch("choices", queryset=Choice.objects.order_by("order")))
        .order_by("order")
    )
    dimension = questions[0].dimension if code is not None and questions else None
    return SurveyPage(number=number, dimension=dimension, questions=questions)


def context_questions(model: MaturityModel) -> list[Question]:
    return _remembered(
        _content_key(model, "context"),
        lambda: list(
            Question.objects.filter(model_id=model.pk, kind=Question.Kind.CONTEXT)
            .prefetch_related(Prefetch("choices", queryset=Choice.objects.order_by("order")))
            .order_by("order")
        ),
    )


def question_by_code(model: MaturityModel, code: str) -> Question | None:
    """A question of the model with its choices, for autosave."""
    questions = _remembered(
        _content_key(model, "by-code"),
        lambda: {
            question.code: question
            for question in Question.objects.filter(model_id=model.pk).prefetch_related(
                Prefetch("choices", queryset=Choice.objects.order_by("order"))
            )
        },
    )
    return questions.get(code)


def response_answers(response: Response, question_ids=None) -> dict[int, Answer]:
    answers = Answer.objects.filter(response=response).select_related("choice")
    if question_ids is not None:
        answers = answers.filter(question_id__in=question_ids)
    return {answer.question_id: answer for answer in answers}


def response_progress(response: Response, outline) -> list[dict]:
    """Per page: how many questions are answered (don't know counts as an answer)."""
    answered = set(
        Answer.objects.filter(response=response)
        .filter(~Q(choice__isnull=True) | ~Q(special="") | ~Q(text=""))
        .values_list("question_id", flat=True)
    )
    return [
        {
            "number": number,
            "code": code,
            "total": len(ids),
            "answered": sum(1 for pk in ids if pk in answered),
        }
        for number, code, ids in outline
    ]


def response_first_open_page(progress: list[dict]) -> int:
    """The first page with an unanswered scored question; else the last page."""
    for page in progress:
        if page["code"] is not None and page["answered"] < page["total"]:
            return page["number"]
    return progress[-1]["number"] if progress else 1


def response_unanswered_levels(response: Response) -> list[Question]:
    """The level statements of this response with neither a chosen statement nor an explicit
    "don't know" / "not applicable", in questionnaire order: until there are none, the
    response cannot be submitted."""
    answered = Answer.objects.filter(response=response, question=OuterRef("pk")).filter(
        ~Q(choice__isnull=True) | ~Q(special="")
    )
    return list(
        Question.objects.filter(
            model_id=response.assessment.maturity_model_id, kind=Question.Kind.LEVEL
        )
        .exclude(Exists(answered))
        .select_related("dimension")
        .order_by("dimension__order", "order")
    )
