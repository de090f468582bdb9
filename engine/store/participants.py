"""One participant's updates at a time across processes, in the order Telegram sent them.

With PostgreSQL several processes (webhook workers, `scheduler.py`) share the participants:
- a worker records each update (`receive`) before it acknowledges it to Telegram, so an update
  has its place in its participant's line before Telegram sends the next one, to any worker;
- a worker that handles a participant's update holds their lock (`hold`: a session-level
  advisory lock keyed by the user id) while it handles, in update-id order, every update of
  theirs recorded and not handled yet up to that one (`waiting`), and sends the replies; an
  update may so be answered by the worker of a later one, never before an earlier one;
- updates left recorded (the database went away before they were handled, a worker was
  killed after acknowledging them) are `stranded` until a worker resumes them;
- a job that moves a participant (`lock_in_transaction`) waits for the lock, and holds it
  until its transaction ends.
Different participants' locks are independent: nobody waits for someone else's updates.

With SQLite one process serves the database: its transport orders each chat's updates in
memory, and every function here does nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from peewee import Database, PostgresqlDatabase

from engine.store.models import ReceivedUpdate, database


def shared(db: Database | None = None) -> bool:
    """Do other processes share this database's participants (PostgreSQL)?"""
    target = db if db is not None else database.obj
    return isinstance(target, PostgresqlDatabase)


def receive(update_id: int, user_id: int, payload: dict[str, Any], now: dt.datetime) -> None:
    """Record an update of `user_id` before acknowledging it; a resent one is recorded once."""
    (ReceivedUpdate.insert(update_id=update_id, user_id=user_id, payload=payload,
                           received_at=now)
     .on_conflict_ignore().execute())


def waiting(user_id: int, up_to: int | None = None) -> list[tuple[int, dict[str, Any]]]:
    """The participant's recorded updates not handled yet, oldest first, up to the update id
    `up_to` if given (hold their lock)."""
    query = (ReceivedUpdate.select(ReceivedUpdate.update_id, ReceivedUpdate.payload)
             .where(ReceivedUpdate.user_id == user_id))
    if up_to is not None:
        query = query.where(ReceivedUpdate.update_id <= up_to)
    return [(update_id, payload) for update_id, payload in
            query.order_by(ReceivedUpdate.update_id).tuples()]


def stranded(before: dt.datetime) -> list[int]:
    """Participants with updates recorded before `before` and not handled yet: left behind when
    the database went away after recording them or a worker was killed after acknowledging them
    (or in hand right now: the participant's lock decides who handles them)."""
    return [user_id for (user_id,) in ReceivedUpdate.select(ReceivedUpdate.user_id)
            .where(ReceivedUpdate.received_at < before).distinct().tuples()]


def forget(update_id: int) -> None:
    """The update was handled (or was a resend of one handled before)."""
    ReceivedUpdate.delete().where(ReceivedUpdate.update_id == update_id).execute()


@contextmanager
def hold(user_id: int) -> Iterator[None]:
    """Hold the participant's lock on this thread's connection (waits for it)."""
    db = database.obj
    if not shared(db):
        yield
        return
    db.execute_sql("SELECT pg_advisory_lock(%s)", (user_id,))
    try:
        yield
    finally:
        if db.is_connection_usable():  # a lost connection has released it already
            db.execute_sql("SELECT pg_advisory_unlock(%s)", (user_id,))


def lock_in_transaction(user_id: int) -> None:
    """Wait for the participant's lock and keep it until the current transaction ends."""
    db = database.obj
    if shared(db):
        db.execute_sql("SELECT pg_advisory_xact_lock(%s)", (user_id,))
