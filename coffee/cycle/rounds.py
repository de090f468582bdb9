"""Rounds and their job runs: a week's row and status, its number, and the claim on each job.

A job run is claimed by inserting its `JobRun(round, job)` row, so two processes (cron and the
in-process schedule) never run the same job of the same round at once. A claim that stopped
beating for longer than the lease, or whose process on this machine has ended
(`owner.is_gone`), is taken over; the jobs themselves
are idempotent per participant, so a takeover finishes the work without repeating any of it.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass

from peewee import IntegrityError

from coffee.models import JobRun, Round
from engine.delivery.owner import is_gone, this_process
from engine.store import database

PLANNED, OPEN, MATCHED, CLOSED = "planned", "open", "matched", "closed"
STATUS_ORDER = (PLANNED, OPEN, MATCHED, CLOSED)

EPOCH = dt.date(2024, 1, 1)  # a Monday: round numbers count weeks from it
JOB_LEASE = dt.timedelta(minutes=30)


def round_for_week(week: dt.date) -> Round:
    """The round of a meeting week, created (planned) the first time anyone needs it."""
    found, _created = Round.get_or_create(week=week, defaults={"status": PLANNED})
    return found


def round_number(week: dt.date) -> int:
    """Weeks since EPOCH: how matching tells older meetings from recent ones."""
    return (week - EPOCH).days // 7


def advance(round_: Round, status: str) -> None:
    """Move a round forward to `status`; never back (a late re-run must not reopen it)."""
    if STATUS_ORDER.index(status) > STATUS_ORDER.index(round_.status):
        Round.update(status=status).where(Round.id == round_.id).execute()
        round_.status = status


class ClaimState(enum.Enum):
    CLAIMED = "claimed"
    DONE = "done"  # finished before: nothing to do
    BUSY = "busy"  # another process runs it right now


@dataclass(frozen=True)
class Claim:
    state: ClaimState
    run: JobRun | None = None


def claim_job(round_: Round, job: str, now: dt.datetime,
              lease: dt.timedelta = JOB_LEASE) -> Claim:
    """Claim `job` of `round_` for this process, atomically."""
    try:
        with database.atomic():
            run = JobRun.create(round=round_.id, job=job, started_at=now, alive_at=now,
                                claimed_by=this_process())
        return Claim(ClaimState.CLAIMED, run)
    except IntegrityError:
        pass
    run = JobRun.get(JobRun.round == round_.id, JobRun.job == job)
    if run.finished_at is not None:
        return Claim(ClaimState.DONE, run)
    if run.alive_at > now - lease and not is_gone(run.claimed_by):
        return Claim(ClaimState.BUSY, run)
    taken = (JobRun.update(alive_at=now, claimed_by=this_process())
             .where(JobRun.id == run.id, JobRun.alive_at == run.alive_at,
                    JobRun.finished_at.is_null())
             .execute())
    if not taken:
        return Claim(ClaimState.BUSY, run)
    run.alive_at = now
    return Claim(ClaimState.CLAIMED, run)


def keep_alive(run: JobRun, now: dt.datetime) -> None:
    """Renew a claim during a long run, so that nobody takes it over."""
    JobRun.update(alive_at=now).where(JobRun.id == run.id).execute()


def finish_job(run: JobRun, now: dt.datetime, summary: str) -> None:
    JobRun.update(finished_at=now, alive_at=now, summary=summary).where(
        JobRun.id == run.id).execute()


def job_finished(week: dt.date, job: str) -> bool:
    return (JobRun.select().join(Round)
            .where(Round.week == week, JobRun.job == job, JobRun.finished_at.is_null(False))
            .exists())
