from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from questionnaires.demo import ADMIN_EMAIL, CONSULTANT_EMAIL, MANAGER_EMAIL, seed_demo
from questionnaires.services import link_url, team_link_token


class Command(BaseCommand):
    help = "Create the demo client, assessments, responses and logins (DEBUG only; idempotent)."

    def handle(self, *args, **options):
        try:
            result = seed_demo()
        except PermissionError:
            raise CommandError(
                "seed_demo is refused because DEBUG is off: the demo logins have a public "
                "password and must never exist on a production server."
            ) from None
        except LookupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            self.style.SUCCESS(f"Demo data ready ({result['responses_created']} responses added).")
        )
        self.stdout.write(
            f"  Administrator: {ADMIN_EMAIL} / {settings.DEMO_PASSWORD}\n"
            f"  Consultant: {CONSULTANT_EMAIL} / {settings.DEMO_PASSWORD}\n"
            f"  Manager:    {MANAGER_EMAIL} / {settings.DEMO_PASSWORD}\n"
            f"  Questionnaire (team link): "
            f"{link_url(settings.SITE_URL, team_link_token(result['team_link']))}"
        )
