"""The notes inbox: what participants sent with /feedback, newest first, marked read when shown,
and a reply sent to the participant through the bot."""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_admin import BaseView, expose
from werkzeug.wrappers import Response

from coffee.organizers import Refused, inbox, reply_to_note
from coffee.panel.context import actor, panel_context
from coffee.panel.i18n import gettext
from coffee.panel.refusals import explain


class InboxView(BaseView):
    @expose("/")
    def index(self) -> str:
        page = max(request.args.get("page", 0, type=int), 0)
        notes = inbox(actor(), page)
        return self.render("panel/inbox.html", notes=notes, page=page)

    @expose("/reply/<int:note_id>", methods=("POST",))
    def reply(self, note_id: int) -> Response:
        try:
            reply_to_note(actor(), note_id, request.form.get("text", ""),
                          panel_context().renderer)
            flash(gettext("The reply is on its way to the participant."), "success")
        except Refused as refusal:
            flash(explain(refusal), "error")
        return redirect(url_for(".index", page=request.args.get("page", 0, type=int)))
