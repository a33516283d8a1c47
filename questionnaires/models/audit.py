"""The audit log: what a consultant changed, and when."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .accounts import User
from .engagements import Assessment, Organization

AUDIT_LABELS = {
    "organisation created": _("Client added"),
    "organisation renamed": _("Client renamed"),
    "client logo changed": _("Client logo changed"),
    "team created": _("Team added"),
    "team renamed": _("Team renamed"),
    "assessment created": _("Assessment created"),
    "assessment changed": _("Assessment settings changed"),
    "assessment opened": _("Assessment opened"),
    "assessment closed": _("Assessment closed"),
    "assessment reopened": _("Assessment reopened"),
    "team link created": _("Team link created"),
    "team link revoked": _("Team link revoked"),
    "people invited": _("People added"),
    "invitations sent": _("Invitations sent"),
    "reminders sent": _("Reminders sent"),
    "manager invited": _("Manager invited"),
    "manager access revoked": _("Manager access revoked"),
    "login pause lifted": _("Login pause lifted"),
    "response erased": _("Response erased"),
    "plan adopted": _("Improvement plan adopted"),
    "plan changed": _("Improvement plan changed"),
    "action added": _("Action item added"),
    "action status changed": _("Action status changed"),
    "note written": _("Consultant's note written"),
    "note removed": _("Consultant's note removed"),
    "report sections changed": _("Report sections changed"),
    "report issued": _("Report issued as final"),
    "comments released": _("Comments released to managers"),
    "comments withdrawn": _("Comments withdrawn from managers"),
}


class AuditEntry(models.Model):
    """What a consultant changed, and when. Never holds erased answers."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="audit_entries"
    )
    assessment = models.ForeignKey(
        Assessment, on_delete=models.SET_NULL, null=True, blank=True, related_name="audit_entries"
    )
    actor = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True)
    action = models.CharField(_("action"), max_length=60)
    detail = models.TextField(_("detail"), blank=True)
    created_at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["organization", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action}"

    @property
    def action_label(self) -> str:
        return str(AUDIT_LABELS.get(self.action, self.action))
