"""Client managers: invited by e-mail with a one-time password link, and revoked; and
lifting a login pause, for anyone's account, without e-mail."""

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMultiAlternatives
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from ..models import Membership, Organization, User
from ..throttle import login_name
from .audit import audit_record


@transaction.atomic
def manager_invite(
    *, organization: Organization, email: str, actor: User, base_url: str, language: str = "nl"
) -> Membership:
    """Give a client manager access; a new account sets its own password via a one-time link."""
    email = email.strip().lower()
    validate_email(email)
    user, created = User.objects.get_or_create(email=email)
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    membership, _new = Membership.objects.get_or_create(
        user=user, organization=organization, role=Membership.Role.MANAGER
    )
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    url = base_url.rstrip("/") + reverse("password-set", args=[uid, token])
    with translation.override(language):
        context = {"organization": organization, "url": url, "new_account": created}
        subject = render_to_string("emails/manager_subject.txt", context).strip()
        body = render_to_string("emails/manager_body.txt", context)
    EmailMultiAlternatives(subject, body, settings.DEFAULT_FROM_EMAIL, [email]).send()
    audit_record(organization=organization, actor=actor, action="manager invited", detail=email)
    return membership


@transaction.atomic
def manager_revoke(*, membership: Membership, actor: User) -> None:
    organization, email = membership.organization, membership.user.email
    membership.delete()
    audit_record(
        organization=organization, actor=actor, action="manager access revoked", detail=email
    )


@transaction.atomic
def login_pause_lift(*, user: User, actor: User, organization: Organization | None = None) -> int:
    """End a login pause at once, from every address: the person asked their consultant
    (or an administrator) by phone or in person, so no e-mail is needed. Returns how many
    addresses were paused or counting. Logged for the client (or every client the account
    belongs to, when an administrator lifts it)."""
    from axes.models import AccessAttempt

    name = login_name(None, {"username": user.email})
    lifted = AccessAttempt.objects.filter(username=name).count()
    AccessAttempt.objects.filter(username=name).delete()
    organizations = (
        [organization]
        if organization is not None
        else list(Organization.objects.filter(memberships__user=user).distinct())
    )
    for each in organizations:
        audit_record(organization=each, actor=actor, action="login pause lifted", detail=user.email)
    return lifted
