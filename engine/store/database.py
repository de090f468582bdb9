"""Open the database from a URL, with SQLite tuned for a bot (WAL, foreign keys, busy timeout),
and bring its schema up to date under a lock that every process starting at once respects."""

from __future__ import annotations

import re
from collections.abc import Sequence
from urllib.parse import urlsplit, urlunsplit

from peewee import (
    Database,
    ImproperlyConfigured,
    OperationalError,
    PostgresqlDatabase,
    SqliteDatabase,
)
from playhouse.db_url import connect

from engine.store.models import database
from engine.store.schema import ENGINE_SCHEMA, SQLITE_FOREIGN_KEYS, Schema, migrate

SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": SQLITE_FOREIGN_KEYS,
    "synchronous": "normal",
    "busy_timeout": 10_000,
}
# A PostgreSQL server that does not answer is reported after this long, not waited for forever
# (a URL's own ?connect_timeout= wins).
CONNECT_TIMEOUT = 10


class DatabaseUrlError(ValueError):
    """DATABASE_URL does not name a database this project can open."""


def database_problem(url: str, error: Exception) -> str | None:
    """An operator's one line for a database that cannot be written to (read-only, full,
    gone), or None for any other error."""
    text = str(error).lower()
    where = url.removeprefix("sqlite:///") if url.startswith("sqlite:///") else redacted(url)
    if "readonly" in text or "read-only" in text:
        return f"the database {where} is read-only: nothing was written; make it writable " \
               "for this user and run again"
    if "disk is full" in text or "no space" in text:
        return f"the disk holding the database {where} is full: nothing was written; free " \
               "some space and run again"
    if "disk i/o error" in text:
        return f"the database {where} cannot be written (disk I/O error: is its disk full?): " \
               "nothing was written; free some space and run again"
    if "unable to open" in text:
        return f"the database {where} cannot be opened ({error}): check the path and its " \
               "folder's permissions"
    return None


def redacted(url: str) -> str:
    """`url` with its password masked, fit for a log line or an error message."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return urlunsplit(parts._replace(netloc=netloc))


def connect_url(url: str) -> Database:
    """A connected database for `url`; DatabaseUrlError, in one line, when it cannot be opened
    (unknown scheme, driver missing, server unreachable, login refused, database missing)."""
    try:
        db = connect(url)
    except (RuntimeError, ValueError, ImportError) as error:
        raise DatabaseUrlError(f"DATABASE_URL {redacted(url)!r} cannot be opened: "
                               f"{error}") from error
    if isinstance(db, SqliteDatabase):
        db = SqliteDatabase(db.database, pragmas=SQLITE_PRAGMAS)
    elif isinstance(db, PostgresqlDatabase):
        db.connect_params.setdefault("connect_timeout", CONNECT_TIMEOUT)
        try:
            from engine.store.lanes import share_the_loop  # (PostgreSQL's extra)
        except ImportError as error:
            raise _needs_extra(url) from error
        share_the_loop(db)
    try:
        db.connect(reuse_if_open=True)
    except ImproperlyConfigured as error:
        raise _needs_extra(url) from error
    except OperationalError as error:
        problem = database_problem(url, error)
        if problem is None and isinstance(db, PostgresqlDatabase):
            reason = re.sub(r"\s+", " ", str(error)).strip()
            problem = (f"the database {redacted(url)} cannot be opened ({reason}): check "
                       "DATABASE_URL and that the server is running")
        if problem is None:
            raise
        raise DatabaseUrlError(problem) from error
    return db


def _needs_extra(url: str) -> DatabaseUrlError:
    return DatabaseUrlError(f"DATABASE_URL {redacted(url)!r} needs a driver that is not "
                            "installed: pip install '.[postgres]'")


def open_database(url: str, schemas: Sequence[Schema] = (ENGINE_SCHEMA,)) -> Database:
    """Connect the models to `url` and create or migrate the schemas (`engine.store.schema`):
    the engine's alone by default; an application passes its own after the engine's."""
    db = connect_url(url)
    database.initialize(db)
    migrate(db, schemas)
    return db
