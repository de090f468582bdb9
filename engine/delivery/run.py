"""One delivery run: it claims each row by the claim rule (`claims`), sends it, and records
what came of it, several participants at a time and each one's rows in order.

SENT marks a row sent; UNREACHABLE marks it and every later row of that participant
unreachable (and the participant too); REFUSED (a 400 that will never pass) marks it refused
with Telegram's reason, and the participant's later rows still go; FAILED (network errors,
5xx) is tried again with growing pauses while the run's retry time lasts and the row is still
useful, then left pending for the next run.

One request at a time, and a message Telegram accepted is marked before the next request
starts, so a crash leaves at most one message in doubt. When the database fails the run (a
write refused, the heartbeat's renewal), the send in hand finishes and records its outcome (or
owes it, `in_hand`), and the others stop before their next claim.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from functools import partial

from engine.delivery.claims import (
    EXPIRED,
    HEARTBEAT,
    PENDING,
    REFUSED,
    SENDING,
    SENT,
    UNDELIVERED,
    UNREACHABLE,
    candidates,
    is_claimable,
)
from engine.delivery.in_hand import IN_HAND
from engine.delivery.owner import this_process
from engine.delivery.progress_log import ProgressLog
from engine.dialog.delivery import Refused, SendOutcome, SendReply, SendResult
from engine.dialog.events import Reply
from engine.store import Outbox, User, off_loop

log = logging.getLogger("engine.delivery.outbox")

FIRST_PAUSE_SECONDS = 1.0
LONGEST_PAUSE_SECONDS = 15.0
BATCH = 500

# Told after each message a run handles (False) and once when the run ends (True), so that a
# long send can show its progress to people (a broadcast's progress message, edited in place).
ProgressHook = Callable[[bool], Awaitable[None]]
# Told of each row Telegram refused for good (its key, participant and Telegram's reason), on
# the store's thread, before the run sends anything more; answers the key prefix of the rows
# to stop sending (a broadcast whose text is refused), or None. Rows this run holds already
# under that prefix are not sent either: they become expired.
RefusalHook = Callable[[str, int, str], str | None]
STOPPED = "stopped: Telegram refused a message of the same kind"


@dataclass
class DeliveryReport:
    sent: int = 0
    unreachable: int = 0
    expired: int = 0
    refused: Counter[str] = field(default_factory=Counter)  # by Telegram's reason
    left: int = 0  # still undelivered after the run, to be tried by the next one
    left_because: str = ""
    left_until: dt.datetime | None = None  # when the last of them expires (None: never)
    elsewhere: int = 0  # undelivered, but in the hands of another live sender

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

    def elsewhere_line(self) -> str:
        return (f"{self.elsewhere} message(s) in progress elsewhere: another process is "
                "sending them")


async def deliver_batches(delivery: DeliveryRun, concurrency: int,
                           kinds: tuple[str, ...]) -> None:
    limit = asyncio.Semaphore(concurrency)
    after = 0
    while True:
        batch = candidates(delivery.clock(), delivery.lease).where(Outbox.id > after)
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
        # Not a TaskGroup: a failure must not cancel the send in hand (its message would be
        # in doubt); the others stop at their next claim (`DeliveryRun.broken`).
        outcomes = await asyncio.gather(
            *(delivery.deliver(user_id, user_rows, limit) for user_id, user_rows in
              by_user.items()), return_exceptions=True)
        failures = [outcome for outcome in outcomes if isinstance(outcome, BaseException)]
        if failures:  # the one that broke the run
            first = next((failure for failure in failures
                          if not isinstance(failure, _BrokeOff)), None)
            raise first or delivery.broken or failures[0]


@contextlib.asynccontextmanager
async def heartbeat(delivery: DeliveryRun) -> AsyncIterator[None]:
    """Renew this process's claims while it sends, so that nobody takes them over. When the
    database does not take the renewal, the run claims nothing more (`DeliveryRun.broken`): its
    connection, and with it the sender's role, may have been replaced."""

    def renew() -> None:
        (Outbox.update(claimed_at=delivery.clock())
         .where(Outbox.status == SENDING, Outbox.claimed_by == this_process()).execute())

    async def beat() -> None:
        while True:
            await asyncio.sleep(HEARTBEAT.total_seconds())
            try:
                await off_loop(renew)
            except Exception as error:
                delivery.broken = error
                return

    task = asyncio.create_task(beat(), name="outbox-heartbeat")
    try:
        yield
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)


class _BrokeOff(Exception):
    """The run broke off elsewhere; this participant's delivery stops before its next claim."""


class DeliveryRun:
    """One delivery run: claims, sends and records each row."""

    def __init__(self, send: SendReply, clock: Callable[[], dt.datetime], lease: dt.timedelta,
                 report: DeliveryReport, progress: ProgressLog, retry_until: dt.datetime,
                 on_unreachable: Callable[[int], None],
                 on_progress: ProgressHook | None, on_refused: RefusalHook | None) -> None:
        self.send = send
        self.on_unreachable = on_unreachable
        self.on_progress = on_progress
        self.on_refused = on_refused
        self.stopped: list[str] = []  # key prefixes the refusal hook stopped
        self.clock = clock
        self.lease = lease
        self.report = report
        self.progress = progress
        self.retry_until = retry_until
        self.held: set[int] = set()  # participants whose earlier row did not go out
        # From a request's start until its message is marked: one at a time, so that a crash
        # leaves at most one message Telegram took and the outbox does not know of.
        self.one_in_doubt = asyncio.Lock()
        # What broke the run (a failed send's database write, the heartbeat's): no more claims.
        self.broken: Exception | None = None

    async def deliver(self, user_id: int, rows: list[Outbox], limit: asyncio.Semaphore) -> None:
        """A participant's rows in order; stop at the first one that does not go out."""
        try:
            async with limit:
                for row in rows:
                    delivered = (user_id not in self.held
                                 and await self._deliver_one(user_id, row))
                    if self.on_progress is not None:
                        await self.on_progress(False)
                    if not delivered:
                        self.held.add(user_id)
                        return
        except Exception as error:
            if self.broken is None:
                self.broken = error
            raise

    async def _deliver_one(self, user_id: int, row: Outbox) -> bool:
        """Send one row, trying again after failures while it makes sense; True when the
        participant's next row may follow."""
        pause = FIRST_PAUSE_SECONDS
        try:
            while True:
                if self.broken is not None:
                    raise _BrokeOff(str(self.broken))
                if not await off_loop(partial(self._claim, row)):
                    return False  # another process has it, or it expired meanwhile
                if not row.reachable:
                    await off_loop(partial(self._unreachable, user_id))
                    return False
                if any(row.key.startswith(prefix) for prefix in self.stopped):
                    await self._finish(row, status=EXPIRED, error=STOPPED)
                    return True
                async with self.one_in_doubt:
                    if self.broken is not None:  # (while this one waited its turn)
                        await off_loop(partial(self._release, row, repr(self.broken)))
                        raise _BrokeOff(str(self.broken))
                    outcome = await self._send(user_id, row)
                    self.progress.step()
                    if outcome is SendOutcome.SENT:
                        await self._finish(row, status=SENT, sent_at=self.clock())
                        self.report.sent += 1
                        return True
                if outcome is SendOutcome.UNREACHABLE:
                    await off_loop(partial(self._leave_unreachable, user_id))
                    return False
                if isinstance(outcome, Refused):
                    await self._finish(row, status=REFUSED, error=outcome.reason)
                    self.report.refused[outcome.reason] += 1
                    log.error("chat %s: Telegram refused message %s for good: %s",
                              user_id, row.id, outcome.reason)
                    if self.on_refused is not None:
                        stop = await off_loop(partial(self.on_refused, row.key, user_id,
                                                      outcome.reason))
                        if stop:
                            self.stopped.append(stop)
                    return True
                await off_loop(partial(self._release, row, "the Bot API did not answer"))
                if not self._worth_waiting(row, pause):
                    return False
                await asyncio.sleep(pause)
                pause = min(pause * 2, LONGEST_PAUSE_SECONDS)
        finally:
            IN_HAND.let_go(row.id)

    async def _send(self, user_id: int, row: Outbox) -> SendResult:
        reply = Reply.from_json(row.payload)
        try:
            return await self.send(reply.chat_id or user_id, reply)
        except BaseException as error:
            await off_loop(partial(self._release, row, repr(error)))
            raise

    async def _finish(self, row: Outbox, **values: object) -> None:
        """Record a row's final outcome; one the database does not take now is owed to it."""
        try:
            await off_loop(partial(self.write_outcome, row.id, values))
        except Exception:
            IN_HAND.owe(row.id, values)
            raise

    def _worth_waiting(self, row: Outbox, pause: float) -> bool:
        again_at = self.clock() + dt.timedelta(seconds=pause)
        return again_at < self.retry_until and (row.expires_at is None
                                                or again_at < row.expires_at)

    def _claim(self, row: Outbox) -> bool:
        """(On the store's thread, as `InHand.settle` is: held before the claim is visible.)"""
        IN_HAND.hold(row.id)
        now = self.clock()
        claimed = bool(Outbox.update(status=SENDING, claimed_at=now, claimed_by=this_process(),
                                     attempts=Outbox.attempts + 1)
                       .where(Outbox.id == row.id, is_claimable(now, self.lease)).execute())
        if not claimed:
            IN_HAND.let_go(row.id)
        return claimed

    @staticmethod
    def write_outcome(row_id: int, values: dict[str, object]) -> None:
        """(On the store's thread.)"""
        Outbox.update(claimed_by=None, **values).where(Outbox.id == row_id).execute()

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
