"""Notes from participants in /admin: the inbox (new and answered ones marked) and a reply,
checked as Telegram reads HTML and sent as the organizer typed it."""

from __future__ import annotations

from coffee import organizers as ops
from coffee.admin.desk import Desk
from engine.dialog.api import Conversation, Registry


def notes_registry(desk: Desk) -> Registry:
    registry = Registry()
    registry.needs.template("admin_reply_sent")

    @registry.variable("inbox")
    def inbox(talk: Conversation) -> list[ops.NoteView]:
        return ops.inbox(desk.actor(talk))

    @registry.variable("notes_to_answer")
    def notes_to_answer(talk: Conversation) -> dict[str, str]:
        return {str(note.note_id): f"{note.who}: {note.text[:40]}"
                for note in ops.inbox(desk.actor(talk))}

    @registry.action("reply_to_note")
    def reply_to_note(talk: Conversation) -> None:
        text = desk.typed(talk, "reply")
        note = int(talk.flow_values.get("note") or 0)
        if text and desk.attempt(talk, lambda who: ops.reply_to_note(
                who, note, text, desk.renderer)) is not None:
            talk.say("admin_reply_sent")

    return registry
