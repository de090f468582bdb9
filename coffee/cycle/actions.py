"""The Random Coffee actions and variables that flows use by name."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from peewee import Expression

from coffee.cycle.introduce import BotTexts, PartnerCard
from coffee.cycle.leaving import CANCELLED, current_meeting, leave_meeting
from coffee.cycle.members import Partner
from coffee.cycle.participation import (
    INVITED,
    NO,
    SKIP,
    YES,
    WeekStatus,
    clear_skip,
    set_participation,
    week_status,
)
from coffee.cycle.rounds import OPEN, PLANNED
from coffee.cycle.schedule import Schedule, WeekPlan, week_plan
from coffee.models import MeetingFeedback, MeetingMember, Participation, Round
from engine.dialog.api import Conversation, Registry
from engine.flows.library import FlowLibrary
from engine.render.templates import Renderer
from engine.store import PreparedSelect


@dataclass(frozen=True)
class Invitation:
    """The invitation a participant is answering: its week, their answer so far (invited, yes,
    no; "none" without one) and whether the answer can still change."""

    week: dt.date | None
    status: str
    changeable: bool

    @property
    def open(self) -> bool:
        """An invitation still waiting for an answer or open to a change."""
        return self.week is not None and self.changeable


@dataclass(frozen=True)
class MeetingAhead:
    """This week's matched meeting, for the profile: its week (None without one) and the names
    of the partners still coming."""

    week: dt.date | None
    partners: list[str]


def coffee_registry(schedule: Callable[[], Schedule], renderer: Renderer,
                    library: FlowLibrary) -> Registry:
    """Actions and variables bound to this bot's weekly schedule as it stands at each event
    (the organizers change it without a restart), and its templates and flows, for the
    introductions a departure brings."""
    registry = Registry()
    # What the weekly jobs read from the profile: how often one meets (invitations rest those
    # who chose `biweekly` every other week) and the topics matching compares.
    registry.needs.role("frequency", inputs=("choice",), options=("biweekly",),
                        why="those who choose it meet every other week")
    registry.needs.role("topics", inputs=("multi", "choice"))
    texts = BotTexts(renderer, library)
    registry.needs.flow("invitation", "the invite job starts it", passes=("week",))
    registry.needs.flow("feedback", "the feedback job starts it", passes=("meeting", "partners"))
    registry.needs.template("introduction", turn=False, partners=list[PartnerCard],
                            week=dt.date, schedule=WeekPlan, joined=bool)
    registry.needs.template("unmatched", turn=False)
    registry.needs.template("round_closed")
    registry.needs.template("partner_left", turn=False, partner=str, outcome=str)
    registry.needs.template("partner_joined", turn=False, partner=str)
    registry.needs.template("left_meeting", partners=int)
    registry.needs.template("job_missed", turn=False, job=str, week=dt.date, command=str)

    def upcoming(talk: Conversation) -> dt.date:
        return schedule().round_for("invite", talk.now)

    @registry.variable("schedule")
    def schedule_texts(talk: Conversation) -> WeekPlan:
        """When invitations, pairs and the survey come, in the language of the message."""
        return week_plan(schedule())

    @registry.variable("weeks")
    def weeks(talk: Conversation) -> list[WeekStatus]:
        """This week's and next week's participation, for the profile."""
        first = upcoming(talk)
        return [week_status(talk.user_id, first),
                week_status(talk.user_id, first + dt.timedelta(days=7))]

    @registry.action("skip_this_week")
    def skip_this_week(talk: Conversation) -> None:
        if not set_participation(talk.user_id, upcoming(talk), SKIP, talk.now):
            talk.say("round_closed")

    @registry.action("undo_skip")
    def undo_skip(talk: Conversation) -> None:
        if not clear_skip(talk.user_id, upcoming(talk), talk.now):
            talk.say("round_closed")

    @registry.variable("invitation")
    def invitation(talk: Conversation) -> Invitation:
        """The invitation of `context.week` (set by the invite job), else the participant's
        latest one still open."""
        return _find_invitation(talk)

    @registry.action("pin_invitation")
    def pin_invitation(talk: Conversation) -> None:
        """Entered without a week (from the profile, after the survey), the flow keeps the
        week of the invitation it shows: once that round is matched, no open invitation is
        left to find, and the screens that follow must still name the same week."""
        week = talk.variable("invitation").week
        if week is not None:
            talk.flow_values["week"] = week.isoformat()

    @registry.action("join_round")
    def join_round(talk: Conversation) -> None:
        """Say yes to the invitation (nothing changes once the round is matched)."""
        week = talk.variable("invitation").week
        if week is not None:
            set_participation(talk.user_id, week, YES, talk.now)

    @registry.action("decline_round")
    def decline_round(talk: Conversation) -> None:
        """Say no, with the reason just answered if any (taken out of `context`, so that a later
        "no" does not inherit it)."""
        week = talk.variable("invitation").week
        reason = talk.flow_values.pop("reason", None)
        if week is not None:
            set_participation(talk.user_id, week, NO, talk.now, reason=reason)

    @registry.variable("meeting_ahead")
    def meeting_ahead(talk: Conversation) -> bool:
        """The participant has a meeting this round that they may still call off."""
        return current_meeting(talk.user_id) is not None

    @registry.variable("meeting")
    def meeting(talk: Conversation) -> MeetingAhead:
        member = current_meeting(talk.user_id)
        if member is None:
            return MeetingAhead(None, [])
        partners = [Partner.load(other.user).name for other in MeetingMember.select()
                    .where(MeetingMember.meeting == member.meeting_id,
                           MeetingMember.user != talk.user_id, MeetingMember.left_at.is_null())
                    .order_by(MeetingMember.id)]
        return MeetingAhead(member.meeting.round.week, partners)

    @registry.action("leave_meeting")
    def leave_this_meeting(talk: Conversation) -> None:
        """ "I can't meet this week": the partners are told, a partner left alone is paired
        again where possible."""
        told = leave_meeting(texts, schedule(), talk.user_id, CANCELLED, talk.now)
        if told is not None:
            talk.say("left_meeting", partners=told)

    @registry.action("save_feedback")
    def save_feedback(talk: Conversation) -> None:
        """Save the feedback answered so far for the meeting in `context.meeting`."""
        meeting = talk.flow_values.get("meeting")
        if meeting is None:
            return
        happened = talk.flow_values.get("happened")
        values = {
            MeetingFeedback.happened: None if happened is None else happened == "met",
            MeetingFeedback.rating: _rating(talk.flow_values.get("rating")),
            MeetingFeedback.reason: talk.flow_values.get("reason"),
            MeetingFeedback.comment: talk.flow_values.get("comment") or "",
            MeetingFeedback.updated_at: talk.now,
        }
        (MeetingFeedback.insert({MeetingFeedback.meeting: meeting,
                                 MeetingFeedback.user: talk.user_id, **values})
         .on_conflict(conflict_target=[MeetingFeedback.meeting, MeetingFeedback.user],
                      update=values)
         .execute())

    return registry


def _invitations(where_round: Expression) -> PreparedSelect[Participation]:
    return PreparedSelect(Participation, Participation.select(
        Participation.status, Round.week.alias("week"), Round.status.alias("round_status"))
        .join(Round).where(Participation.user == 0, Participation.status.in_((INVITED, YES, NO)),
                           where_round).order_by(Round.week.desc()).limit(1))


# Read by every message of the invitation flow, hence prepared.
INVITATION_OF_WEEK = _invitations(Round.week == dt.date.min)
LATEST_OPEN_INVITATION = _invitations(Round.status.in_((PLANNED, OPEN)))


def _find_invitation(talk: Conversation) -> Invitation:
    week_text = talk.flow_values.get("week")
    mine = (talk.user_id, INVITED, YES, NO)
    found = (INVITATION_OF_WEEK.first(*mine, week_text, 1) if week_text
             else LATEST_OPEN_INVITATION.first(*mine, PLANNED, OPEN, 1))
    if found is None:
        return Invitation(None, "none", False)
    week = found.week if isinstance(found.week, dt.date) else dt.date.fromisoformat(found.week)
    return Invitation(week, found.status, found.round_status in (PLANNED, OPEN))


def _rating(value: object) -> int | None:
    return int(value) if isinstance(value, str) and value.isdigit() else None
