"""One participant's updates at a time across processes, in the order Telegram sent them.

With PostgreSQL several processes (webhook workers, `scheduler.py`) share the participants:
- a worker records each update (`receive`) before it acknowledges it to Telegram, so an update
  has its place in its participant's line before Telegram sends the next one, to any worker;
- a worker that handles a participant's update holds their lock (`hold`: a session-level
  advisory lock keyed by the user id) while it handles, in update-id order, every update of
  theirs recorded and not handled yet up to that one (`hold_line`: read in the round trip
  that takes the lock), and sends the replies; an update may so be answered by the worker of
  a later one, never before an earlier one;
- updates left recorded (the database went away before they were handled, a worker was
  killed after acknowledging them) are `stranded` until a worker resumes them;
- the lock is let go on its own, or in the statement of a write that must follow the turn
  (`Held.release_with`: the delete of the turn's last reply sent, engine.delivery.in_flight),
  one round trip instead of two;
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

from peewee import Case, Database, ModelDelete, PostgresqlDatabase, Select, fn

from engine.store.models import ReceivedUpdate, database
from engine.store.prepared import EXAMPLE_TIME, PreparedSelect, PreparedWrite

# The statements of every update (parameters in this order): recorded...
_RECEIVE = PreparedWrite(ReceivedUpdate, ReceivedUpdate.insert(
    update_id=0, user_id=0, payload="", received_at=EXAMPLE_TIME).on_conflict_ignore())
# ...read back as the participant's lock is taken (the payload of those before the update in hand
# only: its own the worker has; parameters: the update in hand, the participant, the last
# update id wanted)...
_WAITING = PreparedSelect(ReceivedUpdate, ReceivedUpdate.select(
    ReceivedUpdate.update_id,
    Case(None, [(ReceivedUpdate.update_id < 0, ReceivedUpdate.payload)], None))
    .where(ReceivedUpdate.user_id == 0, ReceivedUpdate.update_id <= 0)
    .order_by(ReceivedUpdate.update_id))
# ...and forgotten once handled.
_FORGET = PreparedWrite(ReceivedUpdate, ReceivedUpdate.delete()
                        .where(ReceivedUpdate.update_id == 0))
_LAST_ID = 2**63 - 1  # the largest update id a BIGINT holds


def shared(db: Database | None = None) -> bool:
    """Do other processes share this database's participants (PostgreSQL)?"""
    target = db if db is not None else database.obj
    return isinstance(target, PostgresqlDatabase)


def receive(update_id: int, user_id: int, payload: dict[str, Any], now: dt.datetime) -> None:
    """Record an update of `user_id` before acknowledging it; a resent one is recorded once."""
    _RECEIVE.run(update_id, user_id, ReceivedUpdate.payload.db_value(payload),
                 ReceivedUpdate.received_at.db_value(now))


def stranded(before: dt.datetime) -> list[int]:
    """Participants with updates recorded before `before` and not handled yet: left behind when
    the database went away after recording them or a worker was killed after acknowledging them
    (or in hand right now: the participant's lock decides who handles them)."""
    return [user_id for (user_id,) in ReceivedUpdate.select(ReceivedUpdate.user_id)
            .where(ReceivedUpdate.received_at < before).distinct().tuples()]


def forget(update_id: int) -> None:
    """The update leaves the line without taking effect (nothing to handle, or its turn was
    rolled back); one that takes effect leaves it with its turn (`updates.first_handling`)."""
    _FORGET.run(update_id)


class Held:
    """A participant's lock, held on this thread's connection (PostgreSQL) or not needed
    (SQLite: `shared` False)."""

    __slots__ = ("released", "shared", "user_id")

    def __init__(self, user_id: int, shared: bool) -> None:
        self.user_id = user_id
        self.shared = shared
        self.released = False

    def release_with(self, write: PreparedSelect[Any], *params: Any) -> None:
        """Make a write built by `releasing` (its parameters) and let the lock go, in one
        statement. PostgreSQL only."""
        assert self.shared and not self.released
        write.values(*params, self.user_id)
        self.released = True


def releasing(write: ModelDelete) -> PreparedSelect[Any]:
    """A statement that makes `write` and lets a participant's lock go (parameters: the
    write's, then the participant), for `Held.release_with`."""
    return PreparedSelect(write.model, Select(columns=[fn.pg_advisory_unlock(0)])
                          .with_cte(write.cte("done")))


@contextmanager
def hold(user_id: int) -> Iterator[Held]:
    """Hold the participant's lock on this thread's connection (waits for it) until the block
    ends or it is let go with a write (`Held.release_with`)."""
    with _holding(user_id, None) as (held, _):
        yield held


@contextmanager
def hold_line(user_id: int, up_to: int | None = None,
              ) -> Iterator[tuple[Held, list[tuple[int, dict[str, Any] | None]]]]:
    """`hold`, and the participant's recorded updates not handled yet, oldest first, up to the
    update id `up_to` if given, with their payloads (but None for `up_to` itself: the caller
    has that one in hand), read in the round trip that takes the lock. PostgreSQL only."""
    with _holding(user_id, _LAST_ID if up_to is None else up_to) as (held, line):
        decode = ReceivedUpdate.payload.python_value
        yield held, [(update_id, decode(payload) if payload is not None else None)
                     for update_id, payload in line]


@contextmanager
def _holding(user_id: int, last: int | None,
             ) -> Iterator[tuple[Held, list[tuple[Any, ...]]]]:
    """The participant's lock held (and their line up to the update id `last` read with it,
    unless None) until the block ends or a write lets it go."""
    db = database.obj
    held = Held(user_id, shared(db))
    if not held.shared:
        yield held, []
        return
    try:
        if last is None:
            db.execute_sql("SELECT pg_advisory_lock(%s)", (user_id,))
            line: list[tuple[Any, ...]] = []
        else:
            line = _WAITING.tuples_after("SELECT pg_advisory_lock(%s)", (user_id,),
                                         last, user_id, last)
        yield held, line
    finally:
        # (a lost connection has released it already; one never taken is let go in vain)
        if not held.released and db.is_connection_usable():
            db.execute_sql("SELECT pg_advisory_unlock(%s)", (user_id,))


def lock_in_transaction(user_id: int) -> None:
    """Wait for the participant's lock and keep it until the current transaction ends."""
    db = database.obj
    if shared(db):
        db.execute_sql("SELECT pg_advisory_xact_lock(%s)", (user_id,))
