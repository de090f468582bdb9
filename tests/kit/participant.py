"""Play a participant against the engine seam (no Telegram): the `Driver` verbs, and more.

Keeps a chat like a Telegram client does: messages by id, edits applied in place, the latest
inline keyboard pressable by label, the reply keyboard until it is removed.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from engine.dialog.engine import ConversationEngine
from engine.dialog.events import Button, Contact, Event, Reply, Sender
from engine.transports.plain import html_to_text
from tests.kit.drivers.protocol import find_label


@dataclass(frozen=True)
class Profile:
    """Answers to the registration questions. Choices are the English labels (msgids); the
    driver presses them in whatever language the bot speaks to the participant."""

    locale: str = "uk"
    first_name: str = "Олена"
    last_name: str = "Коваль"
    phone: str | None = "+380501112233"
    company: str = "Кав'ярня «Зерно»"
    frequency: str = "Every week"
    motivation: tuple[str, ...] = ("Networking", "Sharing experience")
    topics: tuple[str, ...] = ("Startups", "Books")
    about: str = "Люблю каву й довгі прогулянки."


ENGLISH_PROFILE = Profile(locale="en", first_name="Olena", last_name="Koval",
                          company="Grain Coffee", about="I like coffee and long walks.")


@dataclass
class ChatMessage:
    message_id: int
    reply: Reply

    @property
    def text(self) -> str:
        return html_to_text(self.reply.text)

    @property
    def labels(self) -> list[str]:
        return [button.label for row in self.reply.buttons for button in row]


@dataclass
class Participant:
    """A participant whose events go straight to `engine.handle`; actions return the replies."""

    engine: ConversationEngine
    user_id: int
    first_name: str = "Test"
    last_name: str = ""
    username: str | None = None
    language_code: str | None = "uk"
    phone: str = "+380501112233"
    chat: list[ChatMessage] = field(default_factory=list)
    elsewhere: list[Reply] = field(default_factory=list)
    reply_keyboard: list[Button] = field(default_factory=list)
    last_batch: list[Reply] = field(default_factory=list)
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1000))

    # Doing things -----------------------------------------------------------------------

    def send(self, text: str) -> list[Reply]:
        return self.deliver(self.engine.handle(Event.message(self.user_id, text,
                                                             sender=self.sender)))

    def command(self, name: str) -> list[Reply]:
        return self.send(f"/{name}")

    def press(self, label: str, message: ChatMessage | None = None) -> list[Reply]:
        """Press the button whose label is `label` (or starts with it) on `message`, by default
        the latest message that has inline buttons."""
        message = message or self.keyboard_message()
        buttons = [button for row in message.reply.buttons for button in row]
        button = buttons[find_label([b.label for b in buttons], label)]
        return self.press_data(button.data, message.message_id)

    def press_data(self, data: str, message_id: int | None = None) -> list[Reply]:
        event = Event.press(self.user_id, data, message_id, sender=self.sender)
        return self.deliver(self.engine.handle(event))

    def tap_reply_keyboard(self, label: str) -> list[Reply]:
        button = self.reply_keyboard[find_label([b.label for b in self.reply_keyboard], label)]
        if button.request_contact:
            return self.share_contact()
        return self.send(button.label)

    def share_contact(self, phone: str | None = None, owner: int | None = None) -> list[Reply]:
        contact = Contact(phone or self.phone, self.first_name,
                          user_id=self.user_id if owner is None else owner)
        event = Event(self.user_id, "contact", contact=contact, sender=self.sender)
        return self.deliver(self.engine.handle(event))

    def send_unsupported(self, what: str = "sticker") -> list[Reply]:
        event = Event(self.user_id, "unsupported", what=what, sender=self.sender)
        return self.deliver(self.engine.handle(event))

    @property
    def sender(self) -> Sender:
        return Sender(self.first_name, self.last_name, self.username, self.language_code)

    def complete_profile(self, profile: Profile | None = None) -> list[Reply]:
        """Answer every question of `flows/start.yaml` from /start to the profile."""
        profile = profile or Profile()
        renderer = self.engine.renderer
        speaks = self.engine.renderer.closest_locale(self.language_code)

        def label(msgid: str) -> str:
            return renderer.gettext(speaks, msgid)

        self.command("start")
        self.send(profile.first_name)
        self.send(profile.last_name)
        if profile.phone:
            self.share_contact(profile.phone)
        else:
            self.tap_reply_keyboard(label("Skip"))
        self.send(profile.company)
        self.press(label(profile.frequency))
        for choices in (profile.motivation, profile.topics):
            for choice in choices:
                self.press(label(choice))
            self.press(label("Done"))
        self.send(profile.about)
        return self.press(renderer.language_name(profile.locale))

    # Receiving --------------------------------------------------------------------------

    def deliver(self, replies: list[Reply]) -> list[Reply]:
        """Apply replies to this chat the way a client shows them."""
        self.last_batch = [r for r in replies if r.chat_id in (None, self.user_id)]
        for reply in replies:
            if reply.chat_id not in (None, self.user_id):
                self.elsewhere.append(reply)
                continue
            if reply.edit_message_id is not None:
                self.message(reply.edit_message_id).reply = reply
            else:
                self.chat.append(ChatMessage(next(self._ids), reply))
            if reply.keyboard:
                self.reply_keyboard = [b for row in reply.keyboard for b in row]
            elif reply.remove_keyboard:
                self.reply_keyboard = []
        return self.last_batch

    def message(self, message_id: int) -> ChatMessage:
        return next(m for m in self.chat if m.message_id == message_id)

    def keyboard_message(self) -> ChatMessage:
        for message in reversed(self.chat):
            if message.reply.buttons:
                return message
        raise AssertionError("no message with inline buttons in the chat:\n" + self.transcript())

    def sees(self, fragment: str) -> str:
        for text in self.texts():
            if fragment in text:
                return text
        raise AssertionError(f"{fragment!r} not shown; the last action brought: {self.texts()}")

    def buttons(self) -> list[str]:
        return self.keyboard_message().labels

    @property
    def last(self) -> ChatMessage:
        return self.chat[-1]

    def texts(self, replies: list[Reply] | None = None) -> list[str]:
        return [html_to_text(r.text) for r in (self.last_batch if replies is None else replies)]

    def transcript(self) -> str:
        return "\n---\n".join(f"#{m.message_id}: {m.text} {m.labels or ''}" for m in self.chat)

