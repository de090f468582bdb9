"""A participant's page: the organizer operations' card (status, answers, round history), the
organizers' comment, ban and unban, appoint and revoke, and every change organizers made to
this person; the comment edited in place in the list. Flask-Admin's generic edit form is never
shown: every change goes through an operation and comes back to this page."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from flask import flash, redirect, request, url_for
from flask_admin import expose
from flask_admin.model import template
from werkzeug.wrappers import Response

from coffee.cycle.members import describe
from coffee.organizers import (
    Actor,
    Refused,
    appoint,
    audit_log,
    ban,
    card,
    revoke,
    set_comment,
    unban,
)
from coffee.panel.context import actor, panel_context
from coffee.panel.i18n import gettext
from coffee.panel.refusals import explain
from coffee.panel.views.base import PanelModelView, local_time
from engine.store import User

AUDIT_LINES = 50

# What the page's buttons do: the operation and what to say when it is done.
OPERATIONS: dict[str, tuple[Callable[[Actor, int], object], Callable[[], str]]] = {
    "ban": (ban, lambda: gettext("Suspended.")),
    "unban": (unban, lambda: gettext("The suspension is lifted.")),
    "appoint": (appoint, lambda: gettext("Appointed an organizer.")),
    "revoke": (revoke, lambda: gettext("No longer an organizer.")),
}


class ParticipantPage(PanelModelView):
    """The participant's page and the changes made from it (a base of the participants' list)."""

    can_edit = True  # for the comment edited in place; the edit form itself is not offered
    form_columns = ("comment",)
    column_editable_list = ("comment",)
    details_template = "panel/participant_details.html"

    def get_list_row_actions(self) -> list[template.BaseListRowAction]:
        return [template.ViewRowAction()]

    @expose("/edit/", methods=("GET", "POST"))
    def edit_view(self) -> Response:
        """Flask-Admin's edit form is not offered: its address leads to the participant's page."""
        return redirect(url_for(".details_view", id=request.args.get("id", type=int)))

    @expose("/ajax/update/", methods=("POST",))
    def ajax_update(self) -> tuple[str, int]:
        """The list's in-place editor: the comment, and nothing else, through the operation."""
        user_id = request.form.get("list_form_pk", type=int)
        fields = set(request.form) - {"list_form_pk", "csrf_token"}
        if user_id is None or fields != {"comment"}:
            return gettext("Only the organizers' comment can be changed here."), 400
        try:
            set_comment(actor(), user_id, request.form["comment"])
        except Refused as refusal:
            return explain(refusal), 400
        return gettext("Comment saved."), 200

    @expose("/comment/<int:user_id>", methods=("POST",))
    def comment(self, user_id: int) -> Response | str:
        text = request.form.get("comment", "")
        try:
            set_comment(actor(), user_id, text)
        except Refused as refusal:
            flash(explain(refusal), "error")
            user = User.get_or_none(User.id == user_id)
            if user is None:
                return redirect(url_for(".index_view"))
            return self.render(self.details_template, model=user, comment_draft=text)
        flash(gettext("Comment saved."), "success")
        return redirect(url_for(".details_view", id=user_id))

    @expose("/<any(ban, unban, appoint, revoke):operation>/<int:user_id>", methods=("POST",))
    def change(self, operation: str, user_id: int) -> Response:
        do, done = OPERATIONS[operation]
        try:
            do(actor(), user_id)
            flash(done(), "success")
        except Refused as refusal:
            flash(explain(refusal), "error")
        return redirect(url_for(".details_view", id=user_id))

    def render(self, template: str, **values: Any) -> str:
        if template == self.details_template and values.get("model") is not None:
            who = actor()
            user_id = values["model"].id
            values["card"] = card(who, user_id)
            changes = audit_log(who, AUDIT_LINES, target=str(user_id))
            words = panel_context().words()
            names = {user.id: describe(user) for user in User.select().where(
                User.id.in_([change.actor for change in changes]))}
            values["changes"] = [
                (local_time(None, dt.datetime.fromisoformat(change.at)),
                 names.get(change.actor) or words.someone(change.actor), change)
                for change in changes]
            values.setdefault("comment_draft", values["card"].comment)
        return super().render(template, **values)
