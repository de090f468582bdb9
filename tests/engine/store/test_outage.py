"""A connection broken while its thread slept (the server restarted meanwhile) is replaced
without an outage in the log when the database answers the new one."""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor

import pytest

from engine.dialog.engine import ConversationEngine
from engine.store import database, outage
from engine.store.outage import OUTAGE, DatabaseUnavailable, once
from tests.kit.databases import on_postgresql

pytestmark = pytest.mark.skipif(not on_postgresql(),
                                reason="PostgreSQL: SQLite has no connection to lose")


def terminated_elsewhere(backend: int) -> None:
    def terminate() -> None:
        db = database.obj
        try:
            db.execute_sql("SELECT pg_terminate_backend(%s)", (backend,))
        finally:
            db.close()

    with ThreadPoolExecutor(1) as elsewhere:
        elsewhere.submit(terminate).result()


def test_a_stale_connection_is_replaced_without_an_outage(
        fixture_engine: ConversationEngine, caplog: pytest.LogCaptureFixture) -> None:
    db = database.obj
    [(backend,)] = db.execute_sql("SELECT pg_backend_pid()").fetchall()
    terminated_elsewhere(backend)
    with caplog.at_level(logging.WARNING, logger=outage.__name__):
        with pytest.raises(DatabaseUnavailable):  # this work failed: its caller tries later
            once(lambda: db.execute_sql("SELECT 1"))
        assert once(lambda: db.execute_sql("SELECT 2").fetchall()) == [(2,)]
    assert OUTAGE.down_for() == 0
    assert caplog.text == ""
