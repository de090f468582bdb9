"""The database: created on first start, migrated later without losing data."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from engine.store import (
    AccessEntry,
    Answer,
    AuditEntry,
    Broadcast,
    DatabaseUrlError,
    HandledUpdate,
    NoteRead,
    Organizer,
    PanelLoginLink,
    User,
    first_handling,
    open_database,
)
from engine.store.database import MIGRATIONS
from tests.kit.databases import database_url, query


def test_first_start_creates_the_schema(tmp_path: Path) -> None:
    url = database_url(tmp_path / "new.sqlite3", empty=True)
    db = open_database(url)
    try:
        assert {"user", "dialog_state", "answer", "outbox", "schema_migration"} <= set(
            db.get_tables())
    finally:
        db.close()
    applied = query(url, "select name from schema_migration order by name")
    assert applied == [(path.stem,) for path in sorted(MIGRATIONS.glob("0*.py"))]


@pytest.mark.sqlite_only
def test_sqlite_runs_with_wal_and_foreign_keys(tmp_path: Path) -> None:
    db = open_database(f"sqlite:///{tmp_path / 'new.sqlite3'}")
    try:
        assert db.execute_sql("pragma journal_mode").fetchone()[0] == "wal"
        assert db.execute_sql("pragma foreign_keys").fetchone()[0] == 1
    finally:
        db.close()


def test_a_migration_keeps_existing_data(tmp_path: Path) -> None:
    url = database_url(tmp_path / "old.sqlite3")
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
    db = open_database(url, migrations=migrations)
    try:
        row = db.execute_sql('select first_name, city from "user" where id = 42').fetchone()
        assert row == ("Taras", "Kyiv")
        assert Answer.get(Answer.key == "company").value == {"name": "Зерно"}
        applied = [r[0] for r in db.execute_sql("select name from schema_migration")]
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


def test_an_existing_database_gains_the_organizer_tables(tmp_path: Path) -> None:
    url = database_url(tmp_path / "before.sqlite3")
    db = open_database(url)
    User.create(id=7, locale="uk", first_name="Taras")
    db.drop_tables([Organizer, AuditEntry, AccessEntry, NoteRead, Broadcast])
    db.execute_sql("delete from schema_migration where name = '0003_organizer_tools'")
    db.close()
    db = open_database(url)
    try:
        assert {"organizer", "audit_entry", "access_entry", "note_read", "broadcast"} <= set(
            db.get_tables())
        assert User.get_by_id(7).first_name == "Taras"
    finally:
        db.close()


def test_an_existing_database_gains_the_broadcast_photo_and_progress(tmp_path: Path) -> None:
    url = database_url(tmp_path / "before-0004.sqlite3")
    db = open_database(url)
    Broadcast.create(author=1, text="News", audience="all")
    for column in ("photo", "progress_message_id", "reported_at"):
        db.execute_sql(f'alter table "broadcast" drop column "{column}"')
    db.execute_sql("delete from schema_migration "
                   "where name = '0004_broadcast_photo_and_progress'")
    db.close()
    db = open_database(url)
    try:
        [news] = Broadcast.select()
        assert (news.text, news.photo, news.progress_message_id, news.reported_at) == (
            "News", "", None, None)
    finally:
        db.close()


def test_an_existing_database_gains_the_panel_login_links(tmp_path: Path) -> None:
    url = database_url(tmp_path / "before-panel.sqlite3")
    db = open_database(url)
    db.drop_tables([PanelLoginLink])
    db.execute_sql("delete from schema_migration where name = '0002_panel_login_links'")
    db.close()
    db = open_database(url)
    try:
        assert "panel_login_link" in db.get_tables()
    finally:
        db.close()


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
