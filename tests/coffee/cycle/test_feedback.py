"""Feedback over several rounds: answers stored per meeting, a pending invitation given back
after the survey, and a participant reported as silent twice in a row named for organizers."""

from __future__ import annotations

import datetime as dt

from coffee.models import MeetingFeedback, MeetingMember, Participation
from tests.kit.community import ROUND, Community
from tests.kit.participant import Participant

WEEK = dt.timedelta(days=7)
SILENT = 4


def partner_of(user_id: int, week: dt.date) -> int:
    mine = (MeetingMember.select().where(MeetingMember.user == user_id)
            .order_by(MeetingMember.id.desc()).first())
    assert mine is not None and mine.meeting.round.week == week
    return next(member.user_id for member in mine.meeting.members if member.user_id != user_id)


def report_silence(person: Participant) -> None:
    person.press("Ні, не вийшло")
    person.press("Партнер не відповів")
    person.press("Пропустити")


def report_meeting(person: Participant) -> None:
    person.press("Так, ми зустрілися")
    person.press("4")
    person.send("Було цікаво")


def test_a_partner_reported_silent_twice_in_a_row_is_named(community: Community) -> None:
    people = {uid: community.register(uid, f"Name{uid}") for uid in (1, 2, 3, SILENT)}
    community.run_and_deliver("invite", ROUND)
    summaries = []
    for week in (ROUND, ROUND + WEEK, ROUND + 2 * WEEK):
        for person in people.values():
            person.press("Так, беру участь")
        community.run_and_deliver("match", week)
        community.run_and_deliver("invite", week + WEEK)  # Thursday, before Friday's survey
        summaries.append(community.run_and_deliver("feedback", week).summary)
        reporter = partner_of(SILENT, week)
        for uid, person in people.items():
            if uid == reporter:
                report_silence(person)
            else:
                report_meeting(person)
            # The survey over, the invitation for next week, still unanswered, comes back.
            assert person.last.text.startswith("Random Coffee наступного тижня"), uid
            assert person.last.labels == ["Так, беру участь", "Цього разу ні"]

    assert summaries[0] == "feedback 2026-11-30: asked 4"
    assert summaries[1] == "feedback 2026-12-07: asked 4"
    assert summaries[2] == ("feedback 2026-12-14: asked 4; reported as never answering in two "
                            f"rounds in a row: Name{SILENT} Petrenko ({SILENT})")
    complaints = MeetingFeedback.select().where(MeetingFeedback.reason == "no_answer")
    assert [(row.happened, row.rating, row.comment) for row in complaints] == [
        (False, None, "")] * 3
    ratings = MeetingFeedback.select().where(MeetingFeedback.happened)
    assert {(row.rating, row.comment) for row in ratings} == {(4, "Було цікаво")}
    assert ratings.count() == 9
    assert Participation.select().where(Participation.status == "yes").count() == 12
