"""Send what a press or a block queued for other participants (a partner told that a meeting
is off), soon after it was queued, without a query per press.

A delivery looks for queued notices in the database; run once per button press it would cost a
busy bot more than the press itself. So the first request starts a delivery at once, and the
requests that come while it runs or during the PAUSE after it are served together by one more
delivery right after: a notice waits at most PAUSE plus one delivery, whatever the load.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

from engine.store import outage

log = logging.getLogger(__name__)

PAUSE_SECONDS = 0.25


class Notices:
    """Runs `deliver` when asked: at once, or right after the delivery in hand and its pause."""

    def __init__(self, deliver: Callable[[], Awaitable[None]],
                 pause: float = PAUSE_SECONDS) -> None:
        self.deliver = deliver
        self.pause = pause
        self._asked = False
        self._task: asyncio.Task[None] | None = None

    def ask(self) -> None:
        """Something may have been queued: deliver it soon."""
        self._asked = True
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._run(), name="notices")

    async def close(self) -> None:
        """Stop delivering (the bot stops; what is left waits for the next delivery)."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _run(self) -> None:
        while self._asked:
            self._asked = False
            try:
                await self.deliver()
            except Exception as error:
                if not outage.noted(error):  # an outage: the next request tries again
                    log.exception("the notices for other participants were not delivered")
            await asyncio.sleep(self.pause)
