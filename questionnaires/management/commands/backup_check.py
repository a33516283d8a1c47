from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from questionnaires.backups import BackupError, backup_check


class Command(BaseCommand):
    help = "Restore a backup into a scratch place (dropped afterwards) and count what it holds."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)

    def handle(self, *args, path, **options):
        try:
            summary = backup_check(path)
        except BackupError as error:
            raise CommandError(str(error)) from None
        figures = ", ".join(f"{value} {label}" for label, value in summary.counts.items())
        self.stdout.write(self.style.SUCCESS(f"{path} restores: {figures}"))
