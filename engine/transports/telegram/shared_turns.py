"""PostgreSQL's turns (`SharedTurns`, see turns.py): in lanes on the event loop, in order across
processes."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Callable
from functools import partial
from typing import Any, TypeVar

from telegram import Bot, Update

from engine.delivery.replies import mark_sent, recorded
from engine.dialog.events import Event
from engine.store import outage, participants, utc_now
from engine.store.lanes import Lanes, wait_for
from engine.store.outage import with_reconnect
from engine.transports.telegram.convert import event_from, is_private
from engine.transports.telegram.turns import Handle, Send

# Lanes that handle updates: each holds a connection, so workers times this is the number of
# connections the bot opens for participants (PostgreSQL allows 100 by default).
SHARED_LANES = 8
# Lanes that record arriving updates: apart, so that recording (before Telegram is answered)
# never waits behind turns that wait for a participant's lock.
RECEIVING_LANES = 2

T = TypeVar("T")


class SharedTurns:
    """PostgreSQL: turns in lanes on the event loop, in order across processes."""

    def __init__(self, handle: Handle, bot: Bot) -> None:
        self.handle = handle
        self.bot = bot
        self.handling = Lanes(SHARED_LANES)
        self.receiving = Lanes(RECEIVING_LANES)

    async def shutdown(self) -> None:
        """Updates waiting for a lane stay recorded, for `resume` at the next start."""
        await asyncio.gather(self.handling.shutdown(), self.receiving.shutdown())

    async def record(self, update: Update) -> None:
        if not is_private(update):
            return
        if update.my_chat_member is not None:
            # A block is no turn of the participant's, and is handled as it comes: acknowledged
            # only while the database answers, so that an outage does not swallow it.
            await self.receiving.run(outage.check)
            return
        event = event_from(update)
        if event is None:
            return
        work = partial(participants.receive, update.update_id, event.user_id, event.to_json(),
                       utc_now())
        await self.receiving.run(partial(with_reconnect, work))

    async def run(self, work: Callable[[], T]) -> T:
        """In a handling lane, its connection replaced and the work tried once more if found
        lost; DatabaseUnavailable when that fails too."""
        return await self.handling.run(partial(with_reconnect, work))

    async def probe(self) -> bool:
        return await self.receiving.run(outage.probe)

    async def take(self, event: Event, send: Send) -> None:
        await self.run(partial(self._line, event.user_id, event, send))

    async def resume(self, send: Send, before: dt.datetime) -> int:
        """Later updates than `before` are in hand: answered with their typing indicator."""
        stranded = await self.run(partial(participants.stranded, before))
        answered = 0
        for user_id in stranded:
            answered += await self.run(partial(self._line, user_id, None, send))
        return answered

    def _line(self, user_id: int, event: Event | None, send: Send) -> int:
        """In a lane, under the participant's lock: their recorded updates in order, up
        to `event` (later ones are their own workers' to handle, after their typing indicator),
        or all of them when there is no event; how many took effect now. The last reply sent
        is done with in the statement that lets the lock go."""
        answered = 0
        up_to = event.update_id if event is not None else None
        with participants.hold_line(user_id, up_to) as (held, line):
            owed: int | None = None  # a reply Telegram took, its row still to be deleted
            for update_id, payload in line:
                if owed is not None:
                    mark_sent(owed)
                current = event if payload is None else self._event(payload)
                took_effect, forgotten, owed = (
                    self._handle_and_send(current, send) if current is not None
                    else (False, False, None))
                answered += took_effect
                if not forgotten:  # (an event whose replies are not recorded: none owed)
                    participants.forget(update_id)
            if owed is not None:
                mark_sent(owed, held)
        return answered

    def _handle_and_send(self, event: Event, send: Send) -> tuple[bool, bool, int | None]:
        """Whether the event took effect now, whether it has left its participant's line, and
        the row of its last reply Telegram took (left to the caller to delete): a turn that
        commits (or finds it handled before) records it handled and forgets it in one statement
        (engine.store.updates); an apology's turn was rolled back, and its replies are not
        recorded."""
        replies = self.handle(event)
        if replies is None:
            return False, True, None
        owed = wait_for(send(event, replies, True))
        return (True, not replies or any(recorded(reply) is not None for reply in replies),
                owed)

    def _event(self, payload: dict[str, Any]) -> Event | None:
        if "kind" in payload:
            return Event.from_json(payload)
        return event_from(Update.de_json(payload, self.bot))  # recorded by an earlier version
