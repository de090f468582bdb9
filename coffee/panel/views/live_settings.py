"""Settings organizers change without a developer: each value, where it comes from, a form to
change or reset it; validated and audited by the organizer operations."""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_admin import BaseView, expose
from werkzeug.wrappers import Response

from coffee.organizers import (
    REGISTRATION_MODES,
    Refused,
    change_setting,
    reset_setting,
    setting_values,
)
from coffee.panel.context import actor, panel_context
from coffee.panel.i18n import gettext
from coffee.panel.refusals import explain


class SettingsView(BaseView):
    @expose("/")
    def index(self) -> str:
        return self.render("panel/settings.html",
                           values=setting_values(actor(), panel_context().defaults),
                           modes=REGISTRATION_MODES)

    @expose("/change/<key>", methods=("POST",))
    def change(self, key: str) -> Response:
        context = panel_context()
        words = context.words()
        try:
            if request.form.get("reset"):
                reset_setting(actor(), key, context.defaults)
            else:  # weekdays as the page's language names them (English ones too)
                change_setting(actor(), key, request.form.get("value", ""), context.defaults,
                               words.weekdays())
            flash(gettext("Saved: %(key)s.", key=words.setting(key)), "success")
        except Refused as refusal:
            flash(explain(refusal), "error")
        return redirect(url_for(".index"))
