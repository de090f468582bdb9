"""What every model view of the panel shares: browse only unless a view says otherwise."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from flask import abort, current_app
from flask_admin import expose
from flask_admin.contrib.peewee import ModelView
from flask_admin.contrib.peewee.filters import BasePeeweeFilter
from flask_admin.model import typefmt
from peewee import Expression, ModelSelect
from werkzeug.wrappers import Response

from coffee.organizers import Export
from coffee.panel.context import panel_context
from coffee.panel.csv_download import csv_response
from coffee.panel.i18n import lazy_gettext


def yes_no(_view: Any, value: bool, _name: str = "") -> str:
    """A flag as "yes" or "no" in the page's language."""
    return panel_context().words().yes_no(value)


def local_time(_view: Any, value: dt.datetime, _name: str = "") -> str:
    """A stored (UTC) time as the community's local time, to the minute."""
    return value.astimezone(current_app.config["PANEL_TIMEZONE"]).strftime("%Y-%m-%d %H:%M")


class PanelModelView(ModelView):
    """Read-only by default: creating, editing and deleting rows is each view's decision, and
    most rows here have invariants only the domain's operations keep. A list with an organizer
    export (`csv_export`) offers it as "Download CSV" in place of Flask-Admin's own export."""

    list_template = "panel/model_list.html"
    can_export = False
    can_create = False
    can_edit = False
    can_delete = False
    can_view_details = True
    page_size = 50
    can_set_page_size = True
    column_type_formatters = {**typefmt.BASE_FORMATTERS, dt.datetime: local_time, bool: yes_no}
    column_type_formatters_export = {**typefmt.EXPORT_FORMATTERS, dt.datetime: local_time}

    def render(self, template: str, **kwargs: Any) -> str:
        """Flask-Admin's "rows per page" menu reads "50 елементи" (one plural form for every
        count); the list template offers its own, in the language's plural forms."""
        if kwargs.get("can_set_page_size"):
            kwargs.update(can_set_page_size=False, page_sizes=self.page_size_options)
        return super().render(template, **kwargs)

    def csv_export(self) -> Export | None:
        """This list's organizer export (`coffee.organizers.exports`), if it has one."""
        return None

    @property
    def offers_csv(self) -> bool:
        return type(self).csv_export is not PanelModelView.csv_export

    @expose("/csv")
    def download_csv(self) -> Response:
        export = self.csv_export()
        if export is None:
            abort(404)
        return csv_response(export)


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
