"""The next matching: the round it works on, its answers so far, its groups a hundred at a time
or found by a member's name (the pairs the matching would make now, or the round's meetings
once it is matched), and swapping two participants between their groups."""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_admin import BaseView, expose
from werkzeug.wrappers import Response

from coffee.models import Round
from coffee.organizers import (
    Refused,
    next_groups,
    next_round,
    round_numbers,
    swap_participants,
)
from coffee.panel.context import actor, panel_context
from coffee.panel.i18n import gettext
from coffee.panel.refusals import explain


class NextRoundView(BaseView):
    @expose("/")
    def index(self) -> str:
        context = panel_context()
        who = actor()
        week = next_round(context.schedule(), who.now)
        round_ = Round.get_or_none(Round.week == week)
        search = request.args.get("search", "").strip()
        groups = next_groups(who, week, context.fields, request.args.get("page", 0, type=int),
                             search)
        return self.render("panel/next_round.html", week=week, groups=groups, search=search,
                           numbers=round_numbers(round_) if round_ else None)

    @expose("/swap", methods=("POST",))
    def swap(self) -> Response:
        who = actor()
        week = next_round(panel_context().schedule(), who.now)
        try:
            first, second = swap_participants(who, week, request.form.get("first", ""),
                                              request.form.get("second", ""))
            flash(gettext("Swapped: %(first)s and %(second)s.", first=first, second=second),
                  "success")
        except Refused as refusal:
            flash(explain(refusal), "error")
        return redirect(url_for(".index", search=request.form.get("search") or None))
