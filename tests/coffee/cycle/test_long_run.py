"""A year of Random Coffee: 50 participants who always say yes meet 49 weeks in a row, and
nobody meets anybody twice (49 weeks is exactly enough for everyone to meet everyone once)."""

from __future__ import annotations

import datetime as dt
from itertools import combinations

from coffee.models import Meeting, MeetingMember, Round
from tests.kit.community import ROUND, Community

PEOPLE = 50
WEEKS = 49


def test_fifty_people_meet_for_49_weeks_without_a_repeat(community: Community) -> None:
    for uid in range(1, PEOPLE + 1):
        community.register(uid, f"Name{uid}")
    schedule = community.bot.parts.schedule
    for number in range(WEEKS):
        week = ROUND + dt.timedelta(days=7 * number)
        community.at(schedule.due_at("invite", week))
        community.join(range(1, PEOPLE + 1), week)
        community.at(schedule.due_at("match", week))
        assert ", repeated pairs 0," in community.run("match", week).summary

    members: dict[int, list[int]] = {}
    for meeting_id, user_id in MeetingMember.select(MeetingMember.meeting,
                                                    MeetingMember.user).tuples():
        members.setdefault(meeting_id, []).append(user_id)
    pairs = [pair for group in members.values() for pair in combinations(sorted(group), 2)]
    assert Round.select().where(Round.status == "matched").count() == WEEKS
    assert Meeting.select().count() == WEEKS * PEOPLE // 2
    assert len(pairs) == len(set(pairs)) == PEOPLE * (PEOPLE - 1) // 2
