"""Workspace screens for clients: the overview, a client with its teams, and its
client managers."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ... import access, selectors, services, throttle
from ...forms import ManagerInviteForm, NameForm
from ...models import AuditEntry, Membership, Team
from .common import _base_url, _fail


@require_GET
@access.consultant_required
def workspace_home(request: HttpRequest) -> HttpResponse:
    organizations = selectors.organizations_overview(access.consultant_organizations(request.user))
    return render(
        request, "workspace/home.html", {"organizations": organizations, "form": NameForm()}
    )


@require_POST
@access.consultant_required
def organization_create(request: HttpRequest) -> HttpResponse:
    form = NameForm(request.POST)
    if form.is_valid():
        try:
            organization = services.organization_create(
                name=form.cleaned_data["name"], actor=request.user
            )
        except ValidationError as error:
            _fail(request, error)
        else:
            messages.success(request, _("Client added."))
            return redirect("organization-detail", organization.pk)
    else:
        messages.error(request, _("Give the client a name."))
    return redirect("workspace")


@require_GET
@access.consultant_required
def organization_detail(request: HttpRequest, pk: int) -> HttpResponse:
    organization = access.organization_for_consultant(request.user, pk)
    managers = list(
        organization.memberships.filter(role=Membership.Role.MANAGER).select_related("user")
    )
    context = {
        "organization": organization,
        "teams": organization.teams.all(),
        "assessments": selectors.assessments_overview(organization),
        "managers": managers,
        "paused": throttle.paused_accounts([m.user.email.lower() for m in managers]),
        "audit": AuditEntry.objects.filter(organization=organization).select_related(
            "actor", "assessment"
        )[:15],
        "rename_form": NameForm(initial={"name": organization.name}),
        "team_form": NameForm(),
        "manager_form": ManagerInviteForm(),
    }
    return render(request, "workspace/organization.html", context)


@require_POST
@access.consultant_required
def organization_rename(request: HttpRequest, pk: int) -> HttpResponse:
    organization = access.organization_for_consultant(request.user, pk)
    form = NameForm(request.POST)
    if form.is_valid():
        try:
            services.organization_rename(
                organization=organization, name=form.cleaned_data["name"], actor=request.user
            )
            messages.success(request, _("Name changed."))
        except ValidationError as error:
            _fail(request, error)
    return redirect("organization-detail", organization.pk)


@require_POST
@access.consultant_required
def team_create(request: HttpRequest, pk: int) -> HttpResponse:
    organization = access.organization_for_consultant(request.user, pk)
    form = NameForm(request.POST)
    if form.is_valid():
        try:
            services.team_create(
                organization=organization, name=form.cleaned_data["name"], actor=request.user
            )
            messages.success(request, _("Team added."))
        except ValidationError as error:
            _fail(request, error)
    else:
        messages.error(request, _("Give the team a name."))
    return redirect("organization-detail", organization.pk)


@require_POST
@access.consultant_required
def team_rename(request: HttpRequest, pk: int) -> HttpResponse:
    team = access.scoped_for_consultant(request.user, Team.objects.all(), pk)
    form = NameForm(request.POST)
    if form.is_valid():
        try:
            services.team_rename(team=team, name=form.cleaned_data["name"], actor=request.user)
            messages.success(request, _("Team renamed."))
        except ValidationError as error:
            _fail(request, error)
    return redirect("organization-detail", team.organization_id)


@require_POST
@access.consultant_required
def manager_invite(request: HttpRequest, pk: int) -> HttpResponse:
    organization = access.organization_for_consultant(request.user, pk)
    form = ManagerInviteForm(request.POST)
    if form.is_valid():
        try:
            services.manager_invite(
                organization=organization,
                email=form.cleaned_data["email"],
                language=form.cleaned_data["language"],
                actor=request.user,
                base_url=_base_url(request),
            )
            messages.success(request, _("The manager has been sent a link to set a password."))
        except ValidationError as error:
            _fail(request, error)
    else:
        messages.error(request, _("Enter a valid e-mail address."))
    return redirect("organization-detail", organization.pk)


@require_POST
@access.consultant_required
def manager_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    membership = access.scoped_for_consultant(
        request.user, Membership.objects.filter(role=Membership.Role.MANAGER), pk
    )
    services.manager_revoke(membership=membership, actor=request.user)
    messages.success(request, _("Access revoked."))
    return redirect("organization-detail", membership.organization_id)


@require_POST
@access.consultant_required
def manager_unlock(request: HttpRequest, pk: int) -> HttpResponse:
    """Lift a manager's login pause: they asked by phone or in person, no e-mail needed."""
    membership = access.scoped_for_consultant(
        request.user, Membership.objects.filter(role=Membership.Role.MANAGER), pk
    )
    services.login_pause_lift(
        user=membership.user, actor=request.user, organization=membership.organization
    )
    messages.success(
        request,
        _("%(email)s can log in again, with their own password.")
        % {"email": membership.user.email},
    )
    return redirect("organization-detail", membership.organization_id)
