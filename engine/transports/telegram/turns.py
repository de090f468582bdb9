"""Where and in which order the engine handles a participant's updates: on the event loop with
SQLite, in lanes on the loop and one participant at a time across processes with PostgreSQL
(`shared_turns.py`).

SQLite (`LoopTurns`): one process serves the database and SQLite takes one writer at a time, so
the engine runs right on the event loop, between the sends: no thread to hand an update to and
back, and nothing to record (ordering.py keeps each chat's updates in order in memory).

PostgreSQL (`SharedTurns`): the engine runs in lanes (`engine.store.lanes`: greenlets on the
event loop, each with its own connection, whose waits for the server let the loop serve
everyone else), so a slow database stalls no other chat, and no thread is woken for every query
(worker threads did that: the interpreter's lock handed back and forth cost more CPU than the
turns). An update is recorded before it is acknowledged, and a participant's turn
(`engine.store.participants`) holds their lock while it handles every update of theirs
recorded and not handled yet up to its own, in update-id order, and sends the replies: a fast
typist whose updates reach different workers is answered in order. A connection found lost is
replaced and the turn tried once more. Updates recorded and left unhandled (the database went
away after recording, a worker was killed after acknowledging) are handled by `resume`, which
the bot calls at start and when the database is back.

Either way a turn is: the engine's replies to an event (recorded in flight with the change,
engine.delivery.replies), then `send` (the transport's, on the event loop) for that event's
replies, before the participant's next event is handled. An update that took effect before
(Telegram sent it again) is handled to nothing (`handle` answers None): its replies, if still
unsent, are the outbox's to deliver.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Coroutine
from typing import Any, Protocol, TypeVar

from telegram import Bot, Update

from engine.dialog.events import Event, Reply
from engine.store import outage, participants

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

    async def shutdown(self) -> None:
        """Let the turns in hand finish; take no more."""


def turns_for(handle: Handle, bot: Bot) -> Turns:
    """The turns the models' database calls for (see the module's docstring)."""
    if not participants.shared():
        return LoopTurns(handle)
    # (imported here: it needs PostgreSQL's extra, greenlet and psycopg)
    from engine.transports.telegram.shared_turns import SharedTurns
    return SharedTurns(handle, bot)


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

    async def shutdown(self) -> None:
        return None  # a turn ends with its coroutine
