"""Client organisations and their teams: create and rename, names unique."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from ..models import Membership, Organization, Team, User
from .audit import audit_record


def _name_taken(rows: QuerySet, name: str, exclude: int | None) -> bool:
    """Whether another row than `exclude` already has this name, in any case."""
    same = rows.filter(name__iexact=name)
    if exclude is not None:
        same = same.exclude(pk=exclude)
    return same.exists()


def _organization_name(name: str, *, exclude: int | None = None) -> str:
    name = name.strip()
    if _name_taken(Organization.objects.all(), name, exclude):
        raise ValidationError(_("An organisation with this name already exists."))
    return name


def _team_name(organization: Organization, name: str, *, exclude: int | None = None) -> str:
    name = name.strip()
    if not name:
        raise ValidationError(_("Give the team a name."))
    if _name_taken(organization.teams.all(), name, exclude):
        raise ValidationError(_("This organisation already has a team with this name."))
    return name


@transaction.atomic
def organization_create(*, name: str, actor: User) -> Organization:
    name = _organization_name(name)
    organization = Organization.objects.create(name=name)
    Membership.objects.create(
        user=actor, organization=organization, role=Membership.Role.CONSULTANT
    )
    audit_record(organization=organization, actor=actor, action="organisation created", detail=name)
    return organization


@transaction.atomic
def organization_rename(*, organization: Organization, name: str, actor: User) -> Organization:
    name = _organization_name(name, exclude=organization.pk)
    old = organization.name
    organization.name = name
    organization.save(update_fields=["name"])
    audit_record(
        organization=organization,
        actor=actor,
        action="organisation renamed",
        detail=f"{old} → {name}",
    )
    return organization


@transaction.atomic
def team_create(*, organization: Organization, name: str, actor: User) -> Team:
    name = _team_name(organization, name)
    team = Team.objects.create(organization=organization, name=name)
    audit_record(organization=organization, actor=actor, action="team created", detail=name)
    return team


@transaction.atomic
def team_rename(*, team: Team, name: str, actor: User) -> Team:
    name = _team_name(team.organization, name, exclude=team.pk)
    old = team.name
    team.name = name
    team.save(update_fields=["name"])
    audit_record(
        organization=team.organization, actor=actor, action="team renamed", detail=f"{old} → {name}"
    )
    return team
