"""What every model view of the panel shares: browse only unless a view says otherwise."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from flask import current_app
from flask_admin.contrib.peewee import ModelView
from flask_admin.contrib.peewee.filters import BasePeeweeFilter
from flask_admin.model import typefmt
from markupsafe import Markup
from peewee import Expression, ModelSelect

from coffee.panel.i18n import lazy_gettext


def local_time(_view: Any, value: dt.datetime, _name: str = "") -> str:
    """A stored (UTC) time as the community's local time, to the minute."""
    return value.astimezone(current_app.config["PANEL_TIMEZONE"]).strftime("%Y-%m-%d %H:%M")


class PanelModelView(ModelView):
    """Read-only by default: creating, editing and deleting rows is each view's decision, and
    most rows here have invariants only the domain's operations keep."""

    can_create = False
    can_edit = False
    can_delete = False
    can_view_details = True
    page_size = 50
    can_set_page_size = True
    column_type_formatters = {**typefmt.BASE_FORMATTERS, dt.datetime: local_time}
    column_type_formatters_export = {**typefmt.EXPORT_FORMATTERS, dt.datetime: local_time}

    def get_export_value(self, model: Any, name: str) -> Any:
        """A cell of Flask-Admin's CSV export as text: links and markup of the list left out."""
        value = super().get_export_value(model, name)
        return value.striptags() if isinstance(value, Markup) else value


class ConditionFilter(BasePeeweeFilter):
    """A yes/no filter on a condition over the view's rows (e.g. "banned": not enabled), built
    at each request so that conditions on dates see today."""

    def __init__(self, column: Any, name: Any, condition: Callable[[], Expression]) -> None:
        super().__init__(column, name, options=(("1", lazy_gettext("yes")),
                                                ("0", lazy_gettext("no"))))
        self.condition = condition

    def apply(self, query: ModelSelect, value: str) -> ModelSelect:
        condition = self.condition()
        return query.where(condition if value == "1" else ~condition)

    def operation(self) -> Any:
        return lazy_gettext("is")
