"""Handle participants' updates off the event loop, one participant at a time across processes.

The engine runs in worker threads, each with its own database connection, so a slow database
stalls no other chat. With SQLite one thread handles every update (SQLite takes one writer at
a time, and a single thread keeps its speed) and the replies are sent from the loop. With
PostgreSQL several threads run, and a participant's turn (`engine.store.participants`) holds
their lock while it handles every update of theirs recorded and not handled yet, in update-id
order, and sends the replies: a fast typist whose updates reach different workers is answered
in order. A connection found lost is replaced and the turn tried once more.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import Any

from telegram import Bot, Update

from engine.dialog.events import Event, Reply
from engine.store import participants, utc_now
from engine.store.outage import with_reconnect
from engine.transports.telegram.convert import event_from, is_private

# Threads that handle updates with PostgreSQL: each holds a connection, so workers times this is
# the number of connections the bot opens for participants (PostgreSQL allows 100 by default).
SHARED_THREADS = 8
RECEIVING_THREADS = 2

Handle = Callable[[Event], list[Reply]]
Send = Callable[[Event, list[Reply]], Coroutine[Any, Any, None]]


class Turns:
    """Where and in which order the engine handles a participant's updates."""

    def __init__(self, handle: Handle, bot: Bot) -> None:
        self.handle = handle
        self.bot = bot
        self.shared = participants.shared()
        self.recording = False  # webhook workers on a shared database record updates first
        self.handling = ThreadPoolExecutor(SHARED_THREADS if self.shared else 1,
                                           thread_name_prefix="updates")
        self.receiving = ThreadPoolExecutor(RECEIVING_THREADS, thread_name_prefix="receive")

    def shutdown(self) -> None:
        for executor in (self.handling, self.receiving):
            executor.shutdown(wait=True, cancel_futures=True)

    async def record(self, update: Update) -> None:
        """Give a participant's update its place in their line before it is acknowledged;
        DatabaseUnavailable when the database does not answer (Telegram sends it again)."""
        if not self.recording or not is_private(update) or update.my_chat_member is not None:
            return
        event = event_from(update)
        if event is None:
            return
        payload = update.to_dict()
        work = partial(participants.receive, update.update_id, event.user_id, payload, utc_now())
        await asyncio.get_running_loop().run_in_executor(self.receiving, with_reconnect, work)

    async def take(self, event: Event, send: Send) -> None:
        """Handle `event` (and, when shared, its participant's earlier updates) and send the
        replies with `send`; DatabaseUnavailable when the database does not answer."""
        loop = asyncio.get_running_loop()
        if not self.shared:
            replies = await loop.run_in_executor(self.handling, with_reconnect,
                                                 partial(self.handle, event))
            await send(event, replies)
            return
        line = partial(self._line, event, send, loop)
        await loop.run_in_executor(self.handling, with_reconnect, line)

    def _line(self, event: Event, send: Send, loop: asyncio.AbstractEventLoop) -> None:
        """In a worker thread: the participant's recorded updates, in order, under their lock."""
        with participants.hold(event.user_id):
            if not self.recording:
                self._handle_and_send(event, send, loop)
                return
            for update_id, payload in participants.waiting(event.user_id):
                current = event if update_id == event.update_id else self._event(payload)
                if current is not None:
                    self._handle_and_send(current, send, loop)
                participants.forget(update_id)

    def _handle_and_send(self, event: Event, send: Send, loop: asyncio.AbstractEventLoop,
                         ) -> None:
        replies = self.handle(event)
        asyncio.run_coroutine_threadsafe(send(event, replies), loop).result()

    def _event(self, payload: dict[str, Any]) -> Event | None:
        return event_from(Update.de_json(payload, self.bot))
