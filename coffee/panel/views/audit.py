"""The audit log: every change organizers made, newest first, read-only, filterable by who and
what."""

from __future__ import annotations

from flask_admin.contrib.peewee.filters import FilterEqual

from coffee.models import AuditEntry
from coffee.panel.i18n import lazy_gettext
from coffee.panel.views.base import PanelModelView


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
    column_formatters = {name: lambda _v, _c, entry, name: "" if getattr(entry, name) is None
                         else str(getattr(entry, name)) for name in ("old", "new")}
    column_default_sort = ("id", True)
    column_sortable_list = ("created_at", "actor", "action")
    column_filters = (FilterEqual(AuditEntry.actor, lazy_gettext("Organizer")),
                      FilterEqual(AuditEntry.action, lazy_gettext("Action")))
    named_filter_urls = True
    can_view_details = False
    can_export = True
    export_types = ("csv",)
