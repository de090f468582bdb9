"""One way to play a participant, whatever carries their chat with the bot.

A journey written against `Driver` runs unchanged over the engine seam (`Participant`), the
console (`ConsoleParticipant`) and Telegram (`TelegramUser`: the real runner.py against the
fake Bot API). Each driver may offer more (the Telegram calls of a step, the seam's replies),
but these verbs mean the same everywhere.
"""

from __future__ import annotations

from typing import Protocol


class Driver(Protocol):
    """A participant in a private chat with the bot.

    An action returns once the bot has answered it at least in part (a transport that answers
    asynchronously is waited for); `sees` then waits, where it has to, for the rest.
    """

    def command(self, name: str) -> object:
        """Send `/name`."""

    def send(self, text: str) -> object:
        """Type and send a message."""

    def press(self, label: str) -> object:
        """Press an inline button of the latest message that has them (see `find_label`)."""

    def share_contact(self, phone: str | None = None) -> object:
        """Share one's own phone number (`phone`, or the driver's own)."""

    def sees(self, fragment: str) -> str:
        """The plain text of a message the last action brought (new or redrawn) that contains
        `fragment`; fails naming what was shown when there is none."""

    def buttons(self) -> list[str]:
        """The labels of the inline buttons on the latest message that has them."""


def find_label(labels: list[str], wanted: str) -> int:
    """The index of the button a participant means by `wanted`: the same label, the label
    without its ✅ mark, or the first label that starts with it."""
    for matches in (lambda label: label == wanted,
                    lambda label: label.removeprefix("✅ ") == wanted,
                    lambda label: label.startswith(wanted)):
        for index, label in enumerate(labels):
            if matches(label):
                return index
    raise AssertionError(f"no button {wanted!r}; buttons: {labels}")
