"""Round control: which round each weekly job would act on if run now and whether it can,
the pairs the next matching would make, a job run now, and who said yes but has no partner.

The round under control is the next one to be matched (the schedule's upcoming round): the
invitations and the matching act on it. The feedback question acts on the latest round that
was matched. A job that is done (or running, or waiting for another) is not run; its plan
says why and which job would help first.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from coffee.cycle.jobs import JOBS, preview, run_job
from coffee.cycle.members import describe
from coffee.cycle.participation import YES
from coffee.cycle.rounds import CLOSED, MATCHED, PLANNED, ClaimState
from coffee.cycle.schedule import Schedule
from coffee.models import JobRun, Meeting, MeetingMember, Participation, Round
from coffee.organizers.actor import Actor, Refused
from coffee.organizers.audit import record
from engine.delivery.outbox import newest_queued
from engine.dialog.profile import ProfileFields
from engine.store import Outbox, User

if TYPE_CHECKING:
    from engine.dialog.engine import ConversationEngine  # the jobs put people into flows

SEED = 0  # the seed the scheduled matching uses: the preview shows exactly its pairs

# What a job would do if run now.
READY = "ready"  # it runs for its round
DONE = "done"  # it ran for its round already (`at`)
BUSY = "busy"  # another process runs it this moment
WAITING = "waiting"  # another job must run first (`helper`)
TOO_LATE = "too_late"  # invitations for a round already matched


@dataclass(frozen=True)
class JobPlan:
    job: str  # invite, match, feedback
    week: dt.date  # the round it acts on (its meetings' Monday)
    state: str  # READY, DONE, BUSY, WAITING or TOO_LATE
    at: dt.datetime | None = None  # DONE: when it finished; else when the schedule runs it
    helper: str | None = None  # WAITING: the job to run first

    @property
    def ready(self) -> bool:
        return self.state == READY


@dataclass(frozen=True)
class JobDone:
    """A job run now: what it counted (the keys of `coffee.cycle` summaries) and how many
    messages it queued for delivery."""

    job: str
    week: dt.date
    counts: Mapping[str, int] = field(default_factory=dict)
    queued: int = 0


def next_round(schedule: Schedule, now: dt.datetime) -> dt.date:
    """The round the next matching works on."""
    return schedule.round_for("invite", now)


def job_plans(actor: Actor, schedule: Schedule, now: dt.datetime) -> dict[str, JobPlan]:
    """What each weekly job would do if run now, by job."""
    upcoming = next_round(schedule, now)
    round_ = Round.get_or_none(Round.week == upcoming)
    invite = _plan("invite", upcoming, round_, schedule)
    if invite.state == READY and round_ is not None and round_.status in (MATCHED, CLOSED):
        invite = JobPlan("invite", upcoming, TOO_LATE)
    match = _plan("match", upcoming, round_, schedule)
    if match.state == READY and (round_ is None or round_.status == PLANNED):
        match = JobPlan("match", upcoming, WAITING, match.at, helper="invite")
    matched = (Round.select().where(Round.status.in_((MATCHED, CLOSED)), Round.week <= upcoming)
               .order_by(Round.week.desc()).first())
    if matched is None:
        feedback = JobPlan("feedback", upcoming, WAITING, helper="match")
    else:
        feedback = _plan("feedback", matched.week, matched, schedule)
    return {plan.job: plan for plan in (invite, match, feedback)}


def _plan(job: str, week: dt.date, round_: Round | None, schedule: Schedule) -> JobPlan:
    run = None if round_ is None else JobRun.get_or_none(JobRun.round == round_.id,
                                                         JobRun.job == job)
    if run is not None and run.finished_at is not None:
        return JobPlan(job, week, DONE, run.finished_at)
    if run is not None:
        return JobPlan(job, week, BUSY)
    return JobPlan(job, week, READY, schedule.due_at(job, week))


def preview_pairs(actor: Actor, week: dt.date, fields: ProfileFields) -> list[str]:
    """The groups matching would make for the round of `week` now (stores nothing); `fields`
    names the profile answers matching reads."""
    return preview("match", week, fields, seed=SEED)


def run_job_now(actor: Actor, engine: ConversationEngine, schedule: Schedule,
                job: str) -> JobDone:
    """Run invite, match or feedback at once for the round its plan names (once per round,
    as the schedule would). Refused 'job_not_ready' (with the plan's state, week, `at` and
    the job that would help) when it cannot run."""
    if job not in JOBS:
        raise Refused("unknown_job", job=job, example=", ".join(JOBS))
    plan = job_plans(actor, schedule, actor.now)[job]
    if not plan.ready:
        raise Refused("job_not_ready", job=job, state=plan.state, week=plan.week, at=plan.at,
                      helper=plan.helper or "")
    before = newest_queued()
    outcome = run_job(engine, schedule, job, plan.week, seed=SEED)
    if outcome.state is not ClaimState.CLAIMED:
        raise Refused("job_not_ready", job=job, week=plan.week, at=None, helper="",
                      state=DONE if outcome.state is ClaimState.DONE else BUSY)
    record(actor, "run_job", f"{job} {plan.week.isoformat()}", None, dict(outcome.counts))
    queued = Outbox.select().where(Outbox.id > before).count()
    return JobDone(job, plan.week, dict(outcome.counts), queued)


def without_partner(actor: Actor, week: dt.date) -> list[str]:
    """Who said yes for the round of `week` and is in no meeting of it."""
    round_ = Round.get_or_none(Round.week == week)
    if round_ is None:
        return []
    grouped = (MeetingMember.select(MeetingMember.user).join(Meeting)
               .where(Meeting.round == round_.id))
    users = (User.select().join(Participation, on=(Participation.user == User.id))
             .where(Participation.round == round_.id, Participation.status == YES,
                    User.id.not_in(grouped)).order_by(User.id))
    return [describe(user) for user in users]
