"""One process at a time delivers the outbox, so that the bot's bulk sends keep one pace (under
Telegram's 30 messages a second) and each participant's messages their order, however many
workers run (PostgreSQL: a session-level advisory lock, elected anew at every delivery; a
process that dies loses it with its connection). With SQLite every process may send.
"""

from __future__ import annotations

from engine.store import database
from engine.store.participants import shared

# Two 32-bit keys, a space apart from the participants' locks (one 64-bit key each).
SENDER_LOCK = (0x52_43_6F_66, 1)  # "RCof", the outbox


def become_sender() -> bool:
    """Take the sender's role if nobody holds it (on this thread's connection)."""
    db = database.obj
    if not shared(db):
        return True
    return bool(db.execute_sql("SELECT pg_try_advisory_lock(%s, %s)", SENDER_LOCK).fetchone()[0])


def stop_being_sender() -> None:
    db = database.obj
    if shared(db) and db.is_connection_usable():  # a lost connection gave the role up already
        db.execute_sql("SELECT pg_advisory_unlock(%s, %s)", SENDER_LOCK)
