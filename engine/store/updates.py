"""Which Telegram updates have taken effect: an update delivered again changes nothing.

The dialogue records an update's id in the same transaction as the change it makes, so a
retry that arrives after the commit finds it and is ignored, and a retry of an update whose
handling failed (rolled back) is handled afresh. Telegram resends an update for at most a day;
older records are pruned now and then, which keeps the table small.
"""

from __future__ import annotations

import datetime as dt

from engine.store import participants
from engine.store.models import HandledUpdate, ReceivedUpdate
from engine.store.prepared import EXAMPLE_TIME, PreparedWrite

KEEP = dt.timedelta(days=2)
PRUNE_EVERY = 1000  # records, counted by update id
_RECORD = PreparedWrite(HandledUpdate, HandledUpdate.insert(update_id=0, handled_at=EXAMPLE_TIME)
                        .on_conflict_ignore())
# Where updates are recorded as received (PostgreSQL: engine.store.participants), one handled
# leaves its participant's line in the same statement (parameters: the update id twice, the time).
_RECORD_RECEIVED = PreparedWrite(HandledUpdate, HandledUpdate.insert(
    update_id=0, handled_at=EXAMPLE_TIME).on_conflict_ignore().with_cte(
        ReceivedUpdate.delete().where(ReceivedUpdate.update_id == 0).cte("handled")))


def first_handling(update_id: int, now: dt.datetime) -> bool:
    """Record `update_id` as handled (and no longer waiting in its participant's line); False
    when it already was. Call inside the transaction that makes the update's change."""
    handled_at = HandledUpdate.handled_at.db_value(now)
    new = (_RECORD_RECEIVED.run(update_id, update_id, handled_at) if participants.shared()
           else _RECORD.run(update_id, handled_at))
    if new and update_id % PRUNE_EVERY == 0:
        HandledUpdate.delete().where(HandledUpdate.handled_at < now - KEEP).execute()
    return bool(new)
