"""A participant's note to the organizers (/feedback): stored for the inbox and forwarded to
every organizer, as the flow's action `send_note_to_organizers`."""

from __future__ import annotations

from coffee.models import OrganizerNote
from engine.dialog.api import Conversation, Registry

note_registry = Registry()
note_registry.needs.template("note_for_organizers", note=str)


@note_registry.action("send_note_to_organizers")
def send_note_to_organizers(talk: Conversation) -> None:
    """Store the note just answered (`note`) and forward it to every organizer."""
    text = talk.flow_values.get("note") or ""
    if not text:
        return
    OrganizerNote.create(user=talk.user_id, text=text, created_at=talk.now)
    talk.tell_organizers("note_for_organizers", note=text)
