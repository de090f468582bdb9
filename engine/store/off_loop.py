"""Database work of asyncio code that is not a participant's turn (the outbox's delivery, a
broadcast's progress) runs on one thread of its own, off the event loop, so that a slow or
vanished database stalls no chat.

One thread, so one connection: a session-level advisory lock taken there (the sender's role,
`engine.delivery.sender`) is held and released on the same connection, and each delivery's
queries run one after another as they did on the loop. A connection found lost is replaced on
that thread, the outage noted once (`engine.store.outage`), and the work ends in
DatabaseUnavailable, as does a write refused for want of space: a delivery is tried again at
its next run.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

from peewee import Database

from engine.store.models import database
from engine.store.outage import once

T = TypeVar("T")

_THREAD = ThreadPoolExecutor(1, thread_name_prefix="store")
_connected: list[Database] = []  # the database this thread last used (touched only there)


async def off_loop(work: Callable[[], T]) -> T:
    """The result of `work()`, run on the store's thread. Work once handed over is done even
    if the caller is cancelled meanwhile (a bot stopping): a message sent is marked sent; what
    it then raises is the abandoned caller's, and is dropped."""
    done = asyncio.get_running_loop().run_in_executor(_THREAD, _guarded, work)
    done.add_done_callback(_retrieve)
    return await asyncio.shield(done)


def _retrieve(done: asyncio.Future[T] | Future[T]) -> None:
    """Mark the outcome seen, so that an error nobody awaits any more is not reported as
    'Future exception was never retrieved' (the awaiting caller still gets it)."""
    if not done.cancelled():
        done.exception()


def _guarded(work: Callable[[], T]) -> T:
    current = database.obj
    if _connected and _connected[0] is not current:
        # The models were bound to another database (the test suite opens one per test):
        # the thread keeps no connection to the earlier one.
        with contextlib.suppress(Exception):
            _connected[0].close()
    _connected[:] = [current]
    return once(work)
