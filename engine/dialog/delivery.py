"""How replies leave the dialogue: the contract between the outbox, jobs and a transport."""

from __future__ import annotations

import enum
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace

from engine.dialog.events import Reply
from engine.render.split import split_html


class SendOutcome(enum.Enum):
    SENT = "sent"
    UNREACHABLE = "unreachable"  # the participant blocked the bot (or the chat is gone)
    FAILED = "failed"  # a failure that may pass (network, 5xx): worth trying again later


@dataclass(frozen=True)
class Refused:
    """Telegram refused the message for good (a 400 such as "message is too long"): trying
    again would fail the same way."""

    reason: str


SendResult = SendOutcome | Refused

# Send one reply to one chat; bulk senders pace themselves under Telegram's limits, wait out
# 429s and retry network errors for a moment before answering.
SendReply = Callable[[int, Reply], Awaitable[SendResult]]


def split_reply(reply: Reply) -> list[Reply]:
    """A reply whose text is too long for one Telegram message as several: the text in parts,
    the keyboard and contact card with the last one, an edit only in the first."""
    texts = split_html(reply.text) if reply.text else [reply.text]
    if len(texts) == 1:
        return [reply]
    plain = Reply(chat_id=reply.chat_id, meta=reply.meta)
    parts = [replace(plain, text=text) for text in texts]
    parts[0] = replace(parts[0], edit_message_id=reply.edit_message_id)
    parts[-1] = replace(reply, text=texts[-1], edit_message_id=None)
    return parts
