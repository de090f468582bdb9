"""A member who cannot meet after all: blocked the bot after matching, could not be introduced
(403), or pressed "I can't meet this week" in the profile.

In one transaction: the membership is marked left (the survey skips it) and the round's
feedback records why; each partner is told. A partner left alone is paired with another
participant of the round who has nobody (one whose partner left too, or one who was not
matched), else joins a pair as the third; both sides get introductions. The messages go
through the outbox (kinds `left` and `repair`), delivered at once by the bot's process.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

from coffee.cycle.introduce import Texts, introduction_replies
from coffee.cycle.members import Partner, RoundMembers, describe
from coffee.cycle.participation import YES
from coffee.cycle.rounds import MATCHED
from coffee.cycle.schedule import Schedule
from coffee.models import Meeting, MeetingFeedback, MeetingMember, Participation, Round
from engine.delivery.outbox import queue_replies
from engine.dialog.events import Reply
from engine.store import User, database

log = logging.getLogger("coffee.cycle")

BLOCKED, CANCELLED = "blocked", "cancelled"
NOTICE_KINDS = ("left", "repair")


def current_meeting(user_id: int) -> MeetingMember | None:
    """The participant's membership in a matched round's meeting they still attend."""
    return (MeetingMember.select().join(Meeting).join(Round)
            .where(MeetingMember.user == user_id, MeetingMember.left_at.is_null(),
                   Round.status == MATCHED)
            .order_by(Round.week.desc()).first())


def leave_meeting(engine: Texts, schedule: Schedule, user_id: int, reason: str,
                  now: dt.datetime) -> int | None:
    """The participant leaves their meeting this round (see the module): how many partners were
    told, None when they have no meeting."""
    with database.atomic():
        member = current_meeting(user_id)
        if member is None:
            return None
        round_ = member.meeting.round
        MeetingMember.update(left_at=now, left_reason=reason).where(
            MeetingMember.id == member.id).execute()
        values = {MeetingFeedback.happened: False, MeetingFeedback.reason: reason,
                  MeetingFeedback.updated_at: now}
        (MeetingFeedback.insert({MeetingFeedback.meeting: member.meeting_id,
                                 MeetingFeedback.user: user_id, **values})
         .on_conflict(conflict_target=[MeetingFeedback.meeting, MeetingFeedback.user],
                      update=values).execute())
        members = RoundMembers.load(round_)
        told = _Departure(engine, schedule, members, round_.week, now).tell(
            members.people[user_id], member.meeting_id)
    log.info("%s left their meeting of %s (%s)", describe(members.people[user_id].user),
             round_.week.isoformat(), reason)
    return told


class _Departure:
    """The messages and new pairings after one member left."""

    def __init__(self, engine: Texts, schedule: Schedule, members: RoundMembers,
                 week: dt.date, now: dt.datetime) -> None:
        self.engine = engine
        self.schedule = schedule
        self.members = members
        self.week = week
        self.now = now
        self.expires = schedule.due_at("feedback", week)

    def tell(self, leaver: Partner, meeting_id: int) -> int:
        """Tell the leaver's partners and pair one left alone again; how many were told."""
        staying = [self.members.people[uid] for uid in self.members.by_meeting[meeting_id]]
        if len(staying) != 1:
            for partner in staying:
                self._notice(partner, leaver, "still_meet")
            return len(staying)
        alone = staying[0]
        newcomer = self._someone_alone(alone)
        if newcomer is not None:
            self._notice(alone, leaver, "new_partner")
            self._pair(alone, meeting_id, newcomer)
            return 1
        pair = self._a_pair(meeting_id)
        if pair is None:
            self._notice(alone, leaver, "nobody")
            return 1
        self._notice(alone, leaver, "joined_trio")
        self._join(alone, pair)
        return 1

    def _someone_alone(self, alone: Partner) -> Partner | None:
        """A participant of the round with no partner left: a member whose partners all left,
        else one who said yes and was not matched."""
        for meeting_id, users in self.members.by_meeting.items():
            if len(users) == 1 and users[0] != alone.user.id and _available(
                    self.members.people[users[0]].user) and self._had_partners(meeting_id):
                return self.members.people[users[0]]
        in_round = set(self.members.people)
        round_id = (Round.select(Round.id).where(Round.week == self.week))
        said_yes = (User.select().join(Participation)
                    .where(Participation.round.in_(round_id), Participation.status == YES,
                           User.enabled, User.reachable, User.id != alone.user.id)
                    .order_by(Participation.updated_at))
        return next((Partner.load(user) for user in said_yes if user.id not in in_round), None)

    def _had_partners(self, meeting_id: int) -> bool:
        return sum(1 for member in self.members.members
                   if member.meeting_id == meeting_id) > 1

    def _a_pair(self, meeting_id: int) -> list[Partner] | None:
        for other_id, users in self.members.by_meeting.items():
            people = [self.members.people[uid] for uid in users]
            if other_id != meeting_id and len(people) == 2 and all(
                    _available(person.user) for person in people):
                return people
        return None

    def _pair(self, alone: Partner, meeting_id: int, newcomer: Partner) -> None:
        """Introduce `alone` and `newcomer`: the newcomer joins `alone`'s meeting, or `alone`
        moves into the newcomer's (whose partners left)."""
        theirs = (MeetingMember.select().join(Meeting)
                  .where(MeetingMember.user == newcomer.user.id,
                         MeetingMember.left_at.is_null(),
                         Meeting.round == Meeting.select(Meeting.round)
                         .where(Meeting.id == meeting_id)).first())
        if theirs is None:
            MeetingMember.create(meeting=meeting_id, user=newcomer.user.id,
                                 introduced_at=self.now)
        else:
            self._move(alone, theirs.meeting_id)
        self._introduce(alone, [newcomer])
        self._introduce(newcomer, [alone])

    def _join(self, alone: Partner, pair: list[Partner]) -> None:
        """`alone` becomes the third member of `pair`'s meeting."""
        meeting = (MeetingMember.select(MeetingMember.meeting)
                   .where(MeetingMember.user == pair[0].user.id,
                          MeetingMember.left_at.is_null()).join(Meeting).join(Round)
                   .where(Round.week == self.week).get())
        self._move(alone, meeting.meeting_id)
        self._introduce(alone, pair)
        for partner in pair:
            self._queue(partner, "repair", alone.user.id, [
                Reply(text=self._render("partner_joined", partner, partner=alone.name)),
                *introduction_replies(self.engine, self.schedule, partner.user, [alone],
                                     self.week, joined=True)])

    def _move(self, person: Partner, meeting_id: int) -> None:
        (MeetingMember.update(meeting=meeting_id)
         .where(MeetingMember.user == person.user.id, MeetingMember.left_at.is_null(),
                MeetingMember.meeting.in_(Meeting.select(Meeting.id).join(Round)
                                          .where(Round.week == self.week)))
         .execute())

    def _introduce(self, recipient: Partner, partners: list[Partner]) -> None:
        self._queue(recipient, "repair", partners[0].user.id,
                    introduction_replies(self.engine, self.schedule, recipient.user, partners,
                                         self.week))

    def _notice(self, recipient: Partner, leaver: Partner, outcome: str) -> None:
        text = self._render("partner_left", recipient, partner=leaver.name, outcome=outcome)
        self._queue(recipient, "left", leaver.user.id, [Reply(text=text)])

    def _render(self, template: str, recipient: Partner, **values: object) -> str:
        return self.engine.renderer.render(template, recipient.user.locale, values)

    def _queue(self, recipient: Partner, kind: str, about: int, replies: list[Reply]) -> None:
        queue_replies(recipient.user.id,
                      f"{kind}:{self.week.isoformat()}:{recipient.user.id}:{about}", replies,
                      self.now, expires_at=self.expires)


def chat_member_changed(texts: Texts, schedule: Schedule, user_id: int, blocked: bool,
                        now: dt.datetime) -> None:
    """Telegram says the participant blocked (or unblocked) the bot: they are unreachable
    from now on (reachable again), and a blocked one leaves this round's meeting."""
    User.update(reachable=not blocked).where(User.id == user_id).execute()
    if blocked:
        leave_meeting(texts, schedule, user_id, BLOCKED, now)


def when_unreachable(texts: Texts, schedule: Schedule,
                     clock: Callable[[], dt.datetime]) -> Callable[[int], None]:
    """For `deliver_outbox`: a participant a send found unreachable leaves their meeting."""

    def unreachable(user_id: int) -> None:
        leave_meeting(texts, schedule, user_id, BLOCKED, clock())

    return unreachable


def _available(user: User) -> bool:
    return bool(user.enabled and user.reachable)
