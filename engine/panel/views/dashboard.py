"""The panel's home page: the at-a-glance numbers and charts."""

from __future__ import annotations

from flask_admin import AdminIndexView, expose

from engine.panel.i18n import lazy_gettext


class DashboardView(AdminIndexView):
    def __init__(self) -> None:
        super().__init__(name=lazy_gettext("Dashboard"), url="/")

    @expose("/")
    def index(self) -> str:
        return self.render("panel/dashboard.html")
