"""Several processes on one database: one of them at a time delivers the outbox, so that the
bulk pace is one for the whole deployment and each participant's messages keep their order.
A delivery waits for the sender's role while another process holds it, for up to its retry
window; what it leaves to that process is "in progress elsewhere", not a failure."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import fcntl
import os
from collections.abc import Iterator

import psycopg

from engine.delivery.outbox import deliver_outbox, outbox_counts
from engine.delivery.sender import LOCK_FILE_SUFFIX, SENDER_LOCK
from tests.kit.community import ROUND, Community
from tests.kit.databases import on_postgresql


class OtherProcess:
    """Holds the sender's role as another process would: the advisory lock on a connection of
    its own (PostgreSQL), or the lock file opened and locked anew (SQLite)."""

    def __init__(self, community: Community) -> None:
        self.url = community.bot.parts.settings.database_url
        self.connection: psycopg.Connection[tuple[object, ...]] | None = None
        self.descriptor: int | None = None

    def take(self) -> None:
        if on_postgresql():
            self.connection = psycopg.connect(self.url, autocommit=True)
            self.connection.execute("SELECT pg_advisory_lock(%s, %s)", SENDER_LOCK)
            return
        path = self.url.removeprefix("sqlite:///") + LOCK_FILE_SUFFIX
        self.descriptor = os.open(path, os.O_RDWR | os.O_CREAT)
        fcntl.flock(self.descriptor, fcntl.LOCK_EX)

    def give_back(self) -> None:
        if self.connection is not None:
            # (the lock would go with the connection, but only once its server process has
            # ended, a moment after the close: let go first, so that the role is free at once)
            self.connection.execute("SELECT pg_advisory_unlock(%s, %s)", SENDER_LOCK)
            self.connection.close()
            self.connection = None
        if self.descriptor is not None:
            os.close(self.descriptor)  # and with the descriptor
            self.descriptor = None


@contextlib.contextmanager
def another_sender(community: Community) -> Iterator[OtherProcess]:
    other = OtherProcess(community)
    other.take()
    try:
        yield other
    finally:
        other.give_back()


def invite_six(community: Community) -> None:
    for uid in range(1, 7):
        community.register(uid, f"Name{uid}")
    community.at(community.bot.parts.schedule.due_at("invite", ROUND))
    community.run("invite")


def test_a_delivery_waits_while_another_process_sends(community: Community) -> None:
    invite_six(community)
    with another_sender(community) as other:

        async def deliver_when_the_other_stops() -> int:
            delivery = asyncio.create_task(deliver_outbox(
                community.send, clock=community.clock, retry_for=dt.timedelta(seconds=30)))
            await asyncio.sleep(1.5)
            assert community.send.sent == []
            assert outbox_counts() == {"pending": 6}
            other.give_back()
            return (await delivery).sent

        assert asyncio.run(deliver_when_the_other_stops()) == 6
    assert outbox_counts() == {"sent": 6}


def test_what_another_sender_keeps_past_the_retry_window_is_in_progress_elsewhere(
        community: Community) -> None:
    invite_six(community)
    with another_sender(community):
        report = asyncio.run(deliver_outbox(community.send, clock=community.clock,
                                            retry_for=dt.timedelta(seconds=1)))
    assert (report.sent, report.left, report.elsewhere) == (0, 0, 6)
    assert report.elsewhere_line() == (
        "6 message(s) in progress elsewhere: another process is sending them")
    assert community.send.sent == []
    assert community.deliver().sent == 6  # the role is free again
