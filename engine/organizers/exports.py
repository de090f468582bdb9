"""CSV exports of participants and of meetings with their feedback, as bytes in UTF-8 with a
BOM (so spreadsheets open Ukrainian text right)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from typing import Any

from peewee import JOIN

from engine.coffee.members import label
from engine.organizers.actor import Actor
from engine.store import (
    Answer,
    Meeting,
    MeetingFeedback,
    MeetingMember,
    Round,
    User,
    database,
)

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
    """One row per member of every meeting: the round, the partners, and what the member said.

    Read as raw rows in one ordered query (hundreds of thousands of them after a year)."""
    query = (MeetingMember.select(Round.week, Meeting.id, User.id, User.first_name,
                                  User.last_name, User.username, MeetingFeedback.happened,
                                  MeetingFeedback.rating, MeetingFeedback.reason,
                                  MeetingFeedback.comment)
             .join(Meeting).join(Round).switch(MeetingMember).join(User)
             .join(MeetingFeedback, JOIN.LEFT_OUTER, on=(
                 (MeetingFeedback.meeting == MeetingMember.meeting)
                 & (MeetingFeedback.user == MeetingMember.user)))
             .order_by(MeetingMember.meeting, MeetingMember.id))  # round order: no sort

    def lines() -> Iterable[list[Any]]:
        for group in _by_meeting(database.execute(query)):
            names = [label(uid, first, last, username)
                     for _w, _m, uid, first, last, username, *_rest in group]
            for index, (week, meeting_id, uid, _f, _l, _u, happened, rating, reason,
                        comment) in enumerate(group):
                yield [week, meeting_id, uid, names[index],
                       "; ".join(names[:index] + names[index + 1:]),
                       "" if happened is None else int(happened), _cell(rating),
                       reason or "", comment or ""]

    return _csv(("week", "meeting", "user_id", "name", "partners", "met", "rating", "reason",
                 "comment"), lines())


def _by_meeting(rows: Iterable[tuple[Any, ...]]) -> Iterator[list[tuple[Any, ...]]]:
    """Consecutive rows of one meeting together."""
    group: list[tuple[Any, ...]] = []
    for row in rows:
        if group and group[0][1] != row[1]:
            yield group
            group = []
        group.append(row)
    if group:
        yield group
