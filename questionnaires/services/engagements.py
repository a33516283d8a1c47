"""The consultant's writes: clients, assessments, links, invitations, reminders, managers."""

import csv
import io
import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from ..models import (
    Assessment,
    AssessmentTarget,
    AuditEntry,
    Invitation,
    MaturityModel,
    Membership,
    Organization,
    Phase,
    Response,
    Team,
    TeamLink,
    User,
)
from ..tokens import salt_new, token_for_salt, token_hash

logger = logging.getLogger(__name__)

REMINDER_MIN_INTERVAL = timedelta(days=3)
REMINDER_MAX_COUNT = 3
MAX_INVITATION_ROWS = 2000
NEVER_OPENED = "never_opened"
NOT_SUBMITTED = "not_submitted"


def audit_record(
    *,
    organization: Organization,
    actor: User | None,
    action: str,
    detail: str = "",
    assessment: Assessment | None = None,
) -> AuditEntry:
    return AuditEntry.objects.create(
        organization=organization, assessment=assessment, actor=actor, action=action, detail=detail
    )


# --- Organisations and teams -----------------------------------------------------------


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


# --- Assessments -----------------------------------------------------------------------


def default_targets(model: MaturityModel, phase: Phase | None) -> dict[str, int]:
    """The phase-expected levels of the phase the client aims at (domain model §2.4).

    Before the first IM phase the first IM phase counts, after the last the last;
    without a phase, IM 2.2 (broad use) is the usual aim.
    """
    order = list(model.phases.order_by("order").values_list("code", flat=True))
    aim = phase.code if phase is not None else "IM-2.2"
    targets = {}
    for dimension in model.dimensions.all():
        expected = dimension.expected_levels or {}
        ordered = [code for code in order if code in expected]
        if not ordered:
            targets[dimension.code] = 3
        elif aim in expected:
            targets[dimension.code] = expected[aim]
        elif aim in order and order.index(aim) < order.index(ordered[0]):
            targets[dimension.code] = expected[ordered[0]]
        else:
            targets[dimension.code] = expected[ordered[-1]]
    return targets


ASSESSMENT_FIELDS = (
    "title",
    "subject_nl",
    "subject_en",
    "opens_at",
    "closes_at",
    "languages",
    "anonymity_threshold",
    "comment_threshold",
    "target_phase",
    "claimed_phase",
    "scoring_parameters",
    "auto_mail",
)


def _check_assessment(values: dict) -> None:
    opens, closes = values.get("opens_at"), values.get("closes_at")
    if opens and closes and closes <= opens:
        raise ValidationError(_("The closing moment must be after the opening moment."))
    if values.get("anonymity_threshold", 5) < 3:
        raise ValidationError(_("The anonymity threshold is at least 3."))
    languages = values.get("languages")
    if languages is not None and (not languages or set(languages) - {"nl", "en"}):
        raise ValidationError(_("Offer Dutch, English or both."))


@transaction.atomic
def assessment_create(
    *,
    organization: Organization,
    maturity_model: MaturityModel,
    actor: User,
    targets: dict[str, int] | None = None,
    previous: Assessment | None = None,
    **values,
) -> Assessment:
    if not maturity_model.is_published:
        raise ValidationError(_("Only a published maturity model can be used."))
    unknown = set(values) - set(ASSESSMENT_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields {sorted(unknown)}")
    _check_assessment(values)
    assessment = Assessment.objects.create(
        organization=organization,
        maturity_model=maturity_model,
        created_by=actor,
        previous=previous,
        **values,
    )
    targets = targets or default_targets(maturity_model, values.get("target_phase"))
    _targets_set(assessment, targets)
    audit_record(
        organization=organization,
        assessment=assessment,
        actor=actor,
        action="assessment created",
        detail=assessment.title,
    )
    return assessment


def _targets_set(assessment: Assessment, targets: dict[str, int]) -> None:
    dimensions = {d.code: d for d in assessment.maturity_model.dimensions.all()}
    for code, level in targets.items():
        if code not in dimensions:
            raise ValidationError(_("Unknown dimension %(code)s.") % {"code": code})
        if not 1 <= int(level) <= 6:
            raise ValidationError(_("A target level is between 1 and 6."))
    AssessmentTarget.objects.filter(assessment=assessment).delete()
    AssessmentTarget.objects.bulk_create(
        AssessmentTarget(assessment=assessment, dimension=dimensions[code], level=int(level))
        for code, level in targets.items()
    )


@transaction.atomic
def assessment_update(
    *, assessment: Assessment, actor: User, targets: dict[str, int] | None = None, **values
) -> Assessment:
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    unknown = set(values) - set(ASSESSMENT_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields {sorted(unknown)}")
    _check_assessment(values)
    has_responses = assessment.responses.exists()
    if has_responses:
        for locked in ("anonymity_threshold", "comment_threshold"):
            if locked in values and values[locked] != getattr(assessment, locked):
                raise ValidationError(
                    _("The anonymity settings are locked once the first response has arrived.")
                )
    changed = [name for name, value in values.items() if getattr(assessment, name) != value]
    for name, value in values.items():
        setattr(assessment, name, value)
    assessment.save()
    if targets is not None:
        _targets_set(assessment, targets)
        changed.append("targets")
    audit_record(
        organization=assessment.organization,
        assessment=assessment,
        actor=actor,
        action="assessment changed",
        detail=", ".join(changed),
    )
    return assessment


_TRANSITIONS = {
    "open": ({Assessment.Status.DRAFT}, Assessment.Status.OPEN, "assessment opened"),
    "close": ({Assessment.Status.OPEN}, Assessment.Status.CLOSED, "assessment closed"),
    "reopen": ({Assessment.Status.CLOSED}, Assessment.Status.OPEN, "assessment reopened"),
}


@transaction.atomic
def assessment_transition(*, assessment: Assessment, action: str, actor: User) -> Assessment:
    """Draft → open → closed, and closed → open again; every step is logged."""
    allowed_from, to, label = _TRANSITIONS[action]
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if assessment.status not in allowed_from:
        raise ValidationError(_("This assessment cannot be changed that way now."))
    assessment.status = to
    fields = ["status"]
    now = timezone.now()
    if action in ("open", "reopen") and assessment.closes_at and assessment.closes_at <= now:
        raise ValidationError(_("Move the closing moment into the future first."))
    if action == "close" and (assessment.closes_at is None or assessment.closes_at > now):
        assessment.closes_at = now
        fields.append("closes_at")
    if action == "open" and assessment.opens_at is None:
        assessment.opens_at = now
        fields.append("opens_at")
    assessment.save(update_fields=fields)
    audit_record(
        organization=assessment.organization, assessment=assessment, actor=actor, action=label
    )
    return assessment


@transaction.atomic
def assessment_clone(*, assessment: Assessment, actor: User, title: str) -> Assessment:
    """The next cycle for the same client: same settings and targets, linked for the trend."""
    values = {name: getattr(assessment, name) for name in ASSESSMENT_FIELDS}
    values |= {"title": title, "opens_at": None, "closes_at": None}
    targets = dict(assessment.targets.values_list("dimension__code", "level"))
    clone = assessment_create(
        organization=assessment.organization,
        maturity_model=_newest_version(assessment.maturity_model),
        actor=actor,
        targets=targets or None,
        previous=assessment,
        **values,
    )
    for link in assessment.team_links.filter(revoked_at__isnull=True).select_related("team"):
        team_link_create(assessment=clone, team=link.team, capacity=link.capacity, actor=actor)
    return clone


def _newest_version(model: MaturityModel) -> MaturityModel:
    newest = (
        MaturityModel.objects.filter(code=model.code, is_published=True)
        .order_by("-published_at")
        .first()
    )
    return newest or model


# --- Links and invitations -------------------------------------------------------------


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


@dataclass
class InvitationRow:
    line: int
    email: str
    name: str = ""
    team_name: str = ""
    language: str = ""
    team: Team | None = None
    errors: list[str] = field(default_factory=list)
    duplicate: bool = False

    @property
    def is_valid(self) -> bool:
        return not self.errors and not self.duplicate


def invitation_rows_parse(*, assessment: Assessment, text: str) -> list[InvitationRow]:
    """Read pasted addresses or a CSV (email, name, team[, language]) without saving anything."""
    text = text.replace("\x00", "").lstrip("\ufeff")
    sample = text[:2048]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    teams = {team.name.casefold(): team for team in assessment.organization.teams.all()}
    invited = {
        email.casefold()
        for email in assessment.invitations.exclude(email="").values_list("email", flat=True)
    }
    rows: list[InvitationRow] = []
    seen: set[str] = set()
    for number, cells in enumerate(reader, start=1):
        cells = [cell.strip() for cell in cells]
        if not any(cells):
            continue
        if number == 1 and cells[0].casefold() in {"email", "e-mail", "e-mailadres", "emailadres"}:
            continue  # a header row
        if len(cells) == 1 and (" " in cells[0] or "\t" in cells[0]):
            cells = cells[0].split()  # pasted addresses separated by spaces or tabs
            for extra in cells[1:]:
                rows.append(_row(number, [extra], teams, invited, seen, assessment))
            cells = cells[:1]
        rows.append(_row(number, cells, teams, invited, seen, assessment))
        if len(rows) > MAX_INVITATION_ROWS:
            raise ValidationError(
                _("At most %(max)s people can be added at once.") % {"max": MAX_INVITATION_ROWS}
            )
    return rows


def _row(number, cells, teams, invited, seen, assessment) -> InvitationRow:
    cells = [*cells, "", "", ""]
    row = InvitationRow(
        line=number,
        email=cells[0].lower(),
        name=cells[1][:200],
        team_name=cells[2],
        language=cells[3].lower(),
    )
    try:
        validate_email(row.email)
    except ValidationError:
        row.errors.append(_("not a valid e-mail address"))
    if row.team_name:
        row.team = teams.get(row.team_name.casefold())
        if row.team is None:
            row.errors.append(_("unknown team “%(team)s”") % {"team": row.team_name})
    offered = assessment.languages or ["nl"]
    if row.language and row.language not in offered:
        row.errors.append(
            _("language must be one of: %(languages)s") % {"languages": ", ".join(offered)}
        )
    row.language = row.language or offered[0]
    key = row.email.casefold()
    if key in seen or key in invited:
        row.duplicate = True
    seen.add(key)
    return row


@transaction.atomic
def invitations_create(
    *, assessment: Assessment, rows: list[InvitationRow], actor: User | None
) -> list[Invitation]:
    """Create the valid rows, all or nothing; invalid rows and duplicates are skipped."""
    created = []
    for row in rows:
        if not row.is_valid:
            continue
        salt = salt_new()
        created.append(
            Invitation(
                assessment=assessment,
                team=row.team,
                email=row.email,
                name=row.name,
                language=row.language,
                token_salt=salt,
                token_hash=token_hash(token_for_salt("invitation", salt)),
            )
        )
    Invitation.objects.bulk_create(created)
    audit_record(
        organization=assessment.organization,
        assessment=assessment,
        actor=actor,
        action="people invited",
        detail=_("%(count)s people added") % {"count": len(created)},
    )
    return created


def _send(invitation: Invitation, base_url: str, template: str, connection) -> None:
    token = invitation_token(invitation)
    if token is None:
        raise ValidationError(_("This invitation has no retrievable link."))
    assessment = invitation.assessment
    with translation.override(invitation.language or "nl"):
        context = {
            "invitation": invitation,
            "assessment": assessment,
            "subject_text": assessment.subject,
            "url": link_url(base_url, token),
            "closes_at": assessment.closes_at,
        }
        subject = render_to_string(f"emails/{template}_subject.txt", context).strip()
        body = render_to_string(f"emails/{template}_body.txt", context)
    message = EmailMultiAlternatives(
        subject, body, settings.DEFAULT_FROM_EMAIL, [invitation.email], connection=connection
    )
    message.send()


def _mailable(invitations):
    """Invitations an e-mail can go to: an address, not revoked, and a link that can be
    rebuilt (one made outside the app has no salt)."""
    return invitations.filter(revoked_at__isnull=True).exclude(email="").exclude(token_salt="")


def _unsent(assessment: Assessment) -> QuerySet[Invitation]:
    """Invitations not e-mailed yet; never to someone who already submitted."""
    return _mailable(assessment.invitations.filter(sent_at__isnull=True)).exclude(
        response__submitted_at__isnull=False
    )


def invitations_send(*, assessment: Assessment, base_url: str, actor: User | None) -> int:
    """E-mail every invitation that was not sent yet; never to someone who submitted."""
    pending = _unsent(assessment).select_related("assessment")
    sent = 0
    connection = get_connection()
    for invitation in pending:
        # Claimed before it is sent, so a second run at the same time (a click while
        # the scheduled run works) skips it; released again if the mail fails.
        claimed = Invitation.objects.filter(pk=invitation.pk, sent_at__isnull=True)
        if not claimed.update(sent_at=timezone.now()):
            continue
        try:
            _send(invitation, base_url, "invitation", connection)
        except Exception:
            Invitation.objects.filter(pk=invitation.pk).update(sent_at=None)
            raise
        sent += 1
    audit_record(
        organization=assessment.organization,
        assessment=assessment,
        actor=actor,
        action="invitations sent",
        detail=str(sent),
    )
    return sent


def reminder_candidates(
    assessment: Assessment, group: str, *, now: datetime | None = None
) -> list[Invitation]:
    now = now or timezone.now()
    invitations = (
        _mailable(assessment.invitations.filter(sent_at__isnull=False))
        .filter(reminder_count__lt=REMINDER_MAX_COUNT)
        .filter(
            Q(last_reminded_at__isnull=True, sent_at__lte=now - REMINDER_MIN_INTERVAL)
            | Q(last_reminded_at__lte=now - REMINDER_MIN_INTERVAL)
        )
        .select_related("assessment")
    )
    if group == NEVER_OPENED:
        invitations = invitations.filter(response__isnull=True)
    elif group == NOT_SUBMITTED:
        invitations = invitations.filter(
            response__isnull=False, response__submitted_at__isnull=True
        )
    else:
        raise ValueError(group)
    return list(invitations)


def reminders_send(*, assessment: Assessment, group: str, base_url: str, actor: User | None) -> int:
    """Remind one group; at most every three days and three times per person."""
    if assessment.status != Assessment.Status.OPEN:
        raise ValidationError(_("Reminders can only be sent while the assessment is open."))
    connection = get_connection()
    sent = 0
    for invitation in reminder_candidates(assessment, group):
        as_read = {
            "pk": invitation.pk,
            "reminder_count": invitation.reminder_count,
            "last_reminded_at": invitation.last_reminded_at,
        }
        claimed = Invitation.objects.filter(**as_read).update(
            last_reminded_at=timezone.now(), reminder_count=invitation.reminder_count + 1
        )
        if not claimed:  # reminded by another run meanwhile
            continue
        try:
            _send(invitation, base_url, "reminder", connection)
        except Exception:
            Invitation.objects.filter(pk=invitation.pk).update(
                last_reminded_at=as_read["last_reminded_at"],
                reminder_count=as_read["reminder_count"],
            )
            raise
        sent += 1
    audit_record(
        organization=assessment.organization,
        assessment=assessment,
        actor=actor,
        action="reminders sent",
        detail=f"{group}: {sent}",
    )
    return sent


@dataclass(frozen=True)
class ScheduledMail:
    assessment: Assessment
    invitations: int = 0
    reminders: int = 0
    error: str = ""


def scheduled_mail_send(*, base_url: str, now: datetime | None = None) -> list[ScheduledMail]:
    """What cron runs (`manage.py send_scheduled_mail`): for every assessment with
    automatic mail that is open now, the invitations not sent yet, then the reminders
    that are due. Writes to the audit log only where it sent something."""
    now = now or timezone.now()
    assessments = (
        Assessment.objects.filter(auto_mail=True, status=Assessment.Status.OPEN)
        .filter(Q(opens_at__isnull=True) | Q(opens_at__lte=now))
        .filter(Q(closes_at__isnull=True) | Q(closes_at__gt=now))
        .select_related("organization")
        .order_by("pk")
    )
    done = []
    for assessment in assessments:
        invited = reminded = 0
        try:
            if _unsent(assessment).exists():
                invited = invitations_send(assessment=assessment, base_url=base_url, actor=None)
            for group in (NEVER_OPENED, NOT_SUBMITTED):
                if reminder_candidates(assessment, group, now=now):
                    reminded += reminders_send(
                        assessment=assessment, group=group, base_url=base_url, actor=None
                    )
        except Exception as error:  # one client's mail server must not stop the others
            logger.exception("scheduled mail of assessment %s failed", assessment.pk)
            done.append(ScheduledMail(assessment, invited, reminded, error=repr(error)))
            continue
        if invited or reminded:
            done.append(ScheduledMail(assessment, invited, reminded))
    return done


# --- Client managers -------------------------------------------------------------------


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


# --- Privacy ---------------------------------------------------------------------------


@transaction.atomic
def response_erase(*, response: Response, actor: User) -> None:
    """Erase one respondent's answers (GDPR). The audit entry keeps no content."""
    assessment = response.assessment
    invitation = response.invitation
    number = response.pk
    response.delete()
    if invitation is not None:
        Invitation.objects.filter(pk=invitation.pk).update(revoked_at=timezone.now())
    audit_record(
        organization=assessment.organization,
        assessment=assessment,
        actor=actor,
        action="response erased",
        detail=f"response {number}",
    )
