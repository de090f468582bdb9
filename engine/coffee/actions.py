"""The Random Coffee actions and variables that flows use by name."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from peewee import Expression

from engine.coffee.introduce import PartnerCard
from engine.coffee.participation import (
    INVITED,
    NO,
    SKIP,
    YES,
    WeekStatus,
    clear_skip,
    set_participation,
    week_status,
)
from engine.coffee.rounds import OPEN, PLANNED
from engine.coffee.schedule import Schedule
from engine.dialog.registry import Registry
from engine.dialog.turn import Turn
from engine.store import MeetingFeedback, Participation, PreparedSelect, Round


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


def coffee_registry(schedule: Schedule) -> Registry:
    """Actions and variables bound to this bot's weekly schedule."""
    registry = Registry()
    registry.needs.flow("invitation", "the invite job starts it", passes=("week",))
    registry.needs.flow("feedback", "the feedback job starts it", passes=("meeting", "partners"))
    registry.needs.template("introduction", turn=False, partners=list[PartnerCard],
                            week=dt.date)
    registry.needs.template("unmatched", turn=False)
    registry.needs.template("round_closed")

    def upcoming(turn: Turn) -> dt.date:
        return schedule.round_for("invite", turn.now)

    @registry.variable("weeks")
    def weeks(turn: Turn) -> list[WeekStatus]:
        """This week's and next week's participation, for the profile."""
        first = upcoming(turn)
        return [week_status(turn.user.id, first),
                week_status(turn.user.id, first + dt.timedelta(days=7))]

    @registry.action("skip_this_week")
    def skip_this_week(turn: Turn) -> None:
        if not set_participation(turn.user.id, upcoming(turn), SKIP, turn.now):
            turn.say("round_closed")

    @registry.action("undo_skip")
    def undo_skip(turn: Turn) -> None:
        if not clear_skip(turn.user.id, upcoming(turn), turn.now):
            turn.say("round_closed")

    @registry.variable("invitation")
    def invitation(turn: Turn) -> Invitation:
        """The invitation of `context.week` (set by the invite job), else the participant's
        latest one still open."""
        return find_invitation(turn)

    @registry.action("join_round")
    def join_round(turn: Turn) -> None:
        """Say yes to the invitation (nothing changes once the round is matched)."""
        week = find_invitation(turn).week
        if week is not None:
            set_participation(turn.user.id, week, YES, turn.now)

    @registry.action("decline_round")
    def decline_round(turn: Turn) -> None:
        """Say no, with the reason just answered if any (taken out of `context`, so that a later
        "no" does not inherit it)."""
        week = find_invitation(turn).week
        reason = turn.vars.pop("reason", None)
        if week is not None:
            set_participation(turn.user.id, week, NO, turn.now, reason=reason)

    @registry.action("save_feedback")
    def save_feedback(turn: Turn) -> None:
        """Save the feedback answered so far for the meeting in `context.meeting`."""
        meeting = turn.vars.get("meeting")
        if meeting is None:
            return
        happened = turn.vars.get("happened")
        values = {
            MeetingFeedback.happened: None if happened is None else happened == "met",
            MeetingFeedback.rating: _rating(turn.vars.get("rating")),
            MeetingFeedback.reason: turn.vars.get("reason"),
            MeetingFeedback.comment: turn.vars.get("comment") or "",
            MeetingFeedback.updated_at: turn.now,
        }
        (MeetingFeedback.insert({MeetingFeedback.meeting: meeting,
                                 MeetingFeedback.user: turn.user.id, **values})
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


def find_invitation(turn: Turn) -> Invitation:
    week_text = turn.vars.get("week")
    mine = (turn.user.id, INVITED, YES, NO)
    found = (INVITATION_OF_WEEK.first(*mine, week_text, 1) if week_text
             else LATEST_OPEN_INVITATION.first(*mine, PLANNED, OPEN, 1))
    if found is None:
        return Invitation(None, "none", False)
    week = found.week if isinstance(found.week, dt.date) else dt.date.fromisoformat(found.week)
    return Invitation(week, found.status, found.round_status in (PLANNED, OPEN))


def _rating(value: object) -> int | None:
    return int(value) if isinstance(value, str) and value.isdigit() else None
