"""Who may register: the registration mode and the allow and block lists, changed through the
organizer operations (validation and audit included)."""

from __future__ import annotations

from collections.abc import Callable

from flask import flash, redirect, request, url_for
from flask_admin import BaseView, expose
from werkzeug.wrappers import Response

from coffee.organizers import (
    ALLOW,
    BLOCK,
    REGISTRATION_MODES,
    Refused,
    add_entry,
    change_setting,
    entries,
    remove_entry,
    setting_values,
)
from coffee.panel.context import actor, panel_context
from coffee.panel.i18n import gettext
from coffee.panel.refusals import explain

MODE = "registration_mode"


class AccessView(BaseView):
    @expose("/")
    def index(self) -> str:
        who = actor()
        mode = next(value for value in setting_values(who, panel_context().defaults)
                    if value.key == MODE)
        listed = entries(who)
        return self.render("panel/access.html", mode=mode, modes=REGISTRATION_MODES,
                           allowed=[entry for entry in listed if entry.list_name == ALLOW],
                           blocked=[entry for entry in listed if entry.list_name == BLOCK])

    @expose("/mode", methods=("POST",))
    def mode(self) -> Response:
        return self._do(lambda: change_setting(actor(), MODE, request.form.get("mode", ""),
                                               panel_context().defaults),
                        gettext("Registration mode changed."))

    @expose("/add", methods=("POST",))
    def add(self) -> Response:
        return self._do(lambda: add_entry(actor(), request.form.get("list", ""),
                                          request.form.get("who", "")),
                        gettext("Added."))

    @expose("/remove", methods=("POST",))
    def remove(self) -> Response:
        return self._do(lambda: remove_entry(actor(), request.form.get("who", "")),
                        gettext("Removed."))

    def _do(self, operation: Callable[[], object], done: str) -> Response:
        try:
            operation()
            flash(done, "success")
        except Refused as refusal:
            flash(explain(refusal), "error")
        return redirect(url_for(".index"))
