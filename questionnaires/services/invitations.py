"""Personal invitations: the import of addresses, the invitation and reminder mail, and
the scheduled run that sends both."""

import csv
import io
import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ..models import Assessment, Invitation, Team, User
from ..tokens import salt_new, token_for_salt, token_hash
from .audit import audit_record
from .links import invitation_token, link_url

logger = logging.getLogger(__name__)

REMINDER_MIN_INTERVAL = timedelta(days=3)
REMINDER_MAX_COUNT = 3
MAX_INVITATION_ROWS = 2000
NEVER_OPENED = "never_opened"
NOT_SUBMITTED = "not_submitted"


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
