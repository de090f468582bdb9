"""A participant in Telegram: the `Driver` verbs as updates pushed to the real runner.py (a
`RunningBot`), and the chat read from the fake Bot API."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from engine.transports.plain import html_to_text
from tests.kit.drivers.protocol import find_label
from tests.kit.fake_bot_api import Call, FakeBotAPI, SentMessage

if TYPE_CHECKING:
    from tests.kit.running import RunningBot


@dataclass(frozen=True)
class Step:
    """What the bot did in a participant's chat in answer to one update."""

    calls: list[Call]
    messages: list[SentMessage]

    @property
    def methods(self) -> list[str]:
        return [call.method for call in self.calls]

    @property
    def texts(self) -> list[str | None]:
        return [message.text for message in self.messages]


@dataclass
class TelegramUser:
    """A participant in a private chat with the bot: the `Driver` verbs over real HTTP.

    An action pushes its update and waits until the bot answered in the chat: `replies` new
    messages if given, else any change (a new message or a redrawn one). What the action
    brought is then read with `sees`, which waits for the rest of the answer.
    """

    bot: RunningBot
    user_id: int
    sender: dict[str, Any]
    phone: str = "+380501112233"
    _before: dict[int, float | None] = field(default_factory=dict)

    @property
    def fake(self) -> FakeBotAPI:
        return self.bot.fake

    def sent(self) -> list[SentMessage]:
        return self.fake.sent(self.user_id)

    def send(self, text: str, replies: int | None = None) -> Step:
        return self.step(self.fake.message_update(self.user_id, text, **self.sender), replies)

    def command(self, name: str, replies: int | None = None) -> Step:
        return self.step(self.fake.command_update(self.user_id, name, **self.sender), replies)

    def share_contact(self, phone: str | None = None, replies: int | None = None) -> Step:
        update = self.fake.contact_update(self.user_id, phone or self.phone, **self.sender)
        return self.step(update, replies)

    def press(self, label: str, replies: int | None = None) -> Step:
        """Press a button of the latest message with inline buttons."""
        return self.step(self.press_update(label), replies)

    def keyboard_message(self) -> SentMessage:
        return next(m for m in reversed(self.sent()) if m.reply_markup)

    def buttons(self) -> list[str]:
        return _labels(self.keyboard_message())

    def press_update(self, label: str) -> dict[str, Any]:
        """The update of a press on `label` in the latest message with inline buttons, once it
        shows that button (the answer to the previous action may still be arriving: an edit
        first, the new message after it)."""

        def shown(api: FakeBotAPI) -> tuple[SentMessage, int] | None:
            try:
                message = self.keyboard_message()
                return message, find_label(_labels(message), label)
            except (StopIteration, AssertionError):
                return None

        message, index = self.fake.wait_for(shown,
                                            what=f"a button {label!r} in chat {self.user_id}")
        buttons = [b for row in (message.reply_markup or {})["inline_keyboard"] for b in row]
        return self.fake.callback_update(self.user_id, buttons[index]["callback_data"],
                                         message.message_id, **self.sender)

    def sees(self, fragment: str) -> str:
        def shown(api: FakeBotAPI) -> str | None:
            return next((text for text in self._brought() if fragment in text), None)

        return self.fake.wait_for(shown, what=f"{fragment!r} in chat {self.user_id}; shown so "
                                              f"far: {self._brought()}")

    def _brought(self) -> list[str]:
        """The plain texts of the messages new or redrawn since the latest action."""
        return [html_to_text(m.text or "") for m in self.sent()
                if m.message_id not in self._before or self._before[m.message_id] != m.edited_at]

    def step(self, update: dict[str, Any], replies: int | None = None,
             done: Callable[[], bool] | None = None) -> Step:
        """Push `update`; wait for `replies` new messages in the chat (and for `done`), or for
        any change."""
        calls_before = len(self.fake.calls(chat_id=self.user_id))
        messages_before = len(self.sent())
        self._before = {m.message_id: m.edited_at for m in self.sent()}
        self.bot.push(update)
        if replies is None:
            self.fake.wait_for(lambda api: self._brought(),
                               what=f"an answer in chat {self.user_id} to update "
                                    f"{update['update_id']}")
        else:
            self.fake.wait_for(lambda api: len(api.sent(self.user_id)) >= messages_before + replies
                               and (done is None or done()),
                               what=f"{replies} message(s) to chat {self.user_id} after update "
                                    f"{update['update_id']}")
        return Step(self.fake.calls(chat_id=self.user_id)[calls_before:],
                    self.sent()[messages_before:])


def _labels(message: SentMessage) -> list[str]:
    return [b["text"] for row in (message.reply_markup or {}).get("inline_keyboard", [])
            for b in row]
