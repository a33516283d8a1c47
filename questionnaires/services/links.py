"""Survey links: shared team links and the link of each personal invitation."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Assessment, Invitation, Team, TeamLink, User
from ..tokens import salt_new, token_for_salt, token_hash
from .audit import audit_record


def link_url(base_url: str, token: str) -> str:
    return base_url.rstrip("/") + reverse("survey-enter", args=[token])


def team_link_token(link: TeamLink) -> str | None:
    return token_for_salt("team-link", link.token_salt) if link.token_salt else None


def invitation_token(invitation: Invitation) -> str | None:
    return token_for_salt("invitation", invitation.token_salt) if invitation.token_salt else None


@transaction.atomic
def team_link_create(
    *, assessment: Assessment, team: Team, actor: User | None, capacity: int | None = None
) -> TeamLink:
    if team.organization_id != assessment.organization_id:
        raise ValidationError(_("This team is not part of the organisation."))
    if capacity is not None and capacity < 1:
        raise ValidationError(_("The capacity is at least 1, or empty for no limit."))
    salt = salt_new()
    link = TeamLink.objects.create(
        assessment=assessment,
        team=team,
        capacity=capacity,
        token_salt=salt,
        token_hash=token_hash(token_for_salt("team-link", salt)),
    )
    audit_record(
        organization=assessment.organization,
        assessment=assessment,
        actor=actor,
        action="team link created",
        detail=f"{team.name}" + (f", capacity {capacity}" if capacity else ""),
    )
    return link


@transaction.atomic
def team_link_revoke(*, link: TeamLink, actor: User) -> None:
    TeamLink.objects.filter(pk=link.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
    audit_record(
        organization=link.assessment.organization,
        assessment=link.assessment,
        actor=actor,
        action="team link revoked",
        detail=link.team.name,
    )
