"""CSV exports of participants and of meetings with their feedback, as bytes in UTF-8 with a
BOM (so spreadsheets open Ukrainian text right)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

from engine.coffee.members import describe
from engine.organizers.actor import Actor
from engine.store import Answer, Meeting, MeetingFeedback, MeetingMember, Round, User

USER_COLUMNS = ("id", "username", "first_name", "last_name", "locale", "registered", "banned",
                "reachable", "created_at", "comment")


def _csv(header: Iterable[str], rows: Iterable[Iterable[Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _cell(value: Any) -> Any:
    if isinstance(value, list):
        return "; ".join(str(item) for item in value)
    return "" if value is None else value


def participants_csv(actor: Actor) -> bytes:
    """Every participant: who they are, their status, the organizers' comment and every
    answer (a column per question key)."""
    answers: dict[int, dict[str, Any]] = {}
    for user_id, key, value in Answer.select(Answer.user, Answer.key, Answer.value).tuples():
        answers.setdefault(user_id, {})[key] = value
    keys = sorted({key for values in answers.values() for key in values})
    rows = (User.select(User.id, User.username, User.first_name, User.last_name, User.locale,
                        User.registered, User.enabled, User.reachable, User.created_at,
                        User.comment).order_by(User.id).tuples())

    def lines() -> Iterable[list[Any]]:
        for uid, username, first, last, locale, registered, enabled, reachable, created, \
                comment in rows.iterator():
            mine = answers.get(uid, {})
            yield [uid, username or "", first, last, locale, int(registered), int(not enabled),
                   int(reachable), created.isoformat() if created else "", comment,
                   *(_cell(mine.get(key)) for key in keys)]

    return _csv([*USER_COLUMNS, *keys], lines())


def meetings_csv(actor: Actor) -> bytes:
    """One row per member of every meeting: the round, the partners, and what the member said."""
    members: dict[int, list[tuple[int, str]]] = {}
    rows = (MeetingMember.select(MeetingMember.meeting, User.id, User.first_name,
                                 User.last_name, User.username)
            .join(User).order_by(MeetingMember.meeting, MeetingMember.id).tuples())
    for meeting_id, uid, first, last, username in rows.iterator():
        members.setdefault(meeting_id, []).append(
            (uid, describe(User(id=uid, first_name=first, last_name=last, username=username))))
    feedback = {(meeting_id, uid): (happened, rating, reason, comment)
                for meeting_id, uid, happened, rating, reason, comment in
                MeetingFeedback.select(MeetingFeedback.meeting, MeetingFeedback.user,
                                       MeetingFeedback.happened, MeetingFeedback.rating,
                                       MeetingFeedback.reason, MeetingFeedback.comment)
                .tuples().iterator()}
    meetings = (Meeting.select(Meeting.id, Round.week).join(Round)
                .order_by(Round.week, Meeting.id).tuples())

    def lines() -> Iterable[list[Any]]:
        for meeting_id, week in meetings.iterator():
            group = members.get(meeting_id, [])
            for uid, name in group:
                happened, rating, reason, comment = feedback.get((meeting_id, uid),
                                                                 (None, None, None, ""))
                yield [week, meeting_id, uid, name,
                       "; ".join(other for other_id, other in group if other_id != uid),
                       "" if happened is None else int(happened), _cell(rating),
                       reason or "", comment]

    return _csv(("week", "meeting", "user_id", "name", "partners", "met", "rating", "reason",
                 "comment"), lines())
