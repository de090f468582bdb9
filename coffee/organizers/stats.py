"""Statistics at a glance and the chart of the latest rounds."""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from peewee import SQL, Case, fn

from coffee.cycle.feedback import reported_twice
from coffee.cycle.members import describe
from coffee.cycle.participation import INVITED, NO, SKIP, YES
from coffee.cycle.rounds import CLOSED, MATCHED, OPEN
from coffee.models import Meeting, MeetingFeedback, MeetingMember, Participation, Round
from coffee.organizers.actor import Actor
from engine.store import User

if TYPE_CHECKING:
    from matplotlib.figure import Figure

CHART_ROUNDS = 12


@dataclass(frozen=True)
class RoundNumbers:
    """A round's invitations and answers."""

    week: dt.date
    status: str
    invited: int  # everyone asked this round
    yes: int
    no: int  # declined the invitation
    not_answered: int
    decline_reasons: dict[str, int] = field(default_factory=dict)
    skipped: int = 0  # said beforehand they skip this week (not invited)

    @property
    def skipping(self) -> int:
        """Not taking part this round by their own choice: declined or skipping the week."""
        return self.no + self.skipped


# What a meeting's members said, as one status (the vocabulary's MEETING statuses).
MET, NOT_MET, SPLIT, UNKNOWN = "met", "not_met", "split", "unknown"


def meeting_status(happened: Iterable[bool | None]) -> str:
    """MET when every member who answered said they met, NOT_MET when every one said they did
    not, SPLIT when they disagree, UNKNOWN without an answer."""
    said = {answer for answer in happened if answer is not None}
    if said == {True}:
        return MET
    if said == {False}:
        return NOT_MET
    return SPLIT if said else UNKNOWN


@dataclass(frozen=True)
class MeetingNumbers:
    """A matched round's meetings and what their members said."""

    week: dt.date
    pairs: int
    trios: int
    participants: int
    met: int  # answers "we met" (one per member who answered)
    met_percent: int  # of the answers, how many say "we met" (0 without answers)
    average_rating: float | None
    why_not: dict[str, int] = field(default_factory=dict)
    not_met: int = 0  # answers "we did not meet"
    # meetings by what their members said: MET, NOT_MET, SPLIT, UNKNOWN
    meetings: dict[str, int] = field(default_factory=dict)

    @property
    def answers(self) -> int:
        return self.met + self.not_met


@dataclass(frozen=True)
class Glance:
    registered: int
    active: int  # said yes in the current round
    paused: int  # not taking part in the current round by choice: declined or skipping
    banned: int
    unreachable: int
    current: RoundNumbers | None
    last: MeetingNumbers | None
    reported_twice: list[str]


def at_a_glance(actor: Actor) -> Glance:
    """The community today: people, the current round's answers, the last matched round."""
    registered = User.select().where(User.registered)
    current = (Round.select().where(Round.status.in_((OPEN, MATCHED, CLOSED)))
               .order_by(Round.week.desc()).first())
    last = (Round.select().where(Round.status.in_((MATCHED, CLOSED)))
            .order_by(Round.week.desc()).first())
    numbers = round_numbers(current) if current else None
    return Glance(
        registered=registered.count(),
        active=numbers.yes if numbers else 0,
        paused=numbers.skipping if numbers else 0,
        banned=registered.where(~User.enabled).count(),
        unreachable=registered.where(~User.reachable).count(),
        current=numbers,
        last=meeting_numbers([last])[0] if last else None,
        reported_twice=[describe(user) for user in User.select().where(
            User.id.in_(reported_twice(dt.date.max)))],
    )


def round_numbers(round_: Round) -> RoundNumbers:
    return rounds_numbers([round_])[0]


def rounds_numbers(rounds: list[Round]) -> list[RoundNumbers]:
    """The answers of each round, counted by the database in one query."""
    counts: dict[int, Counter[str]] = {round_.id: Counter() for round_ in rounds}
    reasons: dict[int, Counter[str]] = {round_.id: Counter() for round_ in rounds}
    rows = (Participation.select(Participation.round, Participation.status,
                                 Participation.reason, fn.COUNT(Participation.id))
            .where(Participation.round.in_(list(counts)))
            .group_by(Participation.round, Participation.status, Participation.reason).tuples())
    for round_id, status, reason, count in rows:
        counts[round_id][status] += count
        if status == NO:
            reasons[round_id][reason or "none"] += count
    return [RoundNumbers(round_.week, round_.status, counted[YES] + counted[NO] + counted[INVITED],
                         counted[YES], counted[NO], counted[INVITED],
                         dict(reasons[round_.id].most_common()), counted[SKIP])
            for round_ in rounds for counted in (counts[round_.id],)]


def meeting_numbers(rounds: list[Round]) -> list[MeetingNumbers]:
    """Meetings, trios, answers and ratings of each round, counted by the database."""
    ids = [round_.id for round_ in rounds]
    sizes: dict[int, Counter[int]] = {round_id: Counter() for round_id in ids}
    groups = (Meeting.select(Meeting.round.alias("round_id"),
                             fn.COUNT(MeetingMember.id).alias("size"))
              .join(MeetingMember).where(Meeting.round.in_(ids))
              .group_by(Meeting.round, Meeting.id))  # the index's order: no sorting
    for round_id, size, count in (Meeting.select(groups.c.round_id, groups.c.size,
                                                 fn.COUNT(SQL("*")))
                                  .from_(groups).group_by(groups.c.round_id, groups.c.size)
                                  .tuples()):
        sizes[round_id][size] += count
    answers, ratings, statuses = _feedback_numbers(ids)
    in_rounds = MeetingFeedback.select().join(Meeting).where(Meeting.round.in_(ids))
    why_not: dict[int, Counter[str]] = {round_id: Counter() for round_id in ids}
    for round_id, reason, count in (in_rounds.select(Meeting.round, MeetingFeedback.reason,
                                                     fn.COUNT(MeetingFeedback.id))
                                    .where(MeetingFeedback.happened == False,  # noqa: E712
                                           MeetingFeedback.reason.is_null(False))
                                    .group_by(Meeting.round, MeetingFeedback.reason).tuples()):
        why_not[round_id][reason] += count
    result = []
    for round_ in rounds:
        counts = sizes[round_.id]
        said = answers[round_.id]
        average = ratings.get(round_.id)
        by_status = statuses[round_.id]
        by_status[UNKNOWN] = sum(counts.values()) - sum(by_status.values())
        result.append(MeetingNumbers(
            week=round_.week, pairs=counts[2], trios=counts[3],
            participants=sum(size * count for size, count in counts.items()),
            met=said[True], not_met=said[False],
            met_percent=round(100 * said[True] / said.total()) if said.total() else 0,
            average_rating=None if average is None else round(float(average), 1),
            why_not=dict(why_not[round_.id].most_common()),
            meetings={status: by_status[status] for status in (MET, NOT_MET, SPLIT, UNKNOWN)}))
    return result


def _feedback_numbers(ids: list[int]) -> tuple[dict[int, Counter[bool]], dict[int, float],
                                                  dict[int, Counter[str]]]:
    """Per round: the answers "we met" (True) and "we did not" (False), the average rating, and
    its meetings with answers by what the members said (MET, NOT_MET, SPLIT). One pass of the
    database over the rounds' feedback (a year of meetings never crosses into Python one by
    one): per meeting, then per round and whether someone said yes and someone no."""
    yes_n = fn.SUM(Case(None, [(MeetingFeedback.happened == True, 1)], 0))  # noqa: E712
    no_n = fn.SUM(Case(None, [(MeetingFeedback.happened == False, 1)], 0))  # noqa: E712
    per_meeting = (MeetingFeedback.select(
        Meeting.round.alias("round_id"), yes_n.alias("yes_n"), no_n.alias("no_n"),
        fn.SUM(MeetingFeedback.rating).alias("rating_sum"),
        fn.COUNT(MeetingFeedback.rating).alias("rating_n"))
        .join(Meeting).where(Meeting.round.in_(ids))
        .group_by(Meeting.round, Meeting.id))  # the index's order: no sorting
    # (zero written into the SQL: as a parameter, PostgreSQL would not see that the grouped
    # expressions and the selected ones are the same)
    said_yes, said_no = per_meeting.c.yes_n > SQL("0"), per_meeting.c.no_n > SQL("0")
    answers: dict[int, Counter[bool]] = {round_id: Counter() for round_id in ids}
    rated: dict[int, list[int]] = {round_id: [0, 0] for round_id in ids}
    statuses: dict[int, Counter[str]] = {round_id: Counter() for round_id in ids}
    for round_id, yes, no, yes_count, no_count, rating_sum, rating_n, meetings in (
            Meeting.select(per_meeting.c.round_id, said_yes, said_no,
                           fn.SUM(per_meeting.c.yes_n), fn.SUM(per_meeting.c.no_n),
                           fn.SUM(per_meeting.c.rating_sum), fn.SUM(per_meeting.c.rating_n),
                           fn.COUNT(SQL("*")))
            .from_(per_meeting).group_by(per_meeting.c.round_id, said_yes, said_no).tuples()):
        answers[round_id][True] += int(yes_count or 0)
        answers[round_id][False] += int(no_count or 0)
        rated[round_id][0] += int(rating_sum or 0)
        rated[round_id][1] += int(rating_n or 0)
        if yes or no:
            statuses[round_id][meeting_status([True] * bool(yes) + [False] * bool(no))] += \
                meetings
    ratings = {round_id: total / count for round_id, (total, count) in rated.items() if count}
    return answers, ratings, statuses


def latest_rounds(count: int = CHART_ROUNDS) -> list[MeetingNumbers]:
    """The latest matched rounds, oldest first."""
    rounds = list(Round.select().where(Round.status.in_((MATCHED, CLOSED)))
                  .order_by(Round.week.desc()).limit(count))
    return meeting_numbers(rounds[::-1])


CHART_WORDS = {"participants": "participants", "meetings": "meetings", "met": "met, %",
               "title": "Latest rounds", "week": "week of", "people": "people and meetings"}


def chart_png(actor: Actor, labels: dict[str, str] | None = None) -> bytes:
    """The last 12 rounds as one PNG legible on a phone: participants and meetings as bars,
    met % as a line. `labels` translates CHART_WORDS' keys."""
    figure = chart_figure(labels)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def chart_figure(labels: dict[str, str] | None = None) -> Figure:
    """The chart of `chart_png`: each axis titled, the legend below the plot, clear of the
    bars."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    words = {**CHART_WORDS, **(labels or {})}
    rounds = latest_rounds()
    figure = Figure(figsize=(8, 6), dpi=110)
    axes = figure.add_subplot()
    positions = list(range(len(rounds)))
    width = 0.4
    axes.bar([x - width / 2 for x in positions], [r.participants for r in rounds], width,
             label=words["participants"], color="#4C78A8")
    axes.bar([x + width / 2 for x in positions], [r.pairs + r.trios for r in rounds], width,
             label=words["meetings"], color="#F58518")
    axes.set_xticks(positions, [r.week.strftime("%d.%m") for r in rounds], rotation=45,
                    fontsize=11)
    axes.tick_params(axis="y", labelsize=11)
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))  # counts of people
    axes.set_xlabel(words["week"], fontsize=12)
    axes.set_ylabel(words["people"], fontsize=12)
    percent = axes.twinx()
    percent.plot(positions, [r.met_percent for r in rounds], color="#54A24B", marker="o",
                 linewidth=2.5, label=words["met"])
    percent.set_ylim(0, 100)
    percent.tick_params(axis="y", labelsize=11)
    percent.set_ylabel(words["met"], fontsize=12)
    handles = axes.get_legend_handles_labels()
    extra = percent.get_legend_handles_labels()
    figure.legend(handles[0] + extra[0], handles[1] + extra[1], loc="lower center", ncol=3,
                  fontsize=11, frameon=False)
    axes.set_title(words["title"], fontsize=14)
    figure.tight_layout(rect=(0, 0.07, 1, 1))  # the bottom strip is the legend's
    return figure
