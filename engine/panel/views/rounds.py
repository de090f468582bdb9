"""Rounds and their meetings: each round's status and counts, each meeting's members and what
they said about it."""

from __future__ import annotations

from typing import Any

from flask_admin.contrib.peewee.filters import FilterEqual
from peewee import fn

from engine.panel.i18n import lazy_gettext
from engine.panel.views.base import PanelModelView
from engine.store import Meeting, MeetingFeedback, MeetingMember, Participation, Round, User


def _display_name(user: User) -> str:
    name = " ".join(part for part in (user.first_name, user.last_name) if part) or str(user.id)
    return f"{name} (@{user.username})" if user.username else name


def _answers(_view: Any, _context: Any, round_: Round, _name: str) -> str:
    counts = dict.fromkeys(("invited", "yes", "no", "skip"), 0)
    for status, count in (Participation.select(Participation.status, fn.COUNT(Participation.id))
                          .where(Participation.round == round_)
                          .group_by(Participation.status).tuples()):
        counts[status] = count
    return " · ".join(f"{status} {count}" for status, count in counts.items())


def _meetings(_view: Any, _context: Any, round_: Round, _name: str) -> int:
    return Meeting.select().where(Meeting.round == round_).count()


class RoundsView(PanelModelView):
    column_list = ("week", "status", "participations", "meetings", "created_at")
    column_labels = {
        "week": lazy_gettext("Week of"),
        "status": lazy_gettext("Status"),
        "participations": lazy_gettext("Answers"),
        "meetings": lazy_gettext("Meetings"),
        "created_at": lazy_gettext("Created"),
    }
    column_formatters = {"participations": _answers, "meetings": _meetings}
    column_default_sort = ("week", True)
    column_filters = (FilterEqual(Round.status, lazy_gettext("Status"),
                                  options=[(s, s) for s in ("planned", "open", "matched",
                                                            "closed")]),)
    can_export = True
    export_types = ("csv",)


def _members(_view: Any, _context: Any, meeting: Meeting, _name: str) -> str:
    members = (User.select().join(MeetingMember).where(MeetingMember.meeting == meeting)
               .order_by(User.id))
    return "; ".join(_display_name(user) for user in members)


def _feedback(_view: Any, _context: Any, meeting: Meeting, _name: str) -> str:
    said = []
    for row in (MeetingFeedback.select(MeetingFeedback, User).join(User)
                .where(MeetingFeedback.meeting == meeting).order_by(User.id)):
        met = {True: "✓", False: "✗", None: "?"}[row.happened]
        parts = [f"{row.user.first_name or row.user.id}: {met}"]
        if row.rating is not None:
            parts.append(f"{row.rating}/5")
        if row.reason:
            parts.append(row.reason)
        if row.comment:
            parts.append(f"«{row.comment}»")
        said.append(" ".join(parts))
    return "; ".join(said)


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
    column_filters = (FilterEqual(Round.week, lazy_gettext("Week of")),)
    can_view_details = False
    can_export = True
    export_types = ("csv",)

    def get_query(self) -> Any:
        return Meeting.select(Meeting, Round).join(Round)
