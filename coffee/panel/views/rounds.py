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
    Words,
    meeting_numbers,
    meetings_export,
    round_numbers,
    rounds_export,
    rounds_numbers,
)
from coffee.organizers.vocabulary import ROUND, STATUSES, WHY_NOT
from coffee.panel.context import actor, lazy_words, panel_context
from coffee.panel.i18n import lazy_gettext
from coffee.panel.people_links import participant_link
from coffee.panel.views.base import PanelModelView
from engine.store import User


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
        "status": lambda _v, _c, round_, _n: panel_context().words().status(ROUND,
                                                                             round_.status),
        **{name: _figure(_answers, name) for name in ("invited", "yes", "no", "not_answered")},
        **{name: _figure(_meetings, name) for name in ("pairs", "trios", "average_rating")},
        "met_percent": lambda _view, _context, round_, _name: f"{_meetings(round_).met_percent} %",
    }
    column_sortable_list = ("week", "status")
    column_default_sort = ("week", True)
    column_filters = (FilterEqual(Round.status, lazy_gettext("Status"), options=[
        (status, lazy_words(Words.status, ROUND, status))
        for status in STATUSES[ROUND]]),)
    can_view_details = False
    page_size = 20

    def csv_export(self) -> Export:
        context = panel_context()
        return rounds_export(actor(), context.words(), context.community())

    def get_list(self, *args: Any, **kwargs: Any) -> tuple[int | None, Any]:
        """The page's rounds, with the answers and meeting figures of all of them in a few
        queries."""
        count, rounds = super().get_list(*args, **kwargs)
        if isinstance(rounds, list):
            g.round_numbers = {round_.id: numbers for round_, numbers
                               in zip(rounds, rounds_numbers(rounds), strict=True)}
            g.meeting_numbers = {round_.id: numbers for round_, numbers
                                 in zip(rounds, meeting_numbers(rounds), strict=True)}
        return count, rounds


def _page_meetings(meetings: list[Meeting]) -> None:
    """The members and feedback of the page's meetings, in two queries."""
    ids = [meeting.id for meeting in meetings]
    members: dict[int, list[User]] = {}
    for member in (MeetingMember.select(MeetingMember, User).join(User)
                   .where(MeetingMember.meeting.in_(ids)).order_by(User.id)):
        members.setdefault(member.meeting_id, []).append(member.user)
    feedback: dict[int, list[MeetingFeedback]] = {}
    for row in (MeetingFeedback.select(MeetingFeedback, User).join(User)
                .where(MeetingFeedback.meeting.in_(ids)).order_by(User.id)):
        feedback.setdefault(row.meeting_id, []).append(row)
    g.meeting_members, g.meeting_feedback = members, feedback


def _members(_view: Any, _context: Any, meeting: Meeting, _name: str) -> Markup:
    """Each member, linking to their page."""
    members = g.get("meeting_members", {}).get(meeting.id, [])
    return Markup("; ").join(participant_link(user.id, describe(user)) for user in members)


def _met(_view: Any, _context: Any, meeting: Meeting, _name: str) -> str:
    """What the members said, as one status: met, did not meet, split, no answer yet."""
    said = g.get("meeting_feedback", {}).get(meeting.id, [])
    return panel_context().words().meeting(row.happened for row in said)


def _feedback(_view: Any, _context: Any, meeting: Meeting, _name: str) -> str:
    words = panel_context().words()
    said = []
    for row in g.get("meeting_feedback", {}).get(meeting.id, []):
        parts = [f"{row.user.first_name or row.user.id}: {words.meeting([row.happened])}"]
        if row.rating is not None:
            parts.append(f"{row.rating}/5")
        if row.reason:
            parts.append(words.reason(WHY_NOT, row.reason))
        if row.comment:
            parts.append(f"«{row.comment}»")
        said.append(", ".join(parts))
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
    column_list = ("round", "members", "met", "feedback", "created_at")
    column_labels = {
        "round": lazy_gettext("Week of"),
        "members": lazy_gettext("Members"),
        "met": lazy_gettext("Met"),
        "feedback": lazy_gettext("Feedback"),
        "created_at": lazy_gettext("Created"),
    }
    column_formatters = {"round": lambda _v, _c, meeting, _n: meeting.round.week,
                         "members": _members, "met": _met, "feedback": _feedback}
    column_default_sort = ("id", True)
    column_filters = (WeekFilter(),)
    named_filter_urls = True
    can_view_details = False

    def csv_export(self) -> Export:
        context = panel_context()
        return meetings_export(actor(), context.words(), context.community())

    def get_query(self) -> Any:
        return Meeting.select(Meeting, Round).join(Round)

    def get_list(self, *args: Any, **kwargs: Any) -> tuple[int | None, Any]:
        count, meetings = super().get_list(*args, **kwargs)
        if isinstance(meetings, list):
            _page_meetings(meetings)
        return count, meetings
