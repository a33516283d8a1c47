from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from questionnaires.content import maturity_model_load, read_fixture, validate_content


class Command(BaseCommand):
    help = "Load or upgrade the maturity model content from fixtures/ (validated, idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "paths",
            nargs="*",
            type=Path,
            help="Fixture files; by default every fixtures/im-maturity-*.json.",
        )
        parser.add_argument(
            "--check", action="store_true", help="Only validate; write nothing to the database."
        )
        parser.add_argument(
            "--draft", action="store_true", help="Load without publishing the version."
        )

    def handle(self, *args, paths, check, draft, **options):
        paths = paths or sorted((settings.BASE_DIR / "fixtures").glob("im-maturity-*.json"))
        if not paths:
            raise CommandError("No maturity model fixtures found.")
        for path in paths:
            try:
                data = read_fixture(path)
                if check:
                    errors = validate_content(data)
                    if errors:
                        raise ValidationError(errors)
                    self.stdout.write(f"{path.name}: valid")
                    continue
                result = maturity_model_load(data=data, publish=not draft)
            except FileNotFoundError:
                raise CommandError(f"{path}: file not found") from None
            except ValidationError as exc:
                details = "\n  ".join(exc.messages)
                raise CommandError(f"{path.name} was not loaded:\n  {details}") from None
            model = result.model
            self.stdout.write(
                self.style.SUCCESS(
                    f"{path.name}: {model.code} {model.version} {result.action} "
                    f"({model.dimensions.count()} dimensions, {model.questions.count()} questions)"
                )
            )
