"""Delivery: messages recorded in the outbox before they are sent, then delivered once each, in
each participant's order, by one sender of the deployment at a time, at Telegram's pace.

What other layers use: `Delivery` (one bot's deliveries: `deliverer`), `outbox` (queueing rows,
their statuses, `deliver_outbox`, `DeliveryReport`, `ProgressHook`, counts), `replies` (a
turn's replies recorded with its change, sent, and recovered after a crash), `progress_log` (a
long run's progress in the log). `owner` (who holds a claim) and `sender` (the sender's
role) are shared with the application's job claims and tests. Inside: `claims` (the claim
rule), `run` (one delivery run), `in_hand` (what this process holds and owes), `in_flight`
(a turn's replies between its commit and Telegram's answer).
"""

from engine.delivery import outbox, owner, progress_log, replies, sender
from engine.delivery.deliverer import Delivery

__all__ = ["Delivery", "deliverer", "outbox", "owner", "progress_log", "replies", "sender"]
