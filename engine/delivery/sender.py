"""One process at a time delivers the outbox, so that the bot's bulk sends keep one pace (under
Telegram's 30 messages a second) and each participant's messages their order, however many
processes share the database.

PostgreSQL: a session-level advisory lock, taken on the connection of the thread that calls
(the store's thread); a process that dies, or whose connection is cut, loses it with the
connection. SQLite: an exclusive lock (flock) on a file beside the database, which the kernel
drops when the process that holds it ends, however it ends. Either way the role is taken anew
at every delivery, and taking it again in the process that holds it succeeds.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import threading
from typing import Any

from peewee import Database, SqliteDatabase

from engine.store import database
from engine.store.participants import shared

# Two 32-bit keys, a space apart from the participants' locks (one 64-bit key each).
SENDER_LOCK = (0x52_43_6F_66, 1)  # "RCof", the outbox
LOCK_FILE_SUFFIX = ".sender-lock"


class _Role:
    """What this process holds of the role: its lock file or its connection, and how many
    deliveries took it (it is given up when the last one stops)."""

    def __init__(self) -> None:
        self.mutex = threading.Lock()
        self.taken = 0
        self.handle: Any = None  # the lock file's descriptor, or the connection holding the lock


_ROLE = _Role()


def become_sender() -> bool:
    """Take the sender's role if no other process holds it."""
    db = database.obj
    with _ROLE.mutex:
        if _ROLE.taken:
            if _still_held(db):
                _ROLE.taken += 1
                return True
            _ROLE.taken, _ROLE.handle = 0, None  # lost with a connection that was replaced
        handle = _take(db)
        if handle is None:
            return False
        _ROLE.taken, _ROLE.handle = 1, handle
        return True


def stop_being_sender() -> None:
    db = database.obj
    with _ROLE.mutex:
        if not _ROLE.taken:
            return
        _ROLE.taken -= 1
        if _ROLE.taken:
            return
        handle, _ROLE.handle = _ROLE.handle, None
        _give_back(db, handle)


def _take(db: Database) -> Any:
    """The lock's handle, or None when another process holds it."""
    if shared(db):
        if db.execute_sql("SELECT pg_try_advisory_lock(%s, %s)", SENDER_LOCK).fetchone()[0]:
            return db.connection()
        return None
    path = _lock_file(db)
    if path is None:
        return True  # a database in memory: this process is the only one
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(descriptor)
        return None
    return descriptor


def _still_held(db: Database) -> bool:
    """False when the connection that held the advisory lock was replaced meanwhile."""
    if not shared(db):
        return True
    return db.is_connection_usable() and db.connection() is _ROLE.handle


def _give_back(db: Database, handle: Any) -> None:
    if isinstance(handle, int) and not isinstance(handle, bool):
        with contextlib.suppress(OSError):
            os.close(handle)  # closing the descriptor drops its lock
        return
    if shared(db) and db.is_connection_usable() and db.connection() is handle:
        db.execute_sql("SELECT pg_advisory_unlock(%s, %s)", SENDER_LOCK)
    # (a connection that was replaced gave the lock up with itself)


def _lock_file(db: Database) -> str | None:
    if not isinstance(db, SqliteDatabase):
        return None
    name = str(db.database)
    if not name or name == ":memory:" or name.startswith("file::memory:"):
        return None
    return name + LOCK_FILE_SUFFIX
