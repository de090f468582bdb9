"""Rounds and their meetings: each round's answers and meeting figures (the organizer
operations' statistics), each meeting's members and what they said."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import g, url_for
from flask_admin.contrib.peewee.filters import BasePeeweeFilter, FilterEqual
from markupsafe import Markup

from coffee.cycle.members import describe
from coffee.models import Meeting, MeetingFeedback, MeetingMember, Round
from coffee.organizers import (
    Export,
    MeetingNumbers,
    RoundNumbers,
    meeting_numbers,
    meetings_export,
    round_numbers,
    rounds_export,
)
from coffee.panel.context import actor, panel_context
from coffee.panel.i18n import lazy_gettext
from coffee.panel.people_links import participant_link
from coffee.panel.views.base import PanelModelView
from engine.store import User

ROUND_STATUSES = ("planned", "open", "matched", "closed")


def _answers(round_: Round) -> RoundNumbers:
    cache = g.setdefault("round_numbers", {})
    if round_.id not in cache:
        cache[round_.id] = round_numbers(round_)
    return cache[round_.id]


def _meetings(round_: Round) -> MeetingNumbers:
    cache = g.setdefault("meeting_numbers", {})
    if round_.id not in cache:
        cache[round_.id] = meeting_numbers([round_])[0]
    return cache[round_.id]


def _week_link(_view: Any, _context: Any, round_: Round, _name: str) -> Markup:
    """The week, linking to the round's meetings."""
    url = url_for("meetings.index_view", flt0_week_of_is=round_.week.isoformat())
    return Markup('<a href="{}">{}</a>').format(url, round_.week)


def _figure(source: Any, name: str) -> Any:
    return lambda _view, _context, round_, _name: getattr(source(round_), name)


class RoundsView(PanelModelView):
    column_list = ("week", "status", "invited", "yes", "no", "not_answered", "pairs", "trios",
                   "met_percent", "average_rating")
    column_labels = {
        "week": lazy_gettext("Week of"),
        "status": lazy_gettext("Status"),
        "invited": lazy_gettext("Invited"),
        "yes": lazy_gettext("Yes"),
        "no": lazy_gettext("No"),
        "not_answered": lazy_gettext("Not answered"),
        "pairs": lazy_gettext("Pairs"),
        "trios": lazy_gettext("Trios"),
        "met_percent": lazy_gettext("Met"),
        "average_rating": lazy_gettext("Average rating"),
        "created_at": lazy_gettext("Created"),
    }
    column_formatters = {
        "week": _week_link,
        **{name: _figure(_answers, name) for name in ("invited", "yes", "no", "not_answered")},
        **{name: _figure(_meetings, name) for name in ("pairs", "trios", "average_rating")},
        "met_percent": lambda _view, _context, round_, _name: f"{_meetings(round_).met_percent} %",
    }
    column_sortable_list = ("week", "status")
    column_default_sort = ("week", True)
    column_filters = (FilterEqual(Round.status, lazy_gettext("Status"),
                                  options=[(status, status) for status in ROUND_STATUSES]),)
    can_view_details = False
    page_size = 20

    def csv_export(self) -> Export:
        context = panel_context()
        return rounds_export(actor(), context.words(), context.community())

    def get_list(self, *args: Any, **kwargs: Any) -> tuple[int | None, Any]:
        """The page's rounds, with the meeting figures of all of them in a few queries."""
        count, rounds = super().get_list(*args, **kwargs)
        if isinstance(rounds, list):
            g.meeting_numbers = {round_.id: numbers for round_, numbers
                                 in zip(rounds, meeting_numbers(rounds), strict=True)}
        return count, rounds


def _members(_view: Any, _context: Any, meeting: Meeting, _name: str) -> Markup:
    """Each member, linking to their page."""
    members = (User.select().join(MeetingMember).where(MeetingMember.meeting == meeting)
               .order_by(User.id))
    return Markup("; ").join(participant_link(user.id, describe(user)) for user in members)


def _feedback(_view: Any, _context: Any, meeting: Meeting, _name: str) -> str:
    said = []
    for row in (MeetingFeedback.select(MeetingFeedback, User).join(User)
                .where(MeetingFeedback.meeting == meeting).order_by(User.id)):
        met = {True: "✓", False: "✗", None: "?"}[row.happened]
        parts = [f"{row.user.first_name or row.user.id}: {met}"]
        if row.rating is not None:
            parts.append(f"{row.rating}/5")
        if row.reason:
            parts.append(panel_context().reason("why_not", row.reason))
        if row.comment:
            parts.append(f"«{row.comment}»")
        said.append(" ".join(parts))
    return "; ".join(said)


class WeekFilter(BasePeeweeFilter):
    """Meetings of the round of one week (the list's query joins the round already)."""

    def __init__(self) -> None:
        super().__init__(Meeting.id, lazy_gettext("Week of"))

    def validate(self, value: str) -> bool:
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            return False
        return True

    def apply(self, query: Any, value: str) -> Any:
        return query.where(Round.week == dt.date.fromisoformat(value))

    def operation(self) -> Any:
        return lazy_gettext("is")


class MeetingsView(PanelModelView):
    column_list = ("round", "members", "feedback", "created_at")
    column_labels = {
        "round": lazy_gettext("Week of"),
        "members": lazy_gettext("Members"),
        "feedback": lazy_gettext("Feedback"),
        "created_at": lazy_gettext("Created"),
    }
    column_formatters = {"round": lambda _v, _c, meeting, _n: meeting.round.week,
                         "members": _members, "feedback": _feedback}
    column_default_sort = ("id", True)
    column_filters = (WeekFilter(),)
    named_filter_urls = True
    can_view_details = False

    def csv_export(self) -> Export:
        context = panel_context()
        return meetings_export(actor(), context.words(), context.community())

    def get_query(self) -> Any:
        return Meeting.select(Meeting, Round).join(Round)
