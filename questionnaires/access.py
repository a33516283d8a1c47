"""Who may see what: the one place every view asks."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from .models import Assessment, Membership, Organization, Response

RESPONSE_SESSION_KEY = "im_assess_response"


def respondent_bind(request: HttpRequest, response: Response) -> None:
    """Tie this browser session to one response; the link's token stays out of the URL."""
    request.session[RESPONSE_SESSION_KEY] = response.pk


def respondent_response(request: HttpRequest) -> Response | None:
    """The response this session answers, or None (no link used, or the session expired)."""
    pk = request.session.get(RESPONSE_SESSION_KEY)
    if not isinstance(pk, int):
        return None
    return (
        Response.objects.select_related(
            "assessment__organization",
            "assessment__maturity_model",
            "team",
            "invitation",
            "team_link",
        )
        .filter(pk=pk)
        .first()
    )


# --- Consultants -----------------------------------------------------------------------
# Everything a consultant opens is fetched through these helpers: anything outside
# the organisations they are assigned to is a 404, as if it did not exist.


def is_consultant(user) -> bool:
    if not user.is_authenticated:
        return False
    return user.is_superuser or user.memberships.filter(role=Membership.Role.CONSULTANT).exists()


def consultant_organizations(user) -> QuerySet[Organization]:
    if user.is_superuser:
        return Organization.objects.all()
    return Organization.objects.filter(
        memberships__user=user, memberships__role=Membership.Role.CONSULTANT
    ).distinct()


def organization_for_consultant(user, pk: int) -> Organization:
    return get_object_or_404(consultant_organizations(user), pk=pk)


def assessment_for_consultant(user, pk: int) -> Assessment:
    return get_object_or_404(
        Assessment.objects.select_related("organization", "maturity_model").filter(
            organization__in=consultant_organizations(user)
        ),
        pk=pk,
    )


def scoped_for_consultant(user, queryset: QuerySet, pk: int, path: str = "organization"):
    """Any object whose `path` leads to an organisation: 404 unless the consultant has it."""
    return get_object_or_404(
        queryset.filter(**{f"{path}__in": consultant_organizations(user)}), pk=pk
    )


def consultant_required(view):
    """Logged in and a consultant (or administrator); others get a 403 page, anonymous a login."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_consultant(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


# --- Managers and consultants reading results ------------------------------------------


def viewer_organizations(user) -> QuerySet[Organization]:
    """Organisations whose results this user may read: as manager or as consultant."""
    if not user.is_authenticated:
        return Organization.objects.none()
    if user.is_superuser:
        return Organization.objects.all()
    return Organization.objects.filter(memberships__user=user).distinct()


def assessment_for_viewer(user, pk: int) -> Assessment:
    return get_object_or_404(
        Assessment.objects.select_related("organization", "maturity_model", "previous").filter(
            organization__in=viewer_organizations(user)
        ),
        pk=pk,
    )


def consults(user, organization: Organization) -> bool:
    return (
        user.is_superuser
        or organization.memberships.filter(user=user, role=Membership.Role.CONSULTANT).exists()
    )


def administrator_required(view):
    """Logged in as an administrator (the installation's settings); others get a 403
    page, anonymous visitors the login."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not request.user.is_superuser:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper
