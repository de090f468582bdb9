"""The database: created on first start, migrated later without losing data."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import pytest

from engine.store import (
    ENGINE_SCHEMA,
    Answer,
    DatabaseUrlError,
    HandledUpdate,
    User,
    first_handling,
    open_database,
)
from tests.kit.databases import database_url, query


def test_first_start_creates_the_engines_tables_and_no_others(tmp_path: Path) -> None:
    url = database_url(tmp_path / "new.sqlite3", empty=True)
    db = open_database(url)
    try:
        assert set(db.get_tables()) == {
            "user", "dialog_state", "answer", "outbox", "setting", "handled_update",
            "received_update", "turn_reply", "engine_schema_migration"}
    finally:
        db.close()
    applied = query(url, "select name from engine_schema_migration order by name")
    assert applied == [(name,) for name in ENGINE_SCHEMA.migration_names()]


@pytest.mark.sqlite_only
def test_sqlite_runs_with_wal_and_foreign_keys(tmp_path: Path) -> None:
    db = open_database(f"sqlite:///{tmp_path / 'new.sqlite3'}")
    try:
        assert db.execute_sql("pragma journal_mode").fetchone()[0] == "wal"
        assert db.execute_sql("pragma foreign_keys").fetchone()[0] == 1
    finally:
        db.close()


def test_a_migration_keeps_existing_data(tmp_path: Path) -> None:
    url = database_url(tmp_path / "old.sqlite3", empty=True)
    db = open_database(url)
    user = User.create(id=42, locale="uk", first_name="Taras")
    Answer.create(user=user, key="company", value={"name": "Зерно"})
    db.close()

    migrations = tmp_path / "migrations"
    migrations.mkdir()
    (migrations / "0002_add_city.py").write_text(
        "from peewee import CharField\n\n"
        "def up(migrator, db):\n"
        "    migrator.migrate(migrator.add_column('user', 'city', CharField(default='Kyiv')))\n")
    db = open_database(url, [replace(ENGINE_SCHEMA, migrations=migrations)])
    try:
        row = db.execute_sql('select first_name, city from "user" where id = 42').fetchone()
        assert row == ("Taras", "Kyiv")
        assert Answer.get(Answer.key == "company").value == {"name": "Зерно"}
        applied = [r[0] for r in db.execute_sql("select name from engine_schema_migration")]
        assert applied[-1] == "0002_add_city"
    finally:
        db.close()


def test_naive_datetimes_are_refused(tmp_path: Path) -> None:
    db = open_database(database_url(tmp_path / "tz.sqlite3"))
    try:
        with pytest.raises(ValueError, match="time zone aware"):
            User.create(id=1, locale="uk", created_at=dt.datetime(2026, 1, 1))
        aware = dt.datetime(2026, 1, 1, 12, tzinfo=dt.timezone(dt.timedelta(hours=2)))
        User.create(id=2, locale="uk", created_at=aware)
        assert User.get_by_id(2).created_at == aware
    finally:
        db.close()


def test_an_unusable_database_url_is_reported() -> None:
    with pytest.raises(DatabaseUrlError, match="DATABASE_URL 'nosuch://x' cannot be opened"):
        open_database("nosuch://x")


def test_handled_updates_are_recorded_once_and_pruned(tmp_path: Path) -> None:
    db = open_database(database_url(tmp_path / "updates.sqlite3"))
    try:
        start = dt.datetime(2026, 11, 24, 12, 0, tzinfo=dt.UTC)
        assert first_handling(999, start)
        assert not first_handling(999, start + dt.timedelta(minutes=5))
        assert first_handling(1000, start + dt.timedelta(days=3))  # a pruning round
        assert [row.update_id for row in HandledUpdate.select()] == [1000]
    finally:
        db.close()
