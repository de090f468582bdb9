"""Queries whose SQL is built once per database and reused.

Building SQL costs Peewee several times more than SQLite spends running a primary-key lookup;
the few queries run for every message are prepared here once for each database they run on
(SQLite and PostgreSQL differ in placeholders and quoting).
"""

from __future__ import annotations

from typing import Any, Generic, TypeVar
from weakref import WeakKeyDictionary

from peewee import Database, Model, Query

M = TypeVar("M", bound=Model)


class PreparedSelect(Generic[M]):
    """A SELECT of one model; call it with the parameters in the order the query took them."""

    def __init__(self, model: type[M], query: Query) -> None:
        self.model = model
        self.query = query
        # built on first use with each database: (SQL, number of parameters)
        self._sql: WeakKeyDictionary[Database, tuple[str, int]] = WeakKeyDictionary()

    def rows(self, *params: Any) -> list[M]:
        sql, arity = self._compiled()
        if len(params) != arity:
            raise TypeError(f"{sql!r} takes {arity} parameters, got {len(params)}")
        return list(self.model.raw(sql, *params))

    def first(self, *params: Any) -> M | None:
        found = self.rows(*params)
        return found[0] if found else None

    def _compiled(self) -> tuple[str, int]:
        bound = self.model._meta.database
        db = getattr(bound, "obj", bound)  # the database behind the models' proxy
        compiled = self._sql.get(db)
        if compiled is None:
            sql, example = self.query.sql()
            compiled = self._sql[db] = (sql, len(example))
        return compiled
