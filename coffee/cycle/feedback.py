"""The feedback job: ask every member of the round's meetings whether the meeting happened.

Each member is put into the `feedback` flow (which stores the answers per meeting and member,
see `save_feedback`) in one transaction with their messages and `feedback_asked_at`, so nobody
is asked twice. The round is closed afterwards.

The summary also names, for the organizers, participants whose partners reported that they
never answered in each of the two latest rounds before this one (the reporters are not blamed:
only the one reported is named).
"""

from __future__ import annotations

import datetime as dt

from coffee.cycle.context import JobContext
from coffee.cycle.members import RoundMembers, describe
from coffee.cycle.missed import report_missed
from coffee.cycle.rounds import CLOSED, MATCHED, OPEN, advance
from coffee.cycle.summary import Summary
from coffee.models import Meeting, MeetingFeedback, MeetingMember, Round
from engine.delivery.outbox import queue_replies
from engine.store import User, database

FLOW = "feedback"
NO_ANSWER = "no_answer"  # the reason "my partner did not answer"


def ask_feedback(job: JobContext) -> Summary:
    """Queue "did you meet?" for every member of the round not asked yet; close the round."""
    summary = Summary("feedback", job.week)
    round_ = Round.get_or_none(Round.week == job.week)
    if round_ is None or round_.status not in (MATCHED, CLOSED):
        summary.notes.append("the round is not matched: nobody to ask")
        if round_ is not None and round_.status == OPEN:  # invited, never matched
            summary.notes.append(report_missed(job, round_, "match"))
    else:
        _ask_members(job, round_, summary)
        advance(round_, CLOSED)
    flagged = reported_twice(job.week)
    if flagged:
        summary.notes.append("reported as never answering in two rounds in a row: "
                             + ", ".join(describe(User.get_by_id(uid)) for uid in flagged))
    return summary


def _ask_members(job: JobContext, round_: Round, summary: Summary) -> None:
    """Every member still in a meeting with someone: a member whose partners all left (and
    for whom nobody could be found instead) had no meeting to tell about."""
    people = RoundMembers.load(round_)
    alone = [member for member in people.members if member.left_at is None
             and member.feedback_asked_at is None and not people.partners_of(member)]
    members = people.to_reach(
        lambda member: member.feedback_asked_at is None and bool(people.partners_of(member)),
        "asked", summary, job.keep_alive)
    for member, _user, partners in members:
        _ask(job, member, [partner.name for partner in partners])
    if alone:
        summary.add("not asked (their partners left)", len(alone))


def _ask(job: JobContext, member: MeetingMember, partner_names: list[str]) -> None:
    now = job.now()
    values = {"meeting": member.meeting_id, "partners": partner_names}
    with database.atomic():
        replies = job.engine.start_flow(member.user_id, FLOW, values=values)
        queue_replies(member.user_id, f"feedback:{job.week.isoformat()}:{member.user_id}",
                      replies, now, expires_at=job.schedule.window_end("feedback", job.week))
        MeetingMember.update(feedback_asked_at=now).where(MeetingMember.id == member.id).execute()


def reported_twice(week: dt.date) -> list[int]:
    """Participants reported as "did not answer" by a partner in both of the two latest rounds
    before `week`."""
    latest = (Round.select(Round.id).where(Round.week < week, Round.status.in_((MATCHED, CLOSED)))
              .order_by(Round.week.desc()).limit(2))
    rounds = [round_id for (round_id,) in latest.tuples()]
    if len(rounds) < 2:
        return []
    reported = [_reported_in(round_id) for round_id in rounds]
    return sorted(reported[0] & reported[1])


def _reported_in(round_id: int) -> set[int]:
    """Members of the round's meetings whose partner said they never answered."""
    complaints = (MeetingFeedback.select(MeetingFeedback.meeting, MeetingFeedback.user)
                  .join(Meeting)
                  .where(Meeting.round == round_id, MeetingFeedback.reason == NO_ANSWER))
    reported: set[int] = set()
    for meeting_id, reporter in complaints.tuples():
        members = MeetingMember.select(MeetingMember.user).where(
            MeetingMember.meeting == meeting_id, MeetingMember.user != reporter)
        reported.update(user_id for (user_id,) in members.tuples())
    return reported
