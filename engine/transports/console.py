"""Talk to the bot in a terminal, exactly as in Telegram: same engine, flows and database.

Buttons are printed numbered; type the number or the label to press one. `:sticker`,
`:photo` and `:contact` stand in for what a terminal cannot send. End of input ends the chat.
"""

from __future__ import annotations

import itertools
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TextIO

from engine.dialog.engine import ConversationEngine
from engine.dialog.events import Button, Contact, Event, Reply, Sender
from engine.transports.plain import html_to_text


@dataclass(frozen=True)
class ConsoleUser:
    user_id: int = 1
    first_name: str = "Console"
    language_code: str | None = None
    phone: str = "+380000000001"
    username: str | None = None


class ConsoleChat:
    """One participant's chat: reads lines, prints replies, remembers the last keyboard."""

    def __init__(self, engine: ConversationEngine, user: ConsoleUser, output: TextIO) -> None:
        self.engine = engine
        self.user = user
        self.output = output
        self.message_ids = itertools.count(1)
        self.inline: tuple[int, list[Button]] | None = None
        self.reply_keyboard: list[Button] = []

    def run(self, lines: Iterable[str]) -> None:
        for line in lines:
            event = self.event_for(line.rstrip("\n"))
            if event is not None:
                self.show(self.engine.handle(event))

    def event_for(self, line: str) -> Event | None:
        text = line.strip()
        if not text:
            return None
        sender = Sender(first_name=self.user.first_name, username=self.user.username,
                        language_code=self.user.language_code)
        uid = self.user.user_id
        if text in (":sticker", ":photo", ":voice"):
            return Event(uid, "unsupported", what=text[1:], sender=sender)
        if text == ":contact":
            return self._contact(sender)
        if self.inline is not None:
            message_id, buttons = self.inline
            button = _find(buttons, text)
            if button is not None:
                return Event.press(uid, button.data, message_id, sender=sender)
        button = _find(self.reply_keyboard, text)
        if button is not None:
            if button.request_contact:
                return self._contact(sender)
            return Event.message(uid, button.label, sender=sender)
        return Event.message(uid, text, sender=sender)

    def _contact(self, sender: Sender) -> Event:
        contact = Contact(self.user.phone, self.user.first_name, user_id=self.user.user_id)
        return Event(self.user.user_id, "contact", contact=contact, sender=sender)

    def show(self, replies: list[Reply]) -> None:
        for reply in replies:
            if reply.menu is not None:
                continue  # a chat's command menu: a terminal has none
            if reply.chat_id is not None and reply.chat_id != self.user.user_id:
                self._print(f"[to chat {reply.chat_id}]\n{html_to_text(reply.text)}")
                continue
            if reply.contact is not None:
                contact = reply.contact
                self._print(f"[contact] {contact.first_name} {contact.last_name} "
                            f"{contact.phone}".replace("  ", " "))
                continue
            if reply.photo:
                self._print(f"[photo {reply.photo}]")
            if reply.attachment is not None:
                kind = "photo" if reply.attachment.photo else "document"
                self._print(f"[{kind} {reply.attachment.name}, {len(reply.attachment.data)} "
                            "bytes]")
            if reply.edit_message_id is not None:
                message_id = reply.edit_message_id
                self._print("[message updated]")
            else:
                message_id = next(self.message_ids)
            self._print(html_to_text(reply.text))
            self._keyboards(reply, message_id)

    def _keyboards(self, reply: Reply, message_id: int) -> None:
        buttons = [button for row in reply.buttons for button in row]
        if buttons:
            self.inline = (message_id, buttons)
        elif reply.edit_message_id is None:
            self.inline = None
        keyboard = [button for row in reply.keyboard for button in row]
        if keyboard:
            self.reply_keyboard = keyboard
        elif reply.remove_keyboard:
            self.reply_keyboard = []
        for number, button in enumerate(buttons or keyboard, start=1):
            self._print(f"  [{number}] {button.label}")

    def _print(self, text: str) -> None:
        print(text, file=self.output)
        self.output.flush()


def _find(buttons: list[Button], text: str) -> Button | None:
    if text.isdigit() and 1 <= int(text) <= len(buttons):
        return buttons[int(text) - 1]
    wanted = text.casefold()
    return next((button for button in buttons if button.label.casefold() == wanted), None)


def run_console(engine: ConversationEngine, user: ConsoleUser, lines: Iterable[str] | None = None,
                output: TextIO | None = None) -> None:
    """Chat until the input ends."""
    chat = ConsoleChat(engine, user, output or sys.stdout)
    chat.run(lines if lines is not None else sys.stdin)
