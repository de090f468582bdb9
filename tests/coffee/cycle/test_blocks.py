"""Blocks and departures: seen at once through `my_chat_member` (the real runner.py polling
the fake Bot API, scheduler.py running the jobs), nobody left stranded after matching."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from coffee.models import MeetingFeedback, MeetingMember
from tests.coffee.cycle.test_delivery_faults import api_env, next_round
from tests.coffee.cycle.test_scheduler_cli import scheduler
from tests.kit import FakeBotAPI
from tests.kit.community import ROUND, Community
from tests.kit.running import RunningBot, eventually


@pytest.fixture
def fake() -> Iterator[FakeBotAPI]:
    with FakeBotAPI() as api:
        yield api


def meetings(bot: RunningBot) -> list[set[int]]:
    """Who still meets with whom in the round's meetings."""
    rows = bot.query("SELECT meeting_id, user_id FROM meeting_member WHERE left_at IS NULL")
    groups: dict[int, set[int]] = {}
    for meeting, user in rows:
        groups.setdefault(meeting, set()).add(user)
    return sorted((group for group in groups.values() if group), key=min)


def block(bot: RunningBot, fake: FakeBotAPI, uid: int, blocked: bool = True) -> None:
    (fake.block if blocked else fake.unblock)(uid)
    fake.push_update(fake.chat_member_update(uid, blocked))
    reachable = 0 if blocked else 1
    eventually(lambda: bot.query('SELECT reachable FROM "user" WHERE id = ?', uid) ==
               [(reachable,)], what=f"user {uid} reachable = {reachable}")


def texts(fake: FakeBotAPI, uid: int) -> list[str]:
    return [message.text or "card" for message in fake.sent(uid)]


def test_blocks_before_and_after_matching_and_a_meeting_called_off(
        community: Community, fake: FakeBotAPI, tmp_path: Path) -> None:
    week = next_round(community)
    for uid in range(1, 6):
        community.register(uid, f"Name{uid}", phone=None)
    community.join(range(1, 6), week)
    env = api_env(fake)
    with RunningBot(fake, tmp_path) as bot:
        block(bot, fake, 5)  # before matching: not matched
        matched = scheduler(tmp_path, "match", "--week", week.isoformat(), "-q", **env)
        assert matched.returncode == 0, matched.stderr
        assert "groups 2, trios 0" in matched.stdout
        assert meetings(bot) == [{1, meetings(bot)[0].difference({1}).pop()},
                                 meetings(bot)[1]]
        assert 5 not in set().union(*meetings(bot))
        assert fake.sent(5) == []

        block(bot, fake, 5, blocked=False)  # back, but too late to be matched
        partner = next(iter(meetings(bot)[0] - {1}))
        block(bot, fake, partner)  # after matching: 1 is told and meets 5 instead
        fake.wait_for(lambda api: len(api.sent(1)) == 3 and len(api.sent(5)) == 1,
                      what="1 told and introduced to 5, 5 introduced to 1")
        told = texts(fake, 1)[1]
        assert told.startswith(f"Name{partner} Petrenko все ж не зможе зустрітися цього "
                               "тижня. Я знайшов вам нового партнера")
        assert "Name5 Petrenko" in texts(fake, 1)[2]
        assert "Name1 Petrenko" in texts(fake, 5)[0]
        assert {1, 5} in meetings(bot)

        # The other pair: one calls the meeting off from the profile; the other joins 1 and 5.
        leaving, staying = sorted(set(range(1, 5)) - {1, partner})
        person = bot.user(leaving)
        profile = person.command("start").messages[0]
        step = person.press("Я не зможу зустрітися цього тижня")
        assert step.texts == ["Зрозумів: цього тижня ви не зустрічаєтеся. Я повідомив "
                              "вашого партнера."]
        fake.wait_for(lambda api: "Я не зможу" not in str(next(
            m for m in api.sent(leaving) if m.message_id == profile.message_id).reply_markup),
            what="the profile redrawn without the button")
        fake.wait_for(lambda api: len(api.sent(staying)) == 3 and len(api.sent(1)) == 5
                      and len(api.sent(5)) == 3, what="the pair told of its third")
        assert texts(fake, staying)[1].startswith(
            f"Name{leaving} Petrenko все ж не зможе зустрітися цього тижня. Ви приєднуєтеся до "
            "іншої пари")
        assert texts(fake, 1)[3].startswith(f"Name{staying} Petrenko приєднується до вашої "
                                            "зустрічі")
        assert meetings(bot) == [{1, 5, staying}]

    survey = scheduler(tmp_path, "feedback", "--week", week.isoformat(), "-q", **env)
    assert survey.returncode == 0, survey.stderr
    assert survey.stdout.startswith(f"feedback {week.isoformat()}: asked 3")
    assert {(row.user_id, row.reason) for row in MeetingFeedback.select()} == {
        (partner, "blocked"), (leaving, "cancelled")}
    assert fake.sent(partner)[-1].text is not None  # nothing new for the one who blocked
    assert all("зустрілися" not in (m.text or "") for m in fake.sent(leaving))


def test_an_introduction_refused_with_403_tells_the_partner(community: Community) -> None:
    for uid in (1, 2, 3, 4):
        community.register(uid, f"Name{uid}")
    community.join((1, 2, 3, 4))
    community.at(community.bot.parts.schedule.due_at("match", ROUND))
    community.run("match")
    partner_of_1 = next(member.user_id for member in MeetingMember.select()
                        if member.user_id != 1 and member.meeting_id == MeetingMember.get(
                            MeetingMember.user == 1).meeting_id)
    community.send.blocked.add(partner_of_1)
    community.clock.advance(minutes=1)
    community.deliver(retry_for=dt.timedelta(0))

    to_1 = [reply.text for reply in community.send.to(1)]
    assert any(text.startswith(f"Name{partner_of_1} Petrenko все ж не зможе") for text in to_1)
    assert MeetingMember.get(MeetingMember.user == partner_of_1).left_reason == "blocked"
    groups = {member.meeting_id for member in MeetingMember.select().where(
        MeetingMember.left_at.is_null())}
    assert len(groups) == 1  # 1 joined the other pair
