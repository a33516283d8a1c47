"""`manage.py migrate` alone leaves a working database, as a deployer runs it."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _manage(tmp_path, *args):
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL" and k != "REDIS_URL"}
    env |= {"SQLITE_PATH": str(tmp_path / "fresh.sqlite3"), "DJANGO_DEBUG": "1"}
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


REPORT_CACHE_ROUND_TRIP = (
    "from django.core.cache import caches; "
    "caches['reports'].set('probe', 'kept'); "
    "print(caches['reports'].get('probe'))"
)


def test_migrate_alone_makes_the_report_cache_table(tmp_path):
    _manage(tmp_path, "migrate", "--no-input", "-v", "0")
    assert (
        _manage(tmp_path, "shell", "--no-imports", "-c", REPORT_CACHE_ROUND_TRIP).strip() == "kept"
    )


def test_the_cache_table_migration_is_reversible(tmp_path):
    _manage(tmp_path, "migrate", "--no-input", "-v", "0")
    _manage(tmp_path, "migrate", "questionnaires", "0002", "--no-input", "-v", "0")
    tables = "from django.db import connection; print(connection.introspection.table_names())"
    assert "im_assess_cache" not in _manage(tmp_path, "shell", "--no-imports", "-c", tables)
    _manage(tmp_path, "migrate", "--no-input", "-v", "0")
    assert "im_assess_cache" in _manage(tmp_path, "shell", "--no-imports", "-c", tables)
