"""A turn's replies, durable: recorded in the outbox in the transaction of the change that
produced them, sent at once by the process that handled the turn, and after a crash by
whichever process recovers.

- `record` (inside the turn's transaction) writes the replies, long texts split into messages
  Telegram accepts, as outbox rows of the kind `turn`, already claimed by this process (so no
  delivery of another process sends them meanwhile), in one INSERT.
- `send_turn` sends them in order, each marked once Telegram answers and before the next
  request starts (the rule of `run`: a crash leaves at most one message in doubt).
- A process killed between the commit and the sends leaves its rows "sending" under its dead
  name: `recover` (the bot calls it at start, and when the database or the Bot API is back)
  takes them back and delivers them by the outbox's claim rule, so two processes never both
  send one. Telegram's resend of the update changes nothing (it was handled): the reply comes
  from the outbox.
- A reply not sent within `LATE_AFTER` of its turn is not sent late: it expires (whoever looks
  first: the claim rule never takes it), and `recover` shows the participant one line (the
  `back_online` text) and the screen they stand at instead.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import replace
from functools import partial

from engine.delivery.claims import (
    EXPIRED,
    PENDING,
    REFUSED,
    SEND_LEASE,
    SENDING,
    SENT,
    TURN,
    UNREACHABLE,
)
from engine.delivery.in_hand import IN_HAND
from engine.delivery.outbox import (
    RETRY_FOR,
    DeliveryReport,
    deliver_outbox,
    queue_replies,
    take_back_from_the_dead,
)
from engine.delivery.owner import this_process
from engine.dialog.delivery import Refused, SendOutcome, SendReply, SendResult, split_reply
from engine.dialog.events import Reply
from engine.store import EXAMPLE_TIME, Outbox, PreparedWrite, database, off_loop, utc_now

log = logging.getLogger(__name__)

# How late a turn's reply may still go out. A reply older than this answers a question the
# participant may no longer be asking: their current screen is shown again instead.
LATE_AFTER = dt.timedelta(minutes=10)
ROW = "outbox_row"  # the key of a recorded reply's row id in its `meta`
LATE = "late: the participant's current screen was shown again instead"
SKIPPED = "not sent: an earlier reply of the same turn did not go out"

__all__ = ["LATE_AFTER", "TURN", "mark_sent", "record", "recorded", "recover", "send_turn"]

# A reply marked sent (the parameters: status, claimed_by, sent_at, the row, its status now).
_MARK_SENT = PreparedWrite(Outbox, Outbox.update(status=SENT, claimed_by=None,
                                                 sent_at=EXAMPLE_TIME)
                           .where(Outbox.id == 0, Outbox.status == SENDING))

# What the participant sees instead of replies gone late (the dialogue's `show_again`).
ShowAgain = Callable[[int], list[Reply]]
# Told of a reply Telegram refused for good (its participant, the reply and the reason).
RefusedHook = Callable[[int, Reply, str], Awaitable[None]]


def record(user_id: int, update_id: int | None, replies: Sequence[Reply],
           now: dt.datetime) -> list[Reply]:
    """(Inside the turn's transaction.) Record a turn's replies as claimed outbox rows; the
    messages to send, each knowing its row (`recorded`)."""
    parts = [part for reply in replies for part in split_reply(reply)]
    if not parts:
        return []
    # An update's id names its turn; without one (a turn played through the seam), the moment
    # does: a participant's turns are taken one at a time.
    turn = f"{update_id}" if update_id is not None else f"{user_id}:{time.time_ns()}"
    created, expires = (Outbox.created_at.db_value(now),
                        Outbox.expires_at.db_value(now + LATE_AFTER))
    holder = this_process()
    keys = [f"{TURN}:{turn}:{number}" for number in range(len(parts))]
    params = [value for key, part in zip(keys, parts, strict=True)
              for value in (key, user_id, TURN, json.dumps(part.to_json()), SENDING, 1, "",
                            created, expires, created, holder)]
    ids = dict(_insert(len(parts)).returned(*params))
    sent = []
    for key, part in zip(keys, parts, strict=True):
        row_id = ids[key]
        IN_HAND.hold(row_id)  # before the commit: no settling gives it back while it is sent
        sent.append(replace(part, meta={**part.meta, ROW: row_id}))
    return sent


@functools.cache
def _insert(count: int) -> PreparedWrite[Outbox]:
    """One INSERT of `count` claimed turn rows, answering each row's key and id; the
    parameters of each row: key, participant, kind, payload (JSON text), status, attempts,
    error, created_at, expires_at, claimed_at, claimed_by."""
    row = {"key": "", "user": 0, "kind": TURN, "payload": "", "status": SENDING,
           "attempts": 1, "error": "", "created_at": EXAMPLE_TIME, "expires_at": EXAMPLE_TIME,
           "claimed_at": EXAMPLE_TIME, "claimed_by": ""}
    return PreparedWrite(Outbox, Outbox.insert_many([row] * count)
                         .returning(Outbox.key, Outbox.id))


def recorded(reply: Reply) -> int | None:
    """The outbox row of a reply `record` returned (None for one sent unrecorded)."""
    row = reply.meta.get(ROW)
    return int(row) if row is not None else None


async def send_turn(send: SendReply, user_id: int, replies: Sequence[Reply],
                    refused: RefusedHook, ask_delivery: Callable[[], None]) -> None:
    """A turn's replies in order, each recorded one marked with what came of it. One that
    does not go out stops the participant's own that follow (what follows may make no sense
    without it): blocked, they are dropped; refused for good, they are dropped and the
    participant is told (`refused`); not answered, they go back to the outbox and
    `ask_delivery` is called (a delivery tries them again, in order)."""
    rows = [recorded(reply) for reply in replies]
    try:
        for index, reply in enumerate(replies):
            outcome = await send(user_id, reply)
            await _mark(rows[index], outcome)
            if outcome is SendOutcome.FAILED:
                ask_delivery()
            if outcome is SendOutcome.SENT or reply.chat_id not in (None, user_id):
                continue  # (someone else's message does not hold the participant's)
            rest = [row for row in rows[index + 1:] if row is not None]
            if outcome is SendOutcome.FAILED:
                await _write(rest, status=PENDING, error="the Bot API did not answer")
            else:
                await _write(rest, status=(UNREACHABLE if outcome is SendOutcome.UNREACHABLE
                                           else EXPIRED), error=SKIPPED)
            if isinstance(outcome, Refused):
                await refused(user_id, reply, outcome.reason)
            return
    except BaseException:
        IN_HAND.broke_off()  # what it holds still is given back by the next delivery
        raise
    finally:
        for row in rows:
            if row is not None:
                IN_HAND.let_go(row)


def mark_sent(row: int, now: dt.datetime) -> None:
    """(On the store's thread.) Telegram took the reply of outbox row `row`."""
    _MARK_SENT.run(SENT, None, Outbox.sent_at.db_value(now), row, SENDING)


async def _mark(row: int | None, outcome: SendResult) -> None:
    if row is None:
        return
    if outcome is SendOutcome.SENT:
        now = utc_now()
        try:
            await off_loop(partial(mark_sent, row, now))
        except Exception:
            IN_HAND.owe(row, {"status": SENT, "sent_at": now})
            raise
    elif outcome is SendOutcome.UNREACHABLE:
        await _write([row], status=UNREACHABLE)
    elif isinstance(outcome, Refused):
        await _write([row], status=REFUSED, error=outcome.reason)
    else:
        await _write([row], status=PENDING, error="the Bot API did not answer")


async def _write(rows: list[int], **values: object) -> None:
    """Record rows' outcome; one the database does not take now is owed to it (`in_hand`),
    so that a message Telegram accepted is never sent again."""
    if not rows:
        return
    try:
        await off_loop(partial(_update, rows, values))
    except Exception:
        if values.get("status") != PENDING:
            for row in rows:
                IN_HAND.owe(row, values)
        raise


def _update(rows: list[int], values: dict[str, object]) -> None:
    (Outbox.update(claimed_by=None, **values)
     .where(Outbox.id.in_(rows), Outbox.status == SENDING).execute())


async def recover(send: SendReply, show_again: ShowAgain,
                  clock: Callable[[], dt.datetime] = utc_now) -> DeliveryReport:
    """Deliver the turns' replies left undelivered (a process died between a turn's commit
    and its sends, the Bot API did not answer); in place of those gone late, one line and
    the participant's current screen."""
    await off_loop(take_back_from_the_dead)
    late = await off_loop(partial(replace_late, clock(), show_again))
    if late:
        log.warning("%d participant(s) had replies too late to send (older than %d min): "
                    "shown their current screen again instead", late,
                    LATE_AFTER.total_seconds() // 60)
    report = await deliver_outbox(send, clock=clock, retry_for=RETRY_FOR, kinds=(TURN,))
    if report.sent:
        log.info("sent %d reply(ies) left unsent", report.sent)
    return report


def replace_late(now: dt.datetime, show_again: ShowAgain) -> int:
    """(On the store's thread.) Turn replies past their time, undelivered or expired by a
    delivery since, become expired (`LATE`); each of their participants gets `show_again`'s
    replies queued instead. How many participants."""
    abandoned = (Outbox.status == PENDING) | (
        (Outbox.status == SENDING) & (Outbox.claimed_at < now - SEND_LEASE))
    late = (Outbox.kind == TURN) & (
        ((Outbox.expires_at <= now) & abandoned)
        | ((Outbox.status == EXPIRED) & (Outbox.error == "")))
    rows = list(Outbox.select(Outbox.id, Outbox.user).where(late).tuples())
    latest: dict[int, int] = {}
    for row_id, user_id in rows:
        latest[user_id] = max(row_id, latest.get(user_id, 0))
    for user_id, row_id in latest.items():
        with database.atomic():
            taken = (Outbox.update(status=EXPIRED, claimed_by=None, error=LATE)
                     .where(Outbox.user == user_id, Outbox.id <= row_id, late).execute())
            if taken:
                queue_replies(user_id, f"{TURN}:late{row_id}", show_again(user_id), now,
                              expires_at=now + LATE_AFTER)
    return len(latest)
