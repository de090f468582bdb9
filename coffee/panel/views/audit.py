"""The audit log: every change organizers made, newest first, read-only, filterable by who,
what and whom; organizers and participants by name, linking to their pages."""

from __future__ import annotations

from typing import Any

from flask import g, url_for
from flask_admin.contrib.peewee.filters import FilterEqual
from markupsafe import Markup

from coffee.cycle.members import describe
from coffee.models import AuditEntry
from coffee.organizers import Export, Words, audit_export
from coffee.organizers.vocabulary import ACTIONS, swap_groups
from coffee.panel.context import actor, lazy_words, panel_context
from coffee.panel.i18n import lazy_gettext
from coffee.panel.people_links import participant_link
from coffee.panel.views.base import PanelModelView
from engine.store import User

# Actions whose target is the number of a broadcast or a note, not a participant.
NUMBERED = ("broadcast_draft", "broadcast_start", "broadcast_cancel", "broadcast_refused",
            "reply_note")


def _person(user_id: int) -> Markup | str:
    """A participant of the page's rows by name, linking to their page; the operator at the
    command line (0) or someone the bot has no record of, in words."""
    name = g.get("audit_people", {}).get(user_id)
    return participant_link(user_id, name) if name else panel_context().words().someone(user_id)


def _target(_view: Any, _context: Any, entry: AuditEntry, _name: str) -> Markup | str:
    """A participant's Telegram id as their name, a broadcast's number linking to its page; a
    setting by its name, a weekly step with its week; any other target (a note's number, a
    week) as it is."""
    if entry.target.isdigit() and entry.action.startswith("broadcast_"):
        url = url_for("broadcast.show", broadcast_id=int(entry.target))
        return Markup('<a href="{}">#{}</a>').format(url, entry.target)
    if entry.target.isdigit() and entry.action not in NUMBERED:
        return _person(int(entry.target))
    return panel_context().words().audit_target(entry.action, entry.target)


def _value(_view: Any, _context: Any, entry: AuditEntry, name: str) -> str:
    """The value before or after the change, in words (the people of a swap by name)."""
    return panel_context().words().audit_value(entry.action, entry.target,
                                               getattr(entry, name), g.get("audit_people"))


class AuditView(PanelModelView):
    column_list = ("created_at", "actor", "action", "target", "old", "new")
    column_labels = {
        "created_at": lazy_gettext("When"),
        "actor": lazy_gettext("Organizer"),
        "action": lazy_gettext("Action"),
        "target": lazy_gettext("Target"),
        "old": lazy_gettext("Before"),
        "new": lazy_gettext("After"),
    }
    column_formatters = {
        "old": _value,
        "new": _value,
        "action": lambda _v, _c, entry, _n: panel_context().words().action(entry.action),
        "actor": lambda _v, _c, entry, _n: _person(entry.actor),
        "target": _target,
    }
    column_default_sort = ("id", True)
    column_sortable_list = ("created_at", "actor", "action")
    column_filters = (FilterEqual(AuditEntry.actor, lazy_gettext("Organizer")),
                      FilterEqual(AuditEntry.action, lazy_gettext("Action"), options=[
                          (action, lazy_words(Words.action, action))
                          for action in ACTIONS]),
                      FilterEqual(AuditEntry.target, lazy_gettext("Target")))
    named_filter_urls = True
    can_view_details = False

    def csv_export(self) -> Export:
        context = panel_context()
        return audit_export(actor(), context.words(), context.community(),
                            context.settings.timezone)

    def get_list(self, *args: Any, **kwargs: Any) -> tuple[int | None, Any]:
        """The page's entries, with the names of the people they name in one query."""
        count, entries = super().get_list(*args, **kwargs)
        if isinstance(entries, list):
            ids = {entry.actor for entry in entries} | {
                int(entry.target) for entry in entries
                if entry.target.isdigit() and entry.action not in NUMBERED} | {
                uid for entry in entries if entry.action == "swap"
                for value in (entry.old, entry.new) for group in swap_groups(value)
                for uid in group}
            g.audit_people = {user.id: describe(user)
                              for user in User.select().where(User.id.in_(list(ids)))}
        return count, entries
