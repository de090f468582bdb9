"""The matching job: pair everyone who said yes, store the meetings, then introduce them.

Who is matched: the participants whose answer for the round is yes and who are still enabled
and reachable. Past meetings (every round before this one) are the history the matching avoids
repeating. The meetings and the round's `matched` status are stored in one transaction, so a
second run never matches again; the introductions follow (see `introduce`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from peewee import ModelSelect

from coffee.cycle.context import JobContext
from coffee.cycle.introduce import introduce_round
from coffee.cycle.members import describe
from coffee.cycle.missed import report_missed
from coffee.cycle.participation import YES
from coffee.cycle.rounds import MATCHED, OPEN, PLANNED, advance, round_for_week, round_number
from coffee.cycle.summary import Summary
from coffee.matching import MatchResult, match_participants
from coffee.models import Meeting, MeetingMember, Participation, Round
from engine.delivery.outbox import queue_replies
from engine.dialog.events import Reply
from engine.dialog.profile import profile_fields
from engine.store import Answer, User, database

Pair = tuple[int, int]


@dataclass(frozen=True)
class MatchPlan:
    """The groups a round would get, before anything is stored."""

    week: dt.date
    result: MatchResult
    names: dict[int, str] = field(default_factory=dict)

    def lines(self) -> list[str]:
        """One line per group: `1. Olena P. (@olena, 101) + Petro (102)`."""
        lines = [f"{number}. " + " + ".join(self.names.get(uid, str(uid)) for uid in group)
                 for number, group in enumerate(self.result.groups, start=1)]
        lines.extend(f"unmatched: {self.names.get(uid, str(uid))}"
                     for uid in self.result.unmatched)
        return lines


def plan_matching(week: dt.date, topics_key: str | None, seed: int = 0) -> MatchPlan:
    """The groups `match_round` would make for the round of `week` (stores nothing)."""
    round_ = Round.get_or_none(Round.week == week)
    if round_ is None:
        return MatchPlan(week, match_participants([], {}, round_number=round_number(week)))
    joined = (Participation.select(Participation.user).join(User)
              .where(Participation.round == round_.id, Participation.status == YES,
                     User.enabled, User.reachable))
    participants = [user_id for (user_id,) in joined.tuples()]
    result = match_participants(participants, history_before(week),
                                round_number=round_number(week), seed=seed,
                                interests=_interests(joined, topics_key))
    users = User.select(User.id, User.first_name, User.last_name, User.username).where(
        User.id.in_(joined))
    names = {user.id: describe(user) for user in users}
    return MatchPlan(week, result, names)


def history_before(week: dt.date) -> dict[Pair, int]:
    """Every pair that met in a round before `week`, with the number of their latest round."""
    rows = (MeetingMember.select(MeetingMember.meeting, MeetingMember.user, Round.week)
            .join(Meeting).join(Round).where(Round.week < week)
            .order_by(MeetingMember.meeting).tuples())
    members: dict[int, tuple[dt.date, list[int]]] = {}
    for meeting_id, user_id, met_week in rows:
        members.setdefault(meeting_id, (met_week, []))[1].append(user_id)
    history: dict[Pair, int] = {}
    for met_week, users in members.values():
        number = round_number(met_week)
        for i, first in enumerate(users):
            for second in users[i + 1:]:
                pair = (min(first, second), max(first, second))
                history[pair] = max(number, history.get(pair, number))
    return history


def _interests(joined: ModelSelect, topics_key: str | None) -> dict[int, frozenset[str]]:
    """The answers of the questionnaire's `role: topics` question."""
    if topics_key is None:
        return {}
    topics = Answer.select(Answer.user, Answer.value).where(Answer.key == topics_key,
                                                            Answer.user.in_(joined))
    return {user_id: frozenset(value) for user_id, value in topics.tuples()
            if isinstance(value, list)}


def match_round(job: JobContext) -> Summary:
    """Match the round of `job.week` (once), then queue the introductions not queued yet."""
    summary = Summary("match", job.week)
    round_ = round_for_week(job.week)
    if round_.status == PLANNED:  # nobody was invited: nothing to match
        summary.notes.append(report_missed(job, round_, "invite"))
        return summary
    if round_.status == OPEN:
        plan = plan_matching(job.week, profile_fields(job.engine.library).key("topics"),
                             job.seed)
        _store(job, round_, plan.result)
        summary.add("groups", len(plan.result.groups))
        summary.add("trios", sum(1 for group in plan.result.groups if len(group) == 3))
        summary.add("repeated pairs", plan.result.repeats)
        summary.add("unmatched", len(plan.result.unmatched))
    else:
        summary.notes.append(f"the round was already {round_.status}")
    introduce_round(job, round_, summary)
    return summary


def _store(job: JobContext, round_: Round, result: MatchResult) -> None:
    now = job.now()
    with database.atomic():
        for group in result.groups:
            meeting = Meeting.create(round=round_.id, created_at=now)
            MeetingMember.insert_many(
                [{"meeting": meeting.id, "user": user_id} for user_id in group]).execute()
        for user_id in result.unmatched:
            user = User.get_by_id(user_id)
            text = job.engine.renderer.render("unmatched", user.locale, {})
            queue_replies(user_id, f"unmatched:{job.week.isoformat()}:{user_id}",
                          [Reply(text=text)], now)
        advance(round_, MATCHED)
