"""CSV exports of participants and of meetings with their feedback, as bytes in UTF-8 with a
BOM (so spreadsheets open Ukrainian text right), headed and filled in the organizer's words
(`Words`: a question's title for its answers, option labels, yes / no, statuses)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from typing import Any

from peewee import JOIN

from coffee.cycle.members import label
from coffee.models import Meeting, MeetingFeedback, MeetingMember, Round
from coffee.organizers.actor import Actor
from coffee.organizers.vocabulary import WHY_NOT, Words
from engine.store import Answer, User, database

USER_COLUMNS = ("id", "username", "telegram_name", "language", "status", "created_at",
                "comment")
MEETING_COLUMNS = ("week", "meeting", "id", "name", "partners", "met", "rating", "reason",
                   "feedback_comment")


def _csv(header: Iterable[str], rows: Iterable[Iterable[Any]]) -> bytes:
    """The rows written as they come, straight into UTF-8 bytes with a BOM."""
    buffer = io.BytesIO()
    with io.TextIOWrapper(buffer, encoding="utf-8-sig", newline="") as text:
        writer = csv.writer(text)
        writer.writerow(header)
        writer.writerows(rows)
        text.flush()
        return buffer.getvalue()


def _cell(value: Any) -> Any:
    if isinstance(value, list):
        return "; ".join(str(item) for item in value)
    return "" if value is None else value


def participants_csv(actor: Actor, words: Words) -> bytes:
    """Every participant: who they are, their status, the organizers' comment and every
    answer (a column per question, in the questionnaire's order, by its title)."""
    answers: dict[int, dict[str, Any]] = {}
    for user_id, key, value in Answer.select(Answer.user, Answer.key, Answer.value).tuples():
        answers.setdefault(user_id, {})[key] = value
    questions = words.vocabulary.questions
    # the language answer is the Language column (the language the bot speaks with them)
    stored = {key for values in answers.values() for key in values
              if key not in questions or questions[key].input != "language"}
    keys = [key for key in questions if key in stored]
    keys += sorted(stored - set(keys))
    rows = (User.select(User.id, User.username, User.first_name, User.last_name, User.locale,
                        User.registered, User.enabled, User.reachable, User.created_at,
                        User.comment).order_by(User.id).tuples())

    def lines() -> Iterable[list[Any]]:
        for uid, username, first, last, locale, registered, enabled, reachable, created, \
                comment in rows.iterator():
            mine = answers.get(uid, {})
            yield [uid, f"@{username}" if username else "", f"{first} {last}".strip(),
                   words.answer("language", locale),
                   words.person(registered=registered, suspended=not enabled,
                                reachable=reachable),
                   created.date().isoformat() if created else "", comment,
                   *(words.answer(key, mine.get(key)) if key in mine else "" for key in keys)]

    return _csv([*(words.column(name) for name in USER_COLUMNS),
                 *(words.question(key) for key in keys)], lines())


def meetings_csv(actor: Actor, words: Words) -> bytes:
    """One row per member of every meeting: the round, the partners, and what the member said.

    Hundreds of thousands of rows after a year: the members and their feedback come in one
    ordered query of numbers and feedback (no sort: the order is an index's), streamed into
    the CSV; names and weeks, the same for many rows, are read once each and looked up."""
    names = {uid: label(uid, first, last, username) for uid, first, last, username in
             User.select(User.id, User.first_name, User.last_name, User.username).tuples()}
    weeks = {round_id: week.isoformat()
             for round_id, week in Round.select(Round.id, Round.week).tuples()}
    query = (MeetingMember.select(MeetingMember.meeting, Meeting.round, MeetingMember.user,
                                  MeetingFeedback.happened, MeetingFeedback.rating,
                                  MeetingFeedback.reason, MeetingFeedback.comment)
             .join(Meeting)
             .join_from(MeetingMember, MeetingFeedback, JOIN.LEFT_OUTER, on=(
                 (MeetingFeedback.meeting == MeetingMember.meeting)
                 & (MeetingFeedback.user == MeetingMember.user)))
             .order_by(MeetingMember.meeting, MeetingMember.id))  # round order: no sort

    def lines() -> Iterable[tuple[Any, ...]]:
        for group in _by_meeting(database.execute(query)):
            members = [names[row[2]] for row in group]
            partners = members[::-1] if len(members) == 2 else [
                "; ".join(members[:index] + members[index + 1:])
                for index in range(len(members))]
            for index, (meeting_id, round_id, uid, happened, rating, reason, comment) in \
                    enumerate(group):
                yield (weeks[round_id], meeting_id, uid, members[index], partners[index],
                       words.yes_no(happened), "" if rating is None else rating,
                       words.reason(WHY_NOT, reason) if reason else "", comment or "")

    return _csv([words.column(name) for name in MEETING_COLUMNS], lines())


def _by_meeting(rows: Iterable[tuple[Any, ...]]) -> Iterator[list[tuple[Any, ...]]]:
    """Consecutive rows of one meeting (the first column) together."""
    group: list[tuple[Any, ...]] = []
    for row in rows:
        if group and group[0][0] != row[0]:
            yield group
            group = []
        group.append(row)
    if group:
        yield group
