"""Something the bot depends on went away (the database, the Bot API): notice it, say so in the
log once when it starts and once when it ends, with counts, and no traceback in between.

For the database, two kinds: it does not answer (the connection is lost: replace it and retry
once) or it cannot be written (a full disk: reads work, writes fail until space is freed).
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

from peewee import Database, InterfaceError, OperationalError, SqliteDatabase

from engine.store.models import database

log = logging.getLogger(__name__)
T = TypeVar("T")

GONE, UNWRITABLE = "does not answer", "cannot be written"
STEADY = 2.0  # seconds of working without a failure that end an outage
# What a database says when its disk is full (SQLite: the file or its journal cannot grow).
FULL_DISK = ("disk is full", "no space left", "disk i/o error")


class DatabaseUnavailable(Exception):
    """The database did not answer, even on a fresh connection, or could not be written."""


def connection_lost(error: BaseException, db: Database | None = None) -> bool:
    """Did `error` come from a connection that is gone (this thread's)? False for an error the
    database reported over a working connection, and always for SQLite."""
    target = db if db is not None else database.obj
    if not isinstance(error, OperationalError | InterfaceError) or target is None:
        return False
    return not target.is_connection_usable()


def cannot_write(error: BaseException) -> bool:
    """Did the database refuse a write for want of disk space?"""
    return isinstance(error, OperationalError) and any(
        words in str(error).lower() for words in FULL_DISK)


def replace_connection(db: Database | None = None) -> None:
    """Drop this thread's connection; the next query opens a new one."""
    target = db if db is not None else database.obj
    with contextlib.suppress(Exception):
        target.close()
    target.dispose()  # closed or not, this thread starts afresh


class Outage:
    """Whether this process reaches `what`; logs the change, not every failure.

    An outage ends once it has worked for `steady` seconds with no failure in between (a timer
    looks then): a server going down often answers once more on its way (pg_ctl restart), and
    that is one outage to the reader of the log, not two.
    """

    def __init__(self, what: str, logger: logging.Logger = log,
                 clock: Callable[[], float] = time.monotonic, steady: float = STEADY) -> None:
        self.what = what
        self.log = logger
        self.clock = clock
        self.steady = steady
        self._since: float | None = None  # when the outage began (None: no outage)
        self._working_since: float | None = None  # its first success since the last failure
        self._how = GONE
        self._failures = 0
        self._lock = threading.Lock()
        self.ended = 0  # outages over so far

    def lost(self, error: BaseException | str, how: str = GONE, meanwhile: str = "") -> None:
        """One more failure; the first of an outage is logged (naming `what` and why)."""
        with self._lock:
            self._failures += 1
            self._working_since = None
            if self._since is not None:
                return
            self._since, self._how, self._failures = self.clock(), how, 1
            text = str(error).strip()
            reason = text.splitlines()[0] if text else type(error).__name__
            self.log.warning("%s %s (%s)%s", self.what, how, reason,
                             f": {meanwhile}" if meanwhile else "")

    def back(self, wrote: bool | None = None) -> None:
        """It worked. An outage of writes ends only with writes (`wrote`: None when unknown)."""
        with self._lock:
            if self._since is None or (self._how == UNWRITABLE and wrote is False):
                return
            if self._working_since is None:
                self._working_since = self.clock()
                confirm = threading.Timer(self.steady, self._end_if_steady)
                confirm.daemon = True
                confirm.start()
            self._end_if_steady_locked()

    def _end_if_steady(self) -> None:
        with self._lock:
            self._end_if_steady_locked()

    def _end_if_steady_locked(self) -> None:
        """The end of the outage, once it has worked for `steady` seconds without a failure."""
        if self._since is None or self._working_since is None:
            return
        if self.clock() - self._working_since < self.steady * 0.99:  # (a timer's jitter)
            return
        again = "can be written again" if self._how == UNWRITABLE else "answers again"
        self.log.warning("%s %s after %.1f s (%d failed attempt(s) meanwhile)", self.what,
                         again, self._working_since - self._since, self._failures)
        self._since = self._working_since = None
        self.ended += 1

    def down_for(self) -> float:
        """Seconds since it stopped working, until its end is logged; 0 with no outage."""
        with self._lock:
            return 0.0 if self._since is None else self.clock() - self._since

    def gone_for(self) -> float:
        """Seconds since it stopped answering at all (0 once it answers, and for an outage of
        writes)."""
        with self._lock:
            if self._since is None or self._how != GONE or self._working_since is not None:
                return 0.0
            return self.clock() - self._since

    @property
    def writes_refused(self) -> bool:
        with self._lock:
            return self._since is not None and self._how == UNWRITABLE


OUTAGE = Outage("the database")
MEANWHILE = {GONE: "nothing is changed until it is back",
             UNWRITABLE: "nothing is changed until space is freed"}


def _note(error: BaseException, how: str) -> None:
    OUTAGE.lost(error, how, MEANWHILE[how])


def with_reconnect(work: Callable[[], T], outage: Outage = OUTAGE) -> T:
    """Run `work` (a whole unit: its transactions start and end inside); when this thread's
    connection turns out lost, replace it and run `work` once more. DatabaseUnavailable when
    that fails too, or when a write is refused for want of space (noted); other errors
    propagate as they are."""
    before = _changes()
    try:
        result = work()
    except Exception as error:
        _refused_write(error)
        if not connection_lost(error):
            raise
        replace_connection()
        before = _changes()
        try:
            result = work()
        except Exception as again:
            _refused_write(again)
            if not connection_lost(again):
                raise
            replace_connection()
            outage.lost(again, GONE, MEANWHILE[GONE])
            raise DatabaseUnavailable(str(again)) from again
    outage.back(wrote=_wrote(before))
    return result


def once(work: Callable[[], T]) -> T:
    """Run `work` once, for code that tries again later itself: a lost connection is replaced,
    it or a refused write noted, and DatabaseUnavailable raised; a success ends an outage."""
    before = _changes()
    try:
        result = work()
    except Exception as error:
        if dropped(error):
            raise DatabaseUnavailable(str(error)) from error
        raise
    OUTAGE.back(wrote=_wrote(before))
    return result


def _refused_write(error: Exception) -> None:
    if cannot_write(error):
        _note(error, UNWRITABLE)
        raise DatabaseUnavailable(str(error)) from error


def _changes() -> int | None:
    """Rows this thread's SQLite connection has changed so far (None for other databases)."""
    db = database.obj
    if not isinstance(db, SqliteDatabase):
        return None
    return 0 if db.is_closed() else int(db.connection().total_changes)


def _wrote(before: int | None) -> bool | None:
    return None if before is None else _changes() != before


def dropped(error: BaseException) -> bool:
    """For code that has no retry (a loop that tries again later): when `error` is this
    thread's lost connection, replace it, note the outage (logged once) unless the new one
    answers, and return True; a refused write is noted too."""
    if cannot_write(error):
        _note(error, UNWRITABLE)
        return True
    if not connection_lost(error):
        return False
    replace_connection()
    # A new connection that answers: a restart this thread slept through, no outage (during
    # one, no second connection is tried: a server out of reach may take its timeout each time)
    if OUTAGE.down_for() or not _answers():
        _note(error, GONE)
    return True


def _answers() -> bool:
    """Does the database answer this thread's fresh connection?"""
    try:
        database.obj.execute_sql("SELECT 1")
    except (OperationalError, InterfaceError):
        replace_connection()
        return False
    return True


def check() -> None:
    """DatabaseUnavailable unless the database answers now (on this thread's connection,
    replaced if lost)."""
    with_reconnect(lambda: database.obj.execute_sql("SELECT 1"))


def noted(error: BaseException) -> bool:
    """Is `error` the database's absence, logged once per outage here: DatabaseUnavailable,
    this thread's lost connection (replaced now), or a write refused for want of space? Loops
    that try again later log the rest."""
    return isinstance(error, DatabaseUnavailable) or dropped(error)


def probe() -> bool:
    """Does the database do now what it failed to do: answer, or (a full disk) take a write?"""
    try:
        if OUTAGE.writes_refused:
            with_reconnect(_write_nothing)
            OUTAGE.back(wrote=True)
        else:
            check()
    except DatabaseUnavailable:
        return False
    return True


def _write_nothing() -> None:
    """A write that changes nothing but needs room on the disk (SQLite: the header's
    user_version, set to what it is)."""
    db = database.obj
    if not isinstance(db, SqliteDatabase):
        db.execute_sql("SELECT 1")
        return
    with db.atomic():
        version = int(db.execute_sql("PRAGMA user_version").fetchone()[0])
        db.execute_sql(f"PRAGMA user_version = {version}")
