from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from questionnaires.models import Assessment
from questionnaires.services import link_url, team_link_create, team_link_token


class Command(BaseCommand):
    help = "Create a shared team link for an assessment and print it."

    def add_arguments(self, parser):
        parser.add_argument("assessment_id", type=int)
        parser.add_argument("--team", required=True, help="Name of an existing team of the client.")
        parser.add_argument("--capacity", type=int, help="How many people may use the link.")
        parser.add_argument("--base-url", default=settings.SITE_URL)

    def handle(self, *args, assessment_id, team, capacity, base_url, **options):
        assessment = Assessment.objects.filter(pk=assessment_id).first()
        if assessment is None:
            raise CommandError(f"Assessment {assessment_id} does not exist.")
        found = assessment.organization.teams.filter(name__iexact=team).first()
        if found is None:
            names = ", ".join(assessment.organization.teams.values_list("name", flat=True))
            raise CommandError(f"Team {team!r} not found. Teams of this client: {names or 'none'}")
        try:
            link = team_link_create(
                assessment=assessment, team=found, capacity=capacity, actor=None
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(f"{found.name}\t{link_url(base_url, team_link_token(link))}")
