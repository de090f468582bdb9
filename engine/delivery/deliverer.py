"""One bot's way of delivering its outbox, shared by everything that delivers: the in-process
schedule, `scheduler.py`, and the notices a button press queues."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from engine.delivery.outbox import DeliveryReport, ProgressHook, RefusalHook, deliver_outbox
from engine.dialog.delivery import SendReply


@dataclass(frozen=True)
class Delivery:
    """What a bot does around each delivery: its clock, what follows when a send finds a
    participant unreachable (the application may, say, take them out of a meeting), how a
    long send shows its progress through the sender it is given, and what follows a message
    Telegram refuses for good (the application may stop the rest of a broadcast)."""

    clock: Callable[[], dt.datetime]
    on_unreachable: Callable[[int], None] | None = None
    progress: Callable[[SendReply], ProgressHook] | None = None
    on_refused: RefusalHook | None = None

    async def deliver(self, send: SendReply, *, retry_for: dt.timedelta,
                      kinds: tuple[str, ...] = ()) -> DeliveryReport:
        """Send what is pending (only rows of `kinds`, if given: those go at once, without
        waiting for the sender's role, and show no progress); a failing message is tried again
        for up to `retry_for`."""
        hook = self.progress(send) if self.progress is not None and not kinds else None
        return await deliver_outbox(send, clock=self.clock, retry_for=retry_for, kinds=kinds,
                                    on_unreachable=self.on_unreachable, on_progress=hook,
                                    on_refused=self.on_refused)
