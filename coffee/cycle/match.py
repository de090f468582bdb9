"""The matching job: pair everyone who said yes, store the meetings, then introduce them.

Who is matched: the participants whose answer for the round is yes and who are still enabled
and reachable. Past meetings (every round before this one) are the history the matching avoids
repeating. The meetings and the round's `matched` status are stored in one transaction, so a
second run never matches again; the introductions follow (see `introduce`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Mapping
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
    result = planned_result(week, topics_key, seed)
    placed = [user_id for group in result.groups for user_id in group] + list(result.unmatched)
    users = User.select(User.id, User.first_name, User.last_name, User.username).where(
        User.id.in_(placed))
    return MatchPlan(week, result, {user.id: describe(user) for user in users})


def planned_result(week: dt.date, topics_key: str | None, seed: int = 0,
                   history: Mapping[Pair, int] | None = None,
                   interests: Mapping[int, frozenset[str]] | None = None) -> MatchResult:
    """The matching of `plan_matching`, without the names. `history` and `interests` are
    `history_before(week)` and `topics_of(topics_key)` when the caller keeps them already."""
    round_ = Round.get_or_none(Round.week == week)
    if round_ is None:
        return match_participants([], {}, round_number=round_number(week))
    joined = _joined(round_)
    participants = [user_id for (user_id,) in joined.tuples()]
    if history is None:
        history = history_before(week, among=participants)
    else:  # only their pairs: quicker to pick out here than for the matching to skip
        among = set(participants)
        history = {pair: number for pair, number in history.items()
                   if pair[0] in among and pair[1] in among}
    if interests is None:
        interests = topics_of(topics_key, joined)
    return match_participants(participants, history, round_number=round_number(week),
                              seed=seed, interests=interests)


def _joined(round_: Round) -> ModelSelect:
    """Who is matched: said yes, enabled and reachable."""
    return (Participation.select(Participation.user).join(User)
            .where(Participation.round == round_.id, Participation.status == YES,
                   User.enabled, User.reachable))


def rounds_before(week: dt.date) -> dict[int, int]:
    """The rounds before `week`: each one's id and number."""
    return {round_id: round_number(met_week) for round_id, met_week
            in Round.select(Round.id, Round.week).where(Round.week < week).tuples()}


def pairs_by_round(numbers: Mapping[int, int], among: Collection[int] | None = None,
                   meetings: range | None = None) -> dict[int, list[Pair]]:
    """The pairs who met in the rounds of `numbers` (round id -> its number), listed under the
    round's number: every two members of each of their meetings (only people in `among`, when
    given; only meetings whose ids are in `meetings`, when given).

    A year of a large community is hundreds of thousands of members' rows: they are read as
    plain integers in one query, ordered by meeting, and paired as they come."""
    query = (MeetingMember.select(Meeting.round, MeetingMember.meeting, MeetingMember.user)
             .join(Meeting).where(Meeting.round.in_(list(numbers)))
             .order_by(MeetingMember.meeting))
    if meetings is not None:
        query = query.where(MeetingMember.meeting >= meetings.start,
                            MeetingMember.meeting < meetings.stop)
    wanted = None if among is None else set(among)
    pairs: dict[int, list[Pair]] = {}
    meeting: int | None = None
    met: list[Pair] = []
    members: list[int] = []
    for round_id, meeting_id, user_id in database.execute(query):
        if wanted is not None and user_id not in wanted:
            continue
        if meeting_id != meeting:
            meeting, members = meeting_id, []
            met = pairs.setdefault(numbers[round_id], [])
        met.extend((other, user_id) if other < user_id else (user_id, other)
                   for other in members)
        members.append(user_id)
    return pairs


def latest_meetings(parts: Iterable[Mapping[int, list[Pair]]]) -> dict[Pair, int]:
    """Every pair of `parts` (read by `pairs_by_round`) with the number of their latest round."""
    by_number: dict[int, list[list[Pair]]] = {}
    for part in parts:
        for number, pairs in part.items():
            by_number.setdefault(number, []).append(pairs)
    history: dict[Pair, int] = {}
    for number in sorted(by_number):  # a later round overwrites an earlier one
        for pairs in by_number[number]:
            history.update(dict.fromkeys(pairs, number))
    return history


def history_before(week: dt.date, among: Collection[int] | None = None) -> dict[Pair, int]:
    """Every pair that met in a round before `week`, with the number of their latest round
    (only pairs of people in `among`, when given: the matching ignores the others)."""
    return latest_meetings([pairs_by_round(rounds_before(week), among)])


def topics_of(topics_key: str | None, among: ModelSelect | None = None
              ) -> dict[int, frozenset[str]]:
    """The answers to the questionnaire's `role: topics` question (of the users `among`
    selects, when given)."""
    if topics_key is None:
        return {}
    topics = Answer.select(Answer.user, Answer.value).where(Answer.key == topics_key)
    if among is not None:
        topics = topics.where(Answer.user.in_(among))
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
