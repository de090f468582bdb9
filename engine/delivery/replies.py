"""A turn's replies, durable: recorded in the transaction of the change that produced them,
sent at once by the process that handled the turn, and after a crash by whichever process
recovers.

- `record` (inside the turn's transaction) writes the replies, long texts split into messages
  Telegram accepts, as replies in flight (`in_flight`: a small table of their own, one INSERT),
  held by this process.
- `send_turn` sends them in order, each deleted from the table once Telegram answers and
  before the next request starts (a crash leaves at most one message in doubt); one Telegram
  does not take moves to the outbox with its outcome, the rest of its turn with it.
- A process killed between the commit and the sends leaves its replies in flight under its
  dead name: `recover` (the bot calls it at start, and when the database or the Bot API is
  back), like any delivery of the outbox, moves them to the outbox, which delivers them by its
  claim rule, so two processes never both send one. Telegram's resend of the update changes
  nothing (it was handled): the reply comes from the outbox.
- A reply not sent within `LATE_AFTER` of its turn is not sent late: it expires (whoever looks
  first: the claim rule never takes it), and `recover` shows the participant one line (the
  `back_online` text) and the screen they stand at instead.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from functools import partial

from engine.delivery import in_flight
from engine.delivery.claims import (
    EXPIRED,
    PENDING,
    REFUSED,
    SEND_LEASE,
    SENDING,
    TURN,
    UNREACHABLE,
)
from engine.delivery.in_flight import IN_FLIGHT, LATE_AFTER
from engine.delivery.outbox import (
    RETRY_FOR,
    DeliveryReport,
    deliver_outbox,
    queue_replies,
    take_back_from_the_dead,
)
from engine.dialog.delivery import Refused, SendOutcome, SendReply, SendResult, split_reply
from engine.dialog.events import Reply
from engine.store import Outbox, database, off_loop, participants, utc_now

log = logging.getLogger(__name__)

ROW = "in_flight_row"  # the key of a recorded reply's row id in its `meta`
LATE = "late: the participant's current screen was shown again instead"
SKIPPED = "not sent: an earlier reply of the same turn did not go out"
NO_ANSWER = "the Bot API did not answer"

__all__ = ["LATE_AFTER", "TURN", "mark_sent", "record", "recorded", "recover", "send_turn"]

# What the participant sees instead of replies gone late (the dialogue's `show_again`).
ShowAgain = Callable[[int], list[Reply]]
# Told of a reply Telegram refused for good (its participant, the reply and the reason).
RefusedHook = Callable[[int, Reply, str], Awaitable[None]]


def record(user_id: int, update_id: int | None, replies: Sequence[Reply],
           now: dt.datetime) -> list[Reply]:
    """(Inside the turn's transaction.) Record a turn's replies in flight; the messages to
    send, each knowing its row (`recorded`)."""
    parts = [part for reply in replies for part in split_reply(reply)]
    if not parts:
        return []
    # An update's id names its turn; without one (a turn played through the seam), the moment
    # does: a participant's turns are taken one at a time.
    turn = f"{update_id}" if update_id is not None else f"{user_id}:{time.time_ns()}"
    rows = in_flight.record(user_id, turn, parts, now)
    return [part.with_meta({ROW: row}) for part, row in zip(parts, rows, strict=True)]


def recorded(reply: Reply) -> int | None:
    """The row in flight of a reply `record` returned (None for one sent unrecorded)."""
    row = reply.meta.get(ROW)
    return int(row) if row is not None else None


async def send_turn(send: SendReply, user_id: int, replies: Sequence[Reply],
                    refused: RefusedHook, ask_delivery: Callable[[], None],
                    leave_last: bool = False) -> int | None:
    """A turn's replies in order, each recorded one done with once Telegram answers. One that
    does not go out stops the participant's own that follow (what follows may make no sense
    without it): blocked, they are dropped; refused for good, they are dropped and the
    participant is told (`refused`); not answered, they go to the outbox and `ask_delivery`
    is called (a delivery tries them again, in order).

    `leave_last`: the last reply, once Telegram took it, is left for the caller to be done
    with (`mark_sent`), still held: its row is returned (None when there is none to do)."""
    rows = [recorded(reply) for reply in replies]
    # Rows still held: each is let go as it is deleted or moved (in_flight), at once, since
    # SQLite gives a deleted row's id to the next one recorded.
    held = {row for row in rows if row is not None}
    try:
        for index, reply in enumerate(replies):
            outcome = await send(user_id, reply)
            row = rows[index]
            if (leave_last and row is not None and index == len(replies) - 1
                    and outcome is SendOutcome.SENT):
                held.discard(row)
                return row
            await _mark(row, outcome)
            held.discard(row)
            if outcome is SendOutcome.FAILED:
                ask_delivery()
            if outcome is SendOutcome.SENT or reply.chat_id not in (None, user_id):
                continue  # (someone else's message does not hold the participant's)
            rest = [later for later in rows[index + 1:] if later is not None]
            if outcome is SendOutcome.FAILED:
                await _move(rest, PENDING, NO_ANSWER)
            else:
                await _move(rest, UNREACHABLE if outcome is SendOutcome.UNREACHABLE else EXPIRED,
                            SKIPPED)
            held.difference_update(rest)
            if isinstance(outcome, Refused):
                await refused(user_id, reply, outcome.reason)
            return None
        return None
    finally:
        for row in held:  # not done with: stranded, the next delivery moves them
            IN_FLIGHT.let_go(row)


def mark_sent(row: int, held: participants.Held | None = None) -> None:
    """(On the store's thread, or the turn's.) Telegram took the reply of row `row`; given
    the participant's lock (`held`), it is let go in the same statement. A delete the
    database does not take is owed: the reply is never sent again."""
    try:
        in_flight.sent(row, held)
    except BaseException:
        IN_FLIGHT.owe(row)
        raise


async def _mark(row: int | None, outcome: SendResult) -> None:
    if row is None:
        return
    if outcome is SendOutcome.SENT:
        try:
            await off_loop(partial(mark_sent, row))
        except Exception:
            IN_FLIGHT.owe(row)  # (mark_sent did, unless the bot stopping never ran it)
            raise
    elif outcome is SendOutcome.UNREACHABLE:
        await _move([row], UNREACHABLE, "")
    elif isinstance(outcome, Refused):
        await _move([row], REFUSED, outcome.reason)
    else:
        await _move([row], PENDING, NO_ANSWER)


async def _move(rows: list[int], status: str, error: str) -> None:
    """Rows' outcome, in the outbox; rows the database does not take now stay in flight, and
    the next delivery moves them as pending (sent again, they come to the same outcome)."""
    if rows:
        await off_loop(partial(in_flight.to_outbox, rows, status, error))


async def recover(send: SendReply, show_again: ShowAgain,
                  clock: Callable[[], dt.datetime] = utc_now) -> DeliveryReport:
    """Deliver the turns' replies left undelivered (a process died between a turn's commit
    and its sends, the Bot API did not answer); in place of those gone late, one line and
    the participant's current screen."""
    await off_loop(partial(take_back_from_the_dead, clock()))
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
