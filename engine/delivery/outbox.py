"""The outbox: replies queued in the database by the jobs, then delivered exactly in order.

A job queues a participant's replies in the same transaction as the change that produced them,
each row under a unique key (`invite:2026-11-30:42:0`), so a job run twice queues nothing twice.
Long texts are split into messages Telegram accepts before they are queued (one row, one
message). `deliver_outbox` then sends what is pending:

* a row is claimed atomically (pending -> sending, with this process as `claimed_by`) before it
  is sent, and only when no earlier row of the same participant is still undelivered, so two
  processes never send the same row and nobody gets their messages out of order;
* SENT marks it sent; UNREACHABLE marks it and every later row of that participant
  unreachable (and the participant too); REFUSED (a 400 that will never pass) marks it refused
  with Telegram's reason, and the participant's later rows still go; FAILED (network errors,
  5xx) is tried again with growing pauses while the run's retry time lasts and the row is
  still useful, then left pending for the next run;
* a row past its `expires_at` (an invitation after matching) is never sent: whatever its state,
  undelivered, it becomes expired.

Delivery is at least once: a process that dies between Telegram accepting a message and the
row being marked sent leaves it "sending". Such rows are taken back at once when their holder
was a process of this machine that no longer exists (`owner.is_gone`), otherwise when the
holder's lease (`SEND_LEASE`, renewed every `HEARTBEAT` while it sends) runs out; then they are
sent a second time. The duplicates are the messages in flight at the moment of the crash.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from functools import partial

from peewee import Expression, ModelSelect, fn

from engine.delivery import sender
from engine.delivery.owner import is_gone, this_process
from engine.delivery.progress_log import ProgressLog
from engine.dialog.delivery import Refused, SendOutcome, SendReply, SendResult, split_reply
from engine.dialog.events import Reply
from engine.store import Outbox, User, off_loop, utc_now

log = logging.getLogger(__name__)

PENDING, SENDING, SENT, UNREACHABLE, EXPIRED, REFUSED = (
    "pending", "sending", "sent", "unreachable", "expired", "refused")
UNDELIVERED = (PENDING, SENDING)
SEND_LEASE = dt.timedelta(seconds=45)
HEARTBEAT = SEND_LEASE / 3
RETRY_FOR = dt.timedelta(minutes=5)  # how long one run keeps trying a failing message
FIRST_PAUSE_SECONDS = 1.0
LONGEST_PAUSE_SECONDS = 15.0
BATCH = 500
SENDER_WAIT_SECONDS = 0.5

# Told after each message a run handles (False) and once when the run ends (True), so that a
# long send can show its progress to people (a broadcast's progress message, edited in place).
ProgressHook = Callable[[bool], Awaitable[None]]


def queue_replies(user_id: int, key: str, replies: Iterable[Reply], now: dt.datetime,
                  expires_at: dt.datetime | None = None) -> int:
    """Queue a participant's replies as rows `<key>:0`, `<key>:1`…, a long text split into
    several; keys already queued are left alone. Returns how many rows were new."""
    parts = [part for reply in replies for part in split_reply(reply)]
    return _insert([_row(user_id, f"{key}:{number}", reply, now, expires_at)
                    for number, reply in enumerate(parts)])


def queue_copies(keys: Iterable[tuple[int, str]], reply: Reply, now: dt.datetime) -> int:
    """Queue the same one-message reply (a news broadcast) for many participants, one row per
    (participant, key); keys already queued are left alone. Returns how many rows were new."""
    payload = reply.to_json()
    rows = [_row(user_id, key, payload, now) for user_id, key in keys]
    return sum(_insert(rows[first:first + BATCH]) for first in range(0, len(rows), BATCH))


def _row(user_id: int, key: str, reply: Reply | dict[str, object], now: dt.datetime,
         expires_at: dt.datetime | None = None) -> dict[str, object]:
    """An outbox row: its kind is its key's first part (`invite`, `broadcast`…)."""
    payload = reply.to_json() if isinstance(reply, Reply) else reply
    return {"key": key, "user": user_id, "kind": key.partition(":")[0], "payload": payload,
            "created_at": now, "expires_at": expires_at}


def _insert(rows: list[dict[str, object]]) -> int:
    if not rows:
        return 0
    return int(Outbox.insert_many(rows).on_conflict_ignore().as_rowcount().execute())


def newest_queued() -> int:
    """The id of the newest row ever queued (0 for none): when it changes, something new was
    queued, by whichever process."""
    return Outbox.select(fn.MAX(Outbox.id)).scalar() or 0


@dataclass
class DeliveryReport:
    sent: int = 0
    unreachable: int = 0
    expired: int = 0
    refused: Counter[str] = field(default_factory=Counter)  # by Telegram's reason
    left: int = 0  # still undelivered after the run, to be tried by the next one
    left_because: str = ""
    left_until: dt.datetime | None = None  # when the last of them expires (None: never)

    def line(self) -> str:
        refused = sum(self.refused.values())
        reasons = "".join(f"; refused {count}: {reason}"
                          for reason, count in self.refused.most_common())
        return (f"delivered: sent {self.sent}, unreachable {self.unreachable}, "
                f"refused {refused}, expired {self.expired}, left {self.left}{reasons}")

    def left_line(self) -> str:
        """What is left undelivered, why, and until when it is tried again."""
        until = (self.left_until.isoformat(timespec="minutes") if self.left_until
                 else "they are delivered")
        return (f"{self.left} message(s) not delivered ({self.left_because}); "
                f"`scheduler.py deliver` tries them again until {until}")


async def deliver_outbox(send: SendReply, *, clock: Callable[[], dt.datetime] = utc_now,
                         lease: dt.timedelta = SEND_LEASE, concurrency: int = 8,
                         retry_for: dt.timedelta = RETRY_FOR,
                         kinds: tuple[str, ...] = (),
                         on_unreachable: Callable[[int], None] | None = None,
                         on_progress: ProgressHook | None = None,
                         ) -> DeliveryReport:
    """Send every undelivered row once (only rows of `kinds`, if given), oldest first,
    several participants at a time; retry failing ones for up to `retry_for`.
    `on_unreachable(user_id)` learns of each participant found to have blocked the bot;
    `on_progress` of each message handled and of the end of the run."""
    report = DeliveryReport()
    started = clock()
    candidates = _candidates(started, lease)
    if kinds:
        candidates = candidates.where(Outbox.kind.in_(kinds))
        if not await off_loop(candidates.exists):
            return report  # the common case after a press: cheap
    async with _as_the_sender(elected=not kinds):
        await off_loop(_take_back_from_the_dead)
        report.expired = await off_loop(partial(_expire, started))
        if await off_loop(candidates.exists):
            progress = ProgressLog("delivery", await off_loop(candidates.count))
            delivery = _Delivery(send, clock, lease, report, progress, started + retry_for,
                                 on_unreachable or (lambda user_id: None), on_progress)
            async with _heartbeat(clock):
                await _deliver_batches(delivery, concurrency, kinds)
            progress.done()
            report.expired += await off_loop(partial(_expire, clock()))
    if not kinds:
        await off_loop(partial(_count_left, report, clock()))
    if on_progress is not None:
        await on_progress(True)
    return report


@contextlib.asynccontextmanager
async def _as_the_sender(elected: bool) -> AsyncIterator[None]:
    """A whole delivery waits (without blocking the loop) until this process is the one
    sender of the deployment (`engine.store.sender`): one pace, one order. A few notices after
    a press go at once: the claim rule keeps each participant's order, and they are few."""
    try:  # a wait cancelled after the role was taken gives it back too
        while elected and not await off_loop(sender.become_sender):
            await asyncio.sleep(SENDER_WAIT_SECONDS)
        yield
    finally:
        if elected:
            await off_loop(sender.stop_being_sender)


async def _deliver_batches(delivery: _Delivery, concurrency: int,
                           kinds: tuple[str, ...]) -> None:
    limit = asyncio.Semaphore(concurrency)
    after = 0
    while True:
        batch = _candidates(delivery.clock(), delivery.lease).where(Outbox.id > after)
        if kinds:
            batch = batch.where(Outbox.kind.in_(kinds))
        rows: list[Outbox] = await off_loop(
            partial(list, batch.order_by(Outbox.id).limit(BATCH)))
        if not rows:
            return
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


def _candidates(now: dt.datetime, lease: dt.timedelta) -> ModelSelect:
    """Rows free to be sent now, with their participant's reachability (a participant's
    later rows come along: they are claimed one after the other)."""
    return (Outbox.select(Outbox.id, Outbox.user, Outbox.payload, Outbox.expires_at,
                          User.reachable).join(User)
            .where(_is_free(now, lease)).objects())


def _is_free(now: dt.datetime, lease: dt.timedelta) -> Expression:
    """Pending or abandoned (claimed longer than the lease ago), and not expired."""
    free = (Outbox.status == PENDING) | (
        (Outbox.status == SENDING) & (Outbox.claimed_at < now - lease))
    return free & (Outbox.expires_at.is_null() | (Outbox.expires_at > now))


def _is_claimable(now: dt.datetime, lease: dt.timedelta) -> Expression:
    """Free, and the first undelivered row of its participant: the one claim rule, for every
    process."""
    earlier = Outbox.alias("earlier")
    earlier_undelivered = (earlier.select(earlier.id)
                           .where(earlier.user == Outbox.user, earlier.id < Outbox.id,
                                  earlier.status.in_(UNDELIVERED)))
    return _is_free(now, lease) & ~fn.EXISTS(earlier_undelivered)


def _take_back_from_the_dead() -> int:
    """Rows left "sending" by a process of this machine that has died go back to pending."""
    holders = {holder for (holder,) in Outbox.select(Outbox.claimed_by).distinct()
               .where(Outbox.status == SENDING).tuples()}
    dead = [holder for holder in holders if is_gone(holder)]
    if not dead:
        return 0
    taken = (Outbox.update(status=PENDING, claimed_by=None)
             .where(Outbox.status == SENDING, Outbox.claimed_by.in_(dead)).execute())
    log.warning("took back %d message(s) left in flight by a process that died", taken)
    return taken


def _expire(now: dt.datetime) -> int:
    """Every undelivered row past its expiry, unless a live process is sending it this
    moment, becomes expired."""
    return (Outbox.update(status=EXPIRED)
            .where(Outbox.expires_at < now,
                   (Outbox.status == PENDING) | (
                       (Outbox.status == SENDING) & (Outbox.claimed_at < now - SEND_LEASE)))
            .execute())


def _count_left(report: DeliveryReport, now: dt.datetime) -> None:
    left = Outbox.select(fn.COUNT(Outbox.id), fn.MAX(Outbox.expires_at),
                         fn.COUNT(Outbox.expires_at)).where(  # COUNT(column) skips NULLs
        Outbox.status.in_(UNDELIVERED), Outbox.expires_at.is_null() | (Outbox.expires_at > now))
    count, latest, expiring = left.tuples().get()
    report.left = count or 0
    if report.left:
        never = expiring < count  # some never expire
        report.left_until = None if never else latest  # (converted by the field)
        errors = Counter(error for (error,) in Outbox.select(Outbox.error).where(
            Outbox.status.in_(UNDELIVERED), Outbox.error != "").tuples())
        report.left_because = errors.most_common(1)[0][0] if errors else "not tried yet"


@contextlib.asynccontextmanager
async def _heartbeat(clock: Callable[[], dt.datetime]) -> AsyncIterator[None]:
    """Renew this process's claims while it sends, so that nobody takes them over."""

    async def beat() -> None:
        while True:
            await asyncio.sleep(HEARTBEAT.total_seconds())
            await off_loop(Outbox.update(claimed_at=clock()).where(
                Outbox.status == SENDING, Outbox.claimed_by == this_process()).execute)

    task = asyncio.create_task(beat(), name="outbox-heartbeat")
    try:
        yield
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)


class _Delivery:
    """One delivery run: claims, sends and records each row."""

    def __init__(self, send: SendReply, clock: Callable[[], dt.datetime], lease: dt.timedelta,
                 report: DeliveryReport, progress: ProgressLog, retry_until: dt.datetime,
                 on_unreachable: Callable[[int], None],
                 on_progress: ProgressHook | None) -> None:
        self.send = send
        self.on_unreachable = on_unreachable
        self.on_progress = on_progress
        self.clock = clock
        self.lease = lease
        self.report = report
        self.progress = progress
        self.retry_until = retry_until
        self.held: set[int] = set()  # participants whose earlier row did not go out

    async def deliver(self, user_id: int, rows: list[Outbox], limit: asyncio.Semaphore) -> None:
        """A participant's rows in order; stop at the first one that does not go out."""
        async with limit:
            for row in rows:
                delivered = user_id not in self.held and await self._deliver_one(user_id, row)
                if self.on_progress is not None:
                    await self.on_progress(False)
                if not delivered:
                    self.held.add(user_id)
                    return

    async def _deliver_one(self, user_id: int, row: Outbox) -> bool:
        """Send one row, trying again after failures while it makes sense; True when the
        participant's next row may follow."""
        pause = FIRST_PAUSE_SECONDS
        while True:
            if not await off_loop(partial(self._claim, row)):
                return False  # another process has it, or it expired meanwhile
            if not row.reachable:
                await off_loop(partial(self._unreachable, user_id))
                return False
            outcome = await self._send(user_id, row)
            self.progress.step()
            if outcome is SendOutcome.SENT:
                await off_loop(partial(self._finish, row, SENT, sent_at=self.clock()))
                self.report.sent += 1
                return True
            if outcome is SendOutcome.UNREACHABLE:
                await off_loop(partial(self._leave_unreachable, user_id))
                return False
            if isinstance(outcome, Refused):
                await off_loop(partial(self._finish, row, REFUSED, error=outcome.reason))
                self.report.refused[outcome.reason] += 1
                log.error("chat %s: Telegram refused message %s for good: %s",
                          user_id, row.id, outcome.reason)
                return True
            await off_loop(partial(self._release, row, "the Bot API did not answer"))
            if not self._worth_waiting(row, pause):
                return False
            await asyncio.sleep(pause)
            pause = min(pause * 2, LONGEST_PAUSE_SECONDS)

    async def _send(self, user_id: int, row: Outbox) -> SendResult:
        reply = Reply.from_json(row.payload)
        try:
            return await self.send(reply.chat_id or user_id, reply)
        except BaseException as error:
            await off_loop(partial(self._release, row, repr(error)))
            raise

    def _worth_waiting(self, row: Outbox, pause: float) -> bool:
        again_at = self.clock() + dt.timedelta(seconds=pause)
        return again_at < self.retry_until and (row.expires_at is None
                                                or again_at < row.expires_at)

    def _claim(self, row: Outbox) -> bool:
        now = self.clock()
        return bool(Outbox.update(status=SENDING, claimed_at=now, claimed_by=this_process(),
                                  attempts=Outbox.attempts + 1)
                    .where(Outbox.id == row.id, _is_claimable(now, self.lease)).execute())

    def _finish(self, row: Outbox, status: str, **values: object) -> None:
        (Outbox.update(status=status, claimed_by=None, **values)
         .where(Outbox.id == row.id).execute())

    def _release(self, row: Outbox, error: str) -> None:
        (Outbox.update(status=PENDING, claimed_by=None, error=error)
         .where(Outbox.id == row.id, Outbox.status == SENDING).execute())

    def _leave_unreachable(self, user_id: int) -> None:
        """A send found the participant gone: marked, their rows dropped, their meeting left."""
        User.mark_unreachable(user_id)
        self._unreachable(user_id)
        self.on_unreachable(user_id)

    def _unreachable(self, user_id: int) -> None:
        """The participant blocked the bot: none of their queued messages will go out."""
        self.report.unreachable += (
            Outbox.update(status=UNREACHABLE, claimed_by=None)
            .where(Outbox.user == user_id, Outbox.status.in_(UNDELIVERED))
            .execute())


def outbox_counts() -> dict[str, int]:
    """Rows by status, for summaries and tests."""
    query = Outbox.select(Outbox.status, fn.COUNT(Outbox.id).alias("n")).group_by(Outbox.status)
    return {row.status: row.n for row in query}
