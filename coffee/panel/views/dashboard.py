"""The panel's home page: the organizer operations' at-a-glance numbers, their chart of the
latest rounds, and each of those rounds' figures (ratings included)."""

from __future__ import annotations

from flask import Response
from flask_admin import AdminIndexView, expose

from coffee.organizers import at_a_glance, chart_png, latest_rounds
from coffee.panel.context import actor
from coffee.panel.i18n import gettext, lazy_gettext


class DashboardView(AdminIndexView):
    def __init__(self) -> None:
        super().__init__(name=lazy_gettext("Dashboard"), url="/")

    @expose("/")
    def index(self) -> str:
        return self.render("panel/dashboard.html", glance=at_a_glance(actor()),
                           rounds=latest_rounds()[::-1])

    @expose("/chart.png")
    def chart(self) -> Response:
        labels = {"participants": gettext("participants"), "meetings": gettext("meetings"),
                  "met": gettext("met, %"), "title": gettext("Latest rounds"),
                  "week": gettext("week of"), "people": gettext("people and meetings")}
        return Response(chart_png(actor(), labels), mimetype="image/png",
                        headers={"Cache-Control": "no-store"})
