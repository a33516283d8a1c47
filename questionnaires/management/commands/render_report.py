from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from questionnaires.models import Assessment
from questionnaires.reports import ReportError, render_assessment_pdf


class Command(BaseCommand):
    help = "Render the PDF advice report of an assessment (the same function as the download)."

    def add_arguments(self, parser):
        parser.add_argument("assessment_id", type=int)
        parser.add_argument("--lang", choices=["nl", "en"], default="nl")
        parser.add_argument("-o", "--output", type=Path, required=True)

    def handle(self, *args, assessment_id, lang, output, **options):
        assessment = (
            Assessment.objects.select_related("organization", "maturity_model")
            .filter(pk=assessment_id)
            .first()
        )
        if assessment is None:
            raise CommandError(f"Assessment {assessment_id} does not exist.")
        try:
            pdf = render_assessment_pdf(assessment, language=lang)
        except ReportError as error:
            raise CommandError(str(error)) from None
        output.write_bytes(pdf)
        self.stdout.write(self.style.SUCCESS(f"Wrote {output} ({len(pdf) // 1024} KB)"))
