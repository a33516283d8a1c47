"""The improvement plan and its action items, adopted from the scoring result and then edited."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ..models import ActionItem, Assessment, Dimension, PlanEntry, User
from ..scoring import AssessmentResult
from .audit import audit_record


@transaction.atomic
def plan_adopt(*, assessment: Assessment, result: AssessmentResult, actor: User) -> list[PlanEntry]:
    """Turn the computed plan into editable steps; a second call changes nothing."""
    Assessment.objects.select_for_update().get(pk=assessment.pk)
    existing = list(assessment.plan.all())
    if existing:
        return existing
    dimensions = {d.code: d for d in Dimension.objects.filter(model=assessment.maturity_model)}
    entries = PlanEntry.objects.bulk_create(
        PlanEntry(
            assessment=assessment,
            dimension=dimensions[item.dimension],
            position=item.rank,
            from_level=item.from_level,
            is_barrier=item.is_barrier,
            shared_picture_first=item.build_shared_picture,
        )
        for item in result.plan
    )
    carried = _carry_open_actions(assessment, entries)
    detail = ", ".join(item.dimension for item in result.plan)
    if carried:
        detail += " · " + ngettext(
            "%(n)s open action carried over", "%(n)s open actions carried over", carried
        ) % {"n": carried}
    audit_record(
        organization=assessment.organization,
        assessment=assessment,
        actor=actor,
        action="plan adopted",
        detail=detail,
    )
    return list(assessment.plan.all())


def _carry_open_actions(assessment: Assessment, entries: list[PlanEntry]) -> int:
    """The actions the previous cycle left open go on in this one: under the step of
    the same dimension, else under one general step; each points back to the action it
    carries on, whose history stays with that cycle. Returns how many were carried."""
    if assessment.previous_id is None:
        return 0
    still_open = list(
        ActionItem.objects.filter(entry__assessment_id=assessment.previous_id)
        .exclude(status=ActionItem.Status.DONE)
        .select_related("entry__dimension", "entry__assessment")
        .order_by("entry__position", "due_date", "pk")
    )
    by_code = {entry.dimension.code: entry for entry in entries if entry.dimension}
    general = None
    for action in still_open:
        dimension = action.entry.dimension
        entry = by_code.get(dimension.code) if dimension else None
        if entry is None:
            if general is None:
                general = PlanEntry.objects.create(
                    assessment=assessment, dimension=None, position=len(entries) + 1,
                    is_manual=True,
                    text=_("Carry on the actions %(previous)s left open.")
                    % {"previous": action.entry.assessment.title},
                )  # fmt: skip
            entry = general
        ActionItem.objects.create(entry=entry, title=action.title, owner=action.owner,
                                  due_date=action.due_date, status=action.status,
                                  carried_from=action)  # fmt: skip
    return len(still_open)


def _changed(entry: PlanEntry, actor: User, detail: str) -> None:
    audit_record(
        organization=entry.assessment.organization,
        assessment=entry.assessment,
        actor=actor,
        action="plan changed",
        detail=detail,
    )


def _clean_text(text: str, limit: int = 2000) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("Write the advice first."))
    if len(text) > limit or "\x00" in text:
        raise ValidationError(
            _("The text is too long or contains characters that are not allowed.")
        )
    return text


@transaction.atomic
def plan_entry_update(*, entry: PlanEntry, text: str, actor: User) -> PlanEntry:
    entry.text = _clean_text(text)
    entry.is_manual = True
    entry.save(update_fields=["text", "is_manual"])
    _changed(entry, actor, _("step %(position)s edited") % {"position": entry.position})
    return entry


@transaction.atomic
def plan_entry_add(
    *, assessment: Assessment, text: str, dimension: Dimension | None, actor: User
) -> PlanEntry:
    if dimension is not None and dimension.model_id != assessment.maturity_model_id:
        raise ValidationError(_("Unknown dimension."))
    last = assessment.plan.aggregate(last=Max("position"))["last"] or 0
    entry = PlanEntry.objects.create(
        assessment=assessment,
        dimension=dimension,
        position=last + 1,
        text=_clean_text(text),
        is_manual=True,
    )
    _changed(entry, actor, _("step added"))
    return entry


@transaction.atomic
def plan_entry_move(*, entry: PlanEntry, up: bool, actor: User) -> None:
    entries = list(entry.assessment.plan.select_for_update().order_by("position", "pk"))
    index = next(i for i, e in enumerate(entries) if e.pk == entry.pk)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(entries):
        return
    entries[index], entries[other] = entries[other], entries[index]
    for position, item in enumerate(entries, start=1):
        item.position = position
    PlanEntry.objects.bulk_update(entries, ["position"])
    _changed(entry, actor, _("order changed"))


@transaction.atomic
def plan_entry_delete(*, entry: PlanEntry, actor: User) -> None:
    assessment = entry.assessment
    position = entry.position
    entry.delete()
    remaining = list(assessment.plan.order_by("position", "pk"))
    for number, item in enumerate(remaining, start=1):
        item.position = number
    PlanEntry.objects.bulk_update(remaining, ["position"])
    audit_record(
        organization=assessment.organization,
        assessment=assessment,
        actor=actor,
        action="plan changed",
        detail=_("step %(position)s removed") % {"position": position},
    )


@transaction.atomic
def action_add(
    *, entry: PlanEntry, title: str, owner: str, due_date: date | None, actor: User
) -> ActionItem:
    action = ActionItem.objects.create(
        entry=entry, title=_clean_text(title, 300), owner=(owner or "").strip()[:120],
        due_date=due_date,
    )  # fmt: skip
    audit_record(
        organization=entry.assessment.organization,
        assessment=entry.assessment,
        actor=actor,
        action="action added",
        detail=action.title,
    )
    return action


@transaction.atomic
def action_status_set(*, action: ActionItem, status: str, actor: User) -> ActionItem:
    if status not in ActionItem.Status.values:
        raise ValidationError(_("Unknown status."))
    action.status = status
    action.updated_at = timezone.now()
    action.save(update_fields=["status", "updated_at"])
    audit_record(
        organization=action.entry.assessment.organization,
        assessment=action.entry.assessment,
        actor=actor,
        action="action status changed",
        detail=f"{action.title}: {status}",
    )
    return action


@transaction.atomic
def comments_release(*, assessment: Assessment, released: bool, actor: User) -> None:
    Assessment.objects.filter(pk=assessment.pk).update(comments_released=released)
    audit_record(
        organization=assessment.organization,
        assessment=assessment,
        actor=actor,
        action="comments released" if released else "comments withdrawn",
    )
