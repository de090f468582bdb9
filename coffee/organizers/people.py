"""Participants as organizers see them: search, the card, the organizers' comment, bans, and
who is an organizer."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from coffee.cycle.members import describe
from coffee.models import (
    AuditEntry,
    Meeting,
    MeetingFeedback,
    MeetingMember,
    Organizer,
    Participation,
    Round,
)
from coffee.organizers.actor import Actor, Refused, is_organizer
from coffee.organizers.audit import record
from engine.store import Answer, DialogState, User, database

MAX_MATCHES = 10
MAX_COMMENT = 1000
MAX_REASON = 200
NAME_KEYS = ("first_name", "last_name")


def person(user_id: int) -> User:
    """The participant `user_id`, or Refused('no_such_person')."""
    user = User.get_or_none(User.id == user_id)
    if user is None:
        raise Refused("no_such_person", query=str(user_id))
    return user


# Organizers -------------------------------------------------------------------------------

@dataclass(frozen=True)
class OrganizerRow:
    user_id: int
    name: str
    permanent: bool  # from ORGANIZER_IDS: cannot be revoked from the bot
    locale: str = ""  # the language the bot speaks with them


def organizers(actor: Actor) -> list[OrganizerRow]:
    """ORGANIZER_IDS first, then the appointed ones."""
    appointed = [row.user_id for row in Organizer.select().order_by(Organizer.created_at)]
    ids = sorted(actor.organizer_ids) + [uid for uid in appointed if uid not in actor.organizer_ids]
    users = {user.id: user for user in User.select().where(User.id.in_(ids))}
    return [OrganizerRow(uid, describe(users[uid]) if uid in users else str(uid),
                         uid in actor.organizer_ids) for uid in ids]


def appoint(actor: Actor, user_id: int) -> OrganizerRow:
    """Make a participant an organizer."""
    user = person(user_id)
    if is_organizer(user_id, actor.organizer_ids):
        raise Refused("already_organizer", person=describe(user))
    with database.atomic():
        Organizer.create(user_id=user_id, appointed_by=actor.user_id, created_at=actor.now)
        record(actor, "appoint", user_id, False, True)
    return OrganizerRow(user_id, describe(user), False, user.locale)


def revoke(actor: Actor, user_id: int) -> None:
    """Take an appointed organizer's powers back (ORGANIZER_IDS cannot be revoked here)."""
    if user_id in actor.organizer_ids:
        raise Refused("permanent_organizer", user_id=user_id)
    with database.atomic():
        if not Organizer.delete().where(Organizer.user_id == user_id).execute():
            raise Refused("not_an_organizer", user_id=user_id)
        record(actor, "revoke", user_id, True, False)


# Search -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Match:
    user_id: int
    label: str  # `Olena Petrenko (@olena, 101)`


@dataclass(frozen=True)
class Found:
    """The first MAX_MATCHES participants a search finds, exact hits first, and how many more
    it found (a longer query narrows them down)."""

    matches: list[Match]
    more: int = 0


def find(actor: Actor, query: str) -> Found:
    """Participants by @username, numeric id or part of a name (Telegram's or the profile's).
    Refused('empty_query') for a blank query."""
    text = query.strip()
    if not text:
        raise Refused("empty_query")
    ids: list[int] = []
    if text.startswith("@") and len(text) > 1:
        handle = text[1:]
        ids += _ids(User.select(User.id).where(_like(User.username, handle, exact=True)))
        ids += _ids(User.select(User.id).where(_like(User.username, handle)))
    elif text.isdigit():
        ids += _ids(User.select(User.id).where(User.id == int(text)))
    else:
        full = User.first_name.concat(" ").concat(User.last_name)
        ids += _ids(User.select(User.id).where(_like(full, text)))
        ids += _ids(Answer.select(Answer.user).where(Answer.key.in_(NAME_KEYS),
                                                     _like(Answer.value.cast("text"), text)))
        ids += _ids(User.select(User.id).where(_like(User.username, text)))
    unique = list(dict.fromkeys(ids))
    shown = unique[:MAX_MATCHES]
    users = {user.id: user for user in User.select().where(User.id.in_(shown))}
    return Found([Match(uid, describe(users[uid])) for uid in shown if uid in users],
                 len(unique) - len(shown))


def _ids(query: Any) -> list[int]:
    return [row_id for (row_id,) in query.tuples()]


def _like(column: Any, text: str, *, exact: bool = False) -> Any:
    """Case-insensitive for every alphabet: SQLite's LIKE folds ASCII only, so the usual
    spellings of the text are tried too."""
    spellings = dict.fromkeys((text, text.lower(), text.capitalize(), text.upper(), text.title()))
    condition = None
    for spelling in spellings:
        pattern = spelling.replace("%", "")  # `_` stays a one-letter wildcard: harmless
        part = column ** (pattern if exact else f"%{pattern}%")
        condition = part if condition is None else condition | part
    return condition


# The card ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class RoundLine:
    """One round in a participant's history."""

    week: dt.date
    answer: str  # invited, yes, no, skip; "" when they were not asked
    reason: str | None
    partners: list[str] = field(default_factory=list)
    met: bool | None = None
    rating: int | None = None
    comments: list[str] = field(default_factory=list)  # what they and their partners wrote


@dataclass(frozen=True)
class Suspension:
    """Who suspended a participant, when, and why (the organizers' reason, or "")."""

    by: str | None  # their name; None when the bot has no record of them (`Words.someone`)
    at: dt.datetime
    reason: str
    actor: int  # their Telegram id (0: the operator at the command line)


@dataclass(frozen=True)
class Card:
    user_id: int
    label: str
    username: str | None
    locale: str
    registered: bool
    banned: bool
    reachable: bool
    organizer: bool
    permanent_organizer: bool
    comment: str
    created_at: dt.datetime
    answers: dict[str, Any]
    history: list[RoundLine]
    suspension: Suspension | None = None  # while suspended: the latest suspension
    flow: str | None = None  # the flow of the dialogue they are in (None: none)


def card(actor: Actor, user_id: int, rounds: int = 12) -> Card:
    """Everything organizers know about one participant; the latest `rounds` rounds."""
    user = person(user_id)
    answers = {row.key: row.value for row in Answer.select().where(Answer.user == user_id)
               .order_by(Answer.id)}
    return Card(
        user_id=user.id, label=describe(user), username=user.username, locale=user.locale,
        registered=user.registered, banned=not user.enabled, reachable=user.reachable,
        organizer=is_organizer(user.id, actor.organizer_ids),
        permanent_organizer=user.id in actor.organizer_ids, comment=user.comment,
        created_at=user.created_at, answers=answers, history=history(user_id, rounds),
        suspension=None if user.enabled else suspension(user_id),
        flow=DialogState.select(DialogState.flow).where(DialogState.user == user_id).scalar())


def suspension(user_id: int) -> Suspension | None:
    """The latest suspension of a participant, from the audit log."""
    entry = (AuditEntry.select().where(AuditEntry.action == "ban",
                                       AuditEntry.target == str(user_id))
             .order_by(AuditEntry.id.desc()).first())
    if entry is None:
        return None
    by = User.get_or_none(User.id == entry.actor)
    return Suspension(describe(by) if by is not None else None, entry.created_at,
                      str(entry.new or ""), entry.actor)


def history(user_id: int, rounds: int = 12) -> list[RoundLine]:
    """Each round the participant was asked about or met in, newest first."""
    answers = {week: (status, reason) for week, status, reason in
               Participation.select(Round.week, Participation.status, Participation.reason)
               .join(Round).where(Participation.user == user_id).tuples()}
    meetings = {week: meeting_id for meeting_id, week in
                MeetingMember.select(MeetingMember.meeting, Round.week)
                .join(Meeting).join(Round).where(MeetingMember.user == user_id).tuples()}
    weeks = sorted(set(answers) | set(meetings), reverse=True)[:rounds]
    wanted = [meetings[week] for week in weeks if week in meetings]
    members: dict[int, list[User]] = {}
    for member in (MeetingMember.select(MeetingMember, User).join(User)
                   .where(MeetingMember.meeting.in_(wanted), MeetingMember.user != user_id)):
        members.setdefault(member.meeting_id, []).append(member.user)
    feedback: dict[int, list[MeetingFeedback]] = {}
    for row in (MeetingFeedback.select().where(MeetingFeedback.meeting.in_(wanted))
                .order_by(MeetingFeedback.id)):
        feedback.setdefault(row.meeting_id, []).append(row)
    lines = []
    for week in weeks:
        status, reason = answers.get(week, ("", None))
        meeting_id = meetings.get(week)
        said = feedback.get(meeting_id, []) if meeting_id else []
        own = next((row for row in said if row.user_id == user_id), None)
        lines.append(RoundLine(
            week=_as_date(week), answer=status, reason=reason,
            partners=[describe(partner) for partner in members.get(meeting_id or 0, [])],
            met=own.happened if own else None, rating=own.rating if own else None,
            comments=[row.comment for row in said if row.comment]))
    return lines


def _as_date(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


# Changes ----------------------------------------------------------------------------------

def set_comment(actor: Actor, user_id: int, text: str) -> str:
    """Write (or, with blank `text`, clear) the organizers' comment on a participant."""
    comment = text.strip()
    if len(comment) > MAX_COMMENT:
        raise Refused("comment_too_long", limit=MAX_COMMENT, length=len(comment))
    user = person(user_id)
    with database.atomic():
        User.update(comment=comment).where(User.id == user_id).execute()
        record(actor, "comment", user_id, user.comment, comment)
    return comment


def clear_comment(actor: Actor, user_id: int) -> None:
    set_comment(actor, user_id, "")


def ban(actor: Actor, user_id: int, reason: str = "") -> None:
    """Suspend a participant: they keep their data, get one polite line to anything they send,
    and are never invited or matched. An organizer (or oneself) cannot be suspended. The
    reason (for organizers' eyes) goes into the audit log and onto the card."""
    reason = " ".join(reason.split())
    if len(reason) > MAX_REASON:
        raise Refused("comment_too_long", limit=MAX_REASON, length=len(reason))
    if user_id == actor.user_id:
        raise Refused("ban_self")
    user = person(user_id)
    if is_organizer(user_id, actor.organizer_ids):
        raise Refused("ban_organizer", person=describe(user))
    if not user.enabled:
        raise Refused("already_banned", person=describe(user))
    with database.atomic():
        User.update(enabled=False).where(User.id == user_id).execute()
        record(actor, "ban", user_id, None, reason or None)


def unban(actor: Actor, user_id: int) -> None:
    """Let a banned participant back: invited and matched again from the next round."""
    user = person(user_id)
    if user.enabled:
        raise Refused("not_banned", person=describe(user))
    with database.atomic():
        User.update(enabled=True).where(User.id == user_id).execute()
        record(actor, "unban", user_id, None, None)
