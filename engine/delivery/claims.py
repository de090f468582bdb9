"""Which outbox rows may be sent now, and the one rule every process claims them by.

A row is claimed atomically (pending -> sending, with its process as `claimed_by`) before it is
sent, and only when it is free (pending, or left "sending" longer than the lease ago, and not
expired) and no earlier row of the same participant's line is still undelivered: two processes
never send the same row, and nobody gets their messages out of order. A participant has two
lines: the replies to their own turns (`TURN`), and everything else (a reply being sent holds
up no invitation or broadcast, nor the other way round).
"""

from __future__ import annotations

import datetime as dt

from peewee import Expression, ModelSelect, fn

from engine.store import Outbox, User

PENDING, SENDING, SENT, UNREACHABLE, EXPIRED, REFUSED = (
    "pending", "sending", "sent", "unreachable", "expired", "refused")
UNDELIVERED = (PENDING, SENDING)
SEND_LEASE = dt.timedelta(seconds=45)
TURN = "turn"  # the kind of a turn's replies (`engine.delivery.replies`)
HEARTBEAT = SEND_LEASE / 3  # how often a sender renews its claims


def candidates(now: dt.datetime, lease: dt.timedelta) -> ModelSelect:
    """Rows free to be sent now, with their participant's reachability (a participant's
    later rows come along: they are claimed one after the other)."""
    return (Outbox.select(Outbox.id, Outbox.key, Outbox.user, Outbox.payload,
                          Outbox.expires_at, User.reachable).join(User)
            .where(is_free(now, lease)).objects())


def is_free(now: dt.datetime, lease: dt.timedelta) -> Expression:
    """Pending or abandoned (claimed longer than the lease ago), and not expired."""
    free = (Outbox.status == PENDING) | (
        (Outbox.status == SENDING) & (Outbox.claimed_at < now - lease))
    return free & (Outbox.expires_at.is_null() | (Outbox.expires_at > now))


def is_claimable(now: dt.datetime, lease: dt.timedelta) -> Expression:
    """Free, and the first undelivered row of its participant's line: the one claim rule, for
    every process."""
    earlier = Outbox.alias("earlier")
    earlier_undelivered = (earlier.select(earlier.id)
                           .where(earlier.user == Outbox.user, earlier.id < Outbox.id,
                                  earlier.status.in_(UNDELIVERED),
                                  (earlier.kind == TURN) == (Outbox.kind == TURN)))
    return is_free(now, lease) & ~fn.EXISTS(earlier_undelivered)
