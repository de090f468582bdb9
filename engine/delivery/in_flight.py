"""A turn's replies in flight: between the commit of the turn that produced them and Telegram's
answer, they are rows of their own small table (`TurnReply`), not of the outbox.

Every turn records its replies and deletes each once Telegram took it, so the write must be
cheap: the table holds only what is in flight and has no index but its primary key. A reply
that is not simply sent leaves it for the outbox, whose claim and lease rules then deliver it
once, in its participant's order (`to_outbox`): with its outcome when Telegram refused it or
the participant blocked the bot, as pending when the Bot API did not answer, and as pending
too when it is stranded (`move_stranded`): its process died, or broke off sending it, or
another machine has held it longer than a send's lease.

`IN_FLIGHT` is what this process is sending now and what it owes the table (a reply Telegram
took whose delete the database did not take: it is never sent again).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import threading
from collections.abc import Sequence

from engine.delivery.claims import PENDING, SEND_LEASE, TURN
from engine.delivery.owner import is_gone, on_this_machine, this_process
from engine.dialog.events import Reply
from engine.store import EXAMPLE_TIME, Outbox, PreparedWrite, TurnReply, database, participants


class InFlight:
    """Rows this process is sending, and rows Telegram took that are still to be deleted
    (thread-safe: written on the store's thread, kept on the event loop)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._sending: set[int] = set()
        self._sent: set[int] = set()

    def hold(self, row: int) -> None:
        with self._lock:
            self._sending.add(row)

    def let_go(self, row: int) -> None:
        with self._lock:
            self._sending.discard(row)

    def owe(self, row: int) -> None:
        """Telegram took the reply of `row`; its delete did not go through."""
        with self._lock:
            self._sent.add(row)
            self._sending.discard(row)

    def snapshot(self) -> tuple[set[int], set[int]]:
        with self._lock:
            return set(self._sending), set(self._sent)

    def paid(self, rows: set[int]) -> None:
        with self._lock:
            self._sent -= rows


IN_FLIGHT = InFlight()

# How late a turn's reply may still go out. A reply older than this answers a question the
# participant may no longer be asking: their current screen is shown again instead
# (engine.delivery.replies).
LATE_AFTER = dt.timedelta(minutes=10)


def record(user_id: int, turn: str, parts: Sequence[Reply], now: dt.datetime) -> list[int]:
    """(Inside the turn's transaction.) Record the messages of a turn (already split as
    Telegram takes them) in one INSERT, held by this process; their rows, in order."""
    created = TurnReply.created_at.db_value(now)
    holder = this_process()
    keys = [f"{TURN}:{turn}:{number}" for number in range(len(parts))]
    params = [value for key, part in zip(keys, parts, strict=True)
              for value in (key, user_id, json.dumps(part.to_json()), created, holder)]
    ids = dict(_insert(len(parts)).returned(*params))
    rows = [ids[key] for key in keys]
    for row in rows:
        IN_FLIGHT.hold(row)  # before the commit: no recovery moves it while it is sent
    return rows


def sent(row: int, held: participants.Held | None = None) -> None:
    """(On the store's thread, or the turn's.) Telegram took the reply of `row`: it is done
    with. Given the participant's lock (`held`, PostgreSQL), it is let go in the same
    statement."""
    if held is not None and held.shared:
        held.release_with(_DELETE_RELEASING, row)
    else:
        _DELETE.run(row)
    IN_FLIGHT.let_go(row)


def to_outbox(rows: Sequence[int], status: str, error: str) -> int:
    """(On the store's thread.) Move `rows` to the outbox with `status` (pending: to be
    delivered there) and `error`, expiring `LATE_AFTER` after their turn; how many moved (a
    row two processes move at once arrives once: its key is the outbox's)."""
    if not rows:
        return 0
    with database.atomic():
        found = list(TurnReply.select().where(TurnReply.id.in_(list(rows)))
                     .order_by(TurnReply.id))
        if found:
            (Outbox.insert_many([
                {"key": row.key, "user": row.user_id, "kind": TURN,
                 "payload": json.loads(row.payload), "status": status, "attempts": 1,
                 "error": error, "created_at": row.created_at,
                 "expires_at": row.created_at + LATE_AFTER} for row in found])
             .on_conflict_ignore().execute())
            TurnReply.delete().where(TurnReply.id.in_([row.id for row in found])).execute()
    for row in rows:
        IN_FLIGHT.let_go(row)
    return len(found)


def move_stranded(now: dt.datetime) -> int:
    """(On the store's thread.) Replies in flight nobody is sending any more go to the outbox,
    pending: those this process holds and no send has in hand (one broke off), those of a
    process of this machine that has died (one alive keeps its own, however long a send
    takes), and those another machine has held longer than a send's lease. Deletes owed for
    replies Telegram took come first. How many moved."""
    _sending, owed = IN_FLIGHT.snapshot()
    if owed:
        TurnReply.delete().where(TurnReply.id.in_(list(owed))).execute()
        IN_FLIGHT.paid(owed)
    found = list(TurnReply.select(TurnReply.id, TurnReply.holder, TurnReply.created_at).tuples())
    # What this process holds, looked at after the rows: a row the query saw was committed,
    # so held since before its commit, if a send has it.
    sending, owed = IN_FLIGHT.snapshot()
    me = this_process()
    stranded = [row for row, holder, created_at in found
                if (row not in sending and row not in owed if holder == me
                    else is_gone(holder) if on_this_machine(holder)
                    else created_at < now - SEND_LEASE)]
    return to_outbox(stranded, PENDING, "")


_DELETE = PreparedWrite(TurnReply, TurnReply.delete().where(TurnReply.id == 0))
_DELETE_RELEASING = participants.releasing(TurnReply.delete().where(TurnReply.id == 0))


@functools.cache
def _insert(count: int) -> PreparedWrite[TurnReply]:
    """One INSERT of `count` rows answering each row's key and id; the parameters of each row:
    key, participant, payload (JSON text), created_at, holder."""
    row = {"key": "", "user_id": 0, "payload": "", "created_at": EXAMPLE_TIME, "holder": ""}
    return PreparedWrite(TurnReply, TurnReply.insert_many([row] * count)
                         .returning(TurnReply.key, TurnReply.id))
