"""Several processes on PostgreSQL: one of them at a time delivers the outbox, so that the bulk
pace is one for the whole deployment and each participant's messages keep their order."""

from __future__ import annotations

import asyncio
import datetime as dt

import psycopg
import pytest

from engine.delivery.outbox import deliver_outbox, outbox_counts
from engine.delivery.sender import SENDER_LOCK
from tests.kit.community import ROUND, Community
from tests.kit.databases import on_postgresql

pytestmark = pytest.mark.skipif(not on_postgresql(),
                                reason="needs a PostgreSQL server (TEST_DATABASE_URL)")


def test_a_delivery_waits_while_another_process_sends(community: Community) -> None:
    for uid in range(1, 7):
        community.register(uid, f"Name{uid}")
    community.at(community.bot.parts.schedule.due_at("invite", ROUND))
    community.run("invite")
    with psycopg.connect(community.bot.parts.settings.database_url,
                         autocommit=True) as other_process:
        other_process.execute("SELECT pg_advisory_lock(%s, %s)", SENDER_LOCK)

        async def deliver_when_the_other_stops() -> int:
            delivery = asyncio.create_task(deliver_outbox(
                community.send, clock=community.clock, retry_for=dt.timedelta(0)))
            await asyncio.sleep(1.5)
            assert community.send.sent == []
            assert outbox_counts() == {"pending": 6}
            other_process.execute("SELECT pg_advisory_unlock(%s, %s)", SENDER_LOCK)
            return (await delivery).sent

        assert asyncio.run(deliver_when_the_other_stops()) == 6
    assert outbox_counts() == {"sent": 6}
