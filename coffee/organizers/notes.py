"""The inbox of /feedback notes: newest first, marked read when shown, answered through the
bot (the participant gets the answer as a message from the organizers)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from markupsafe import Markup

from coffee.cycle.members import describe
from coffee.models import AuditEntry, NoteRead, OrganizerNote
from coffee.organizers.actor import Actor, Refused
from coffee.organizers.audit import record
from coffee.organizers.telegram_html import check_html
from engine.delivery.outbox import queue_replies
from engine.dialog.events import Reply
from engine.render.templates import Renderer
from engine.store import User, database

PAGE = 10
MAX_REPLY = 3000


@dataclass(frozen=True)
class NoteView:
    note_id: int
    user_id: int
    who: str
    text: str
    created_at: dt.datetime
    was_read: bool  # before this look at the inbox
    replied: bool  # answered from the bot or the panel (the audit log keeps every reply)


def unread_count(actor: Actor) -> int:
    return OrganizerNote.select().where(OrganizerNote.id.not_in(NoteRead.select(
        NoteRead.note))).count()


def inbox(actor: Actor, page: int = 0) -> list[NoteView]:
    """A page of notes, newest first; the unread ones among them become read."""
    rows = list(OrganizerNote.select(OrganizerNote, User).join(User)
                .order_by(OrganizerNote.id.desc()).offset(page * PAGE).limit(PAGE))
    read = {note_id for (note_id,) in NoteRead.select(NoteRead.note)
            .where(NoteRead.note.in_([row.id for row in rows])).tuples()}
    fresh = [{"note": row.id, "read_by": actor.user_id, "read_at": actor.now}
             for row in rows if row.id not in read]
    if fresh:
        NoteRead.insert_many(fresh).on_conflict_ignore().execute()
    replied = {int(target) for (target,) in AuditEntry.select(AuditEntry.target).where(
        AuditEntry.action == "reply_note",
        AuditEntry.target.in_([str(row.id) for row in rows])).tuples()}
    return [NoteView(row.id, row.user_id, describe(row.user), row.text, row.created_at,
                     row.id in read, row.id in replied) for row in rows]


def reply_to_note(actor: Actor, note_id: int, text: str, renderer: Renderer) -> str:
    """Send the note's author `text` (Telegram HTML, checked as for a broadcast, shown as the
    organizer typed it) as a message from the organizers, through the outbox; returns the
    message as they will see it."""
    answer = check_html(text)
    if len(answer) > MAX_REPLY:
        raise Refused("text_too_long", limit=MAX_REPLY, length=len(answer))
    note = OrganizerNote.get_or_none(OrganizerNote.id == note_id)
    if note is None:
        raise Refused("no_such_note", note_id=note_id)
    user = User.get_by_id(note.user_id)
    body = renderer.render("organizers_reply", user.locale,
                           {"note": note.text, "answer": Markup(answer)})
    with database.atomic():
        entry = record(actor, "reply_note", note_id, None, answer)
        queue_replies(user.id, f"reply:{note_id}:{entry.id}", [Reply(text=body)], actor.now)
    return body
