"""Copy every table of the bot's database into another, empty one: how a community moves from
SQLite to PostgreSQL (`runner.py migrate-db --to URL`).

The target gets today's schema first (created when it has none), must hold no rows, and is
filled in one transaction, tables in dependency order, rows read and written through the models
(so JSON, booleans and times arrive in the target's own types). Auto-numbered ids keep their
values; the target's sequences then continue after the largest. Every table's rows are counted
on both sides before the copy is committed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from peewee import AutoField, Database, IntegrityError, Model, PostgresqlDatabase, sort_models

from engine.store.database import DatabaseUrlError, connect_url, redacted
from engine.store.schema import ENGINE_SCHEMA, Schema, migrate

BATCH = 500  # rows per INSERT


class TransferRefused(DatabaseUrlError):
    """The target cannot take the copy (it holds rows, or a row does not fit); nothing was
    written to it."""


@dataclass(frozen=True)
class Copied:
    """One table copied: its name and how many rows each side holds."""

    table: str
    rows: int


def transfer(source: Database, target_url: str,
             schemas: Sequence[Schema] = (ENGINE_SCHEMA,)) -> list[Copied]:
    """Copy every table of `schemas` from `source` (open, with today's schema) into the
    database at `target_url`; TransferRefused when it is not empty or a row does not fit."""
    target = connect_url(target_url)
    every_model = [model for schema in schemas for model in schema.models]
    try:
        with target.bind_ctx(every_model):
            migrate(target, schemas)
            occupied = [model._meta.table_name for model in every_model
                        if model.select().exists()]
        if occupied:
            raise TransferRefused(f"{redacted(target_url)} is not empty (rows in "
                                  f"{', '.join(occupied)}): migrate-db copies into an empty "
                                  "database only")
        models = sort_models(every_model)
        with target.atomic():
            copied = [_copy(model, source, target) for model in models]
            _continue_sequences(target, models)
    except IntegrityError as error:
        raise TransferRefused(f"a row does not fit into {redacted(target_url)} ({error}); "
                              "nothing was written") from error
    finally:
        target.close()
    return copied


def _copy(model: type[Model], source: Database, target: Database) -> Copied:
    with source.bind_ctx([model]):
        rows = list(model.select().order_by(*_order(model)).dicts())
    with target.bind_ctx([model]):
        for start in range(0, len(rows), BATCH):
            model.insert_many(rows[start:start + BATCH]).execute()
        landed = model.select().count()
    if landed != len(rows):
        raise TransferRefused(f"{model._meta.table_name}: {len(rows)} rows read, {landed} "
                              "written; nothing was written")
    return Copied(model._meta.table_name, landed)


def _order(model: type[Model]) -> list[object]:
    key = model._meta.primary_key
    return [key] if key is not None else []


def _continue_sequences(target: Database, models: list[type[Model]]) -> None:
    """PostgreSQL numbers new rows from a sequence that copied ids did not advance."""
    if not isinstance(target, PostgresqlDatabase):
        return
    for model in models:
        key = model._meta.primary_key
        if not isinstance(key, AutoField):
            continue
        table, column = model._meta.table_name, key.column_name
        target.execute_sql(
            f"SELECT setval(pg_get_serial_sequence('\"{table}\"', '{column}'), "
            f'COALESCE(MAX("{column}"), 1), MAX("{column}") IS NOT NULL) FROM "{table}"')
