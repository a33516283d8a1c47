"""Downloads built from the same data as the dashboard: raw answers and the results.

Every text cell is made safe against formula injection: a spreadsheet must
never execute what a respondent typed.
"""

import csv
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Exists, OuterRef, QuerySet, Value
from django.utils import timezone
from django.utils.text import Truncator, slugify
from django.utils.translation import gettext as _

from . import scoring, selectors
from .models import Answer, Assessment, Choice, Question, Response
from .templatetags.im_tags import with_subject

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n", "|", "%")
# Everything below a space except tab, line feed and carriage return (kept, then prefixed).
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# One marker each, the same words as the results JSON.
SPECIAL_LABELS = {
    Answer.Special.DONT_KNOW: "dont_know",
    Answer.Special.NOT_APPLICABLE: "not_applicable",
}
SAFE_SPECIALS = SPECIAL_LABELS  # plain words: nothing a spreadsheet would run
SUBMITTED, IN_PROGRESS = "submitted", "in_progress"

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
    "response_status",
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


@dataclass(frozen=True)
class _Answers:
    """What every answer row of an export is made of: the small lookups, every text in
    them already safe (`safe_cell`), and the one big query of plain ids."""

    questions: dict[int, tuple[str, str, str, str]]  # code, dimension, phase, kind
    choices: dict[int, tuple[int, str]]  # order, code
    responses: dict[int, tuple[str, str, str, str]]  # submitted at, team, role, state
    rows: QuerySet


def _answers(assessment: Assessment, in_progress: bool) -> _Answers:
    model_id = assessment.maturity_model_id
    questions = {
        pk: (safe_cell(code), safe_cell(dimension or ""), safe_cell(phase or ""), kind)
        for pk, code, dimension, phase, kind in Question.objects.filter(
            model_id=model_id
        ).values_list("pk", "code", "dimension__code", "phase__code", "kind")
    }
    choices = {
        pk: (order, safe_cell(code))
        for pk, order, code in Choice.objects.filter(question__model_id=model_id).values_list(
            "pk", "order", "code"
        )
    }
    counted = selectors.counted_responses(Response.objects.filter(assessment=assessment))
    scope = export_responses(assessment, in_progress=in_progress)
    roles = {
        pk: safe_cell(role or "")
        for pk, role in Answer.objects.filter(
            response__assessment=assessment, question__code=selectors.ROLE_QUESTION
        ).values_list("response_id", "choice__code")
    }
    # Whether each response counts is asked only when the others are in the file too.
    is_counted = Exists(counted.filter(pk=OuterRef("pk"))) if in_progress else Value(True)
    responses = {
        pk: (
            _iso(submitted_at),
            safe_cell(team or ""),
            roles.get(pk, ""),
            SUBMITTED if state else IN_PROGRESS,
        )
        for pk, submitted_at, team, state in scope.annotate(is_counted=is_counted).values_list(
            "pk", "submitted_at", "team__name", "is_counted"
        )
    }
    rows = (
        Answer.objects.filter(response__in=scope.values("pk"))
        .order_by("response_id", "question_id")
        .values_list("response_id", "question_id", "choice_id", "special", "text", "comment")
    )
    return _Answers(questions, choices, responses, rows)


SCORED_KINDS = (Question.Kind.LEVEL, Question.Kind.LIKERT)


def response_rows(assessment: Assessment, *, in_progress: bool = False) -> Iterator[tuple]:
    """One row per response × answered question, streamed; a constant number of queries.
    Every text cell is already safe (`safe_cell`): the codes and names once, in their
    lookups, the respondents' own words in each row.

    By default the responses the dashboard counts (`selectors.counted_responses`), so
    the download and the dashboard agree; ``in_progress`` adds the others, marked
    "in_progress" in the last column. The big query reads plain ids from the answers
    table; names come from small lookups, so it needs no joins.
    """
    source = _answers(assessment, in_progress)
    questions, choices, responses = source.questions, source.choices, source.responses
    for response_id, question_id, choice_id, special, text, comment in source.rows.iterator(
        chunk_size=5000
    ):
        code, dimension, phase, kind = questions[question_id]
        order, choice_code = choices.get(choice_id, ("", ""))
        if kind in SCORED_KINDS:
            raw = order if not special else ""
        elif kind == Question.Kind.CONTEXT:
            raw = choice_code
        else:
            raw = safe_cell(text) if text else ""
        submitted_at, team, role, state = responses[response_id]
        yield (
            response_id,
            submitted_at,
            team,
            role,
            code,
            dimension,
            phase,
            kind,
            raw,
            SAFE_SPECIALS.get(special, ""),
            safe_cell(comment) if comment else "",
            state,
        )


# Above this many answer rows an export is written by a task and downloaded when ready
# (docs/scale.md: a worker writes ≈ 120,000 CSV rows or ≈ 15,000 Excel rows a second).
DIRECT_ROWS = {"csv": 400_000, "xlsx": 50_000}


def export_responses(assessment: Assessment, *, in_progress: bool = False) -> QuerySet:
    """The responses an export of the raw answers holds: those the dashboard counts, or
    with ``in_progress`` every one."""
    responses = Response.objects.filter(assessment=assessment)
    return responses if in_progress else selectors.counted_responses(responses)


def rows_estimate(assessment: Assessment, *, in_progress: bool = False) -> int:
    """At most how many answer rows an export has (responses × questions): two counts."""
    responses = export_responses(assessment, in_progress=in_progress).count()
    return responses * Question.objects.filter(model=assessment.maturity_model_id).count()


def rows_count(assessment: Assessment, *, in_progress: bool = False) -> int:
    """How many answer rows an export has: one count."""
    scope = export_responses(assessment, in_progress=in_progress)
    return Answer.objects.filter(response__in=scope.values("pk")).count()


def export_name(assessment: Assessment, *, in_progress: bool = False) -> str:
    """The start of an export's file name: the client and the assessment."""
    name = slugify(f"{assessment.organization.name}-{assessment.title}") or "assessment"
    return name + "-incl-in-progress" if in_progress else name


def responses_csv_lines(
    assessment: Assessment,
    *,
    chunk: int = 1000,
    in_progress: bool = False,
    delimiter: str = ",",
    bom: bool = False,
) -> Iterator[str]:
    """The raw-answer CSV of `response_rows` in chunks of rows, ready for a streaming
    response: exactly what `csv.writer` makes of those rows (a test holds it to that),
    but each response's and question's columns are written once, not on every row.
    ``bom`` starts it with the UTF-8 byte-order mark, so Excel reads the accents right;
    the semicolon ``delimiter`` is what a Dutch Excel splits columns on."""
    header = io.StringIO()
    csv.writer(header, delimiter=delimiter).writerow(RESPONSE_COLUMNS)
    yield ("\ufeff" if bom else "") + header.getvalue()
    field = _csv_field(delimiter)
    source = _answers(assessment, in_progress)
    before = {
        pk: delimiter.join([str(pk), field(at), field(team), field(role), ""])
        for pk, (at, team, role, _state) in source.responses.items()
    }
    after = {pk: field(state) + "\r\n" for pk, (*_rest, state) in source.responses.items()}
    questions = {
        pk: (delimiter.join([*map(field, (code, dimension, phase, kind)), ""]), kind)
        for pk, (code, dimension, phase, kind) in source.questions.items()
    }
    choices = {pk: (str(order), field(code)) for pk, (order, code) in source.choices.items()}
    specials = {key: field(label) for key, label in SAFE_SPECIALS.items()}
    lines: list[str] = []
    for response_id, question_id, choice_id, special, text, comment in source.rows.iterator(
        chunk_size=5000
    ):
        columns, kind = questions[question_id]
        if kind in SCORED_KINDS:
            raw = "" if special else choices.get(choice_id, NO_CHOICE)[0]
        elif kind == Question.Kind.CONTEXT:
            raw = choices.get(choice_id, NO_CHOICE)[1]
        else:
            raw = field(safe_cell(text)) if text else ""
        lines.append(
            before[response_id]
            + columns
            + raw
            + delimiter
            + specials.get(special, "")
            + delimiter
            + (field(safe_cell(comment)) if comment else "")
            + delimiter
            + after[response_id]
        )
        if len(lines) == chunk:
            yield "".join(lines)
            lines.clear()
    if lines:
        yield "".join(lines)


NO_CHOICE = ("", "")


def _csv_field(delimiter: str) -> Callable[[str], str]:
    """One text field as `csv.writer` writes it (the excel dialect, minimal quoting):
    quoted, with its quotes doubled, when it holds the delimiter, a quote or a line end."""
    special = re.compile("[" + re.escape(delimiter) + '"\r\n]')

    def field(value: str) -> str:
        if special.search(value):
            return '"' + value.replace('"', '""') + '"'
        return value

    return field


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
            # False while answering goes on: the result then moves in steps of the
            # anonymity threshold and compares no teams or roles yet.
            "results_final": selectors.results_final(assessment),
        },
        "generated_at": _iso(timezone.now()),
        "result": scoring.as_plain(result),
    }


def plan_table(rows: list[dict]) -> list[list]:
    """The improvement plan as a backlog in the reader's language: a header, then one row
    per action and one per step that has no action yet, in the plan's order.

    "Summary" is what a tracker (Jira, Azure DevOps, Planner) imports as the title; the
    step's advice goes along as the description.
    """
    header = [
        _("Summary"),
        _("Step"),
        _("Dimension"),
        _("From level"),
        _("To level"),
        _("Barrier"),
        _("Advice"),
        _("Owner"),
        _("Due date"),
        _("Status"),
    ]
    table = [header]
    for number, row in enumerate(rows, start=1):
        dimension = row["dimension"]
        from_level = row["from_level"]
        step = [
            number,
            dimension.name if dimension else _("General"),
            from_level or "",
            from_level + 1 if from_level else "",
            _("yes") if row["is_barrier"] else "",
            _plan_advice(row),
        ]
        if not row["actions"]:
            table.append([_plan_step_title(row), *step, "", "", ""])
        for action in row["actions"]:
            status = action.get_status_display()
            table.append([action.title, *step, action.owner, action.due_date or "", status])
    return [[safe_cell(cell) for cell in line] for line in table]


def _plan_step_title(row: dict) -> str:
    if row["dimension"] and row["from_level"]:
        return _("%(dimension)s: from level %(a)s to %(b)s") % {
            "dimension": row["dimension"].name,
            "a": row["from_level"],
            "b": row["from_level"] + 1,
        }
    if row["dimension"]:
        return row["dimension"].name
    return Truncator(row["text"]).chars(80) or _("General")


def _plan_advice(row: dict) -> str:
    parts = []
    if row["shared_picture_first"]:
        parts.append(
            _("First:")
            + " "
            + _(
                "discuss this dimension's ladder with a cross-section of roles and reach "
                "one shared picture, using examples."
            )
        )
    parts.append(row["text"])
    if row.get("then"):
        parts.append(_("Then:") + " " + row["then"])
    return "\n".join(part for part in parts if part)


def plan_csv(rows: list[dict]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for line in plan_table(rows):
        writer.writerow([cell.isoformat() if isinstance(cell, date) else cell for cell in line])
    return buffer.getvalue()


def plan_xlsx(rows: list[dict], *, title: str) -> bytes:
    """The plan as a workbook that reads well when opened: bold, frozen header, a filter,
    wrapped advice and real dates."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    table = plan_table(rows)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = re.sub(r"[\[\]:*?/\\]", " ", title)[:31] or "plan"
    for line in table:
        sheet.append(line)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    widths = (40, 6, 28, 10, 10, 10, 70, 20, 14, 14)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    for (advice,) in sheet.iter_rows(min_row=2, min_col=7, max_col=7):
        advice.alignment = Alignment(wrap_text=True, vertical="top")
    for (due,) in sheet.iter_rows(min_row=2, min_col=9, max_col=9):
        due.number_format = "yyyy-mm-dd"
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _iso(moment: datetime | None) -> str:
    return moment.isoformat() if moment else ""


def responses_xlsx(assessment: Assessment, *, in_progress: bool = False) -> bytes:
    """The raw answers as an Excel workbook (`responses_xlsx_write`), as bytes."""
    buffer = io.BytesIO()
    responses_xlsx_write(buffer, assessment, in_progress=in_progress)
    return buffer.getvalue()


# Excel shows at most 1,048,576 rows on a sheet: the header and this many answers.
SHEET_ROWS = 1_048_575


def responses_xlsx_write(
    target,
    assessment: Assessment,
    *,
    in_progress: bool = False,
    progress: Callable[[int], None] | None = None,
    sheet_rows: int = SHEET_ROWS,
) -> None:
    """Write the raw answers as an Excel workbook to ``target`` (a path or a binary
    file): a frozen header with filters and readable widths on every answers sheet (a
    new sheet after each ``sheet_rows`` answers, so none passes Excel's limit), and a
    legend sheet in the reader's language (question → text, dimension, phase, reverse
    key; option → level). ``progress`` is told the number of answers written so far,
    every 10,000."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    last = get_column_letter(len(RESPONSE_COLUMNS))
    sheet, count = None, 0
    for written, row in enumerate(response_rows(assessment, in_progress=in_progress), start=1):
        if sheet is None or count == sheet_rows:
            if sheet is not None:
                sheet.auto_filter.ref = f"A1:{last}{count + 1}"
            number = len(workbook.worksheets) + 1
            sheet = _answers_sheet(workbook, "answers" if number == 1 else f"answers {number}")
            count = 0
        sheet.append(row)  # already safe
        count += 1
        if progress is not None and written % 10_000 == 0:
            progress(written)
    if sheet is None:
        sheet = _answers_sheet(workbook, "answers")
    sheet.auto_filter.ref = f"A1:{last}{count + 1}"
    _legend(workbook.create_sheet(title="legend"), assessment)
    workbook.save(target)


def _answers_sheet(workbook, title: str):
    from openpyxl.utils import get_column_letter

    sheet = workbook.create_sheet(title=title)
    sheet.freeze_panes = "A2"
    for index, width in enumerate(ANSWER_WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.append([safe_cell(column) for column in RESPONSE_COLUMNS])
    return sheet


ANSWER_WIDTHS = (12, 26, 22, 16, 14, 14, 11, 9, 30, 16, 50, 15)
LEGEND_COLUMNS = (
    "question_code",
    "question",
    "dimension_code",
    "dimension",
    "phase_code",
    "kind",
    "reverse_keyed",
    "raw_value",
    "option",
    "level",
)


def _legend(sheet, assessment: Assessment) -> None:
    """What every code and raw value means: a row per question and option."""
    from openpyxl.utils import get_column_letter

    sheet.freeze_panes = "A2"
    for index, width in enumerate((13, 60, 14, 30, 11, 9, 13, 10, 50, 8), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.append(list(LEGEND_COLUMNS))
    questions = (
        Question.objects.filter(model=assessment.maturity_model)
        .select_related("dimension", "phase")
        .prefetch_related("choices")
        .order_by("order")
    )
    rows = 1
    for question in questions:
        base = [
            question.code,
            with_subject(question.text, assessment),
            question.dimension.code if question.dimension else "",
            question.dimension.name if question.dimension else "",
            question.phase.code if question.phase else "",
            question.kind,
            "yes" if question.reverse_keyed else "",
        ]
        for choice in sorted(question.choices.all(), key=lambda c: c.order):
            level = _option_level(question, choice)
            raw = choice.code if question.kind == Question.Kind.CONTEXT else choice.order
            sheet.append([safe_cell(cell) for cell in [*base, raw, choice.label, level]])
            rows += 1
        if question.kind == Question.Kind.TEXT:
            sheet.append([safe_cell(cell) for cell in [*base, "", _("the answer as written"), ""]])
            rows += 1
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(LEGEND_COLUMNS))}{rows}"


def _option_level(question: Question, choice: Choice) -> float | str:
    """The level (1–6) the scoring module gives an option (domain model §4.2)."""
    if question.kind == Question.Kind.LEVEL:
        return choice.order
    if question.kind == Question.Kind.LIKERT:
        return scoring.likert_to_level(choice.order, reverse=question.reverse_keyed)
    return ""


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
