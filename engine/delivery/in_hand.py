"""The outbox rows this process has in hand, and what it owes the database about them.

A row is in hand from the moment a delivery of this process claims it until its outcome is
recorded. When a delivery breaks off (the database went away, its connection was replaced, a
full disk refused a write), rows it had claimed stay "sending" under this process's name, and
no other process may take them before their lease runs out, although nobody sends them. So the
next delivery of this process first gives them back (`settle`): it records the outcomes it
learnt and could not write (a message Telegram accepted is marked sent, not sent again), and
returns to pending every row claimed by this process that no delivery has in hand.
"""

from __future__ import annotations

import threading
from typing import Any

from engine.delivery.claims import PENDING, SENDING, UNDELIVERED
from engine.delivery.owner import this_process
from engine.store import Outbox


class InHand:
    """Rows claimed by this process's deliveries, across all of them (thread-safe: the rows are
    written on the store's thread, the bookkeeping is done on the event loop)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._rows: set[int] = set()
        self._unrecorded: dict[int, dict[str, Any]] = {}  # row id -> what to write
        self._breaks = 0  # deliveries that broke off since the last settling

    def hold(self, row_id: int) -> None:
        with self._lock:
            self._rows.add(row_id)

    def let_go(self, row_id: int) -> None:
        with self._lock:
            self._rows.discard(row_id)

    def owe(self, row_id: int, values: dict[str, Any]) -> None:
        """The outcome of a row is known but could not be written: write it at `settle`."""
        with self._lock:
            self._unrecorded[row_id] = values
            self._rows.discard(row_id)
            self._breaks += 1

    def broke_off(self) -> None:
        """A delivery ended without finishing what it claimed."""
        with self._lock:
            self._breaks += 1

    def needs_settling(self) -> bool:
        with self._lock:
            return bool(self._breaks)

    def settle(self) -> int:
        """On the store's thread: write the outcomes owed and give back the claims no delivery
        holds; returns how many rows went back to pending. Raises what the database raises (the
        debt stays for the next try)."""
        with self._lock:
            owed = dict(self._unrecorded)
            held = set(self._rows)
            breaks = self._breaks
        for row_id, values in owed.items():
            (Outbox.update(claimed_by=None, **values)
             .where(Outbox.id == row_id, Outbox.status.in_(UNDELIVERED)).execute())
        returned = (Outbox.update(status=PENDING, claimed_by=None)
                    .where(Outbox.status == SENDING, Outbox.claimed_by == this_process(),
                           Outbox.id.not_in(held or {0}))
                    .execute())
        with self._lock:
            for row_id in owed:
                self._unrecorded.pop(row_id, None)
            if self._breaks == breaks:  # none broke off meanwhile
                self._breaks = 0
        return returned


IN_HAND = InHand()
