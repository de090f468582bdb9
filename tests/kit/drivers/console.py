"""A participant at `runner.py console`: each action is a line typed into the console's chat
(engine/transports/console.py, in-process), and what it printed is what they see."""

from __future__ import annotations

import io
import re

from engine.dialog.engine import ConversationEngine
from engine.transports.console import ConsoleChat, ConsoleUser
from tests.kit.drivers.protocol import find_label

_NUMBERED = re.compile(r"^  \[(\d+)\] (.*)$")


class ConsoleParticipant:
    """Types into a console chat; presses a button by typing its number, as people do."""

    def __init__(self, engine: ConversationEngine, user_id: int, *, first_name: str = "Test",
                 language_code: str | None = "uk", phone: str = "+380501112233") -> None:
        self.user = ConsoleUser(user_id=user_id, first_name=first_name,
                                language_code=language_code, phone=phone)
        self.screen = io.StringIO()
        self.chat = ConsoleChat(engine, self.user, self.screen)
        self.printed = ""  # what the console printed for the latest line
        self.numbered: list[str] = []  # the latest numbered buttons on the screen

    def type(self, line: str) -> str:
        """Type `line` and return what the console printed for it."""
        start = len(self.screen.getvalue())
        self.chat.run([line])
        self.printed = self.screen.getvalue()[start:]
        block: list[str] = []
        for printed_line in self.printed.splitlines():
            numbered = _NUMBERED.match(printed_line)
            if numbered:
                block = [] if numbered.group(1) == "1" else block
                block.append(numbered.group(2))
        if block:
            self.numbered = block
        return self.printed

    def command(self, name: str) -> str:
        return self.type(f"/{name}")

    def send(self, text: str) -> str:
        return self.type(text)

    def press(self, label: str) -> str:
        return self.type(str(find_label(self.numbered, label) + 1))

    def share_contact(self, phone: str | None = None) -> str:
        assert phone in (None, self.user.phone), "the console shares the phone it was given"
        return self.type(":contact")

    def sees(self, fragment: str) -> str:
        assert fragment in self.printed, f"{fragment!r} not shown; the console printed:\n" \
                                         f"{self.printed}"
        return self.printed

    def buttons(self) -> list[str]:
        return list(self.numbered)
