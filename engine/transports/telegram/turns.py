"""Where and in which order the engine handles a participant's updates: on the event loop with
SQLite, in worker threads and one participant at a time across processes with PostgreSQL.

SQLite (`LoopTurns`): one process serves the database and SQLite takes one writer at a time, so
the engine runs right on the event loop, between the sends: no thread to hand an update to and
back, and nothing to record (ordering.py keeps each chat's updates in order in memory).

PostgreSQL (`SharedTurns`): the engine runs in worker threads, each with its own connection, so
a slow database stalls no other chat. An update is recorded before it is acknowledged, and a
participant's turn (`engine.store.participants`) holds their lock while it handles every update
of theirs recorded and not handled yet up to its own, in update-id order, and sends the
replies: a fast typist whose updates reach different workers is answered in order. A
connection found lost is replaced and the turn tried once more. Updates recorded and left
unhandled (the database went away after recording, a worker was killed after acknowledging)
are handled by `resume`, which the bot calls at start and when the database is back.

Either way a turn is: the engine's replies to an event (recorded in flight with the change,
engine.delivery.replies), then `send` (the transport's, on the event loop) for that event's
replies, before the participant's next event is handled. An update that took effect before
(Telegram sent it again) is handled to nothing (`handle` answers None): its replies, if still
unsent, are the outbox's to deliver.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import Any, Protocol, TypeVar

from telegram import Bot, Update

from engine.delivery.replies import mark_sent, recorded
from engine.dialog.events import Event, Reply
from engine.store import outage, participants, utc_now
from engine.store.outage import with_reconnect
from engine.transports.telegram.convert import event_from, is_private

# Threads that handle updates with PostgreSQL: each holds a connection, so workers times this is
# the number of connections the bot opens for participants (PostgreSQL allows 100 by default).
SHARED_THREADS = 8
RECEIVING_THREADS = 2

T = TypeVar("T")
Handle = Callable[[Event], list[Reply] | None]  # None: the update took effect before
# Send an event's replies; True: leave the last one Telegram took to the caller, who deletes
# its row (returned) with the participant's lock (engine.delivery.replies.send_turn).
Send = Callable[[Event, list[Reply], bool], Coroutine[Any, Any, int | None]]


class Turns(Protocol):
    """What the bot asks of its turns, whichever database it has."""

    async def record(self, update: Update) -> None:
        """Give a participant's update its place in their line before it is acknowledged;
        DatabaseUnavailable when the database does not answer (Telegram sends it again)."""

    async def take(self, event: Event, send: Send) -> None:
        """Handle `event` (and, where updates are shared, its participant's earlier ones) and
        send the replies with `send`; DatabaseUnavailable when the database does not answer."""

    async def run(self, work: Callable[[], T]) -> T:
        """Run database work that is no participant's turn (a block noted), as a whole unit."""

    async def resume(self, send: Send, before: dt.datetime) -> int:
        """Handle the updates recorded before `before` and left unhandled; how many of them
        took effect now (not before: those are the outbox's to answer)."""

    async def probe(self) -> bool:
        """Does the database answer now?"""

    def shutdown(self) -> None:
        """Let the turns in hand finish; take no more."""


def turns_for(handle: Handle, bot: Bot) -> Turns:
    """The turns the models' database calls for (see the module's docstring)."""
    return SharedTurns(handle, bot) if participants.shared() else LoopTurns(handle)


class LoopTurns:
    """SQLite: every turn on the event loop, at once."""

    def __init__(self, handle: Handle) -> None:
        self.handle = handle

    async def record(self, update: Update) -> None:
        return None  # one process: its memory keeps the order (ordering.py)

    async def take(self, event: Event, send: Send) -> None:
        replies = self.handle(event)
        if replies is not None:
            await send(event, replies, False)

    async def run(self, work: Callable[[], T]) -> T:
        return work()

    async def resume(self, send: Send, before: dt.datetime) -> int:
        return 0  # nothing is recorded

    async def probe(self) -> bool:
        return outage.probe()

    def shutdown(self) -> None:
        return None  # a turn ends with its coroutine


class SharedTurns:
    """PostgreSQL: turns in worker threads, in order across processes."""

    def __init__(self, handle: Handle, bot: Bot) -> None:
        self.handle = handle
        self.bot = bot
        self.handling = ThreadPoolExecutor(SHARED_THREADS, thread_name_prefix="updates")
        self.receiving = ThreadPoolExecutor(RECEIVING_THREADS, thread_name_prefix="receive")

    def shutdown(self) -> None:
        for executor in (self.handling, self.receiving):
            executor.shutdown(wait=True, cancel_futures=True)

    async def record(self, update: Update) -> None:
        if not is_private(update):
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
        work = partial(participants.receive, update.update_id, event.user_id, event.to_json(),
                       utc_now())
        await loop.run_in_executor(self.receiving, with_reconnect, work)

    async def run(self, work: Callable[[], T]) -> T:
        """On a handling thread, its connection replaced and the work tried once more if found
        lost; DatabaseUnavailable when that fails too."""
        return await asyncio.get_running_loop().run_in_executor(self.handling, with_reconnect,
                                                                work)

    async def probe(self) -> bool:
        return await asyncio.get_running_loop().run_in_executor(self.receiving, outage.probe)

    async def take(self, event: Event, send: Send) -> None:
        await self.run(partial(self._line, event.user_id, event, send,
                               asyncio.get_running_loop()))

    async def resume(self, send: Send, before: dt.datetime) -> int:
        """Later updates than `before` are in hand: answered with their typing indicator."""
        stranded = await self.run(partial(participants.stranded, before))
        answered = 0
        for user_id in stranded:
            answered += await self.run(partial(self._line, user_id, None, send,
                                               asyncio.get_running_loop()))
        return answered

    def _line(self, user_id: int, event: Event | None, send: Send,
              loop: asyncio.AbstractEventLoop) -> int:
        """In a worker thread, under the participant's lock: their recorded updates in order, up
        to `event` (later ones are their own workers' to handle, after their typing indicator),
        or all of them when there is no event; how many took effect now. The last reply sent
        is done with in the statement that lets the lock go."""
        answered = 0
        with participants.hold(user_id) as held:
            up_to = event.update_id if event is not None else None
            owed: int | None = None  # a reply Telegram took, its row still to be deleted
            for update_id, payload in participants.waiting(user_id, up_to):
                if owed is not None:
                    mark_sent(owed)
                current = event if payload is None else self._event(payload)
                took_effect, forgotten, owed = (
                    self._handle_and_send(current, send, loop) if current is not None
                    else (False, False, None))
                answered += took_effect
                if not forgotten:  # (an event whose replies are not recorded: none owed)
                    participants.forget(update_id)
            if owed is not None:
                mark_sent(owed, held)
        return answered

    def _handle_and_send(self, event: Event, send: Send, loop: asyncio.AbstractEventLoop,
                         ) -> tuple[bool, bool, int | None]:
        """Whether the event took effect now, whether it has left its participant's line, and
        the row of its last reply Telegram took (left to the caller to delete): a turn that
        commits (or finds it handled before) records it handled and forgets it in one statement
        (engine.store.updates); an apology's turn was rolled back, and its replies are not
        recorded."""
        replies = self.handle(event)
        if replies is None:
            return False, True, None
        owed = asyncio.run_coroutine_threadsafe(send(event, replies, True), loop).result()
        return (True, not replies or any(recorded(reply) is not None for reply in replies),
                owed)

    def _event(self, payload: dict[str, Any]) -> Event | None:
        if "kind" in payload:
            return Event.from_json(payload)
        return event_from(Update.de_json(payload, self.bot))  # recorded by an earlier version
