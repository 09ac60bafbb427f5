"""SQLite, the default database, set for several people at once: write-ahead log (readers do not
wait for a writer), a write lock taken when a transaction begins (no "database is locked" half-way
through a save), and 20 seconds of waiting for it. PostgreSQL gets none of these options."""

import runpy
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.db.backends.sqlite3.base import DatabaseWrapper

SETTINGS_FILE = Path(__file__).resolve().parents[2] / "config" / "settings.py"
SQLITE_OPTIONS = {
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
}


def settings_with(monkeypatch, database_url):
    """config/settings.py as it reads for that DATABASE_URL (run apart from Django's settings)."""
    monkeypatch.setenv("DATABASE_URL", database_url)
    return runpy.run_path(str(SETTINGS_FILE))["DATABASES"]["default"]


def test_sqlite_gets_the_concurrency_options(monkeypatch, tmp_path):
    database = settings_with(monkeypatch, f"sqlite:///{tmp_path / 'db.sqlite3'}")
    assert database["OPTIONS"] == SQLITE_OPTIONS


def test_postgresql_gets_none_of_them(monkeypatch):
    database = settings_with(monkeypatch, "postgres://user:pass@db.example.vn:5432/thidua")
    for option in SQLITE_OPTIONS:
        assert option not in database.get("OPTIONS", {})


@pytest.mark.django_db
def test_the_database_of_this_run(tmp_path):
    options = settings.DATABASES["default"].get("OPTIONS", {})
    if connection.vendor != "sqlite":
        for option in SQLITE_OPTIONS:
            assert option not in options
        return
    assert {key: options.get(key) for key in SQLITE_OPTIONS} == SQLITE_OPTIONS
    # The test database is in memory, where there is no write-ahead log ("memory"); open a real
    # file with the same settings to see what the server's db.sqlite3 gets.
    on_disk = DatabaseWrapper({**connection.settings_dict, "NAME": str(tmp_path / "wal.sqlite3")})
    try:
        with on_disk.cursor() as cursor:
            assert cursor.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
            assert cursor.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL
            assert cursor.execute("PRAGMA busy_timeout").fetchone()[0] == 20_000
        assert on_disk.transaction_mode == "IMMEDIATE"
    finally:
        on_disk.close()
