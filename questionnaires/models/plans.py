"""The adopted improvement plan: its steps and the action items under them."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

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

    class Meta:
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        ordering = ["entry", "due_date", "pk"]

    def __str__(self) -> str:
        return self.title
