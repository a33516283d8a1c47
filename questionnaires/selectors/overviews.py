"""Lists and counts for the workspace and the dashboards: clients, assessments, the
response rate per team, and the dashboards a user may open."""

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from ..models import Answer, Assessment, Invitation, Organization, Response
from .results import counted_responses


def organizations_overview(organizations: QuerySet[Organization]) -> QuerySet[Organization]:
    return organizations.annotate(
        assessment_count=Count("assessments", distinct=True),
        team_count=Count("teams", distinct=True),
    ).order_by("name")


def assessments_overview(organization: Organization) -> QuerySet[Assessment]:
    """The organisation's assessments with their response counts, in one query."""
    return (
        Assessment.objects.filter(organization=organization)
        .select_related("maturity_model", "previous")
        .annotate(
            response_count=Count("responses", distinct=True),
            submitted_count=Count(
                "responses",
                filter=Q(responses__in=_counted(organization=organization)),
                distinct=True,
            ),
            invitation_count=Count("invitations", distinct=True),
        )
        .order_by("-created_at")
    )


@dataclass(frozen=True)
class RateRow:
    team: str | None
    invited: int
    opened: int
    started: int
    submitted: int

    @property
    def rate(self) -> float | None:
        return self.submitted / self.invited if self.invited else None


def response_rates(assessment: Assessment) -> tuple[list[RateRow], RateRow]:
    """Per team and in total: invited, opened, started, submitted; two queries."""
    invited = dict(
        Invitation.objects.filter(assessment=assessment, revoked_at__isnull=True)
        .values_list("team__name")
        .annotate(n=Count("pk"))
        .values_list("team__name", "n")
    )
    has_answers = Exists(Answer.objects.filter(response=OuterRef("pk")))
    rows = (
        Response.objects.filter(assessment=assessment)
        .annotate(answered=has_answers)
        .values("team__name")
        .annotate(
            opened=Count("pk"),
            started=Count("pk", filter=Q(answered=True)),
            submitted=Count("pk", filter=Q(pk__in=_counted(assessment=assessment))),
        )
    )
    by_team = {row["team__name"]: row for row in rows}
    names = sorted(set(invited) | set(by_team), key=lambda n: (n is None, n or ""))
    result = [
        RateRow(
            team=name,
            invited=invited.get(name, 0),
            opened=by_team.get(name, {}).get("opened", 0),
            started=by_team.get(name, {}).get("started", 0),
            submitted=by_team.get(name, {}).get("submitted", 0),
        )
        for name in names
    ]
    total = RateRow(
        team=None,
        invited=sum(r.invited for r in result),
        opened=sum(r.opened for r in result),
        started=sum(r.started for r in result),
        submitted=sum(r.submitted for r in result),
    )
    return result, total


def dashboard_assessments(organizations: QuerySet[Organization]) -> QuerySet[Assessment]:
    return (
        Assessment.objects.filter(organization__in=organizations)
        .exclude(status=Assessment.Status.DRAFT)
        .select_related("organization")
        .annotate(
            submitted_count=Count(
                "responses",
                filter=Q(responses__in=_counted(organization__in=organizations)),
                distinct=True,
            )
        )
        .order_by("organization__name", "-opens_at")
    )


def _counted(**scope) -> QuerySet[Response]:
    """The pks of the counted responses within a scope (one assessment, one client's, …)."""
    if "organization" in scope or "organization__in" in scope:
        scope = {f"assessment__{key}": value for key, value in scope.items()}
    return counted_responses(Response.objects.filter(**scope)).values("pk")
