"""The notes participants sent to the organizers with /feedback, newest first."""

from __future__ import annotations

from typing import Any

from engine.panel.i18n import lazy_gettext
from engine.panel.views.base import PanelModelView
from engine.store import OrganizerNote, User


class NotesView(PanelModelView):
    column_list = ("user", "text", "created_at")
    column_labels = {
        "user": lazy_gettext("From"),
        "text": lazy_gettext("Note"),
        "created_at": lazy_gettext("Sent"),
    }
    column_formatters = {
        "user": lambda _v, _c, note, _n: f"{note.user.first_name} {note.user.last_name} "
                                         f"({note.user.id})".replace("  ", " "),
    }
    column_searchable_list = ("text",)
    column_default_sort = ("created_at", True)
    can_view_details = False

    def get_query(self) -> Any:
        return OrganizerNote.select(OrganizerNote, User).join(User)
