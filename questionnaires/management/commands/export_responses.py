from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from questionnaires.exports import responses_csv_lines
from questionnaires.models import Assessment


class Command(BaseCommand):
    help = "Write every answer of an assessment as CSV: one row per response × question."

    def add_arguments(self, parser):
        parser.add_argument("assessment_id", type=int)
        parser.add_argument("--format", choices=["csv"], default="csv")
        parser.add_argument("-o", "--output", type=Path, help="File to write; default stdout.")
        parser.add_argument(
            "--in-progress",
            action="store_true",
            help="Also the responses not submitted yet, marked in_progress (default: only "
            "the submitted responses the dashboard counts).",
        )

    def handle(self, *args, assessment_id, output, in_progress, **options):
        assessment = Assessment.objects.filter(pk=assessment_id).first()
        if assessment is None:
            raise CommandError(f"Assessment {assessment_id} does not exist.")
        if output:
            with output.open("w", encoding="utf-8", newline="") as handle:
                handle.writelines(responses_csv_lines(assessment, in_progress=in_progress))
            self.stderr.write(f"Wrote {output}")
        else:
            for line in responses_csv_lines(assessment, in_progress=in_progress):
                self.stdout.write(line, ending="")
