"""Handle participants' updates off the event loop, one participant at a time across processes.

The engine runs in worker threads, each with its own database connection, so a slow database
stalls no other chat. With SQLite one thread handles every update (SQLite takes one writer at
a time, and a single thread keeps its speed) and the replies are sent from the loop. With
PostgreSQL several threads run, and a participant's turn (`engine.store.participants`) holds
their lock while it handles every update of theirs recorded and not handled yet up to its own,
in update-id order, and sends the replies: a fast typist whose updates reach different workers
is answered in order. A connection found lost is replaced and the turn tried once more.
Updates recorded and left unhandled (the database went away after recording, a worker was
killed after acknowledging) are handled by `resume`, which the bot calls at start and when the
database is back.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import Any, TypeVar

from telegram import Bot, Update

from engine.dialog.events import Event, Reply
from engine.store import outage, participants, utc_now
from engine.store.outage import with_reconnect
from engine.transports.telegram.convert import event_from, is_private

# Threads that handle updates with PostgreSQL: each holds a connection, so workers times this is
# the number of connections the bot opens for participants (PostgreSQL allows 100 by default).
SHARED_THREADS = 8
RECEIVING_THREADS = 2

T = TypeVar("T")
Handle = Callable[[Event], list[Reply]]
Send = Callable[[Event, list[Reply]], Coroutine[Any, Any, None]]


class Turns:
    """Where and in which order the engine handles a participant's updates."""

    def __init__(self, handle: Handle, bot: Bot) -> None:
        self.handle = handle
        self.bot = bot
        self.shared = participants.shared()  # updates are recorded before they are handled
        self.handling = ThreadPoolExecutor(SHARED_THREADS if self.shared else 1,
                                           thread_name_prefix="updates")
        self.receiving = ThreadPoolExecutor(RECEIVING_THREADS, thread_name_prefix="receive")

    def shutdown(self) -> None:
        for executor in (self.handling, self.receiving):
            executor.shutdown(wait=True, cancel_futures=True)

    async def record(self, update: Update) -> None:
        """Give a participant's update its place in their line before it is acknowledged;
        DatabaseUnavailable when the database does not answer (Telegram sends it again)."""
        if not self.shared or not is_private(update):
            return
        loop = asyncio.get_running_loop()
        if update.my_chat_member is not None:
            # A block is no turn of the participant's, and is handled as it comes: acknowledged
            # only while the database answers, so that an outage does not swallow it.
            await loop.run_in_executor(self.receiving, outage.check)
            return
        event = event_from(update)
        if event is None:
            return
        payload = update.to_dict()
        work = partial(participants.receive, update.update_id, event.user_id, payload, utc_now())
        await loop.run_in_executor(self.receiving, with_reconnect, work)

    async def run(self, work: Callable[[], T]) -> T:
        """Run database work (a whole unit) on a handling thread, its connection replaced and
        the work tried once more if found lost; DatabaseUnavailable when that fails too."""
        return await asyncio.get_running_loop().run_in_executor(self.handling, with_reconnect,
                                                                work)

    async def take(self, event: Event, send: Send) -> None:
        """Handle `event` (and, when shared, its participant's earlier updates) and send the
        replies with `send`; DatabaseUnavailable when the database does not answer."""
        if not self.shared:
            replies = await self.run(partial(self.handle, event))
            await send(event, replies)
            return
        await self.run(partial(self._line, event.user_id, event, send,
                               asyncio.get_running_loop()))

    async def resume(self, send: Send, before: dt.datetime) -> int:
        """Handle every update recorded before `before` and not handled yet, of whoever it is
        (later ones are in hand: answered with their typing indicator); return how many
        participants had some. DatabaseUnavailable when the database does not answer."""
        if not self.shared:
            return 0
        stranded = await self.run(partial(participants.stranded, before))
        for user_id in stranded:
            await self.run(partial(self._line, user_id, None, send, asyncio.get_running_loop()))
        return len(stranded)

    def _line(self, user_id: int, event: Event | None, send: Send,
              loop: asyncio.AbstractEventLoop) -> None:
        """In a worker thread, under the participant's lock: their recorded updates in order, up
        to `event` (later ones are their own workers' to handle, after their typing indicator),
        or all of them when there is no event."""
        with participants.hold(user_id):
            up_to = event.update_id if event is not None else None
            for update_id, payload in participants.waiting(user_id, up_to):
                current = event if event and update_id == event.update_id else self._event(payload)
                if current is not None:
                    self._handle_and_send(current, send, loop)
                participants.forget(update_id)

    def _handle_and_send(self, event: Event, send: Send, loop: asyncio.AbstractEventLoop,
                         ) -> None:
        replies = self.handle(event)
        asyncio.run_coroutine_threadsafe(send(event, replies), loop).result()

    def _event(self, payload: dict[str, Any]) -> Event | None:
        return event_from(Update.de_json(payload, self.bot))
