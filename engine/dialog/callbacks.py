"""Callback data of inline buttons: which keyboard they belong to and what they mean.

Every message drawn anew gets a new keyboard serial, and a button carries the serial it was
drawn with: a press from an older message (an earlier copy of a menu shown again, too) or with
forged data is recognised as stale instead of acting on whatever the participant is doing now.
Telegram allows 64 bytes of callback data.
"""

from __future__ import annotations

from dataclasses import dataclass

MAX_BYTES = 64


@dataclass(frozen=True)
class Press:
    serial: int
    kind: str  # "o" option, "d" done, "s" skip, "b" button
    value: str = ""


def encode(serial: int, kind: str, value: str = "") -> str:
    data = f"{serial:x}:{kind}:{value}" if value else f"{serial:x}:{kind}"
    if len(data.encode()) > MAX_BYTES:
        raise ValueError(f"callback data over {MAX_BYTES} bytes: {data!r}")
    return data


def decode(data: str) -> Press | None:
    """The press a callback's data describes, or None when it is not ours."""
    serial, _, rest = data.partition(":")
    kind, _, value = rest.partition(":")
    try:
        number = int(serial, 16)
    except ValueError:
        return None
    if kind not in ("o", "d", "s", "b") or (kind in ("o", "b") and not value):
        return None
    return Press(number, kind, value)
