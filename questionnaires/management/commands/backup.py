from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from questionnaires.backups import BackupError, backup_check, backup_create, current_counts


class Command(BaseCommand):
    help = (
        "Back up the whole database (SQLite online backup or pg_dump), then restore the "
        "backup into a scratch place and check that it holds every response."
    )

    def add_arguments(self, parser):
        parser.add_argument("-o", "--output", type=Path, default=Path("backups"))

    def handle(self, *args, output, **options):
        expected = current_counts()
        try:
            path = backup_create(output)
            summary = backup_check(path)
        except BackupError as error:
            raise CommandError(str(error)) from None
        # Respondents may have saved meanwhile: the backup holds at least what was there.
        short = {k: v for k, v in expected.items() if summary.counts[k] < v}
        if short:
            raise CommandError(f"{path}: the restored backup misses rows: {short}")
        figures = ", ".join(f"{value} {label}" for label, value in summary.counts.items())
        self.stdout.write(self.style.SUCCESS(f"Wrote {path} and restored it: {figures}"))
