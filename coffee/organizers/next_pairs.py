"""The groups of the next matching as organizers browse them: a page at a time, or those whose
members' names match a search.

Before the round is matched these are the groups the matching would make now. The plan is kept
(per process) together with a fingerprint of everything the matching reads — who said yes and
may be matched, the participants' topics, every meeting so far — read in a few aggregate
queries at each request: any change to them works the plan out again, and a page never shows
groups the matching would no longer make. Reading a year of meetings is most of that work and
they change once a week, so the pairs who met are kept apart, under the meetings' part of the
fingerprint, and so are the participants' topics: after someone answers, only the matching
itself runs again. Once the round is matched, the groups are its stored meetings.
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass

from peewee import SQL, ModelSelect, fn

from coffee.cycle.jobs import history_before, planned_groups, topics_of
from coffee.cycle.members import label
from coffee.cycle.participation import YES
from coffee.cycle.rounds import OPEN, PLANNED
from coffee.matching import Pair
from coffee.models import Meeting, MeetingMember, Participation, Round
from coffee.organizers.actor import Actor
from coffee.organizers.round_control import SEED
from engine.dialog.profile import ProfileFields
from engine.store import Answer, User

PER_PAGE = 100


@dataclass(frozen=True)
class Member:
    user_id: int
    name: str  # `Olena Petrenko (@olena, 101)`


@dataclass(frozen=True)
class Group:
    number: int  # its place in the whole round, kept in a search
    members: tuple[Member, ...]


@dataclass(frozen=True)
class GroupsPage:
    week: dt.date
    stored: bool  # the round is matched: these are its meetings, not a plan
    total: int  # groups in the round
    found: int  # groups matching the search (all of them without one)
    page: int
    pages: int
    groups: list[Group]
    # who said yes and has no group: left over by the plan, or out of the stored meetings
    without_partner: list[Member]


Fingerprint = tuple[object, ...]
# the latest plan (its fingerprint holds its week: one plan is kept, not one a week forever)
_plan: tuple[Fingerprint, list[tuple[int, ...]], list[int]] | None = None
# what the latest plan was worked out from, read once until it changes: the pairs who met in
# the rounds before its week (under the week and the meetings' fingerprint), and everyone's
# topics (under theirs)
_history: tuple[Fingerprint, dict[Pair, int]] | None = None
_topics: tuple[Fingerprint, dict[int, frozenset[str]]] | None = None
_planning = threading.Lock()


def next_groups(actor: Actor, week: dt.date, fields: ProfileFields, page: int = 0,
                search: str = "", per_page: int = PER_PAGE) -> GroupsPage:
    """Page `page` (from 0) of the round of `week`'s groups, or of those with a member whose
    name, @username or Telegram id contains `search`."""
    round_ = Round.get_or_none(Round.week == week)
    stored = round_ is not None and round_.status not in (PLANNED, OPEN)
    groups: list[tuple[int, ...]] = []
    unmatched: list[int] = []
    everyone: ModelSelect | None = None  # whom the groups may name
    if round_ is not None and stored:
        groups = _stored_groups(round_)
        grouped = {uid for group in groups for uid in group}
        unmatched = [uid for (uid,) in Participation.select(Participation.user)
                     .where(Participation.round == round_.id, Participation.status == YES)
                     .order_by(Participation.user).tuples() if uid not in grouped]
        everyone = (Participation.select(Participation.user)
                    .where(Participation.round == round_.id)
                    | MeetingMember.select(MeetingMember.user).join(Meeting)
                    .where(Meeting.round == round_.id))
    elif round_ is not None:
        groups, unmatched = _planned_groups(round_, fields)
        everyone = Participation.select(Participation.user).where(
            Participation.round == round_.id)
    numbered = list(enumerate(groups, start=1))
    wanted = search.strip().casefold()
    names: dict[int, str] = {}
    if wanted and everyone is not None:
        names = _names(everyone)
        numbered = [(number, group) for number, group in numbered
                    if any(wanted in names.get(uid, str(uid)).casefold() for uid in group)]
    pages = max(1, -(-len(numbered) // per_page))
    page = min(max(page, 0), pages - 1)
    shown = numbered[page * per_page:(page + 1) * per_page]
    if not wanted:  # the names of this page only
        names = _names([uid for _number, group in shown for uid in group] + unmatched)
    return GroupsPage(
        week=week, stored=stored, total=len(groups), found=len(numbered), page=page,
        pages=pages,
        groups=[Group(number, tuple(Member(uid, names.get(uid, str(uid))) for uid in group))
                for number, group in shown],
        without_partner=[Member(uid, names.get(uid, str(uid))) for uid in unmatched])


def prepare_next_groups(week: dt.date, fields: ProfileFields) -> None:
    """Work out the plan of the round of `week` ahead of the first page that shows it (the
    panel does so as it starts): that page then only checks that nothing changed since."""
    round_ = Round.get_or_none(Round.week == week)
    if round_ is not None and round_.status in (PLANNED, OPEN):
        _planned_groups(round_, fields)


def _stored_groups(round_: Round) -> list[tuple[int, ...]]:
    members: dict[int, list[int]] = {}
    for meeting_id, user_id in (MeetingMember.select(MeetingMember.meeting, MeetingMember.user)
                                .join(Meeting)
                                .where(Meeting.round == round_.id,
                                       MeetingMember.left_at.is_null())
                                .order_by(MeetingMember.meeting, MeetingMember.id).tuples()):
        members.setdefault(meeting_id, []).append(user_id)
    return [tuple(users) for users in members.values()]


def _planned_groups(round_: Round, fields: ProfileFields
                    ) -> tuple[list[tuple[int, ...]], list[int]]:
    global _plan, _history, _topics
    topics_key = fields.key("topics")
    met = (round_.week, *_meetings_fingerprint())
    topics = _topics_fingerprint(topics_key)
    fingerprint = (*_answers_fingerprint(round_), *topics, *met)
    with _planning:  # one plan worked out at a time; the others wait for it
        kept = _plan
        if kept is None or kept[0] != fingerprint:
            if _history is None or _history[0] != met:
                _history = (met, history_before(round_.week))
            if _topics is None or _topics[0] != topics:
                _topics = (topics, topics_of(topics_key))
            kept = (fingerprint, *planned_groups(round_.week, fields, seed=SEED,
                                                 history=_history[1], interests=_topics[1]))
            _plan = kept
    return kept[1], kept[2]


def _answers_fingerprint(round_: Round) -> Fingerprint:
    """Who may be matched, summed up."""
    return (Participation.select(fn.COUNT(Participation.id), fn.SUM(Participation.user),
                                 fn.MAX(Participation.updated_at))
            .join(User).where(Participation.round == round_.id, Participation.status == YES,
                              User.enabled, User.reachable).tuples().get())


def _topics_fingerprint(topics_key: str | None) -> Fingerprint:
    """The participants' topics, summed up."""
    if topics_key is None:
        return (None,)
    return (topics_key, *Answer.select(fn.COUNT(Answer.id), fn.MAX(Answer.updated_at))
            .where(Answer.key == topics_key).tuples().get())


def _meetings_fingerprint() -> Fingerprint:
    """Every meeting's members so far, summed up: a member added or removed changes the count,
    the largest id or the sum of ids; one moved to another meeting (a swap, a rematch) changes
    the sum of each (meeting, member)'s product, of which the low 20 bits are added (constants
    are written into the SQL: the same query on SQLite and PostgreSQL, no overflow)."""
    mixed = (MeetingMember.meeting * MeetingMember.user).bin_and(SQL("1048575"))
    return MeetingMember.select(fn.COUNT(MeetingMember.id), fn.MAX(MeetingMember.id),
                                fn.SUM(MeetingMember.user), fn.SUM(mixed)).tuples().get()


def _names(user_ids: ModelSelect | list[int]) -> dict[int, str]:
    """The names of the users `user_ids` selects or lists, as organizers read them."""
    return {uid: label(uid, first, last, username) for uid, first, last, username in
            User.select(User.id, User.first_name, User.last_name, User.username)
            .where(User.id.in_(user_ids)).tuples()}
