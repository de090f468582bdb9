"""The panel's pages: one module per subject, all added to Flask-Admin here."""

from __future__ import annotations

from flask_admin import Admin

from coffee.models import AuditEntry, Meeting, Round
from coffee.panel.context import PanelContext
from coffee.panel.i18n import lazy_gettext
from coffee.panel.views.access_lists import AccessView
from coffee.panel.views.audit import AuditView
from coffee.panel.views.broadcasts import BroadcastView
from coffee.panel.views.dashboard import DashboardView
from coffee.panel.views.live_settings import SettingsView
from coffee.panel.views.next_round import NextRoundView
from coffee.panel.views.notes import InboxView
from coffee.panel.views.participants import ParticipantsView
from coffee.panel.views.rounds import MeetingsView, RoundsView

__all__ = ["DashboardView", "add_views"]


def add_views(admin: Admin, context: PanelContext) -> None:
    """Every page but the dashboard."""
    rounds = lazy_gettext("Rounds")
    admin.add_view(ParticipantsView(context, name=lazy_gettext("Participants"),
                                    endpoint="participants"))
    admin.add_view(RoundsView(Round, name=lazy_gettext("All rounds"), category=rounds,
                              endpoint="rounds"))
    admin.add_view(MeetingsView(Meeting, name=lazy_gettext("Meetings"), category=rounds,
                                endpoint="meetings"))
    admin.add_view(NextRoundView(name=lazy_gettext("Next matching"), category=rounds,
                                 endpoint="next_round", url="/next-round"))
    admin.add_view(InboxView(name=lazy_gettext("Notes"), endpoint="notes", url="/notes"))
    admin.add_view(BroadcastView(name=lazy_gettext("Broadcast"), endpoint="broadcast",
                                 url="/broadcast"))
    admin.add_view(AccessView(name=lazy_gettext("Access"), endpoint="access_lists",
                              url="/access"))
    admin.add_view(SettingsView(name=lazy_gettext("Settings"), endpoint="settings",
                                url="/settings"))
    admin.add_view(AuditView(AuditEntry, name=lazy_gettext("Audit log"), endpoint="audit"))
