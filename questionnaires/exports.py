"""Downloads built from the same data as the dashboard: raw answers and the results.

Every text cell is made safe against formula injection: a spreadsheet must
never execute what a respondent typed.
"""

import csv
import io
import re
from collections.abc import Iterator
from datetime import datetime

from django.utils import timezone

from . import scoring, selectors
from .models import Answer, Assessment, Choice, Question, Response

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n", "|", "%")
# Everything below a space except tab, line feed and carriage return (kept, then prefixed).
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
SPECIAL_LABELS = {Answer.Special.DONT_KNOW: "dont_know", Answer.Special.NOT_APPLICABLE: "n.a."}

RESPONSE_COLUMNS = (
    "response_id",
    "submitted_at",
    "team",
    "role",
    "question_code",
    "dimension_code",
    "phase_code",
    "kind",
    "raw_value",
    "dont_know_or_na",
    "comment",
)


def safe_cell(value: object) -> object:
    """Text a spreadsheet shows as text, never runs.

    Control characters (NUL among them) are dropped first, since XLSX cannot hold
    them and they could hide a formula sign; then text that a spreadsheet would
    read as a formula gets an apostrophe in front.
    """
    if not isinstance(value, str):
        return value
    value = CONTROL_CHARACTERS.sub("", value)
    if value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def response_rows(assessment: Assessment) -> Iterator[tuple]:
    """One row per response × answered question, streamed; a constant number of queries.

    The big query reads plain ids from the answers table; names come from small
    lookups, so it needs no joins.
    """
    model_id = assessment.maturity_model_id
    questions = {
        pk: (code, dimension or "", phase or "", kind)
        for pk, code, dimension, phase, kind in Question.objects.filter(
            model_id=model_id
        ).values_list("pk", "code", "dimension__code", "phase__code", "kind")
    }
    choices = {
        pk: (order, code)
        for pk, order, code in Choice.objects.filter(question__model_id=model_id).values_list(
            "pk", "order", "code"
        )
    }
    responses = {
        pk: (_iso(submitted_at), team or "")
        for pk, submitted_at, team in Response.objects.filter(assessment=assessment).values_list(
            "pk", "submitted_at", "team__name"
        )
    }
    roles = dict(
        Answer.objects.filter(
            response__assessment=assessment, question__code=selectors.ROLE_QUESTION
        ).values_list("response_id", "choice__code")
    )
    rows = (
        Answer.objects.filter(response__assessment=assessment)
        .order_by("response_id", "question_id")
        .values_list("response_id", "question_id", "choice_id", "special", "text", "comment")
    )
    for response_id, question_id, choice_id, special, text, comment in rows.iterator(
        chunk_size=5000
    ):
        code, dimension, phase, kind = questions[question_id]
        order, choice_code = choices.get(choice_id, ("", ""))
        if kind in (Question.Kind.LEVEL, Question.Kind.LIKERT):
            raw = order if not special else ""
        elif kind == Question.Kind.CONTEXT:
            raw = choice_code or ""
        else:
            raw = text
        submitted_at, team = responses[response_id]
        yield (
            response_id,
            submitted_at,
            team,
            roles.get(response_id) or "",
            code,
            dimension,
            phase,
            kind,
            raw,
            SPECIAL_LABELS.get(special, ""),
            comment,
        )


def responses_csv_lines(assessment: Assessment, *, chunk: int = 1000) -> Iterator[str]:
    """The raw-answer CSV in chunks of rows, ready for a streaming response."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for number, row in enumerate(_with_header(response_rows(assessment)), start=1):
        writer.writerow([safe_cell(cell) for cell in row])
        if number % chunk == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue()


def _with_header(rows: Iterator[tuple]) -> Iterator[tuple]:
    yield RESPONSE_COLUMNS
    yield from rows


def results_document(assessment: Assessment, result: scoring.AssessmentResult) -> dict:
    """The AssessmentResult as JSON-ready data, with what it is about."""
    return {
        "assessment": {
            "id": assessment.pk,
            "title": assessment.title,
            "organization": assessment.organization.name,
            "status": assessment.status,
            "maturity_model": {
                "code": assessment.maturity_model.code,
                "version": assessment.maturity_model.version,
            },
            "previous_assessment_id": assessment.previous_id,
        },
        "generated_at": _iso(timezone.now()),
        "result": scoring.as_plain(result),
    }


def _iso(moment: datetime | None) -> str:
    return moment.isoformat() if moment else ""


def responses_xlsx(assessment: Assessment) -> bytes:
    """The raw answers as an Excel workbook, built in memory (never on disk)."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title="answers")
    sheet.append([safe_cell(column) for column in RESPONSE_COLUMNS])
    for row in response_rows(assessment):
        sheet.append([safe_cell(cell) for cell in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def respondent_document(invitation) -> dict:
    """Everything stored about one invited person, for a data-access request."""
    response = getattr(invitation, "response", None)
    answers = []
    if response is not None:
        for answer in response.answers.select_related("question", "choice").order_by(
            "question__order"
        ):
            answers.append(
                {
                    "question": answer.question.code,
                    "question_text": answer.question.text,
                    "choice": answer.choice.label if answer.choice else None,
                    "dont_know_or_na": answer.special or None,
                    "text": answer.text or None,
                    "comment": answer.comment or None,
                    "saved_at": _iso(answer.updated_at),
                }
            )
    return {
        "assessment": invitation.assessment.title,
        "organization": invitation.assessment.organization.name,
        "email": invitation.email,
        "name": invitation.name,
        "team": invitation.team.name if invitation.team else None,
        "invited_at": _iso(invitation.created_at),
        "sent_at": _iso(invitation.sent_at),
        "reminders": invitation.reminder_count,
        "response": None
        if response is None
        else {
            "started_at": _iso(response.started_at),
            "submitted_at": _iso(response.submitted_at),
            "language": response.language,
            "answers": answers,
        },
    }
