from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _store_missing_scores(sender, using: str = "default", **kwargs) -> None:
    """After `migrate` to the latest state, every submitted response has its stored
    profile (the upgrade that added `ResponseScores`): worked out with today's code, so
    no historical migration has to know the scoring. Not after migrating backwards."""
    from django.db import connections
    from django.db.migrations.executor import MigrationExecutor

    from .models import Assessment
    from .services import response_scores_refresh

    executor = MigrationExecutor(connections[using])
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        return  # not at the latest state: today's models do not match the tables

    for assessment in Assessment.objects.filter(responses__submitted_at__isnull=False).distinct():
        response_scores_refresh(assessment=assessment)


class QuestionnairesConfig(AppConfig):
    name = "questionnaires"
    verbose_name = _("IM maturity assessments")

    def ready(self) -> None:
        post_migrate.connect(_store_missing_scores, sender=self)
