"""The report cache's table (settings.CACHES["reports"]), so `migrate` alone leaves a
working database: no separate `createcachetable` step for a deployer to forget.

The table is made whatever cache the settings name now, so an installation that moves
from Redis to the database cache later finds it ready.
"""

from django.core.management import call_command
from django.db import migrations

TABLE = "im_assess_cache"


def create_table(apps, schema_editor):
    # Does nothing when the table is already there (made by `createcachetable` before).
    call_command("createcachetable", TABLE, database=schema_editor.connection.alias, verbosity=0)


def drop_table(apps, schema_editor):
    quoted = schema_editor.quote_name(TABLE)
    schema_editor.execute(f"DROP TABLE IF EXISTS {quoted}")


class Migration(migrations.Migration):
    dependencies = [("questionnaires", "0002_assessment_auto_mail")]

    operations = [migrations.RunPython(create_table, drop_table)]
