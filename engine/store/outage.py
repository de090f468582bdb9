"""A database that went away: notice the lost connection, replace it, retry once, and say so
in the log once per outage (and once when it is back).

Each thread has its own connection (Peewee keeps them per thread); a server restart breaks all
of them, and each is replaced the first time its thread finds it broken.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable
from typing import TypeVar

from peewee import Database, InterfaceError, OperationalError

from engine.store.models import database

log = logging.getLogger(__name__)
T = TypeVar("T")


class DatabaseUnavailable(Exception):
    """The database did not answer, even on a fresh connection."""


def connection_lost(error: BaseException, db: Database | None = None) -> bool:
    """Did `error` come from a connection that is gone (this thread's)? False for an error the
    database reported over a working connection, and always for SQLite."""
    target = db if db is not None else database.obj
    if not isinstance(error, OperationalError | InterfaceError) or target is None:
        return False
    return not target.is_connection_usable()


def replace_connection(db: Database | None = None) -> None:
    """Drop this thread's connection; the next query opens a new one."""
    target = db if db is not None else database.obj
    with contextlib.suppress(Exception):
        target.close()
    target.dispose()  # closed or not, this thread starts afresh


class Outage:
    """Whether this process reaches the database; logs the change, not every failure."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self._since: float | None = None
        self._lock = threading.Lock()
        self.ended = 0  # outages over so far

    def lost(self, error: BaseException) -> None:
        with self._lock:
            if self._since is None:
                self._since = self.clock()
                log.error("the database does not answer (%s): nothing is changed until it is "
                          "back", str(error).strip().splitlines()[0] if str(error) else error)

    def back(self) -> None:
        with self._lock:
            if self._since is not None:
                log.warning("the database answers again after %.1f s",
                            self.clock() - self._since)
                self._since = None
                self.ended += 1

    def down_for(self) -> float:
        """Seconds since the database stopped answering; 0 while it answers."""
        with self._lock:
            return 0.0 if self._since is None else self.clock() - self._since


OUTAGE = Outage()


def with_reconnect(work: Callable[[], T], outage: Outage = OUTAGE) -> T:
    """Run `work` (a whole unit: its transactions start and end inside); when this thread's
    connection turns out lost, replace it and run `work` once more. DatabaseUnavailable when
    that fails too; other errors propagate as they are."""
    try:
        result = work()
    except Exception as error:
        if not connection_lost(error):
            raise
        replace_connection()
        try:
            result = work()
        except Exception as again:
            if not connection_lost(again):
                raise
            replace_connection()
            outage.lost(again)
            raise DatabaseUnavailable(str(again)) from again
    outage.back()
    return result


def dropped(error: BaseException) -> bool:
    """For code that has no retry (a loop that tries again later): when `error` is this
    thread's lost connection, replace it, note the outage (logged once) and return True."""
    if not connection_lost(error):
        return False
    replace_connection()
    OUTAGE.lost(error)
    return True


def check() -> None:
    """DatabaseUnavailable unless the database answers now (on this thread's connection,
    replaced if lost)."""
    with_reconnect(lambda: database.obj.execute_sql("SELECT 1"))


def noted(error: BaseException) -> bool:
    """Is `error` the database's absence, logged once per outage here: DatabaseUnavailable, or
    this thread's lost connection (replaced now)? Loops that try again later log the rest."""
    return isinstance(error, DatabaseUnavailable) or dropped(error)


def probe() -> bool:
    """Does the database answer now?"""
    try:
        check()
    except DatabaseUnavailable:
        return False
    return True
