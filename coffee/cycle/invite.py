"""The invitation job: ask everyone due this round whether they join next week's meetings.

Invited are the registered, enabled and reachable participants who did not skip the round,
minus those resting: a participant who meets every two weeks (`frequency: biweekly`) and is a
member of a meeting of the previous round is not invited this time (declining or skipping the
previous round does not count as meeting, so they are invited again the week after).

Each invitation is one transaction: the `invited` participation, the participant put into the
`invitation` flow, and its messages in the outbox. A second run invites nobody twice.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from peewee import IntegrityError

from coffee.cycle.context import JobContext
from coffee.cycle.participation import INVITED, SKIP
from coffee.cycle.rounds import CLOSED, MATCHED, OPEN, advance, round_for_week
from coffee.cycle.summary import Summary
from coffee.models import Meeting, MeetingMember, Participation, Round
from engine.delivery.outbox import queue_replies
from engine.delivery.progress_log import ProgressLog
from engine.dialog.profile import profile_fields
from engine.store import Answer, User, database

FLOW = "invitation"
BIWEEKLY = "biweekly"


@dataclass
class InvitePlan:
    """Who gets an invitation this round, and why the others do not."""

    invite: list[int] = field(default_factory=list)
    skipped: int = 0
    disabled: int = 0
    unreachable: int = 0
    resting: int = 0
    already: int = 0


def plan_invitations(week: dt.date, frequency_key: str | None) -> InvitePlan:
    """Sort the registered participants for the round of `week` (stores nothing)."""
    round_ = Round.get_or_none(Round.week == week)
    answered = ({} if round_ is None else dict(
        Participation.select(Participation.user, Participation.status)
        .where(Participation.round == round_.id).tuples()))
    resting = _resting(week - dt.timedelta(days=7), frequency_key)
    plan = InvitePlan()
    users = User.select(User.id, User.enabled, User.reachable).where(User.registered)
    for user_id, enabled, reachable in users.order_by(User.id).tuples():
        if not enabled:
            plan.disabled += 1
        elif user_id in answered:
            if answered[user_id] == SKIP:
                plan.skipped += 1
            else:
                plan.already += 1
        elif not reachable:
            plan.unreachable += 1
        elif user_id in resting:
            plan.resting += 1
        else:
            plan.invite.append(user_id)
    return plan


def _resting(previous_week: dt.date, frequency_key: str | None) -> set[int]:
    """Biweekly participants who met in the round of `previous_week` (the answer of the
    questionnaire's `role: frequency` question says who is biweekly)."""
    if frequency_key is None:
        return set()
    biweekly = Answer.select(Answer.user).where(Answer.key == frequency_key,
                                                Answer.value == BIWEEKLY)
    met = (MeetingMember.select(MeetingMember.user).join(Meeting).join(Round)
           .where(Round.week == previous_week, MeetingMember.user.in_(biweekly)))
    return {user_id for (user_id,) in met.tuples()}


def invite_round(job: JobContext) -> Summary:
    """Queue the invitations of the round of `job.week`; the round becomes open."""
    summary = Summary("invite", job.week)
    round_ = round_for_week(job.week)
    if round_.status in (MATCHED, CLOSED):
        summary.notes.append("the round is already matched: nobody invited")
        return summary
    advance(round_, OPEN)
    plan = plan_invitations(job.week, profile_fields(job.engine.library).key("frequency"))
    expires = job.schedule.due_at("match", job.week)
    progress = ProgressLog("invite", len(plan.invite), on_log=job.keep_alive)
    summary.add("invited", 0)
    for user_id in plan.invite:
        if _invite(job, round_, user_id, expires):
            summary.add("invited")
        progress.step()
    progress.done()
    for what, count in (("already invited", plan.already), ("skipped", plan.skipped),
                        ("resting (biweekly)", plan.resting), ("unreachable", plan.unreachable),
                        ("disabled", plan.disabled)):
        summary.add(what, count)
    return summary


def _invite(job: JobContext, round_: Round, user_id: int, expires: dt.datetime) -> bool:
    now = job.now()
    try:
        with database.atomic():
            Participation.create(round=round_.id, user=user_id, status=INVITED, updated_at=now)
            replies = job.engine.start_flow(user_id, FLOW, values={"week": job.week.isoformat()})
            queue_replies(user_id, f"invite:{job.week.isoformat()}:{user_id}", replies, now,
                          expires_at=expires)
    except IntegrityError:
        return False  # answered or skipped meanwhile (or invited by a concurrent run)
    return True
