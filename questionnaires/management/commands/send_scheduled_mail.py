from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from questionnaires.services import scheduled_mail_send


class Command(BaseCommand):
    help = (
        "Send the invitations and reminders of assessments with automatic mail that are "
        "open now. Run it from cron (say every hour) on one machine."
    )

    def add_arguments(self, parser):
        parser.add_argument("--base-url", default=settings.SITE_URL)

    def handle(self, *args, base_url, **options):
        done = scheduled_mail_send(base_url=base_url)
        for item in done:
            line = (
                f"{item.assessment.pk}\t{item.assessment.title}\t"
                f"{item.invitations} invitations\t{item.reminders} reminders"
            )
            self.stdout.write(line + (f"\tFAILED: {item.error}" if item.error else ""))
        if not done:
            self.stdout.write("Nothing due.")
        failed = [item for item in done if item.error]
        if failed:
            raise CommandError(f"{len(failed)} assessment(s) could not be mailed; see above.")
