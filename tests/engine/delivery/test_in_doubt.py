"""A crash during a bulk send leaves at most one message in doubt: no paced request starts
while a message Telegram accepted is not yet marked sent."""

from __future__ import annotations

import asyncio
import datetime as dt

from engine.delivery.outbox import SENT, deliver_outbox, outbox_counts, queue_replies
from engine.dialog.delivery import SendOutcome, SendResult
from engine.dialog.engine import ConversationEngine
from engine.dialog.events import Reply
from engine.store import Outbox, User
from tests.kit.clock import Clock


def test_no_send_starts_while_an_accepted_message_is_unmarked(
        fixture_engine: ConversationEngine, clock: Clock) -> None:
    people = range(1, 25)
    for uid in people:
        User.create(id=uid, locale="uk")
        queue_replies(uid, f"news:{uid}", [Reply(text=f"Hello {uid}")], clock())
    accepted: list[str] = []
    unmarked_at_start: list[int] = []

    async def send(chat_id: int, reply: Reply) -> SendResult:
        # What a kill -9 at this moment would leave in doubt: accepted by Telegram, not marked.
        marked = {key for (key,) in Outbox.select(Outbox.key).where(
            Outbox.status == SENT).tuples()}
        unmarked_at_start.append(len(set(accepted) - marked))
        await asyncio.sleep(0)  # the request itself
        accepted.append(f"news:{chat_id}:0")
        return SendOutcome.SENT

    report = asyncio.run(deliver_outbox(send, clock=clock, retry_for=dt.timedelta(0)))

    assert report.sent == len(people)
    assert outbox_counts() == {SENT: len(people)}
    assert unmarked_at_start == [0] * len(people)
