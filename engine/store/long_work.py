"""Long synchronous work in a turn (an organizer's CSV of every participant, a chart) that
would hold the event loop.

With PostgreSQL the turns run in lanes on the event loop (`engine.store.lanes`): their waits
for the database let every other chat go on, but Python that computes for a second holds them
all for that second. `apart(work)` runs such work on a thread of its own, with that thread's
connection (so outside the turn's transaction: for reads), while the loop goes on; anywhere
else (SQLite, whose turns run on the loop anyway; a thread; a test) it runs at once.
"""

from __future__ import annotations

import asyncio
import contextvars
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import TypeVar

from engine.store.outage import with_reconnect

T = TypeVar("T")

_THREAD = ThreadPoolExecutor(1, thread_name_prefix="apart")


def apart(work: Callable[[], T]) -> T:
    """The result of `work()`, computed on a thread of its own when called in a lane."""
    try:
        from engine.store.lanes import in_lane, wait_for  # (PostgreSQL's extra)
    except ImportError:
        return work()
    if not in_lane():
        return work()
    # (the lane's context goes along: the language the turn speaks, for one)
    elsewhere = partial(contextvars.copy_context().run, with_reconnect, work)
    return wait_for(asyncio.get_running_loop().run_in_executor(_THREAD, elsewhere))
