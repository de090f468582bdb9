"""A delivery the database broke off: the next run of the same process marks sent what Telegram
had accepted (not sending it again) and takes up at once what was claimed and not sent, without
waiting for the lease."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest

from engine.delivery.outbox import SENT, deliver_outbox, outbox_counts, queue_replies
from engine.delivery.run import DeliveryRun
from engine.dialog.delivery import SendOutcome, SendResult
from engine.dialog.engine import ConversationEngine
from engine.dialog.events import Reply
from engine.store import Outbox, User
from engine.store.outage import DatabaseUnavailable
from tests.kit.clock import Clock


def test_a_run_broken_off_by_the_database_is_taken_up_by_the_next_at_once(
        fixture_engine: ConversationEngine, clock: Clock,
        monkeypatch: pytest.MonkeyPatch) -> None:
    people = range(1, 13)
    for uid in people:
        User.create(id=uid, locale="uk")
        queue_replies(uid, f"news:{uid}", [Reply(text=f"Hello {uid}")], clock())
    sent: list[int] = []

    async def send(chat_id: int, reply: Reply) -> SendResult:
        await asyncio.sleep(0)
        sent.append(chat_id)
        return SendOutcome.SENT

    write = DeliveryRun.write_outcome

    def database_gone_at_the_third(row_id: int, values: dict[str, object]) -> None:
        if len(sent) == 3:
            raise DatabaseUnavailable("the database does not answer")
        write(row_id, values)

    monkeypatch.setattr(DeliveryRun, "write_outcome",
                        staticmethod(database_gone_at_the_third))
    with pytest.raises(DatabaseUnavailable):
        asyncio.run(deliver_outbox(send, clock=clock, retry_for=dt.timedelta(0)))
    assert len(sent) == 3
    left = outbox_counts()
    assert left[SENT] == 2 and left.get("sending", 0) >= 1  # the third: accepted, not marked

    monkeypatch.setattr(DeliveryRun, "write_outcome", staticmethod(write))
    report = asyncio.run(deliver_outbox(send, clock=clock, retry_for=dt.timedelta(0)))

    assert report.sent == len(people) - 3
    assert sorted(sent) == list(people)  # the third not sent again, nobody waited for a lease
    assert outbox_counts() == {SENT: len(people)}
    assert Outbox.select().where(Outbox.claimed_by.is_null(False)).count() == 0
