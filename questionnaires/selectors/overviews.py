"""Lists and counts for the workspace and the dashboards: clients, assessments, the
response rate per team, and the dashboards a user may open."""

from dataclasses import dataclass

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    Max,
    OuterRef,
    Q,
    QuerySet,
)
from django.utils import timezone

from ..models import (
    KEPT_FOR,
    Answer,
    Assessment,
    Invitation,
    Organization,
    PreparedDownload,
    Response,
    Team,
)
from .results import counted_responses, kept_everywhere


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
                filter=Q(responses__in=_counted(assessment__organization=organization)),
                distinct=True,
            ),
            invitation_count=Count("invitations", distinct=True),
        )
        .order_by("-created_at")
    )


@dataclass(frozen=True)
class RateRow:
    """The response of one team (or of all, ``team`` None), the two ways in apart:
    personal invitations (invited → opened → started → submitted, a rate over the
    invited) and team links (opened → started → submitted, no one is invited)."""

    team: str | None
    invited: int
    opened: int
    started: int
    submitted: int
    link_opened: int = 0
    link_started: int = 0
    link_submitted: int = 0

    @property
    def rate(self) -> float | None:
        """Submitted over invited, for personal invitations only: never above 100 %."""
        return self.submitted / self.invited if self.invited else None

    @property
    def submitted_all(self) -> int:
        """Every counted response of the team, by invitation or by team link."""
        return self.submitted + self.link_submitted


def response_rates(assessment: Assessment) -> tuple[list[RateRow], RateRow]:
    """Per team and in total, invitations and team links apart. Submitted counts only
    counted responses (`counted_responses`).

    Counting every response takes long at 50,000 of them, so the counts are cached
    under a fingerprint of the responses (how many, the last one, the latest activity:
    every save, submission and choice of team moves it) and of the teams' names: one
    quick query when nothing changed. They are kept in the shared cache too, so a new
    worker or server does not count them again. The invitations are counted each time."""
    invited = dict(
        Invitation.objects.filter(assessment=assessment, revoked_at__isnull=True)
        .values_list("team__name")
        .annotate(n=Count("pk"))
        .values_list("team__name", "n")
    )
    responses = Response.objects.filter(assessment=assessment)
    state = responses.aggregate(n=Count("pk"), top=Max("pk"), last=Max("last_activity_at"))
    teams = sorted(
        Team.objects.filter(organization_id=assessment.organization_id).values_list("pk", "name")
    )
    by_team = kept_everywhere(
        "im-assess:rates:", [assessment.pk, state, teams], lambda: _by_team(responses, assessment)
    )
    names = sorted(set(invited) | set(by_team), key=lambda n: (n is None, n or ""))
    result = [
        RateRow(team=name, invited=invited.get(name, 0), **_counts(by_team.get(name, {})))
        for name in names
    ]
    total = RateRow(
        team=None,
        invited=sum(r.invited for r in result),
        **{name: sum(getattr(r, name) for r in result) for name in _COUNTS},
    )
    return result, total


def _by_team(responses: QuerySet[Response], assessment: Assessment) -> dict:
    """Opened, started and submitted per team, invitations and team links apart."""
    by_team: dict[str | None, dict[str, int]] = {}
    personal = ExpressionWrapper(Q(invitation__isnull=False), output_field=BooleanField())
    for row in _funnel(responses.annotate(personal=personal), assessment, "team__name", "personal"):
        prefix = "" if row["personal"] else "link_"
        counts = by_team.setdefault(row["team__name"], {})
        for name in ("opened", "started", "submitted"):
            counts[prefix + name] = counts.get(prefix + name, 0) + row[name]
    return by_team


_COUNTS = ("opened", "started", "submitted", "link_opened", "link_started", "link_submitted")


def _counts(counts: dict[str, int]) -> dict[str, int]:
    return {name: counts.get(name, 0) for name in _COUNTS}


def team_link_rates(assessment: Assessment) -> dict[int, dict[str, int]]:
    """Per team link: how many opened it, started and submitted (counted responses)."""
    responses = Response.objects.filter(assessment=assessment, team_link__isnull=False)
    rows = _funnel(responses, assessment, "team_link_id")
    return {
        row["team_link_id"]: {k: row[k] for k in ("opened", "started", "submitted")} for row in rows
    }


def prepared_downloads(assessment: Assessment) -> QuerySet[PreparedDownload]:
    """The assessment's prepared downloads that are kept still, newest first."""
    return PreparedDownload.objects.filter(
        assessment=assessment, created_at__gte=timezone.now() - KEPT_FOR
    ).order_by("-created_at")[:10]


def dashboard_assessments(organizations: QuerySet[Organization]) -> QuerySet[Assessment]:
    return (
        Assessment.objects.filter(organization__in=organizations)
        .exclude(status=Assessment.Status.DRAFT)
        .select_related("organization")
        .annotate(
            submitted_count=Count(
                "responses",
                filter=Q(responses__in=_counted(assessment__organization__in=organizations)),
                distinct=True,
            )
        )
        .order_by("organization__name", "-opens_at")
    )


def _funnel(responses: QuerySet[Response], assessment: Assessment, *by: str) -> QuerySet:
    """Opened, started (an answer saved) and submitted (counted) responses, grouped by
    the fields ``by``: one query."""
    return (
        responses.annotate(answered=Exists(Answer.objects.filter(response=OuterRef("pk"))))
        .values(*by)
        .annotate(
            opened=Count("pk"),
            started=Count("pk", filter=Q(answered=True)),
            submitted=Count("pk", filter=Q(pk__in=_counted(assessment=assessment))),
        )
    )


def _counted(**scope) -> QuerySet[Response]:
    """The pks of the counted responses among the responses ``scope`` filters."""
    return counted_responses(Response.objects.filter(**scope)).values("pk")
