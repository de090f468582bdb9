"""Talk to the bot in a terminal, exactly as in Telegram: same engine, flows and database.

Buttons are printed numbered; type the number or the label to press one. `:sticker`,
`:photo` and `:contact` stand in for what a terminal cannot send. End of input ends the chat.
A chat picks up where the participant stands, so the numbers of the buttons they were shown
last mean the same in the next run.

A script (`play`) is one action a line: a text, `#2` for the second button shown last, a
`/command`, `:contact`; a line starting with `# ` is a comment. Each action is printed after
`> `, then what the bot answered: a transcript an organizer can compare after an edit.
"""

from __future__ import annotations

import itertools
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TextIO

from engine.dialog.engine import ConversationEngine
from engine.dialog.events import Button, Contact, Event, Reply, Sender
from engine.transports.plain import html_to_text

_PRESS = re.compile(r"#(\d+)")


@dataclass(frozen=True)
class ConsoleUser:
    user_id: int = 1
    first_name: str = "Console"
    language_code: str | None = None
    phone: str = "+380000000001"
    username: str | None = None


@dataclass(frozen=True)
class Numbered:
    """The buttons printed numbered last: under a message (`message_id`) or the reply
    keyboard (None)."""

    message_id: int | None
    buttons: tuple[Button, ...]


class ConsoleChat:
    """One participant's chat: reads lines, prints replies, remembers the last keyboard."""

    def __init__(self, engine: ConversationEngine, user: ConsoleUser, output: TextIO) -> None:
        self.engine = engine
        self.user = user
        self.output = output
        self.message_ids = itertools.count(1)
        self.inline: tuple[int, list[Button]] | None = None
        self.reply_keyboard: list[Button] = []
        self.quiet = False

    @property
    def numbered(self) -> Numbered:
        """The buttons a number presses: under the last message that has some, else the
        reply keyboard's."""
        if self.inline is not None:
            return Numbered(self.inline[0], tuple(self.inline[1]))
        return Numbered(None, tuple(self.reply_keyboard))

    def resume(self) -> None:
        """Take in, without printing it, the screen the participant stands at: its buttons are
        the ones the last run showed, under the same numbers."""
        self.quiet = True
        try:
            self.show(self.engine.draw(self.user.user_id))
        finally:
            self.quiet = False

    def run(self, lines: Iterable[str]) -> None:
        for line in lines:
            event = self.event_for(line.rstrip("\n"))
            if event is not None:
                self.show(self.engine.handle(event))

    def play(self, lines: Iterable[str]) -> int:
        """Play a script; returns how many of its lines could not be played (a button number
        the screen did not have)."""
        missed = 0
        for line in lines:
            text = line.strip()
            if not text or (text.startswith("#") and not _PRESS.fullmatch(text)):
                continue  # a blank line or a comment
            press = _PRESS.fullmatch(text)
            if press is None:
                self._print(f"> {text}")
                event = self.typed(text)
            else:
                number = int(press.group(1))
                if not 1 <= number <= len(self.numbered.buttons):
                    missed += 1
                    self._print(f"> {text}: there is no button {number} here "
                                f"({self._numbers()})")
                    continue
                self._print(f"> [{number}] {self.numbered.buttons[number - 1].label}")
                event = self.pressed(number)
            if event is not None:
                self.show(self.engine.handle(event))
        return missed

    def event_for(self, line: str) -> Event | None:
        """What a line typed in the interactive chat means: a number or a label presses a
        button shown, anything else is typed."""
        text = line.strip()
        if not text:
            return None
        if text.isdigit() and 1 <= int(text) <= len(self.numbered.buttons):
            return self.pressed(int(text))
        if self.inline is not None:
            message_id, buttons = self.inline
            button = _labelled(buttons, text)
            if button is not None:
                return Event.press(self.user.user_id, button.data, message_id,
                                   sender=self._sender())
        button = _labelled(self.reply_keyboard, text)
        if button is not None:
            return self._contact() if button.request_contact else self.typed(button.label)
        return self.typed(text)

    def typed(self, text: str) -> Event:
        """A text, a /command, or what `:sticker`, `:photo`, `:voice`, `:contact` stand for."""
        uid = self.user.user_id
        if text in (":sticker", ":photo", ":voice"):
            return Event(uid, "unsupported", what=text[1:], sender=self._sender())
        if text == ":contact":
            return self._contact()
        return Event.message(uid, text, sender=self._sender())

    def pressed(self, number: int) -> Event:
        """Button `number` of those printed last."""
        button = self.numbered.buttons[number - 1]
        if self.numbered.message_id is not None:
            return Event.press(self.user.user_id, button.data, self.numbered.message_id,
                               sender=self._sender())
        return self._contact() if button.request_contact else self.typed(button.label)

    def _sender(self) -> Sender:
        return Sender(first_name=self.user.first_name, username=self.user.username,
                      language_code=self.user.language_code)

    def _contact(self) -> Event:
        contact = Contact(self.user.phone, self.user.first_name, user_id=self.user.user_id)
        return Event(self.user.user_id, "contact", contact=contact, sender=self._sender())

    def _numbers(self) -> str:
        count = len(self.numbered.buttons)
        return "no buttons" if not count else f"buttons 1-{count}" if count > 1 else "button 1"

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
        if self.quiet:
            return
        print(text, file=self.output)
        self.output.flush()


def _labelled(buttons: list[Button], text: str) -> Button | None:
    wanted = text.casefold()
    return next((button for button in buttons if button.label.casefold() == wanted), None)


def run_console(engine: ConversationEngine, user: ConsoleUser, lines: Iterable[str] | None = None,
                output: TextIO | None = None) -> None:
    """Chat until the input ends."""
    chat = ConsoleChat(engine, user, output or sys.stdout)
    chat.resume()
    chat.run(lines if lines is not None else sys.stdin)


def play_script(engine: ConversationEngine, user: ConsoleUser, lines: Iterable[str],
                output: TextIO | None = None) -> int:
    """Play a script and print the transcript; returns how many lines could not be played."""
    chat = ConsoleChat(engine, user, output or sys.stdout)
    chat.resume()
    return chat.play(lines)
