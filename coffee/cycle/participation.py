"""Who takes part in which round: invitations, yes/no/skip answers and what a profile shows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from coffee.cycle.rounds import CLOSED, MATCHED, OPEN, PLANNED, round_for_week
from coffee.models import Participation, Round

INVITED, YES, NO, SKIP = "invited", "yes", "no", "skip"


def set_participation(user_id: int, week: dt.date, status: str, now: dt.datetime,
                      reason: str | None = None) -> bool:
    """Record yes/no/skip for a round still open to changes; False once it has been matched."""
    round_ = round_for_week(week)
    if round_.status not in (PLANNED, OPEN):
        return False
    (Participation.insert(round=round_.id, user=user_id, status=status, reason=reason,
                          updated_at=now)
     .on_conflict(conflict_target=[Participation.round, Participation.user],
                  update={Participation.status: status, Participation.reason: reason,
                          Participation.updated_at: now})
     .execute())
    return True


def clear_skip(user_id: int, week: dt.date, now: dt.datetime) -> bool:
    """Undo "skip this week". Before the invitations the participant is simply invited as
    usual; once they have gone out (without this participant), taking part after all is a yes.
    """
    round_ = Round.get_or_none(Round.week == week)
    if round_ is None or round_.status not in (PLANNED, OPEN):
        return False
    skipped = (Participation.round == round_.id) & (Participation.user == user_id) & (
        Participation.status == SKIP)
    if round_.status == OPEN:
        Participation.update(status=YES, reason=None, updated_at=now).where(skipped).execute()
    else:
        Participation.delete().where(skipped).execute()
    return True


@dataclass(frozen=True)
class WeekStatus:
    """One row of "this week / next week" in a profile."""

    week: dt.date
    # yes, no, skip; waiting (invited, no answer yet); not_invited (the invitations went out
    # without this participant); upcoming (no invitations yet)
    status: str
    round_status: str | None

    @property
    def skipped(self) -> bool:
        return self.status == SKIP

    @property
    def changeable(self) -> bool:
        return self.round_status in (None, PLANNED, OPEN)


def week_status(user_id: int, week: dt.date) -> WeekStatus:
    round_ = Round.get_or_none(Round.week == week)
    if round_ is None:
        return WeekStatus(week, "upcoming", None)
    answer = Participation.get_or_none(Participation.round == round_.id,
                                       Participation.user == user_id)
    frozen = round_.status in (MATCHED, CLOSED)
    if answer is None:
        status = NO if frozen else "not_invited" if round_.status == OPEN else "upcoming"
    elif answer.status == INVITED:
        status = NO if frozen else "waiting"
    else:
        status = answer.status
    return WeekStatus(week, status, round_.status)
