"""Queries whose SQL is built once and reused.

Building SQL costs Peewee several times more than SQLite spends running a primary-key lookup;
the few queries run for every message are prepared here once, with `?` placeholders.
"""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from peewee import Model, Query

M = TypeVar("M", bound=Model)


class PreparedSelect(Generic[M]):
    """A SELECT of one model; call it with the parameters in the order the query took them."""

    def __init__(self, model: type[M], query: Query) -> None:
        self.model = model
        self.query = query
        self._sql: str | None = None  # built on first use: the database is known by then
        self._arity = 0

    def rows(self, *params: Any) -> list[M]:
        if self._sql is None:
            self._sql, example = self.query.sql()
            self._arity = len(example)
        if len(params) != self._arity:
            raise TypeError(f"{self._sql!r} takes {self._arity} parameters, got {len(params)}")
        return list(self.model.raw(self._sql, *params))

    def first(self, *params: Any) -> M | None:
        found = self.rows(*params)
        return found[0] if found else None
