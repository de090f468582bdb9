"""How replies leave the dialogue: the contract between the outbox, jobs and a transport."""

from __future__ import annotations

import enum
from collections.abc import Awaitable, Callable

from engine.dialog.events import Reply


class SendOutcome(enum.Enum):
    SENT = "sent"
    UNREACHABLE = "unreachable"  # the participant blocked the bot (or the chat is gone)
    FAILED = "failed"  # gave up after retries; the message stays queued for a later run


# Send one reply to one chat; bulk senders pace themselves under Telegram's limits, wait out
# 429s and retry network errors before answering.
SendReply = Callable[[int, Reply], Awaitable[SendOutcome]]
