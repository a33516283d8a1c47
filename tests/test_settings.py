import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from im_assess.settings import database_from_url, env_bool, env_int


def test_database_url_becomes_a_postgresql_entry():
    entry = database_from_url("postgres://im:s%40cret@db.example:6543/im_assess?sslmode=require")
    assert entry["ENGINE"] == "django.db.backends.postgresql"
    assert (entry["USER"], entry["PASSWORD"]) == ("im", "s@cret")
    assert (entry["HOST"], entry["PORT"], entry["NAME"]) == ("db.example", "6543", "im_assess")
    assert entry["OPTIONS"] == {"sslmode": "require"}
    assert entry["CONN_MAX_AGE"] > 0


@pytest.mark.parametrize("url", ["mysql://x@y/z", "postgres://x@y/"])
def test_bad_database_url_is_refused(url):
    with pytest.raises(ImproperlyConfigured):
        database_from_url(url)


def test_bad_boolean_and_integer_are_refused(monkeypatch):
    monkeypatch.setenv("X_BOOL", "maybe")
    monkeypatch.setenv("X_INT", "ten")
    with pytest.raises(ImproperlyConfigured, match="X_BOOL"):
        env_bool("X_BOOL", False)
    with pytest.raises(ImproperlyConfigured, match="X_INT"):
        env_int("X_INT", 1)


@pytest.mark.django_db
def test_sqlite_runs_in_wal_mode_with_foreign_keys_and_busy_timeout():
    if connection.vendor != "sqlite":
        pytest.skip("SQLite pragmas only apply to the SQLite run")
    with connection.cursor() as cursor:
        # The test database may live in memory, where WAL does not apply; the
        # settings still ask for it, which is what the app database gets.
        cursor.execute("PRAGMA foreign_keys")
        assert cursor.fetchone()[0] == 1
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] == 20000
    options = connection.settings_dict["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["timeout"] == 20
    assert "journal_mode=WAL" in options["init_command"]


def test_sqlite_file_database_is_in_wal_mode(tmp_path, settings, django_db_blocker):
    import sqlite3

    from django.db.backends.sqlite3.base import DatabaseWrapper

    entry = {
        **settings.DATABASES["default"],
        "NAME": str(tmp_path / "wal.sqlite3"),
        "ENGINE": "django.db.backends.sqlite3",
    }
    if "init_command" not in entry.get("OPTIONS", {}):
        pytest.skip("this run is configured for PostgreSQL")
    wrapper = DatabaseWrapper(entry)
    with django_db_blocker.unblock():
        wrapper.ensure_connection()
        with wrapper.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            assert cursor.fetchone()[0] == "wal"
        wrapper.close()
    assert sqlite3.connect(entry["NAME"]).execute("PRAGMA journal_mode").fetchone()[0] == "wal"
