"""Queries whose SQL is built once per database and reused.

Building SQL costs Peewee several times more than SQLite spends running a primary-key lookup;
the few queries run for every message are prepared here once for each database they run on
(SQLite and PostgreSQL differ in placeholders and quoting).
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from typing import Any, Generic, TypeVar
from weakref import WeakKeyDictionary

from peewee import Database, Model, Query, __exception_wrapper__

M = TypeVar("M", bound=Model)
T = TypeVar("T")

# A query is prepared from an example of it: any value of the right kind stands for a parameter,
# this one for a time.
EXAMPLE_TIME = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


class Prepared(Generic[M]):
    """A query on `model`'s database whose SQL is built once per database; run with the
    parameters in the order the query took them, as the database takes them (`db_value`)."""

    def __init__(self, model: type[M], query: Query) -> None:
        self.model = model
        self.query = query
        # built on first use with each database: (SQL, number of parameters)
        self._sql: WeakKeyDictionary[Database, tuple[str, int]] = WeakKeyDictionary()

    def _checked(self, params: tuple[Any, ...]) -> str:
        sql, arity = self._compiled()
        if len(params) != arity:
            raise TypeError(f"{sql!r} takes {arity} parameters, got {len(params)}")
        return sql

    def _database(self) -> Database:
        bound = self.model._meta.database
        return getattr(bound, "obj", bound)  # the database behind the models' proxy

    def _execute(self, params: tuple[Any, ...]) -> Any:
        """The cursor of the query run with `params` (with the statements its connection
        holds back, if any: engine.store.lanes)."""
        db = self._database()
        sql = self._checked(params)
        run_now = getattr(db._state.conn, "run_now", None)
        if run_now is None:
            return db.execute_sql(sql, params)
        return _told(db, sql, params, lambda: run_now(sql, params))

    def _fetched(self, params: tuple[Any, ...]) -> list[tuple[Any, ...]]:
        """Every row the query run with `params` returns, as the database returned it."""
        return [tuple(row) for row in self._execute(params).fetchall()]

    def _compiled(self) -> tuple[str, int]:
        db = self._database()
        compiled = self._sql.get(db)
        if compiled is None:
            sql, example = db.get_sql_context().sql(self.query).query()
            compiled = self._sql[db] = (sql, len(example))
        return compiled


def _told(db: Database, sql: str, params: tuple[Any, ...], run: Callable[[], T]) -> T:
    """What `run` (a statement made or held back on the connection itself) returns, told to
    Peewee's debug log and query hooks as `execute_sql` tells them."""
    db._log_query(sql, params)
    started = time.perf_counter() if db.query_hooks else None
    try:
        with __exception_wrapper__:
            result = run()
    except Exception as error:
        if started is not None:
            db._notify_hooks(sql, params, started, error)
        raise
    if started is not None:
        db._notify_hooks(sql, params, started, None)
    return result


def _held_back(db: Database, sql: str, params: tuple[Any, ...]) -> bool:
    """Hold `sql` back on the connection, to travel with its next statement, where it can (a
    lane's, engine.store.lanes), told to Peewee's log and hooks; False: make it now."""
    hold_back = getattr(db._state.conn, "hold_back", None)
    if hold_back is None or not hold_back(sql, params):
        return False
    _told(db, sql, params, lambda: None)
    return True


class PreparedSelect(Prepared[M]):
    """A SELECT: `rows` reads rows of `model`; `values` reads the one row of a query without a
    table of its own (scalar subqueries, EXISTS) as a tuple."""

    def rows(self, *params: Any) -> list[M]:
        return list(self.model.raw(self._checked(params), *params))

    def first(self, *params: Any) -> M | None:
        found = self.rows(*params)
        return found[0] if found else None

    def tuples(self, *params: Any) -> list[tuple[Any, ...]]:
        """The rows as the database returned them (no model built: apply a field's
        `python_value` where its column needs converting)."""
        return self._fetched(params)

    def tuples_after(self, statement: str, before: tuple[Any, ...], *params: Any,
                     ) -> list[tuple[Any, ...]]:
        """`tuples`, after `statement` (its parameters `before`), whose result is not read: on
        a lane's connection in one round trip (engine.store.lanes), where each statement of
        the message has a snapshot of its own, so the query sees what was committed while
        `statement` waited (a lock); elsewhere one after the other."""
        db = self._database()
        if not _held_back(db, statement, before):
            db.execute_sql(statement, before)
        return self._fetched(params)

    def values(self, *params: Any) -> tuple[Any, ...]:
        row = self._execute(params).fetchone()
        if row is None:
            raise LookupError(f"{self.query} returned no row")
        return tuple(row)


class PreparedWrite(Prepared[M]):
    """An INSERT, UPDATE or DELETE: `run` returns how many rows it wrote."""

    def run(self, *params: Any) -> int:
        return int(self._execute(params).rowcount)

    def later(self, *params: Any) -> None:
        """`run` for a write whose count nobody reads; in a transaction on a connection that
        can (a lane's, engine.store.lanes), held back to travel with the transaction's next
        statement: a round trip less. Its error, if any, is raised by that statement."""
        db = self._database()
        if not (db.in_transaction() and _held_back(db, self._checked(params), params)):
            self.run(*params)

    def returned(self, *params: Any) -> list[tuple[Any, ...]]:
        """Run a write with a RETURNING clause: the rows it returned."""
        return self._fetched(params)
