"""Which Telegram updates have taken effect: an update delivered again changes nothing.

The dialogue records an update's id in the same transaction as the change it makes, so a
retry that arrives after the commit finds it and is ignored, and a retry of an update whose
handling failed (rolled back) is handled afresh. Telegram resends an update for at most a day;
older records are pruned now and then, which keeps the table small.
"""

from __future__ import annotations

import datetime as dt

from engine.store.models import HandledUpdate
from engine.store.prepared import EXAMPLE_TIME, PreparedWrite

KEEP = dt.timedelta(days=2)
PRUNE_EVERY = 1000  # records, counted by update id
_RECORD = PreparedWrite(HandledUpdate, HandledUpdate.insert(update_id=0, handled_at=EXAMPLE_TIME)
                        .on_conflict_ignore())


def first_handling(update_id: int, now: dt.datetime) -> bool:
    """Record `update_id` as handled; False when it already was. Call inside the transaction
    that makes the update's change."""
    new = _RECORD.run(update_id, HandledUpdate.handled_at.db_value(now))
    if new and update_id % PRUNE_EVERY == 0:
        HandledUpdate.delete().where(HandledUpdate.handled_at < now - KEEP).execute()
    return bool(new)
