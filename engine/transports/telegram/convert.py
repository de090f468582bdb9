"""Translate between Telegram and the dialogue: Update → Event, Reply → reply markup."""

from __future__ import annotations

from typing import Any

from telegram import (
    Chat,
    Message,
    Update,
    User,
)

from engine.dialog.events import Contact, Event, Reply, Sender

# Message contents the dialogue cannot take, by the Message attribute that carries them, in
# the order they are looked for (an animation also fills `document`, so it comes first).
UNSUPPORTED_CONTENTS = (
    "animation", "sticker", "video", "video_note", "voice", "audio", "document",
    "venue", "location", "poll", "dice", "game", "story", "invoice", "paid_media", "checklist",
)

def sender_of(user: User) -> Sender:
    return Sender(first_name=user.first_name, last_name=user.last_name or "",
                  username=user.username, language_code=user.language_code)


def is_private(update: Update) -> bool:
    """Whether the update comes from a private chat (a button press counts as one)."""
    if update.callback_query is not None:
        return True
    chat = update.effective_chat
    return chat is not None and chat.type == Chat.PRIVATE


def event_from(update: Update) -> Event | None:
    """The Event for an update from a private chat, or None for what the dialogue ignores
    (service messages, edits, updates without a sender)."""
    user = update.effective_user
    if user is None or user.is_bot:
        return None
    extra: dict[str, Any] = {"sender": sender_of(user), "update_id": update.update_id}
    query = update.callback_query
    if query is not None:
        message_id = query.message.message_id if query.message is not None else None
        return Event.press(user.id, query.data or "", message_id, **extra)
    message = update.message
    if message is None:
        return None
    if message.text is not None:
        return Event.message(user.id, message.text, **extra)
    if message.contact is not None:
        shared = message.contact
        contact = Contact(shared.phone_number, shared.first_name, shared.last_name or "",
                          shared.user_id)
        return Event(user.id, "contact", contact=contact, **extra)
    if message.photo:  # the largest size comes last
        return Event(user.id, "photo", text=message.caption or "",
                     photo=message.photo[-1].file_id, **extra)
    what = unsupported_content(message)
    return Event(user.id, "unsupported", what=what, **extra) if what else None


def unsupported_content(message: Message) -> str | None:
    """The kind of content a message carries that the dialogue cannot take, if any."""
    return next((name for name in UNSUPPORTED_CONTENTS if getattr(message, name, None)), None)


def addresses_bot(message: Message, bot_username: str) -> bool:
    """Whether a group message is meant for this bot: /start, a command to @bot or a mention."""
    text = (message.text or message.caption or "").strip()
    mention = f"@{bot_username}".casefold()
    if text.startswith("/"):
        words = text[1:].split(maxsplit=1)
        command, _, addressee = (words[0] if words else "").partition("@")
        return command.casefold() == "start" or addressee.casefold() == bot_username.casefold()
    return mention in text.casefold()


def reply_markup(reply: Reply) -> dict[str, Any] | None:
    """The keyboard a reply carries, as the Bot API reads it: inline buttons, a reply keyboard
    or its removal. (Plain JSON: python-telegram-bot's keyboard objects cost more to build
    and to serialize than the rest of a send.)"""
    if reply.buttons:
        return {"inline_keyboard": [[{"text": b.label, "callback_data": b.data} for b in row]
                                    for row in reply.buttons]}
    if reply.keyboard:
        return {"keyboard": [[_key(b.label, b.request_contact) for b in row]
                             for row in reply.keyboard],
                "resize_keyboard": True, "one_time_keyboard": False}
    if reply.remove_keyboard:
        return {"remove_keyboard": True}
    return None


def _key(label: str, request_contact: bool) -> dict[str, Any]:
    return {"text": label, "request_contact": True} if request_contact else {"text": label}
