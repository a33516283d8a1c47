from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from questionnaires.models import Assessment
from questionnaires.services import (
    invitation_rows_parse,
    invitation_token,
    invitations_create,
    invitations_send,
    link_url,
)


class Command(BaseCommand):
    help = "Invite people from a CSV (email, name, team[, language]) and print their links."

    def add_arguments(self, parser):
        parser.add_argument("assessment_id", type=int)
        parser.add_argument("--csv", type=Path, required=True)
        parser.add_argument("--send", action="store_true", help="Also e-mail the invitations.")
        parser.add_argument("--base-url", default=settings.SITE_URL)

    def handle(self, *args, assessment_id, csv, send, base_url, **options):
        assessment = Assessment.objects.filter(pk=assessment_id).first()
        if assessment is None:
            raise CommandError(f"Assessment {assessment_id} does not exist.")
        try:
            text = csv.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"{csv}: {error}") from None
        try:
            rows = invitation_rows_parse(assessment=assessment, text=text)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        for row in rows:
            if row.errors:
                self.stderr.write(
                    f"line {row.line}: {row.email}: {'; '.join(row.errors)} (skipped)"
                )
            elif row.duplicate:
                self.stderr.write(f"line {row.line}: {row.email}: duplicate (skipped)")
        created = invitations_create(assessment=assessment, rows=rows, actor=None)
        for invitation in created:
            team = invitation.team.name if invitation.team else ""
            url = link_url(base_url, invitation_token(invitation))
            self.stdout.write(f"{invitation.email}\t{team}\t{url}")
        if send:
            sent = invitations_send(assessment=assessment, base_url=base_url, actor=None)
            self.stderr.write(f"{sent} invitations sent")
