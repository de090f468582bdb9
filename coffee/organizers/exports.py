"""The organizers' CSV exports — participants, rounds, meetings — one implementation for the
bot's /admin and the web panel.

Each file is UTF-8 with a BOM (spreadsheets open Ukrainian text right), one header row of
labels and values in words, both in the organizer's language (`Words`, the organizer
vocabulary), no markup, and no cell a spreadsheet would run as a formula: text starting with
= + - @ (or a tab or a carriage return) gets a leading apostrophe. Rows are written as they are
read, in chunks, so the panel streams a file of hundreds of thousands of rows as it goes;
`Export.data()` joins them for the bot, which sends a file whole. A file is named after the
community, what it holds and the day (`Kyiv Coffee - participants - 2026-12-07.csv`).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from peewee import JOIN, ModelSelect

from coffee.cycle.members import label
from coffee.models import AuditEntry, Meeting, MeetingFeedback, MeetingMember, Round
from coffee.organizers.actor import Actor
from coffee.organizers.stats import meeting_numbers, rounds_numbers
from coffee.organizers.vocabulary import ROUND, WHY_NOT, Words
from engine.store import Answer, User, database

BOM = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CHUNK_ROWS = 500
_NOT_IN_FILE_NAMES = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')

PARTICIPANT_COLUMNS = ("id", "username", "telegram_name", "language", "status", "created_at",
                       "comment")
ROUND_COLUMNS = ("week", "round_status", "invited", "yes", "no", "not_answered", "pairs",
                 "trios", "met_percent", "average_rating")
MEETING_COLUMNS = ("week", "meeting", "id", "name", "partners", "met", "rating", "reason",
                   "feedback_comment")


@dataclass(frozen=True)
class Export:
    """A CSV file: its name and its bytes, in chunks read from the database as they go."""

    file_name: str
    chunks: Iterator[bytes]

    def data(self) -> bytes:
        return b"".join(self.chunks)


def file_name(community: str, what: str, day: dt.date) -> str:
    """`Kyiv Coffee - participants - 2026-12-07.csv`, a name every file system takes."""
    parts = [_NOT_IN_FILE_NAMES.sub(" ", part).strip(" .") for part in (community, what)]
    return " - ".join([*(part for part in parts if part), day.isoformat()]) + ".csv"


def neutralised(value: Any) -> Any:
    """A cell as a spreadsheet should show it: text it would run as a formula gets a leading
    apostrophe; numbers stay numbers; None is an empty cell."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_chunks(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[bytes]:
    """The BOM and the header, then the rows CHUNK_ROWS at a time, in UTF-8."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write(BOM)
    writer.writerow([neutralised(cell) for cell in header])
    for count, row in enumerate(rows, start=1):
        writer.writerow([neutralised(cell) for cell in row])
        if count % CHUNK_ROWS == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


# Participants --------------------------------------------------------------------------------

def participants_export(actor: Actor, words: Words, community: str, timezone: ZoneInfo,
                        only: ModelSelect | None = None) -> Export:
    """Every participant (or those whose ids `only` selects): who they are on Telegram (the
    username without its @, which a spreadsheet would take for a formula), their
    standing, when they first wrote, the organizers' comment, and their answer to each
    question (a column each, in the questionnaire's order, titled as asked)."""
    keys = _answer_keys(words)
    header = [*(words.column(name) for name in PARTICIPANT_COLUMNS),
              *(words.question(key) for key in keys)]

    def rows() -> Iterator[list[Any]]:
        answers: dict[int, dict[str, Any]] = {}
        chosen = Answer.select(Answer.user, Answer.key, Answer.value)
        for user_id, key, value in (chosen if only is None
                                    else chosen.where(Answer.user.in_(only))).tuples():
            answers.setdefault(user_id, {})[key] = value
        users = User.select(User.id, User.username, User.first_name, User.last_name,
                            User.locale, User.registered, User.enabled, User.reachable,
                            User.created_at, User.comment).order_by(User.id)
        if only is not None:
            users = users.where(User.id.in_(only))
        for uid, username, first, last, locale, registered, enabled, reachable, created, \
                comment in users.tuples().iterator():
            mine = answers.get(uid, {})
            yield [uid, username or "", f"{first} {last}".strip(),
                   words.answer("language", locale),
                   words.person(registered=registered, suspended=not enabled,
                                reachable=reachable),
                   created.astimezone(timezone).strftime("%Y-%m-%d %H:%M") if created else "",
                   comment, *(words.answer(key, mine[key]) if key in mine else ""
                              for key in keys)]

    return Export(file_name(community, words.column("participants"), actor.now.date()),
                  csv_chunks(header, rows()))


def _answer_keys(words: Words) -> list[str]:
    """The answers that get a column: those someone gave, in the order of the questions that
    ask them (the questionnaire's first), then those no question asks any more; not the
    language (the Language column says what the bot speaks with them)."""
    questions = words.vocabulary.questions
    stored = {key for (key,) in Answer.select(Answer.key).distinct().tuples()
              if key not in questions or questions[key].input != "language"}
    return [key for key in questions if key in stored] + sorted(stored - set(questions))


# Rounds --------------------------------------------------------------------------------------

def rounds_export(actor: Actor, words: Words, community: str) -> Export:
    """Every round, newest first: its status, answers and its meetings' figures."""
    header = [words.column(name) for name in ROUND_COLUMNS]

    def rows() -> Iterator[list[Any]]:
        rounds = list(Round.select().order_by(Round.week.desc()))
        for round_, answers, meetings in zip(rounds, rounds_numbers(rounds),
                                             meeting_numbers(rounds), strict=True):
            yield [round_.week.isoformat(), words.status(ROUND, round_.status),
                   answers.invited, answers.yes, answers.no, answers.not_answered,
                   meetings.pairs, meetings.trios, meetings.met_percent,
                   meetings.average_rating]

    return Export(file_name(community, words.column("rounds"), actor.now.date()),
                  csv_chunks(header, rows()))


# Meetings ------------------------------------------------------------------------------------

def meetings_export(actor: Actor, words: Words, community: str) -> Export:
    """One row per member of every meeting: the round, the partners, and what the member said.

    Hundreds of thousands of rows after a year: the members and their feedback come in one
    query ordered by meeting (an index's order: no sort), streamed into the file; names and
    weeks, the same for many rows, are read once each and looked up."""
    header = [words.column(name) for name in MEETING_COLUMNS]

    def rows() -> Iterator[tuple[Any, ...]]:
        names = _names()
        weeks = {round_id: week.isoformat()
                 for round_id, week in Round.select(Round.id, Round.week).tuples()}
        said = {None: words.yes_no(None), True: words.yes_no(True), False: words.yes_no(False)}
        reasons: dict[str, str] = {}
        query = (MeetingMember.select(MeetingMember.meeting, Meeting.round, MeetingMember.user,
                                      MeetingFeedback.happened, MeetingFeedback.rating,
                                      MeetingFeedback.reason, MeetingFeedback.comment)
                 .join(Meeting)
                 .join_from(MeetingMember, MeetingFeedback, JOIN.LEFT_OUTER, on=(
                     (MeetingFeedback.meeting == MeetingMember.meeting)
                     & (MeetingFeedback.user == MeetingMember.user)))
                 .order_by(MeetingMember.meeting, MeetingMember.id))
        for group in _by_meeting(database.execute(query)):
            members = [names.get(row[2], str(row[2])) for row in group]
            for index, (meeting_id, round_id, uid, happened, rating, reason, comment) in \
                    enumerate(group):
                if reason and reason not in reasons:
                    reasons[reason] = words.reason(WHY_NOT, reason)
                yield (weeks[round_id], meeting_id, uid, members[index],
                       "; ".join(members[:index] + members[index + 1:]),
                       said[None if happened is None else bool(happened)], rating,
                       reasons[reason] if reason else "", comment)

    return Export(file_name(community, words.column("meetings"), actor.now.date()),
                  csv_chunks(header, rows()))


def _names() -> dict[int, str]:
    """Every participant as organizers read them, by Telegram id (read once per file)."""
    return {uid: label(uid, first, last, username) for uid, first, last, username in
            User.select(User.id, User.first_name, User.last_name, User.username).tuples()}


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


# Audit log -----------------------------------------------------------------------------------

AUDIT_COLUMNS = ("when", "organizer", "action", "target", "before", "after")


def audit_export(actor: Actor, words: Words, community: str, timezone: ZoneInfo) -> Export:
    """Every change organizers made, newest first: when, who (by name), what, to whom or
    what, before and after."""
    header = [words.column(name) for name in AUDIT_COLUMNS]

    def rows() -> Iterator[list[Any]]:
        names = _names()
        for created, who, action, target, old, new in (
                AuditEntry.select(AuditEntry.created_at, AuditEntry.actor, AuditEntry.action,
                                  AuditEntry.target, AuditEntry.old, AuditEntry.new)
                .order_by(AuditEntry.id.desc()).tuples().iterator()):
            yield [created.astimezone(timezone).strftime("%Y-%m-%d %H:%M"),
                   names.get(who) or words.someone(who), words.action(action),
                   names.get(int(target), target) if target.isdigit()
                   else words.audit_target(action, target),
                   words.audit_value(action, target, old, names),
                   words.audit_value(action, target, new, names)]

    return Export(file_name(community, words.column("audit"), actor.now.date()),
                  csv_chunks(header, rows()))
