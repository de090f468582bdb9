"""When the weekly jobs run, in local time, and which round each moment belongs to.

A round is named by the Monday of the week its meetings happen. Its jobs run at fixed local
times (invite on the Thursday before, match on Monday, feedback on Friday by default). A job
missed while the bot was down still runs later, as long as it makes sense for its round (see
`window_end`). Local times follow TIMEZONE, daylight saving included.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from engine.render.words import ClockTime, Weekday

JOBS = ("invite", "match", "feedback")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class ScheduleError(ValueError):
    """A schedule setting that cannot be read; the message names it."""


@dataclass(frozen=True)
class WeeklyTime:
    weekday: int  # 0 = Monday
    at: dt.time

    @classmethod
    def parse(cls, name: str, text: str) -> WeeklyTime:
        """`thu 09:00` -> WeeklyTime(3, 09:00)."""
        day, _, clock = text.strip().lower().partition(" ")
        try:
            weekday = WEEKDAYS.index(day[:3])
            hours, minutes = (int(part) for part in clock.strip().split(":"))
            return cls(weekday, dt.time(hours, minutes))
        except ValueError:
            raise ScheduleError(f"SCHEDULE_{name.upper()} must look like 'thu 09:00', "
                                f"got {text!r}") from None


@dataclass(frozen=True)
class Phase:
    """The job whose window `now` falls in, for which round, and when it was due."""

    job: str
    week: dt.date
    due_at: dt.datetime


@dataclass(frozen=True)
class Schedule:
    invite: WeeklyTime
    match: WeeklyTime
    feedback: WeeklyTime
    zone: ZoneInfo

    @classmethod
    def from_settings(cls, times: Mapping[str, str], zone: ZoneInfo) -> Schedule:
        invite, match, feedback = (WeeklyTime.parse(job, times[job]) for job in JOBS)
        return cls(invite, match, feedback, zone=zone)

    def due_at(self, job: str, week: dt.date) -> dt.datetime:
        """When `job` runs for the round of `week` (a Monday), as an aware datetime."""
        match_day = week + dt.timedelta(days=self.match.weekday)
        if job == "match":
            return self._local(match_day, self.match.at)
        if job == "invite":
            days_before = (self.match.weekday - self.invite.weekday) % 7 or 7
            if days_before == 7 and self.invite.at < self.match.at:
                days_before = 0
            return self._local(match_day - dt.timedelta(days=days_before), self.invite.at)
        if job == "feedback":
            days_after = (self.feedback.weekday - self.match.weekday) % 7 or 7
            if days_after == 7 and self.feedback.at > self.match.at:
                days_after = 0
            return self._local(match_day + dt.timedelta(days=days_after), self.feedback.at)
        raise ValueError(f"unknown job {job!r}")

    def _local(self, day: dt.date, at: dt.time) -> dt.datetime:
        return dt.datetime.combine(day, at, tzinfo=self.zone)

    def window_end(self, job: str, week: dt.date) -> dt.datetime:
        """Until when a missed job still makes sense: invitations until matching, matching
        until feedback, feedback until the next round is matched."""
        if job == "invite":
            return self.due_at("match", week)
        if job == "match":
            return self.due_at("feedback", week)
        return self.due_at("match", week + dt.timedelta(days=7))

    def due(self, now: dt.datetime) -> list[Phase]:
        """Every job whose time has come and whose window is still open, oldest first."""
        week = monday_of(now.astimezone(self.zone).date())
        phases = [
            Phase(job, round_week, self.due_at(job, round_week))
            for round_week in (week - dt.timedelta(days=7), week, week + dt.timedelta(days=7))
            for job in JOBS
        ]
        return sorted((p for p in phases if p.due_at <= now < self.window_end(p.job, p.week)),
                      key=lambda p: p.due_at)

    def round_for(self, job: str, now: dt.datetime) -> dt.date:
        """The round a job run now works on: invitations for the next matching, matching and
        feedback for the latest one due."""
        week = monday_of(now.astimezone(self.zone).date())
        weeks = [week + dt.timedelta(days=7 * offset) for offset in (-1, 0, 1, 2)]
        if job == "invite":
            return next(w for w in weeks if self.due_at("match", w) > now)
        return max(w for w in weeks if self.due_at(job, w) <= now)


def monday_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


@dataclass(frozen=True)
class Slot:
    """A job's time as texts name it: the weekday and the local time, put into words in the
    language of the message they are shown in."""

    day: Weekday
    time: ClockTime


@dataclass(frozen=True)
class WeekPlan:
    """What templates read as `schedule`: when invitations, pairs and the survey come."""

    invite: Slot
    match: Slot
    feedback: Slot


def week_plan(schedule: Schedule) -> WeekPlan:
    """The schedule as texts name it (Babel's weekday names and time format, in the message's
    language): texts follow SCHEDULE_* instead of naming days by hand."""
    return WeekPlan(*(Slot(Weekday(time.weekday), ClockTime(time.at))
                      for time in (schedule.invite, schedule.match, schedule.feedback)))
