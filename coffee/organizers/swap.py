"""Swap two participants between their groups of a matched round, before anyone of those groups
is introduced: A meets B's partners and B meets A's. Audited; refused once an introduction of
either group was queued (it cannot be taken back)."""

from __future__ import annotations

import datetime as dt

from coffee.cycle.members import describe
from coffee.cycle.rounds import OPEN, PLANNED
from coffee.models import Meeting, MeetingMember, Round
from coffee.organizers.access import Who
from coffee.organizers.actor import Actor, Refused
from coffee.organizers.audit import record
from engine.store import User, database


def swap_participants(actor: Actor, week: dt.date, first: str, second: str) -> tuple[str, str]:
    """Swap the participants `first` and `second` (each a Telegram id or @username) between
    their groups in the round of `week`; their names as organizers read them."""
    round_ = Round.get_or_none(Round.week == week)
    if round_ is None or round_.status in (PLANNED, OPEN):
        raise Refused("swap_not_matched", week=week.isoformat())
    people = [_person(text) for text in (first, second)]
    if people[0].id == people[1].id:
        raise Refused("swap_same_person", person=describe(people[0]))
    with database.atomic():
        places = [_place(round_, user) for user in people]
        if places[0].meeting_id == places[1].meeting_id:
            raise Refused("swap_same_group", first=describe(people[0]),
                          second=describe(people[1]))
        introduced = (MeetingMember.select()
                      .where(MeetingMember.meeting.in_([place.meeting_id for place in places]),
                             MeetingMember.introduced_at.is_null(False)).exists())
        if introduced:
            raise Refused("swap_introduced", week=week.isoformat())
        before = [[uid for (uid,) in MeetingMember.select(MeetingMember.user)
                   .where(MeetingMember.meeting == place.meeting_id,
                          MeetingMember.left_at.is_null())
                   .order_by(MeetingMember.id).tuples()] for place in places]
        for place, other in zip(places, reversed(places), strict=True):
            MeetingMember.update(meeting=other.meeting_id).where(
                MeetingMember.id == place.id).execute()
        # the two groups before and after, by Telegram id (the audit log names them)
        swapped = {people[0].id: people[1].id, people[1].id: people[0].id}
        record(actor, "swap", week.isoformat(), before,
               [[swapped.get(uid, uid) for uid in group] for group in before])
    return describe(people[0]), describe(people[1])


def _person(text: str) -> User:
    users = Who.parse(text).users()
    if not users:
        raise Refused("no_such_person", query=text.strip())
    return users[0]


def _place(round_: Round, user: User) -> MeetingMember:
    place = (MeetingMember.select().join(Meeting)
             .where(Meeting.round == round_.id, MeetingMember.user == user.id,
                    MeetingMember.left_at.is_null()).first())
    if place is None:
        raise Refused("swap_not_in_round", person=describe(user), week=round_.week.isoformat())
    return place
