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
    counts: Counter[str] = Counter()
    reasons: Counter[str] = Counter()
    rows = (Participation.select(Participation.status, Participation.reason,
                                 fn.COUNT(Participation.id))
            .where(Participation.round == round_.id)
            .group_by(Participation.status, Participation.reason).tuples())
    for status, reason, count in rows:
        counts[status] += count
        if status == NO:
            reasons[reason or "none"] += count
    asked = counts[YES] + counts[NO] + counts[INVITED]
    return RoundNumbers(round_.week, round_.status, asked, counts[YES], counts[NO],
                        counts[INVITED], dict(reasons.most_common()), counts[SKIP])


def meeting_numbers(rounds: list[Round]) -> list[MeetingNumbers]:
    """Meetings, trios, answers and ratings of each round, counted by the database."""
    ids = [round_.id for round_ in rounds]
    sizes: dict[int, Counter[int]] = {round_id: Counter() for round_id in ids}
    groups = (Meeting.select(Meeting.round.alias("round_id"),
                             fn.COUNT(MeetingMember.id).alias("size"))
              .join(MeetingMember).where(Meeting.round.in_(ids)).group_by(Meeting.id))
    for round_id, size, count in (Meeting.select(groups.c.round_id, groups.c.size,
                                                 fn.COUNT(SQL("*")))
                                  .from_(groups).group_by(groups.c.round_id, groups.c.size)
                                  .tuples()):
        sizes[round_id][size] += count
    in_rounds = MeetingFeedback.select().join(Meeting).where(Meeting.round.in_(ids))
    answers: dict[int, Counter[bool]] = {round_id: Counter() for round_id in ids}
    for round_id, happened, count in (in_rounds.select(Meeting.round, MeetingFeedback.happened,
                                                       fn.COUNT(MeetingFeedback.id))
                                      .where(MeetingFeedback.happened.is_null(False))
                                      .group_by(Meeting.round, MeetingFeedback.happened)
                                      .tuples()):
        answers[round_id][bool(happened)] += count
    ratings = dict(in_rounds.select(Meeting.round, fn.AVG(MeetingFeedback.rating))
                   .where(MeetingFeedback.rating.is_null(False)).group_by(Meeting.round)
                   .tuples())
    why_not: dict[int, Counter[str]] = {round_id: Counter() for round_id in ids}
    for round_id, reason, count in (in_rounds.select(Meeting.round, MeetingFeedback.reason,
                                                     fn.COUNT(MeetingFeedback.id))
                                    .where(MeetingFeedback.happened == False,  # noqa: E712
                                           MeetingFeedback.reason.is_null(False))
                                    .group_by(Meeting.round, MeetingFeedback.reason).tuples()):
        why_not[round_id][reason] += count
    statuses = _meetings_by_status(ids)
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


def _meetings_by_status(ids: list[int]) -> dict[int, Counter[str]]:
    """Per round, its meetings with answers by what the members said (MET, NOT_MET, SPLIT);
    counted per meeting by the database, then per round."""
    said_yes = fn.SUM(Case(None, [(MeetingFeedback.happened == True, 1)], 0))  # noqa: E712
    said_no = fn.SUM(Case(None, [(MeetingFeedback.happened == False, 1)], 0))  # noqa: E712
    per_meeting = (MeetingFeedback.select(Meeting.round.alias("round_id"),
                                          said_yes.alias("yes"), said_no.alias("no"))
                   .join(Meeting).where(Meeting.round.in_(ids),
                                        MeetingFeedback.happened.is_null(False))
                   .group_by(Meeting.round, MeetingFeedback.meeting))
    found: dict[int, Counter[str]] = {round_id: Counter() for round_id in ids}
    for round_id, yes, no in per_meeting.tuples():
        found[round_id][meeting_status([True] * bool(yes) + [False] * bool(no))] += 1
    return found


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
