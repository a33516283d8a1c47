"""Backups restore with every response (issue 8, guarantee 10).

On SQLite the online backup API copies the database while it is in use; on
PostgreSQL pg_dump writes a custom-format dump. Either way the backup is
restored into a scratch place and every response and answer is found there.
"""

import sqlite3

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from questionnaires.backups import backup_check, backup_create, current_counts
from questionnaires.models import Answer, Response
from tests.worlds import build_world

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def world(im_model):
    return build_world(im_model, "A", "BACKUP")


def test_backup_restores_with_every_response(world, tmp_path):
    before = current_counts()
    assert before["responses"] == Response.objects.count() > 0
    path = backup_create(tmp_path)
    summary = backup_check(path)
    assert summary.counts == before
    assert summary.counts["answers"] == Answer.objects.count()
    submitted = Response.objects.filter(submitted_at__isnull=False).count()
    assert summary.counts["submitted"] == submitted


def test_backup_command_writes_and_checks(world, tmp_path, capsys):
    call_command("backup", "--output", str(tmp_path))
    out = capsys.readouterr().out
    assert "restored it" in out and f"{Response.objects.count()} responses" in out
    (path,) = [p for p in tmp_path.iterdir() if p.suffix in {".sqlite3", ".dump"}]
    call_command("backup_check", str(path))
    assert f"{Answer.objects.count()} answers" in capsys.readouterr().out


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite-only: a damaged SQLite file")
def test_a_damaged_sqlite_backup_is_refused(world, tmp_path):
    path = backup_create(tmp_path)
    data = bytearray(path.read_bytes())
    data[4096:8192] = b"\xff" * 4096  # overwrite the second page
    path.write_bytes(bytes(data))
    with pytest.raises(CommandError):
        call_command("backup_check", str(path))


def test_a_missing_or_unknown_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="does not exist"):
        call_command("backup_check", str(tmp_path / "nope.sqlite3"))
    other = tmp_path / "notes.txt"
    other.write_text("x")
    with pytest.raises(CommandError, match=r"expected a \.sqlite3 or \.dump"):
        call_command("backup_check", str(other))


def test_sqlite_backup_is_a_plain_sqlite_file(world, tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite-only: the file format")
    path = backup_create(tmp_path)
    with sqlite3.connect(path) as restored:
        assert restored.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
