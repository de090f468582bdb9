"""News broadcasts: compose, a preview as Telegram shows it, send, progress (the page refreshes
itself) and Cancel; all through the organizer operations and the outbox."""

from __future__ import annotations

from collections.abc import Callable

from flask import abort, flash, redirect, request, url_for
from flask_admin import BaseView, expose
from werkzeug.wrappers import Response

from coffee.models import Broadcast
from coffee.organizers import (
    Actor,
    Refused,
    broadcast_history,
    broadcast_preview,
    broadcast_progress,
    cancel_broadcast,
    delivery_stalled,
    draft_broadcast,
    start_broadcast,
)
from coffee.panel.context import actor, panel_context
from coffee.panel.i18n import gettext
from coffee.panel.refusals import explain

REFRESH_SECONDS = 2


def audiences() -> list[tuple[str, str]]:
    """Each audience a broadcast may have, with its label."""
    return [("organizers", gettext("Organizers only (a test)")),
            ("all", gettext("Everyone registered and not suspended")),
            ("round", gettext("The current round's participants")),
            *((f"locale:{code}", gettext("Participants speaking %(language)s",
                                         language=panel_context().words().language(code)))
              for code in panel_context().locales)]


class BroadcastView(BaseView):
    @expose("/")
    def index(self) -> str:
        return self._compose("", "organizers")

    def _compose(self, text: str, audience: str) -> str:
        return self.render("panel/broadcast_compose.html", text=text, audience=audience,
                           audiences=audiences(), history=broadcast_history(actor()))

    @expose("/draft", methods=("POST",))
    def draft(self) -> Response | str:
        text, audience = request.form.get("text", ""), request.form.get("audience", "")
        try:
            broadcast = draft_broadcast(actor(), text, audience, panel_context().locales)
        except Refused as refusal:
            flash(explain(refusal), "error")
            return self._compose(text, audience)  # the text stays in the form
        return redirect(url_for(".show", broadcast_id=broadcast.id))

    @expose("/<int:broadcast_id>/")
    def show(self, broadcast_id: int) -> str:
        broadcast = Broadcast.get_or_none(Broadcast.id == broadcast_id)
        if broadcast is None:
            abort(404)
        progress = broadcast_progress(actor(), broadcast_id)
        return self.render("panel/broadcast.html", broadcast=broadcast, progress=progress,
                           stalled=delivery_stalled(actor(), progress),
                           preview=broadcast_preview(broadcast).text,
                           audience=dict(audiences()).get(broadcast.audience, broadcast.audience),
                           refresh=REFRESH_SECONDS if progress.status == "sending" else None)

    @expose("/<int:broadcast_id>/send", methods=("POST",))
    def send(self, broadcast_id: int) -> Response:
        return self._do(broadcast_id, start_broadcast, gettext("Sending started."))

    @expose("/<int:broadcast_id>/cancel", methods=("POST",))
    def cancel(self, broadcast_id: int) -> Response:
        return self._do(broadcast_id, cancel_broadcast,
                        gettext("Cancelled: nobody else gets this message."))

    def _do(self, broadcast_id: int, operation: Callable[[Actor, int], object],
            done: str) -> Response:
        try:
            operation(actor(), broadcast_id)
            flash(done, "success")
        except Refused as refusal:
            flash(explain(refusal), "error")
        return redirect(url_for(".show", broadcast_id=broadcast_id))
