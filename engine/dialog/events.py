"""The seam between the dialogue and any transport: an Event comes in, Replies go out.

Nothing here knows Telegram. A transport turns its updates into Events and Replies into API
calls; the console does the same for a terminal; jobs queue Replies for many participants.
"""

from __future__ import annotations

import base64
import copy
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

EventKind = Literal["text", "button", "contact", "command", "photo", "unsupported"]


@dataclass(frozen=True)
class Contact:
    """A phone contact (shared by a participant, or sent as a card)."""

    phone: str
    first_name: str = ""
    last_name: str = ""
    user_id: int | None = None


@dataclass(frozen=True)
class Sender:
    """What the messenger tells about the participant with every message."""

    first_name: str = ""
    last_name: str = ""
    username: str | None = None
    language_code: str | None = None


@dataclass(frozen=True)
class Event:
    """Something one participant did."""

    user_id: int
    kind: EventKind
    text: str = ""
    data: str = ""
    command: str = ""
    contact: Contact | None = None
    message_id: int | None = None
    sender: Sender | None = None
    update_id: int | None = None
    what: str = ""  # for 'unsupported': sticker, voice...
    photo: str = ""  # for 'photo': the picture's Telegram file id (its caption is `text`)

    @classmethod
    def message(cls, user_id: int, text: str, **extra: Any) -> Event:
        """A typed text; a leading /command becomes a command event."""
        stripped = text.strip()
        if stripped.startswith("/") and len(stripped) > 1:
            word, _, rest = stripped[1:].partition(" ")
            return cls(user_id, "command", text=rest.strip(), command=word.split("@")[0].lower(),
                       **extra)
        return cls(user_id, "text", text=text, **extra)

    @classmethod
    def press(cls, user_id: int, data: str, message_id: int | None = None, **extra: Any) -> Event:
        return cls(user_id, "button", data=data, message_id=message_id, **extra)

    def to_json(self) -> dict[str, Any]:
        """A plain dict (round-trips through `from_json`), for an event kept until it is
        handled: what `asdict` gives, built field by field (with PostgreSQL every update is
        recorded: `asdict` copies deeply and costs several times more)."""
        contact, sender = self.contact, self.sender
        return {
            "user_id": self.user_id, "kind": self.kind, "text": self.text, "data": self.data,
            "command": self.command,
            "contact": None if contact is None else {
                "phone": contact.phone, "first_name": contact.first_name,
                "last_name": contact.last_name, "user_id": contact.user_id},
            "message_id": self.message_id,
            "sender": None if sender is None else {
                "first_name": sender.first_name, "last_name": sender.last_name,
                "username": sender.username, "language_code": sender.language_code},
            "update_id": self.update_id, "what": self.what, "photo": self.photo,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Event:
        contact, sender = data.get("contact"), data.get("sender")
        return cls(**{**data, "contact": Contact(**contact) if contact else None,
                      "sender": Sender(**sender) if sender else None})


@dataclass(frozen=True)
class Button:
    """A button: inline (with callback `data`) or on the reply keyboard (`request_contact`)."""

    label: str
    data: str = ""
    request_contact: bool = False


Keyboard = tuple[tuple[Button, ...], ...]


@dataclass(frozen=True)
class Attachment:
    """A file sent with a reply: a document (a CSV export), or with `photo` a picture (a
    chart)."""

    name: str
    data: bytes
    photo: bool = False


@dataclass(frozen=True)
class Command:
    """One entry of a command menu: `/name` and what it does, in the menu's language."""

    name: str
    description: str


@dataclass(frozen=True)
class CommandMenu:
    """A chat's own command menu (for `Reply.menu`): the commands for each Telegram language
    code, "" standing for every other language. An entry without commands takes the chat's
    own menu in that language away, so the chat sees everyone's menu again."""

    languages: tuple[tuple[str, tuple[Command, ...]], ...]

    def without_commands(self) -> CommandMenu:
        """The same languages with no commands: the chat's own menu removed."""
        return CommandMenu(tuple((code, ()) for code, _commands in self.languages))


@dataclass(frozen=True)
class Reply:
    """One thing to show a participant (or, with `chat_id`, someone else such as an admin).

    `text` is Telegram HTML. `buttons` is an inline keyboard; `keyboard` a reply keyboard (the
    contact request); `remove_keyboard` takes a reply keyboard away; `edit_message_id` replaces
    an earlier message's text and inline keyboard instead of sending a new one; `attachment` is
    a file sent with `text` as its caption; `photo` a picture already on Telegram (its file
    id) sent with `text` as its caption; `menu` sets (or takes away) the command menu of
    the chat instead of sending a message.
    """

    text: str = ""
    buttons: Keyboard = ()
    keyboard: Keyboard = ()
    remove_keyboard: bool = False
    contact: Contact | None = None
    edit_message_id: int | None = None
    chat_id: int | None = None
    meta: dict[str, Any] = field(default_factory=dict, compare=False)
    attachment: Attachment | None = None
    menu: CommandMenu | None = None
    photo: str = ""

    def to_json(self) -> dict[str, Any]:
        """A plain dict for the outbox (round-trips through `from_json`): what `asdict` gives,
        built field by field (every turn's replies are recorded: `asdict` copies deeply and
        costs several times more)."""
        attachment = self.attachment
        return {
            "text": self.text, "buttons": _rows(self.buttons),
            "keyboard": _rows(self.keyboard), "remove_keyboard": self.remove_keyboard,
            "contact": asdict(self.contact) if self.contact is not None else None,
            "edit_message_id": self.edit_message_id, "chat_id": self.chat_id,
            "meta": copy.deepcopy(self.meta) if self.meta else {},
            "attachment": None if attachment is None else {
                "name": attachment.name, "data": base64.b64encode(attachment.data).decode(),
                "photo": attachment.photo},
            "menu": asdict(self.menu) if self.menu is not None else None,
            "photo": self.photo,
        }

    def with_meta(self, meta: dict[str, Any]) -> Reply:
        """The same reply with `meta` added. Every turn's replies get their row this way, so
        the copy is made field for field as they are (`dataclasses.replace` and `copy.copy`
        cost ten times more); the fields are immutable but `meta`, which is new."""
        clone = object.__new__(Reply)
        clone.__dict__.update(self.__dict__, meta={**self.meta, **meta})
        return clone

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Reply:
        def keyboard(rows: Any) -> Keyboard:
            return tuple(tuple(Button(**button) for button in row) for row in rows or ())

        contact = data.get("contact")
        attachment = data.get("attachment")
        menu = data.get("menu")
        return cls(
            text=data.get("text", ""),
            buttons=keyboard(data.get("buttons")),
            keyboard=keyboard(data.get("keyboard")),
            remove_keyboard=bool(data.get("remove_keyboard")),
            contact=Contact(**contact) if contact else None,
            edit_message_id=data.get("edit_message_id"),
            chat_id=data.get("chat_id"),
            meta=dict(data.get("meta") or {}),
            attachment=Attachment(attachment["name"], base64.b64decode(attachment["data"]),
                                  bool(attachment.get("photo"))) if attachment else None,
            menu=CommandMenu(tuple(
                (code, tuple(Command(**command) for command in commands))
                for code, commands in menu["languages"])) if menu else None,
            photo=data.get("photo") or "",
        )


def _rows(keyboard: Keyboard) -> tuple[tuple[dict[str, Any], ...], ...]:
    return tuple(tuple({"label": button.label, "data": button.data,
                        "request_contact": button.request_contact} for button in row)
                 for row in keyboard)
