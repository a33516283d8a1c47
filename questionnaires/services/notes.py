"""The consultant's voice: the management summary and the notes per dimension and per
plan step, in each of the assessment's languages (every version in the audit log), and
which sections the report includes; issuing it as final."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Assessment, ConsultantNote, Dimension, IssuedReport, User
from ..richtext import MAX_LENGTH
from .audit import audit_record


def note_subjects(assessment: Assessment) -> list[str]:
    """What the consultant can write about: the summary, each dimension, each step of
    the adopted plan."""
    codes = Dimension.objects.filter(model=assessment.maturity_model).values_list("code", flat=True)
    steps = assessment.plan.values_list("pk", flat=True)
    return [
        ConsultantNote.SUMMARY,
        *(f"dimension:{code}" for code in codes),
        *(f"step:{pk}" for pk in steps),
    ]


@transaction.atomic
def note_set(
    *, assessment: Assessment, subject: str, language: str, text: str, actor: User
) -> ConsultantNote | None:
    """Write (or with an empty text remove) one note; unchanged text changes nothing.
    Returns the note as it is now."""
    if language not in assessment.languages:
        raise ValidationError(_("This assessment is not offered in that language."))
    if subject not in note_subjects(assessment):
        raise ValidationError(_("There is nothing to write a note about here."))
    text = text.replace("\r\n", "\n").strip()
    if len(text) > MAX_LENGTH:
        raise ValidationError(
            _("Keep a note under %(max)s characters.")
            % {"max": f"{MAX_LENGTH:,}".replace(",", ".")}
        )
    note = (
        ConsultantNote.objects.select_for_update()
        .filter(assessment=assessment, subject=subject, language=language)
        .first()
    )
    if (note.text if note else "") == text:
        return note
    where = f"{subject} ({language})"
    if not text:
        note.delete()  # type: ignore[union-attr]
        audit_record(organization=assessment.organization, assessment=assessment, actor=actor,
                     action="note removed", detail=where)  # fmt: skip
        return None
    if note is None:
        note = ConsultantNote(assessment=assessment, subject=subject, language=language)
    note.text, note.updated_at, note.updated_by = text, timezone.now(), actor
    note.save()
    # The whole text: the audit log is the note's version history.
    audit_record(organization=assessment.organization, assessment=assessment, actor=actor,
                 action="note written", detail=f"{where}: {text}")  # fmt: skip
    return note


@transaction.atomic
def report_sections_set(*, assessment: Assessment, included: list[str], actor: User) -> list[str]:
    """Choose the report's sections; the ones not chosen are left out. Returns the
    sections the report now has."""
    from ..reports import SECTIONS

    known = [key for key, _label in SECTIONS]
    if not set(included) <= set(known):
        raise ValidationError(_("The report has no such section."))
    if not included:
        raise ValidationError(_("Keep at least one section in the report."))
    left_out = [key for key in known if key not in included]
    if left_out == assessment.report_left_out:
        return [key for key in known if key in included]
    Assessment.objects.filter(pk=assessment.pk).update(report_left_out=left_out)
    assessment.report_left_out = left_out
    audit_record(organization=assessment.organization, assessment=assessment, actor=actor,
                 action="report sections changed",
                 detail=", ".join(left_out) if left_out else "–")  # fmt: skip
    return [key for key in known if key in included]


@transaction.atomic
def report_issue(*, assessment: Assessment, actor: User) -> list[IssuedReport]:
    """Issue the report as final in every language of the assessment: each PDF is kept
    as issued, stamped with its version and date. Refused while the assessment is open
    (its figures still move) and when nothing changed since the last version."""
    from .. import reports

    Assessment.objects.select_for_update().get(pk=assessment.pk)
    if assessment.status != Assessment.Status.CLOSED:
        raise ValidationError(_("A report is issued as final once the assessment has closed."))
    last = IssuedReport.objects.filter(assessment=assessment).order_by("-version").first()
    version = last.version + 1 if last else 1
    made = [
        (language, *reports.render_issued_pdf(assessment, language=language, version=version))
        for language in assessment.languages
    ]
    if last is not None:
        before = dict(
            IssuedReport.objects.filter(assessment=assessment, version=last.version)
            .values_list("language", "inputs")
        )  # fmt: skip
        if all(before.get(language) == key for language, _pdf, key in made):
            raise ValidationError(
                _("Nothing has changed since version %(version)s was issued.")
                % {"version": last.version}
            )
    issued = [
        IssuedReport.objects.create(
            assessment=assessment,
            language=language,
            version=version,
            pdf=pdf,
            inputs=key,
            issued_by=actor,
        )
        for language, pdf, key in made
    ]
    audit_record(organization=assessment.organization, assessment=assessment, actor=actor,
                 action="report issued", detail=f"v{version}")  # fmt: skip
    return issued
