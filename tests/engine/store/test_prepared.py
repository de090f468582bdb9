"""Prepared queries keep their SQL per database: a process that has used SQLite and then
opens PostgreSQL sends PostgreSQL its own placeholders."""

from __future__ import annotations

from pathlib import Path

import pytest
from peewee import Select, fn

from engine.store import PreparedSelect, User, open_database
from tests.kit.databases import database_url, on_postgresql

BY_ID = PreparedSelect(User, User.select().where(User.id == 0))
KNOWN = PreparedSelect(User, Select(columns=[
    fn.EXISTS(User.select(User.id).where(User.id == 0)),
    User.select(User.first_name).where(User.id == 0)]))


def stored_and_found(url: str, name: str) -> str | None:
    """Store user 7 as `name` in the database at `url`, then find them by the prepared query."""
    db = open_database(url)
    try:
        User.get_or_create(id=7, defaults={"locale": "uk", "first_name": name})
        found = BY_ID.first(7)
        return found.first_name if found else None
    finally:
        db.close()


def test_a_prepared_select_checks_its_parameters(tmp_path: Path) -> None:
    assert stored_and_found(database_url(tmp_path / "bot.sqlite3"), "Olena") == "Olena"
    with pytest.raises(TypeError, match="takes 1 parameters, got 2"):
        BY_ID.rows(1, 2)


def test_a_prepared_select_of_values_without_a_table(tmp_path: Path) -> None:
    """Scalar subqueries and EXISTS in one row, on whichever database the tests use."""
    db = open_database(database_url(tmp_path / "bot.sqlite3"))
    try:
        User.create(id=7, locale="uk", first_name="Olena")
        assert KNOWN.values(7, 7) == (True, "Olena")
        assert KNOWN.values(8, 8) == (False, None)
    finally:
        db.close()


@pytest.mark.skipif(not on_postgresql(), reason="needs a PostgreSQL server (TEST_DATABASE_URL)")
def test_sqlite_then_postgresql_in_one_process(tmp_path: Path) -> None:
    sqlite = f"sqlite:///{tmp_path / 'first.sqlite3'}"
    assert stored_and_found(sqlite, "Lite") == "Lite"
    assert stored_and_found(database_url(tmp_path / "second.sqlite3"), "Postgres") == "Postgres"
    assert stored_and_found(sqlite, "ignored") == "Lite"


def test_prepared_statements_are_told_to_peewees_query_hooks(tmp_path: Path) -> None:
    """With PostgreSQL they run on a cursor of the connection's own, not through Peewee's
    execute_sql: what watches the queries (a benchmark's count, a debug log) still sees them."""
    db = open_database(database_url(tmp_path / "bot.sqlite3"))
    seen: list[str] = []
    db.query_hooks.append(lambda event: seen.append(event.sql))
    try:
        assert KNOWN.values(8, 8) == (False, None)
    finally:
        db.close()
    assert len(seen) == 1 and seen[0].startswith("SELECT EXISTS")
