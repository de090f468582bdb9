"""`runner.py migrate-db --to URL`: a community's SQLite database copied into an empty database
(PostgreSQL on the PostgreSQL pass) keeps every row of every table, and the copy goes on
numbering new rows after the old ones; a target that holds rows is refused in one line."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from peewee import Database

from coffee.app import Bot, build_bot
from coffee.models import (
    SCHEMAS,
    AccessEntry,
    AuditEntry,
    Broadcast,
    MeetingFeedback,
    MeetingMember,
    NoteRead,
    Organizer,
    OrganizerNote,
    PanelLoginLink,
    PanelSession,
)
from engine.store import (
    HandledUpdate,
    ReceivedUpdate,
    Setting,
    TurnReply,
    first_handling,
    open_database,
    redacted,
)
from engine.store.database import connect_url
from tests.kit.clock import Clock
from tests.kit.community import ROUND, Community
from tests.kit.databases import database_url, query
from tests.kit.running import REPO_ROOT, runner_env
from tests.kit.settings import ADMIN_ID, settings_for

pytestmark = pytest.mark.e2e


@pytest.fixture
def sqlite_bot(tmp_path: Path, clock: Clock) -> Iterator[Bot]:
    """A bot on a SQLite file whatever the pass: the database an operator moves away from."""
    settings = settings_for(tmp_path, DATABASE_URL=f"sqlite:///{tmp_path / 'old.sqlite3'}",
                            ORGANIZER_IDS=str(ADMIN_ID))
    bot = build_bot(settings, clock=clock)
    yield bot
    bot.database.close()


def lived_in(bot: Bot, clock: Clock) -> None:
    """Four participants through the profile flow and a whole round (invitations, pairs,
    feedback, all delivered), plus what organizers leave behind."""
    community = Community(bot, clock)
    for uid, name in ((101, "Olena"), (102, "Taras"), (103, "Iryna"), (104, "Marko")):
        community.register(uid, name, language="en" if uid % 2 else "uk")
    community.join([101, 102, 103, 104])
    for job in ("invite", "match", "feedback"):
        community.run_and_deliver(job, ROUND)
    for member in MeetingMember.select():
        MeetingFeedback.create(meeting=member.meeting, user=member.user, happened=True,
                               rating=5, comment=f"Кава з {member.user_id} ☕")
    note = OrganizerNote.create(user=101, text="Дякую! <b>thanks</b>")
    NoteRead.create(note=note, read_by=ADMIN_ID)
    Organizer.create(user_id=102, appointed_by=ADMIN_ID)
    AuditEntry.create(actor=ADMIN_ID, action="appoint", target="102", old=None,
                      new={"organizer": True, "names": ["Taras", None]})
    AccessEntry.create(list_name="block", username="spam_bot", added_by=ADMIN_ID)
    Broadcast.create(author=ADMIN_ID, text="<b>Meetup</b> on Friday", audience="all",
                     status="done", total=4, started_at=clock(), finished_at=clock())
    PanelLoginLink.create(nonce="n0nce", user_id=ADMIN_ID, used_at=clock())
    PanelSession.create(token_hash="0" * 64, user_id=ADMIN_ID, created_at=clock(),
                        last_seen_at=clock(), ended_at=clock(), end_reason="logout")
    Setting.create(key="schedule_match", value="mon 10:00")
    first_handling(5001, clock())
    ReceivedUpdate.create(update_id=5002, user_id=103, received_at=clock(),
                          payload={"update_id": 5002, "message": {"text": "Привіт ☕"}})
    TurnReply.create(key="turn:5003:0", user_id=104, payload='{"text": "Дякую ☕"}',
                     created_at=clock(), holder="host:1:1")


def contents(db: Database) -> dict[str, list[dict[str, Any]]]:
    every_model = [model for schema in SCHEMAS for model in schema.models]
    with db.bind_ctx(every_model):
        return {model._meta.table_name: list(model.select().order_by(
            model._meta.primary_key).dicts()) for model in every_model}


def migrate_db(source: str, target: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "runner.py", "migrate-db", "--to", target],
                          cwd=REPO_ROOT, env=runner_env(DATABASE_URL=source),
                          capture_output=True, text=True, timeout=60, check=False)


def test_every_row_of_every_table_is_copied(sqlite_bot: Bot, clock: Clock,
                                            tmp_path: Path) -> None:
    lived_in(sqlite_bot, clock)
    source_url = sqlite_bot.parts.settings.database_url
    before = contents(sqlite_bot.database)
    sqlite_bot.database.close()
    assert all(before.values()), [table for table, rows in before.items() if not rows]
    target = database_url(tmp_path / "new.sqlite3", empty=True)

    done = migrate_db(source_url, target)

    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert sorted(lines[:-1]) == sorted(f"{table}\t{len(rows)}" for table, rows in before.items())
    assert lines[-1].startswith(f"ok: {len(before)} tables, "
                                f"{sum(map(len, before.values()))} rows copied to ")
    copy = connect_url(target)
    try:
        assert contents(copy) == before
    finally:
        copy.close()

    open_database(target, SCHEMAS)  # the bot started on the copy: new rows follow the copied ones
    try:
        entry = AuditEntry.create(actor=ADMIN_ID, action="after", target="")
        assert entry.id > max(row["id"] for row in before["audit_entry"])
        assert HandledUpdate.select().count() == 1
    finally:
        AuditEntry._meta.database.close()


def test_a_target_with_rows_is_refused_and_left_alone(sqlite_bot: Bot, tmp_path: Path) -> None:
    source_url = sqlite_bot.parts.settings.database_url
    sqlite_bot.database.close()
    target = database_url(tmp_path / "busy.sqlite3")
    open_database(target, SCHEMAS)
    Setting.create(key="schedule_invite", value="thu 18:00")
    Setting._meta.database.close()

    done = migrate_db(source_url, target)

    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        f"error: {redacted(target)} is not empty (rows in setting): migrate-db copies into "
        "an empty database only"]
    assert query(target, "select key from setting") == [("schedule_invite",)]

