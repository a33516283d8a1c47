"""The adopted improvement plan: its steps and the action items under them."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .accounts import User
from .content import Dimension
from .engagements import Assessment


class PlanEntry(models.Model):
    """One step of the improvement plan, once the consultant has adopted the plan."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="plan")
    dimension = models.ForeignKey(
        Dimension, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    position = models.PositiveSmallIntegerField(_("position"))
    from_level = models.PositiveSmallIntegerField(null=True, blank=True)
    # Empty while the step shows the library advice (in the reader's language).
    text = models.TextField(_("advice"), blank=True)
    shared_picture_first = models.BooleanField(default=False)
    is_manual = models.BooleanField(
        _("changed by the consultant"),
        default=False,
        help_text=_("Written or edited by hand rather than taken from the advice library."),
    )
    is_barrier = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("plan step")
        verbose_name_plural = _("plan steps")
        ordering = ["assessment", "position", "pk"]

    def __str__(self) -> str:
        return f"{self.position}. {self.text[:40]}"


class ActionItem(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("To do")
        DOING = "doing", _("In progress")
        DONE = "done", _("Done")

    entry = models.ForeignKey(PlanEntry, on_delete=models.CASCADE, related_name="actions")
    title = models.CharField(_("action"), max_length=300)
    owner = models.CharField(_("owner"), max_length=120, blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default="open")
    updated_at = models.DateTimeField(default=timezone.now)
    # The previous cycle's action this one carries on (its history stays there).
    carried_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="carried_to"
    )

    class Meta:
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        ordering = ["entry", "due_date", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_overdue(self) -> bool:
        """Past its due date (in Amsterdam) and not done."""
        return (
            self.due_date is not None
            and self.status != self.Status.DONE
            and self.due_date < timezone.localdate()
        )


class ConsultantNote(models.Model):
    """What the consultant concluded, in one of the assessment's languages: the
    management summary, a note on a dimension or on a step of the adopted plan. Kept as
    written (a small safe format, `questionnaires.richtext`); every version is in the
    audit log."""

    SUMMARY = "summary"

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="notes")
    # "summary", a dimension's code ("dimension:D3") or a plan step ("step:<pk>").
    subject = models.CharField(max_length=40)
    language = models.CharField(max_length=2)
    text = models.TextField(_("note"))
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("consultant's note")
        verbose_name_plural = _("consultant's notes")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "subject", "language"], name="unique_note"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject} ({self.language})"
