"""Run one weekly job for one round: claim it, run it, record its summary line.

What cron (`scheduler.py`) and the in-process schedule (`cycle`) both call. A job that raises
gives its claim back, so the next run (cron's retry, the next poll) starts at once and picks up
where it stopped; a process that dies holds the claim until the lease ends (`rounds.JOB_LEASE`).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from coffee.cycle.context import JobContext
from coffee.cycle.feedback import ask_feedback
from coffee.cycle.invite import invite_round, plan_invitations
from coffee.cycle.match import history_before as history_before
from coffee.cycle.match import match_round, plan_matching, planned_result
from coffee.cycle.match import topics_of as topics_of
from coffee.cycle.members import RoundMembers, describe
from coffee.cycle.rounds import ClaimState, claim_job, finish_job, keep_alive, round_for_week
from coffee.cycle.schedule import Schedule
from coffee.cycle.summary import Summary
from coffee.matching import Pair
from coffee.models import JobRun, Round
from engine.dialog.engine import ConversationEngine
from engine.dialog.profile import ProfileFields
from engine.store import User

log = logging.getLogger("coffee.cycle")

JOBS: dict[str, Callable[[JobContext], Summary]] = {
    "invite": invite_round,
    "match": match_round,
    "feedback": ask_feedback,
}


@dataclass(frozen=True)
class JobOutcome:
    job: str
    week: dt.date
    state: ClaimState
    summary: str
    counts: Mapping[str, int] = field(default_factory=dict)  # this run's (when CLAIMED)

    def line(self) -> str:
        if self.state is ClaimState.CLAIMED:
            return self.summary
        if self.state is ClaimState.DONE:
            return f"{self.job} {self.week.isoformat()}: already done ({self.summary})"
        return f"{self.job} {self.week.isoformat()}: running in another process; not started"


def run_job(engine: ConversationEngine, schedule: Schedule, job: str, week: dt.date, *,
            seed: int = 0) -> JobOutcome:
    """Run `job` for the round of `week` unless it is done or running elsewhere."""
    clock = engine.settings.clock
    claim = claim_job(round_for_week(week), job, clock())
    run = claim.run
    assert run is not None
    if claim.state is not ClaimState.CLAIMED:
        return JobOutcome(job, week, claim.state, run.summary)
    log.info("%s %s: started", job, week.isoformat())
    context = JobContext(engine, schedule, week, seed,
                         keep_alive=lambda: keep_alive(run, clock()))
    try:
        summary = JOBS[job](context)
    except BaseException:
        JobRun.delete().where(JobRun.id == run.id, JobRun.finished_at.is_null()).execute()
        raise
    line = summary.line()
    finish_job(run, clock(), line)
    log.info("%s", line)
    return JobOutcome(job, week, ClaimState.CLAIMED, line, dict(summary.counts))


def planned_groups(week: dt.date, fields: ProfileFields, *, seed: int = 0,
                   history: Mapping[Pair, int] | None = None,
                   interests: Mapping[int, frozenset[str]] | None = None
                   ) -> tuple[list[tuple[int, ...]], list[int]]:
    """The groups (user ids) the matching would make for the round of `week` now, and whom it
    would leave without a partner; stores nothing. `history` and `interests`: as
    `match.planned_result` takes them."""
    result = planned_result(week, fields.key("topics"), seed, history, interests)
    return [tuple(group) for group in result.groups], list(result.unmatched)


def preview(job: str, week: dt.date, fields: ProfileFields, *, seed: int = 0) -> list[str]:
    """What `job` would do for the round of `week`, a line per group or person; stores
    nothing."""
    if job == "match":
        return plan_matching(week, fields.key("topics"), seed).lines()
    if job == "invite":
        plan = plan_invitations(week, fields.key("frequency"))
        invited = set(plan.invite)
        users = User.select().where(User.registered).order_by(User.id)
        return [f"invite: {describe(user)}" for user in users if user.id in invited] + [
            f"not invited: already {plan.already}, skipped {plan.skipped}, resting "
            f"{plan.resting}, unreachable {plan.unreachable}, disabled {plan.disabled}"]
    round_ = Round.get_or_none(Round.week == week)
    if round_ is None:
        return []
    members = RoundMembers.load(round_)
    return [f"ask: {describe(members.people[member.user_id].user)}"
            for member in members.members if member.feedback_asked_at is None]
