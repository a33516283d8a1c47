"""Backups of the whole database, and a check that a backup restores.

SQLite is copied with SQLite's online backup API: a consistent copy while
respondents keep answering (WAL mode), never a half-written file. PostgreSQL is
dumped with ``pg_dump --format=custom``, which reads one consistent snapshot.

``backup_check`` restores a backup somewhere harmless (a scratch copy, or a
scratch PostgreSQL database that is dropped afterwards) and counts what is in
it, so a backup is only trusted once it has been restored.
"""

import os
import shutil
import sqlite3
import subprocess
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path

from django.db import connection
from django.utils import timezone

COUNTED = {
    "organizations": "questionnaires_organization",
    "assessments": "questionnaires_assessment",
    "responses": "questionnaires_response",
    "submitted": "questionnaires_response WHERE submitted_at IS NOT NULL",
    "answers": "questionnaires_answer",
}


class BackupError(Exception):
    pass


@dataclass(frozen=True)
class BackupSummary:
    path: Path
    counts: dict[str, int]


def _counts(cursor) -> dict[str, int]:
    counts = {}
    for label, table in COUNTED.items():
        cursor.execute(f"SELECT COUNT(*) FROM {table}")  # fixed table names, no input
        counts[label] = cursor.fetchone()[0]
    return counts


def current_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        return _counts(cursor)


def _pg_environment(settings: dict) -> dict:
    env = dict(os.environ)
    if settings.get("PASSWORD"):
        env["PGPASSWORD"] = settings["PASSWORD"]
    return env


def _pg_arguments(settings: dict) -> list[str]:
    arguments = []
    if settings.get("HOST"):
        arguments += ["--host", settings["HOST"]]
    if settings.get("PORT"):
        arguments += ["--port", str(settings["PORT"])]
    if settings.get("USER"):
        arguments += ["--username", settings["USER"]]
    return arguments


def _run(command: list[str], env: dict) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()}")


def backup_create(directory: Path) -> Path:
    """Write a backup of the current database into ``directory``; returns its path."""
    directory.mkdir(parents=True, exist_ok=True)
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    connection.ensure_connection()
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        target = directory / f"im-assess-{stamp}.sqlite3"
        partial = target.with_suffix(".partial")
        destination = sqlite3.connect(partial)
        try:
            connection.connection.backup(destination)
        finally:
            destination.close()
        partial.rename(target)
        return target
    if connection.vendor == "postgresql":
        target = directory / f"im-assess-{stamp}.dump"
        _run(
            [
                "pg_dump",
                "--format=custom",
                "--no-owner",
                *_pg_arguments(settings),
                "--file",
                str(target),
                settings["NAME"],
            ],
            _pg_environment(settings),
        )
        return target
    raise BackupError(f"No backup for the {connection.vendor} database.")


def backup_check(path: Path) -> BackupSummary:
    """Restore ``path`` into a scratch place, check it and count what it holds."""
    if not path.exists():
        raise BackupError(f"{path} does not exist.")
    if path.suffix == ".sqlite3":
        with tempfile.TemporaryDirectory() as scratch:
            copy = Path(scratch) / "restored.sqlite3"
            shutil.copyfile(path, copy)
            restored = sqlite3.connect(copy)
            try:
                cursor = restored.cursor()
                cursor.execute("PRAGMA integrity_check")
                verdict = cursor.fetchone()[0]
                if verdict != "ok":
                    raise BackupError(f"SQLite integrity check: {verdict}")
                return BackupSummary(path, _counts(cursor))
            except sqlite3.DatabaseError as error:
                message = f"{path.name} is not a readable SQLite database: {error}"
                raise BackupError(message) from None
            finally:
                restored.close()
    if path.suffix == ".dump":
        return _pg_check(path)
    raise BackupError(f"{path.name}: expected a .sqlite3 or .dump backup.")


def _pg_check(path: Path) -> BackupSummary:
    import psycopg

    settings = connection.settings_dict
    if connection.vendor != "postgresql":
        raise BackupError("A PostgreSQL dump is checked with DATABASE_URL pointing at PostgreSQL.")
    scratch = f"im_assess_restore_check_{uuid.uuid4().hex[:12]}"
    admin = {
        "dbname": "postgres",
        "host": settings.get("HOST") or None,
        "port": settings.get("PORT") or None,
        "user": settings.get("USER") or None,
        "password": settings.get("PASSWORD") or None,
        "autocommit": True,
    }
    with psycopg.connect(**admin) as server:
        server.execute(f'CREATE DATABASE "{scratch}"')
    try:
        _run(
            [
                "pg_restore",
                "--no-owner",
                "--exit-on-error",
                *_pg_arguments(settings),
                "--dbname",
                scratch,
                str(path),
            ],
            _pg_environment(settings),
        )
        with (
            psycopg.connect(**(admin | {"dbname": scratch})) as restored,
            restored.cursor() as cursor,
        ):
            return BackupSummary(path, _counts(cursor))
    finally:
        with psycopg.connect(**admin) as server:
            server.execute(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')
