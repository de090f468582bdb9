"""The members of a round's meetings, with their users and profile answers, in a few queries."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from coffee.cycle.summary import Summary
from coffee.models import Meeting, MeetingMember, Round
from engine.delivery.progress_log import ProgressLog
from engine.store import Answer, User


@dataclass(frozen=True)
class Partner:
    """A participant as their partners get to know them: the profile's answers first, what
    Telegram says about them second."""

    user: User
    answers: Mapping[str, Any] = field(default_factory=dict)

    @property
    def first_name(self) -> str:
        return str(self.answers.get("first_name") or self.user.first_name or "")

    @property
    def last_name(self) -> str:
        return str(self.answers.get("last_name") or self.user.last_name or "")

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip() or str(self.user.id)

    @classmethod
    def load(cls, user: User) -> Partner:
        return cls(user, dict(Answer.select(Answer.key, Answer.value)
                              .where(Answer.user == user.id).tuples()))


@dataclass
class RoundMembers:
    members: list[MeetingMember]
    people: dict[int, Partner]
    by_meeting: dict[int, list[int]]

    @classmethod
    def load(cls, round_: Round) -> RoundMembers:
        members = list(MeetingMember.select().join(Meeting).where(Meeting.round == round_.id)
                       .order_by(MeetingMember.id))
        by_meeting: dict[int, list[int]] = {}  # who still meets in each meeting
        for member in members:
            users = by_meeting.setdefault(member.meeting_id, [])
            if member.left_at is None:
                users.append(member.user_id)
        in_round = (MeetingMember.select(MeetingMember.user).join(Meeting)
                    .where(Meeting.round == round_.id))
        answers: dict[int, dict[str, Any]] = {}
        for user_id, key, value in (Answer.select(Answer.user, Answer.key, Answer.value)
                                    .where(Answer.user.in_(in_round)).tuples()):
            answers.setdefault(user_id, {})[key] = value
        people = {user.id: Partner(user, answers.get(user.id, {}))
                  for user in User.select().where(User.id.in_(in_round))}
        return cls(members, people, by_meeting)

    def partners_of(self, member: MeetingMember) -> list[Partner]:
        return [self.people[other] for other in self.by_meeting[member.meeting_id]
                if other != member.user_id]

    def to_reach(self, todo: Callable[[MeetingMember], bool], done: str, summary: Summary,
                 keep_alive: Callable[[], None]) -> Iterator[tuple[MeetingMember, User,
                                                                  list[Partner]]]:
        """The members `todo` still holds for, with their partners, skipping those who left
        the meeting, the disabled and the unreachable; counts each one handled as `done` in
        `summary` and logs progress."""
        members = [member for member in self.members if member.left_at is None and todo(member)]
        summary.add(done, 0)
        progress = ProgressLog(done, len(members), on_log=keep_alive)
        for member in members:
            user = self.people[member.user_id].user
            if not (user.enabled and user.reachable):
                summary.add(f"not {done} (disabled or unreachable)")
                continue
            yield member, user, self.partners_of(member)
            summary.add(done)
            progress.step()
        progress.done()


def describe(user: User) -> str:
    """A participant for organizers' eyes: `Olena Petrenko (@olena, 101)`."""
    return label(user.id, user.first_name, user.last_name, user.username)


def label(user_id: int, first_name: str, last_name: str, username: str | None) -> str:
    """`describe` from a row's columns (for exports that read many rows)."""
    name = f"{first_name} {last_name}".strip() or "?"
    handle = f"@{username}, " if username else ""
    return f"{name} ({handle}{user_id})"
