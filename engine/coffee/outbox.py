"""The outbox: replies queued in the database by the jobs, then delivered exactly in order.

A job queues a participant's replies in the same transaction as the change that produced them,
each row under a unique key (`invite:2026-11-30:42:0`), so a job run twice queues nothing twice.
`deliver_outbox` then sends what is pending:

* a row is claimed atomically (pending -> sending) before it is sent, so two processes never
  send the same row;
* SENT marks it sent; UNREACHABLE marks it and every later row of that participant
  unreachable (and the participant too: the jobs skip them until they write again); FAILED
  puts it back to pending for the next run and holds the participant's later rows, so nobody
  gets their messages out of order;
* a row past its `expires_at` (an invitation after matching) is dropped as expired.

Delivery is at least once: a process that dies between Telegram accepting a message and the
row being marked sent leaves the row "sending"; after `lease` it is claimed again and sent a
second time. That window is one message per participant being sent at the moment of the crash
(at most `concurrency` messages). The lease must be longer than one send may take, retries and
flood waits included.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from peewee import Expression, ModelSelect, fn

from engine.coffee.progress import Progress
from engine.dialog.delivery import SendOutcome, SendReply
from engine.dialog.events import Reply
from engine.store import Outbox, User, utc_now

log = logging.getLogger(__name__)

PENDING, SENDING, SENT, UNREACHABLE, EXPIRED = "pending", "sending", "sent", "unreachable", \
    "expired"
SEND_LEASE = dt.timedelta(minutes=15)
BATCH = 500


def queue_replies(user_id: int, key: str, replies: Iterable[Reply], now: dt.datetime,
                  expires_at: dt.datetime | None = None) -> int:
    """Queue a participant's replies as rows `<key>:0`, `<key>:1`…; keys already queued are
    left alone. Returns how many rows were new."""
    rows = [
        {"key": f"{key}:{number}", "user": user_id, "kind": key.partition(":")[0],
         "payload": reply.to_json(), "created_at": now, "expires_at": expires_at}
        for number, reply in enumerate(replies)
    ]
    if not rows:
        return 0
    return Outbox.insert_many(rows).on_conflict_ignore().as_rowcount().execute()


@dataclass
class DeliveryReport:
    sent: int = 0
    unreachable: int = 0
    failed: int = 0
    expired: int = 0

    def line(self) -> str:
        return (f"delivered: sent {self.sent}, unreachable {self.unreachable}, "
                f"failed {self.failed} (kept for the next run), expired {self.expired}")


async def deliver_outbox(send: SendReply, *, clock: Callable[[], dt.datetime] = utc_now,
                         lease: dt.timedelta = SEND_LEASE, concurrency: int = 8,
                         ) -> DeliveryReport:
    """Send every pending row once, oldest first, several participants at a time."""
    report = DeliveryReport()
    report.expired = _expire(clock())
    total = _claimable(clock() - lease).count()
    if not total:
        return report
    progress = Progress("delivery", total)
    held: set[int] = set()  # participants whose earlier row was not sent in this run
    limit = asyncio.Semaphore(concurrency)
    delivery = _Delivery(send, clock, lease, report, held, progress)
    after = 0
    while True:
        rows = list(_claimable(clock() - lease).where(Outbox.id > after)
                    .order_by(Outbox.id).limit(BATCH))
        if not rows:
            break
        after = rows[-1].id
        by_user: dict[int, list[Outbox]] = {}
        for row in rows:
            by_user.setdefault(row.user_id, []).append(row)
        try:
            async with asyncio.TaskGroup() as group:
                for user_id, user_rows in by_user.items():
                    group.create_task(delivery.deliver(user_id, user_rows, limit))
        except BaseExceptionGroup as failure:
            raise failure.exceptions[0] from None  # the send that broke the run
    progress.done()
    return report


def _claimable(stale_before: dt.datetime) -> ModelSelect:
    """Rows to send: pending ones, and those claimed longer than the lease ago (their sender
    died before recording the outcome)."""
    return (Outbox.select(Outbox.id, Outbox.user, Outbox.payload, User.reachable).join(User)
            .where(_is_claimable(stale_before)).objects())


def _is_claimable(stale_before: dt.datetime) -> Expression:
    return (Outbox.status == PENDING) | (
        (Outbox.status == SENDING) & (Outbox.claimed_at < stale_before))


def _expire(now: dt.datetime) -> int:
    return (Outbox.update(status=EXPIRED)
            .where(Outbox.status == PENDING, Outbox.expires_at < now)
            .execute())


class _Delivery:
    """One delivery run: claims, sends and records each row."""

    def __init__(self, send: SendReply, clock: Callable[[], dt.datetime], lease: dt.timedelta,
                 report: DeliveryReport, held: set[int], progress: Progress) -> None:
        self.send = send
        self.clock = clock
        self.lease = lease
        self.report = report
        self.held = held
        self.progress = progress

    async def deliver(self, user_id: int, rows: list[Outbox], limit: asyncio.Semaphore) -> None:
        """A participant's rows in order; stop at the first one that does not go out."""
        async with limit:
            for row in rows:
                if user_id in self.held or not await self._deliver_one(user_id, row):
                    self.held.add(user_id)
                    return

    async def _deliver_one(self, user_id: int, row: Outbox) -> bool:
        if not self._claim(row):
            return False  # another process has it
        if not row.reachable:
            self._unreachable(user_id)
            return False
        reply = Reply.from_json(row.payload)
        try:
            outcome = await self.send(reply.chat_id or user_id, reply)
        except BaseException as error:
            self._release(row, repr(error))
            raise
        self.progress.step()
        if outcome is SendOutcome.SENT:
            (Outbox.update(status=SENT, sent_at=self.clock())
             .where(Outbox.id == row.id).execute())
            self.report.sent += 1
            return True
        if outcome is SendOutcome.UNREACHABLE:
            User.mark_unreachable(user_id)
            self._unreachable(user_id)
            return False
        self._release(row, "the transport gave up on this message")
        self.report.failed += 1
        return False

    def _claim(self, row: Outbox) -> bool:
        now = self.clock()
        return bool(Outbox.update(status=SENDING, claimed_at=now, attempts=Outbox.attempts + 1)
                    .where(Outbox.id == row.id, _is_claimable(now - self.lease)).execute())

    def _release(self, row: Outbox, error: str) -> None:
        (Outbox.update(status=PENDING, error=error)
         .where(Outbox.id == row.id, Outbox.status == SENDING).execute())

    def _unreachable(self, user_id: int) -> None:
        """The participant blocked the bot: none of their queued messages will go out."""
        self.report.unreachable += (
            Outbox.update(status=UNREACHABLE)
            .where(Outbox.user == user_id, Outbox.status.in_((PENDING, SENDING)))
            .execute())


def outbox_counts() -> dict[str, int]:
    """Rows by status, for summaries and tests."""
    query = Outbox.select(Outbox.status, fn.COUNT(Outbox.id).alias("n")).group_by(Outbox.status)
    return {row.status: row.n for row in query}
