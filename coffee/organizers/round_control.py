"""Round control: the pairs the next matching would make, a job run now, and who said yes but
has no partner."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from coffee.cycle.jobs import JOBS, preview, run_job
from coffee.cycle.members import describe
from coffee.cycle.participation import YES
from coffee.cycle.schedule import Schedule
from coffee.models import Meeting, MeetingMember, Participation, Round
from coffee.organizers.actor import Actor, Refused
from coffee.organizers.audit import record
from engine.dialog.profile import ProfileFields
from engine.store import User

if TYPE_CHECKING:
    from engine.dialog.engine import ConversationEngine  # the jobs put people into flows

SEED = 0  # the seed the scheduled matching uses: the preview shows exactly its pairs


def next_round(schedule: Schedule, now: dt.datetime) -> dt.date:
    """The round the next matching works on."""
    return schedule.round_for("invite", now)


def preview_pairs(actor: Actor, week: dt.date, fields: ProfileFields) -> list[str]:
    """The groups matching would make for the round of `week` now (stores nothing); `fields`
    names the profile answers matching reads."""
    return preview("match", week, fields, seed=SEED)


def run_job_now(actor: Actor, engine: ConversationEngine, schedule: Schedule, job: str,
                week: dt.date) -> str:
    """Run invite, match or feedback for the round of `week` at once (once per round, as the
    schedule would); returns its summary line."""
    if job not in JOBS:
        raise Refused("unknown_job", job=job, example=", ".join(JOBS))
    outcome = run_job(engine, schedule, job, week, seed=SEED)
    record(actor, "run_job", f"{job} {week.isoformat()}", None, outcome.line())
    return outcome.line()


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
