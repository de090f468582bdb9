"""The panel's pages: one module per subject, all added to Flask-Admin here."""

from __future__ import annotations

from flask_admin import Admin

from engine.panel.i18n import lazy_gettext
from engine.panel.views.dashboard import DashboardView
from engine.panel.views.notes import NotesView
from engine.panel.views.participants import ParticipantsView
from engine.panel.views.rounds import MeetingsView, RoundsView
from engine.store import Meeting, OrganizerNote, Round

__all__ = ["DashboardView", "add_views"]


def add_views(admin: Admin, locales: list[str]) -> None:
    """Every page but the dashboard; `locales` are the bot's languages."""
    admin.add_view(ParticipantsView(locales, name=lazy_gettext("Participants"),
                                    endpoint="participants"))
    admin.add_view(RoundsView(Round, name=lazy_gettext("Rounds"), endpoint="rounds"))
    admin.add_view(MeetingsView(Meeting, name=lazy_gettext("Meetings"), endpoint="meetings"))
    admin.add_view(NotesView(OrganizerNote, name=lazy_gettext("Notes"), endpoint="notes"))
