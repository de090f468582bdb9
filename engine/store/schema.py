"""Which tables a database holds and how each package's part of them is brought up to date.

A `Schema` is one package's models and the migrations of their history. The engine has its own
(`ENGINE_SCHEMA`); an application adds one for its models. `migrate` creates or migrates each in
turn, under a lock that every process starting at once respects.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from peewee import Database, Model, PostgresqlDatabase, SqliteDatabase
from playhouse.migrations import Runner

from engine.store.models import ENGINE_MODELS

# The advisory lock key every process takes around schema creation and migrations: any number,
# the same everywhere ("RCMG").
SCHEMA_LOCK = 0x52434D47
SQLITE_FOREIGN_KEYS = 1


@dataclass(frozen=True)
class Schema:
    """One package's tables (`models`, in creation order) and the folder of the numbered
    scripts that migrated databases made before today's models, recorded in `history_table`."""

    name: str
    models: tuple[type[Model], ...]
    migrations: Path
    history_table: str

    def migration_names(self) -> list[str]:
        return sorted(path.stem for path in self.migrations.glob("[0-9]*.py"))


ENGINE_SCHEMA = Schema("engine", ENGINE_MODELS, Path(__file__).parent / "migrations",
                       history_table="engine_schema_migration")


def migrate(db: Database, schemas: Sequence[Schema] = (ENGINE_SCHEMA,)) -> list[str]:
    """Create each schema's tables in a database that lacks them, or apply the pending
    migrations of a schema whose tables exist; returns the migrations applied.

    Tables created from today's models get every migration of their schema recorded as applied
    (the models reflect them already). Processes starting together take turns (`schema_lock`):
    the first creates or migrates, the others then find nothing left to do.
    """
    applied: list[str] = []
    with schema_lock(db):
        for schema in schemas:
            runner = Runner(db, str(schema.migrations), table_name=schema.history_table)
            if db.table_exists(schema.models[0]._meta.table_name):
                applied.extend(runner.up())
                continue
            with db.atomic():
                db.create_tables(schema.models)
                runner.fake()
    return applied


@contextmanager
def schema_lock(db: Database) -> Iterator[None]:
    """Hold the schema for one process at a time: a session advisory lock on PostgreSQL, a
    write transaction taken at once (BEGIN IMMEDIATE) on SQLite.

    On SQLite a migration may rebuild a table; foreign keys are off meanwhile (settable only
    outside a transaction), so that dropping the old table cascades to nothing.
    """
    if isinstance(db, PostgresqlDatabase):
        db.execute_sql("SELECT pg_advisory_lock(%s)", (SCHEMA_LOCK,))
        try:
            yield
        finally:
            db.execute_sql("SELECT pg_advisory_unlock(%s)", (SCHEMA_LOCK,))
    elif isinstance(db, SqliteDatabase):
        db.pragma("foreign_keys", 0)
        try:
            with db.atomic(lock_type="IMMEDIATE"):
                yield
        finally:
            db.pragma("foreign_keys", SQLITE_FOREIGN_KEYS)
    else:
        yield
