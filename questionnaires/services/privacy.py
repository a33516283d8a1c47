"""Privacy requests: erase one respondent's answers."""

from django.db import transaction
from django.utils import timezone

from ..models import Invitation, Response, User
from .audit import audit_record
from .downloads import downloads_discard


@transaction.atomic
def response_erase(*, response: Response, actor: User) -> None:
    """Erase one respondent's answers (GDPR). The audit entry keeps no content."""
    assessment = response.assessment
    invitation = response.invitation
    number = response.pk
    response.delete()
    downloads_discard(assessment=assessment)  # no prepared file may still hold the answers
    if invitation is not None:
        Invitation.objects.filter(pk=invitation.pk).update(revoked_at=timezone.now())
    audit_record(
        organization=assessment.organization,
        assessment=assessment,
        actor=actor,
        action="response erased",
        detail=f"response {number}",
    )
