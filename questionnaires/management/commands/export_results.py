import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from questionnaires import selectors
from questionnaires.exports import results_document
from questionnaires.models import Assessment


class Command(BaseCommand):
    help = "Write the scored result of an assessment (the dashboard's numbers) as JSON."

    def add_arguments(self, parser):
        parser.add_argument("assessment_id", type=int)
        parser.add_argument("--format", choices=["json"], default="json")
        parser.add_argument("-o", "--output", type=Path, help="File to write; default stdout.")

    def handle(self, *args, assessment_id, output, **options):
        assessment = (
            Assessment.objects.select_related("organization", "maturity_model")
            .filter(pk=assessment_id)
            .first()
        )
        if assessment is None:
            raise CommandError(f"Assessment {assessment_id} does not exist.")
        document = results_document(assessment, selectors.assessment_result(assessment))
        text = json.dumps(document, ensure_ascii=False, indent=2)
        if output:
            output.write_text(text + "\n", encoding="utf-8")
            self.stderr.write(f"Wrote {output}")
        else:
            self.stdout.write(text)
