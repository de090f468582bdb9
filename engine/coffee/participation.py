"""Who takes part in which round: rounds by week, yes/no/skip answers and what a profile shows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from engine.store import Participation, Round, utc_now

PLANNED, OPEN, MATCHED, CLOSED = "planned", "open", "matched", "closed"
YES, NO, SKIP = "yes", "no", "skip"


def round_for_week(week: dt.date) -> Round:
    """The round of a meeting week, created (planned) the first time anyone needs it."""
    found, _created = Round.get_or_create(week=week, defaults={"status": PLANNED})
    return found


def set_participation(user_id: int, week: dt.date, status: str,
                      reason: str | None = None) -> bool:
    """Record yes/no/skip for a round still open to changes; False once it has been matched."""
    round_ = round_for_week(week)
    if round_.status not in (PLANNED, OPEN):
        return False
    (Participation.insert(round=round_.id, user=user_id, status=status, reason=reason,
                          updated_at=utc_now())
     .on_conflict(conflict_target=[Participation.round, Participation.user],
                  update={Participation.status: status, Participation.reason: reason,
                          Participation.updated_at: utc_now()})
     .execute())
    return True


def clear_skip(user_id: int, week: dt.date) -> bool:
    """Undo "skip this week": forget the skip so the participant is invited as usual."""
    round_ = Round.get_or_none(Round.week == week)
    if round_ is None or round_.status not in (PLANNED, OPEN):
        return False
    (Participation.delete()
     .where(Participation.round == round_.id, Participation.user == user_id,
            Participation.status == SKIP)
     .execute())
    return True


@dataclass(frozen=True)
class WeekStatus:
    """One row of "this week / next week" in a profile."""

    week: dt.date
    status: str  # yes, no, skip, matched, waiting (invited, no answer yet), upcoming
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
    if answer is not None:
        return WeekStatus(week, answer.status, round_.status)
    status = "waiting" if round_.status == OPEN else "upcoming"
    if round_.status in (MATCHED, CLOSED):
        status = NO
    return WeekStatus(week, status, round_.status)
