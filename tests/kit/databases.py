"""Where a test's data lives: a SQLite file in its tmp folder, or, when TEST_DATABASE_URL names a
PostgreSQL server, a database of its own there.

Tests name their database by a path (`tmp_path / "bot.sqlite3"`) and ask `database_url(path)`
for the DATABASE_URL to give the bot, its subprocesses and the panel. On the PostgreSQL pass the
same path always maps to the same database, created on first use as a copy of a template that
holds today's schema (a copy costs a few milliseconds; migrating costs far more), or empty when
the test is about creating the schema. `query` reads a database as an operator would, with
portable SQL and `?` placeholders. Checks that only make sense for SQLite (its pragmas, a
read-only file, a full disk) are marked `sqlite_only` and skipped on the PostgreSQL pass.
A test that restarts or stops the server under a running bot starts a `Cluster` of its own.

The databases (`rc_<pid>_…`) are left on the server: TEST_DATABASE_URL is meant for a throwaway
cluster (`.ci/postgres`, which run_tests.sh starts and removes), where dropping hundreds of
databases one by one would cost more than the tests.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterable
from contextlib import closing
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest
from playhouse.db_url import connect

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "")
SQLITE_ONLY = "sqlite_only"
_TEMPLATE = f"rc_template_{os.getpid()}"
_created: set[str] = set()


def on_postgresql() -> bool:
    return TEST_DATABASE_URL.startswith(("postgres://", "postgresql://"))


def database_url(path: Path, *, empty: bool = False) -> str:
    """The DATABASE_URL for the test database named by `path`: the SQLite file itself, or on
    the PostgreSQL pass a fresh database (today's schema, or nothing at all when `empty`)."""
    if not on_postgresql():
        return f"sqlite:///{path}"
    name = f"rc_{os.getpid()}_{hashlib.sha1(str(path).encode()).hexdigest()[:16]}"
    if name not in _created:
        if empty:
            _admin(f'CREATE DATABASE "{name}"')
        else:
            _ensure_template()
            _admin(f'CREATE DATABASE "{name}" TEMPLATE "{_TEMPLATE}"')
        _created.add(name)
    return _with_database(name)


def query(url: str, sql: str, *params: object) -> list[tuple[Any, ...]]:
    """Run `sql` (portable SQL, `?` placeholders, `"user"` quoted) against `url`, return rows
    as both databases store them: JSON columns as their text (none for a statement that
    returns no rows; it is committed at once)."""
    db = connect(url)
    with closing(db):
        if on_postgresql() and url.startswith("postgresql"):
            from psycopg.types.string import TextLoader

            for json_type in ("json", "jsonb"):
                db.connection().adapters.register_loader(json_type, TextLoader)
        cursor = db.execute_sql(sql.replace("?", db.param), params)
        return list(cursor.fetchall()) if cursor.description else []


class Cluster:
    """A PostgreSQL server of one test's own (`.ci/postgres`), on a free loopback port, to
    restart or stop under a running bot; `remove` stops it and deletes its folder."""

    SCRIPT = Path(__file__).resolve().parents[2] / ".ci" / "postgres"

    def __init__(self) -> None:
        # Under /tmp itself: the server runs as `nobody` when the tests run as root, and
        # pytest's own folders are private to their owner.
        self.folder = tempfile.mkdtemp(prefix="rc-cluster-")
        try:
            self.url = self._run("start").strip()
        except BaseException:
            shutil.rmtree(self.folder, ignore_errors=True)
            raise

    def restart(self) -> None:
        """pg_ctl restart (fast mode): every connection is cut, the server is back at once."""
        self._run("restart")

    def down(self) -> None:
        self._run("down")

    def up(self) -> None:
        self._run("up")

    def remove(self) -> None:
        self._run("stop")

    def _run(self, action: str) -> str:
        return subprocess.run([str(self.SCRIPT), action, self.folder], check=True,
                              capture_output=True, text=True, timeout=60).stdout


def skip_sqlite_only(items: Iterable[pytest.Item]) -> None:
    """On the PostgreSQL pass, skip the tests marked `sqlite_only`."""
    if not on_postgresql():
        return
    skip = pytest.mark.skip(reason="checks SQLite itself; this pass runs on PostgreSQL")
    for item in items:
        if item.get_closest_marker(SQLITE_ONLY):
            item.add_marker(skip)


def _with_database(name: str) -> str:
    return urlunsplit(urlsplit(TEST_DATABASE_URL)._replace(path=f"/{name}"))


def _ensure_template() -> None:
    if _TEMPLATE in _created:
        return
    from coffee.models import SCHEMAS
    from engine.store import migrate
    from engine.store.database import connect_url

    _admin(f'DROP DATABASE IF EXISTS "{_TEMPLATE}"')
    _admin(f'CREATE DATABASE "{_TEMPLATE}"')
    _created.add(_TEMPLATE)
    db = connect_url(_with_database(_TEMPLATE))
    models = [model for schema in SCHEMAS for model in schema.models]
    with closing(db), db.bind_ctx(models):  # leaves whatever a test has opened alone
        migrate(db, SCHEMAS)


_admin_connection: Any = None


def _admin(sql: str) -> None:
    """Run a statement outside any transaction, on the server's maintenance database."""
    global _admin_connection
    import psycopg

    if _admin_connection is None or _admin_connection.closed:
        _admin_connection = psycopg.connect(TEST_DATABASE_URL, autocommit=True)
    _admin_connection.execute(sql)
