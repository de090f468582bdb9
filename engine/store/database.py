"""Open the database from a URL, with SQLite tuned for a bot (WAL, foreign keys, busy timeout),
and bring its schema up to date."""

from __future__ import annotations

from pathlib import Path

from peewee import Database, SqliteDatabase
from playhouse.db_url import connect
from playhouse.migrations import Runner

from engine.store.models import ALL_MODELS, database

MIGRATIONS = Path(__file__).parent / "migrations"
SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    "synchronous": "normal",
    "busy_timeout": 10_000,
}


class DatabaseUrlError(ValueError):
    """DATABASE_URL does not name a database this project can open."""


def database_problem(url: str, error: Exception) -> str | None:
    """An operator's one line for a database that cannot be written to (read-only, full,
    gone), or None for any other error."""
    text = str(error).lower()
    where = url.removeprefix("sqlite:///") if url.startswith("sqlite:///") else url
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


def open_database(url: str, *, migrations: Path = MIGRATIONS) -> Database:
    """Connect the models to `url` and create or migrate the schema."""
    try:
        db = connect(url)
    except (RuntimeError, ValueError, ImportError) as error:
        raise DatabaseUrlError(f"DATABASE_URL {url!r} cannot be opened: {error}") from error
    if isinstance(db, SqliteDatabase):
        db = SqliteDatabase(db.database, pragmas=SQLITE_PRAGMAS)
    database.initialize(db)
    db.connect(reuse_if_open=True)
    migrate(db, migrations)
    return db


def migrate(db: Database, directory: Path = MIGRATIONS) -> list[str]:
    """Create a new schema from the models, or apply the pending migrations to an existing one.

    A fresh database gets today's tables and every migration recorded as applied (they are
    already reflected in the models); an existing one runs only what it has not seen yet.
    """
    runner = Runner(db, str(directory))
    if not db.table_exists(ALL_MODELS[0]._meta.table_name):
        with db.atomic():
            db.create_tables(ALL_MODELS)
            runner.fake()
        return []
    return runner.up()
