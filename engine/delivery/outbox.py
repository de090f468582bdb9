"""The outbox: messages queued in the database with the change that produced them, then
delivered once each, in each participant's order.

A job queues a participant's replies in the same transaction as the change that produced them,
each row under a unique key (`invite:2026-11-30:42:0`), so a job run twice queues nothing twice.
Long texts are split into messages Telegram accepts before they are queued (one row, one
message). `deliver_outbox` then sends what is pending: as the deployment's one sender
(`sender`), rows claimed by the one claim rule (`claims`), one run at a time (`run`); a row
past its `expires_at` (an invitation after matching) is never sent: undelivered, whatever its
state, it becomes expired.

Delivery is at least once: a process that dies between Telegram accepting a message and the
row being marked sent leaves it "sending". Such rows are taken back at once when their holder
was a process of this machine that no longer exists (`owner.is_gone`), otherwise when the
holder's lease (`SEND_LEASE`, renewed while it sends) runs out; then they are sent a second
time: at most one per run, the one in flight. A run that breaks off (the database went away)
leaves its claims to the next run of the same process, which gives them back at once
(`in_hand`).

A run's verdict (`DeliveryReport`): what it could not deliver within its retry window is
`left`; rows a live process is sending, or that wait for the sender the run waited for in vain,
are `elsewhere`, not a failure.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
from collections import Counter
from collections.abc import AsyncIterator, Callable, Iterable
from functools import partial

from peewee import ModelSelect, fn

from engine.delivery import in_flight, sender
from engine.delivery.claims import (
    EXPIRED,
    PENDING,
    REFUSED,
    SEND_LEASE,
    SENDING,
    SENT,
    UNDELIVERED,
    UNREACHABLE,
    candidates,
)
from engine.delivery.in_hand import IN_HAND
from engine.delivery.owner import is_gone, this_process
from engine.delivery.progress_log import ProgressLog
from engine.delivery.run import (
    BATCH,
    DeliveryReport,
    DeliveryRun,
    ProgressHook,
    RefusalHook,
    deliver_batches,
    heartbeat,
)
from engine.dialog.delivery import SendReply, split_reply
from engine.dialog.events import Reply
from engine.store import Outbox, off_loop, utc_now

log = logging.getLogger(__name__)

RETRY_FOR = dt.timedelta(minutes=5)  # how long one run keeps trying a failing message
SENDER_WAIT_SECONDS = 0.5

__all__ = [
    "EXPIRED",
    "PENDING",
    "REFUSED",
    "RETRY_FOR",
    "SENDING",
    "SEND_LEASE",
    "SENT",
    "UNREACHABLE",
    "DeliveryReport",
    "ProgressHook",
    "RefusalHook",
    "deliver_outbox",
    "newest_queued",
    "outbox_counts",
    "queue_copies",
    "queue_replies",
    "take_back_from_the_dead",
]


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


async def deliver_outbox(send: SendReply, *, clock: Callable[[], dt.datetime] = utc_now,
                         lease: dt.timedelta = SEND_LEASE, concurrency: int = 8,
                         retry_for: dt.timedelta = RETRY_FOR,
                         kinds: tuple[str, ...] = (),
                         on_unreachable: Callable[[int], None] | None = None,
                         on_progress: ProgressHook | None = None,
                         on_refused: RefusalHook | None = None,
                         ) -> DeliveryReport:
    """Send every undelivered row once (only rows of `kinds`, if given), oldest first,
    several participants at a time; retry failing ones, and wait for the sender's role, for up
    to `retry_for`. `on_unreachable(user_id)` learns of each participant found to have blocked
    the bot; `on_progress` of each message handled and of the end of the run; `on_refused` of
    each message Telegram refused for good."""
    report = DeliveryReport()
    started = clock()
    if IN_HAND.needs_settling():
        returned = await off_loop(IN_HAND.settle)
        if returned:
            log.info("gave back %d message(s) an interrupted delivery had claimed", returned)
    candidates_now = candidates(started, lease)
    if kinds:
        candidates_now = candidates_now.where(Outbox.kind.in_(kinds))
        if not await off_loop(candidates_now.exists):
            return report  # the common case after a press: cheap
    try:
        async with _as_the_sender(elected=not kinds, patience=retry_for) as sending:
            if sending:
                await _deliver_pending(send, report, candidates_now, clock, lease, concurrency,
                                         retry_for, kinds, on_unreachable, on_progress,
                                         on_refused)
    except BaseException:
        IN_HAND.broke_off()
        raise
    if not kinds:
        await off_loop(partial(_count_left, report, clock(), lease, sending))
    if on_progress is not None:
        await on_progress(True)
    return report


async def _deliver_pending(send: SendReply, report: DeliveryReport, pending: ModelSelect,
                             clock: Callable[[], dt.datetime], lease: dt.timedelta,
                             concurrency: int, retry_for: dt.timedelta, kinds: tuple[str, ...],
                             on_unreachable: Callable[[int], None] | None,
                             on_progress: ProgressHook | None,
                             on_refused: RefusalHook | None) -> None:
    started = clock()
    await off_loop(partial(take_back_from_the_dead, started))
    report.expired = await off_loop(partial(_expire, started))
    if not await off_loop(pending.exists):
        return
    progress = ProgressLog("delivery", await off_loop(pending.count))
    delivery = DeliveryRun(send, clock, lease, report, progress, started + retry_for,
                         on_unreachable or (lambda user_id: None), on_progress,
                           on_refused)
    async with heartbeat(delivery):
        await deliver_batches(delivery, concurrency, kinds)
    progress.done()
    report.expired += await off_loop(partial(_expire, clock()))


@contextlib.asynccontextmanager
async def _as_the_sender(elected: bool, patience: dt.timedelta) -> AsyncIterator[bool]:
    """A whole delivery waits (without blocking the loop) until this process is the one
    sender of the deployment (`sender`): one pace, one order; it yields False when another
    process keeps the role for longer than `patience` (that one delivers). A few notices after
    a press go at once: the claim rule keeps each participant's order, and they are few."""
    loop = asyncio.get_running_loop()
    give_up_at = loop.time() + patience.total_seconds()
    taken = not elected
    try:  # a wait cancelled after the role was taken gives it back too
        while not taken:
            taken = await off_loop(sender.become_sender)
            if not taken:
                if loop.time() >= give_up_at:
                    break
                await asyncio.sleep(SENDER_WAIT_SECONDS)
        yield taken
    finally:
        if elected and taken:
            await off_loop(sender.stop_being_sender)


def take_back_from_the_dead(now: dt.datetime) -> int:
    """Rows left "sending" by a process of this machine that has died go back to pending; a
    turn's replies nobody sends any more (`in_flight.move_stranded`) join the outbox, pending.
    How many messages in all."""
    moved = in_flight.move_stranded(now)
    if moved:
        log.info("%d reply(ies) left in flight go out from the outbox", moved)
    holders = {holder for (holder,) in Outbox.select(Outbox.claimed_by).distinct()
               .where(Outbox.status == SENDING).tuples()}
    dead = [holder for holder in holders if is_gone(holder)]
    if not dead:
        return moved
    taken = (Outbox.update(status=PENDING, claimed_by=None)
             .where(Outbox.status == SENDING, Outbox.claimed_by.in_(dead)).execute())
    log.warning("took back %d message(s) left in flight by a process that died", taken)
    return moved + taken


def _expire(now: dt.datetime) -> int:
    """Every undelivered row past its expiry, unless a live process is sending it this
    moment, becomes expired."""
    return (Outbox.update(status=EXPIRED)
            .where(Outbox.expires_at < now,
                   (Outbox.status == PENDING) | (
                       (Outbox.status == SENDING) & (Outbox.claimed_at < now - SEND_LEASE)))
            .execute())


def _count_left(report: DeliveryReport, now: dt.datetime, lease: dt.timedelta,
                was_sender: bool) -> None:
    """What is still undelivered: in another live sender's hands (claimed by a process whose
    lease runs, or waiting for the sender this run did not become), or left to the next run."""
    undelivered = Outbox.status.in_(UNDELIVERED) & (
        Outbox.expires_at.is_null() | (Outbox.expires_at > now))
    if was_sender:
        elsewhere = ((Outbox.status == SENDING) & (Outbox.claimed_by != this_process())
                     & (Outbox.claimed_at >= now - lease))
        report.elsewhere = Outbox.select().where(undelivered & elsewhere).count()
        undelivered &= ~elsewhere
    else:
        report.elsewhere = Outbox.select().where(undelivered).count()
        return
    left = Outbox.select(fn.COUNT(Outbox.id), fn.MAX(Outbox.expires_at),
                         fn.COUNT(Outbox.expires_at)).where(undelivered)  # (skips NULLs)
    count, latest, expiring = left.tuples().get()
    report.left = count or 0
    if report.left:
        never = expiring < count  # some never expire
        report.left_until = None if never else latest  # (converted by the field)
        errors = Counter(error for (error,) in Outbox.select(Outbox.error).where(
            undelivered, Outbox.error != "").tuples())
        report.left_because = errors.most_common(1)[0][0] if errors else "not tried yet"


def outbox_counts() -> dict[str, int]:
    """Rows by status, for summaries and tests."""
    query = Outbox.select(Outbox.status, fn.COUNT(Outbox.id).alias("n")).group_by(Outbox.status)
    return {row.status: row.n for row in query}
