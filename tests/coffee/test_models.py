"""The application's tables: created beside the engine's, migrated with their history, and a
database made before the engine and the application had schemas of their own opened with every
row kept."""

from __future__ import annotations

import shutil
from pathlib import Path

import psycopg

from coffee.models import (
    SCHEMA,
    SCHEMAS,
    AccessEntry,
    AuditEntry,
    Broadcast,
    MeetingFeedback,
    NoteRead,
    Organizer,
    PanelLoginLink,
    Round,
)
from engine.store import ENGINE_SCHEMA, Answer, DialogState, Setting, User, open_database
from tests.kit.databases import database_url, on_postgresql, query

BEFORE_THE_SPLIT = Path(__file__).parent / "layout_before_split"
# Rows in each table of the fixture, as tests/coffee/layout_before_split/make.py wrote them.
ROWS = {"user": 4, "dialog_state": 4, "answer": 8, "organizer_note": 1, "round": 1,
        "participation": 4, "meeting": 2, "meeting_member": 4, "meeting_feedback": 2,
        "outbox": 1, "job_run": 1, "setting": 1, "organizer": 1, "audit_entry": 1,
        "access_entry": 1, "note_read": 1, "broadcast": 1, "panel_login_link": 1,
        "handled_update": 1, "received_update": 1}
LEGACY_MIGRATIONS = ["0002_delivery_guarantees", "0002_panel_login_links",
                     "0003_organizer_tools", "0004_broadcast_photo_and_progress",
                     "0004_received_updates"]
SINCE_THE_SPLIT = ["0005_panel_sessions", "0006_round_figures_indexes"]  # added after it


def database_before_the_split(tmp_path: Path) -> str:
    """A copy of the fixture database, on whichever database this pass runs."""
    if not on_postgresql():
        copy = tmp_path / "before.sqlite3"
        shutil.copy(BEFORE_THE_SPLIT / "layout.sqlite3", copy)
        return database_url(copy)
    url = database_url(tmp_path / "before", empty=True)
    dump = (BEFORE_THE_SPLIT / "layout.postgresql.sql").read_text(encoding="utf-8")
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(dump)  # type: ignore[call-overload]  # a script of many statements
    return url


def test_a_new_database_has_both_schemas_with_their_histories(tmp_path: Path) -> None:
    url = database_url(tmp_path / "new.sqlite3", empty=True)
    open_database(url, SCHEMAS).close()
    assert query(url, "select name from schema_migration order by name") == [
        (name,) for name in SCHEMA.migration_names()]
    assert SCHEMA.migration_names() == [*LEGACY_MIGRATIONS, *SINCE_THE_SPLIT]
    assert query(url, "select count(*) from engine_schema_migration") == [
        (len(ENGINE_SCHEMA.migration_names()),)]


def test_a_database_made_before_the_split_opens_with_every_row(tmp_path: Path) -> None:
    url = database_before_the_split(tmp_path)
    assert {table: query(url, f'select count(*) from "{table}"')[0][0]
            for table in ROWS} == ROWS

    db = open_database(url, SCHEMAS)
    try:
        counts = {model._meta.table_name: model.select().count()
                  for schema in SCHEMAS for model in schema.models}
        assert counts == {**ROWS, "panel_session": 0, "turn_reply": 0}  # added since, empty
        olena = User.get_by_id(1001)
        assert (olena.first_name, olena.comment, olena.registered) == ("Олена1", "коментар", True)
        assert DialogState.get_by_id(1001).context == {"keyboard": 1,
                                                        "values": {"week": "2026-11-30"}}
        assert Answer.get(Answer.user == 1002, Answer.key == "topics").value == ["books", "it"]
        assert Setting.get_by_id("community_name").value == "Кавовий клуб"
        assert Round.get().status == "matched"
        assert [row.comment for row in MeetingFeedback.select()] == ["чудово", "чудово"]
        assert Broadcast.get().photo == ""  # a column a legacy migration added
    finally:
        db.close()
    assert query(url, "select name from schema_migration order by name") == [
        (name,) for name in [*LEGACY_MIGRATIONS, *SINCE_THE_SPLIT]]
    open_database(url, SCHEMAS).close()  # a second start finds nothing to do
    assert query(url, "select count(*) from meeting_member") == [(4,)]


def test_an_existing_database_gains_the_organizer_tables(tmp_path: Path) -> None:
    url = database_url(tmp_path / "before.sqlite3")
    db = open_database(url, SCHEMAS)
    User.create(id=7, locale="uk", first_name="Taras")
    db.drop_tables([Organizer, AuditEntry, AccessEntry, NoteRead, Broadcast])
    db.execute_sql("delete from schema_migration where name = '0003_organizer_tools'")
    db.close()
    db = open_database(url, SCHEMAS)
    try:
        assert {"organizer", "audit_entry", "access_entry", "note_read", "broadcast"} <= set(
            db.get_tables())
        assert User.get_by_id(7).first_name == "Taras"
    finally:
        db.close()


def test_an_existing_database_gains_the_broadcast_photo_and_progress(tmp_path: Path) -> None:
    url = database_url(tmp_path / "before-0004.sqlite3")
    db = open_database(url, SCHEMAS)
    Broadcast.create(author=1, text="News", audience="all")
    for column in ("photo", "progress_message_id", "reported_at"):
        db.execute_sql(f'alter table "broadcast" drop column "{column}"')
    db.execute_sql("delete from schema_migration "
                   "where name = '0004_broadcast_photo_and_progress'")
    db.close()
    db = open_database(url, SCHEMAS)
    try:
        [news] = Broadcast.select()
        assert (news.text, news.photo, news.progress_message_id, news.reported_at) == (
            "News", "", None, None)
    finally:
        db.close()


def test_an_existing_database_gains_the_panel_login_links(tmp_path: Path) -> None:
    url = database_url(tmp_path / "before-panel.sqlite3")
    db = open_database(url, SCHEMAS)
    db.drop_tables([PanelLoginLink])
    db.execute_sql("delete from schema_migration where name = '0002_panel_login_links'")
    db.close()
    db = open_database(url, SCHEMAS)
    try:
        assert "panel_login_link" in db.get_tables()
    finally:
        db.close()


