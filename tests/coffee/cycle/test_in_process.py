"""The weekly schedule inside the bot: a job missed while the bot was down runs when it comes
back within its window, never twice, and never doubled by a concurrent cron run."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest

from coffee.app import Bot
from coffee.cycle.cycle import WeeklyCycle
from coffee.cycle.jobs import run_job
from coffee.models import JobRun, Participation
from tests.kit.clock import KYIV
from tests.kit.community import ROUND, Community


def register_three(community: Community) -> None:
    for uid in (1, 2, 3):
        community.register(uid, f"Name{uid}")


def cycle(bot: Bot) -> WeeklyCycle:
    return WeeklyCycle(bot.engine, bot.parts.schedule, bot.database, bot.delivery)


def poll(community: Community) -> list[str]:
    outcomes, _report = asyncio.run(cycle(community.bot).run_once(community.send,
                                                                  clock=community.clock))
    return [outcome.line() for outcome in outcomes]


def test_a_missed_invitation_goes_out_when_the_bot_comes_back(community: Community) -> None:
    register_three(community)
    community.at(dt.datetime(2026, 11, 26, 8, 59, tzinfo=KYIV))
    assert [line.split(":")[0] for line in poll(community)] == ["match 2026-11-23"]  # empty

    # Down from 08:59 to 09:40: the 09:00 invitation goes out at the first poll after.
    community.at(dt.datetime(2026, 11, 26, 9, 40, tzinfo=KYIV))
    assert [line.split(":")[0] for line in poll(community)] == ["invite 2026-11-30"]
    assert sorted(chat for chat, _ in community.send.sent) == [1, 2, 3]

    community.clock.advance(minutes=1)
    assert poll(community) == []
    assert len(community.send.sent) == 3


def test_a_job_is_not_run_after_its_window(community: Community) -> None:
    register_three(community)
    # Back only on Monday at 10:00: the invitations' window closed at the 09:00 matching.
    community.at(dt.datetime(2026, 11, 30, 10, 0, tzinfo=KYIV))
    assert [line.split(":")[0] for line in poll(community)] == ["match 2026-11-30"]
    assert not JobRun.select().where(JobRun.job == "invite").exists()
    assert community.send.sent == []


def test_cron_and_the_in_process_schedule_never_double_a_job(community: Community) -> None:
    register_three(community)
    community.at(dt.datetime(2026, 11, 26, 9, 0, tzinfo=KYIV))
    bot = community.bot

    def cron() -> None:  # another process, as far as the database can tell
        try:
            run_job(bot.engine, bot.parts.schedule, "invite", ROUND)
        finally:
            bot.database.close()  # this thread's connection

    async def both() -> None:
        await asyncio.gather(cycle(bot).run_once(community.send, clock=community.clock),
                             asyncio.to_thread(cron))

    asyncio.run(both())
    poll(community)
    assert Participation.select().count() == 3
    assert JobRun.select().where(JobRun.job == "invite").count() == 1
    assert sorted(chat for chat, _ in community.send.sent) == [1, 2, 3]


def test_the_cycle_keeps_polling_after_a_failure(community: Community) -> None:
    register_three(community)
    community.at(dt.datetime(2026, 11, 26, 9, 0, tzinfo=KYIV))
    community.send.stop_after = 1  # the first poll's delivery breaks after one message

    async def run_for_a_while() -> None:
        task = asyncio.create_task(cycle(community.bot).run_forever(
            community.send, clock=community.clock, poll_seconds=0.01))
        await asyncio.sleep(0.05)
        community.send.stop_after = None
        while len(community.send.sent) < 3:
            await asyncio.sleep(0.01)
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)

    asyncio.run(asyncio.wait_for(run_for_a_while(), timeout=10))
    assert sorted(chat for chat, _ in community.send.sent) == [1, 2, 3]


def test_a_bug_that_fails_every_poll_is_one_traceback(community: Community,
                                                     caplog: pytest.LogCaptureFixture,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    polls = []

    async def broken(self: WeeklyCycle, now: dt.datetime) -> list[object]:
        polls.append(now)
        if len(polls) <= 5:
            raise KeyError("a bug")
        return []

    monkeypatch.setattr(WeeklyCycle, "run_due_jobs", broken)

    async def run_for_a_while() -> None:
        task = asyncio.create_task(cycle(community.bot).run_forever(
            community.send, clock=community.clock, poll_seconds=0.01))
        while len(polls) < 7:
            await asyncio.sleep(0.01)
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)

    asyncio.run(asyncio.wait_for(run_for_a_while(), timeout=10))
    failed = [record for record in caplog.records if "schedule" in record.getMessage()]
    assert [(record.levelname, record.getMessage(), bool(record.exc_info))
            for record in failed] == [
        ("ERROR", "the weekly schedule failed; trying again every 0s", True),
        ("WARNING", "the weekly schedule works again (it failed with KeyError: 'a bug')",
         False)]


def test_job_times_follow_kyiv_daylight_saving(community: Community) -> None:
    schedule = community.bot.parts.schedule
    winter = schedule.due_at("invite", dt.date(2027, 3, 22))  # Thursday 18 March
    summer = schedule.due_at("invite", dt.date(2027, 4, 5))  # Thursday 1 April
    assert (winter.hour, winter.utcoffset()) == (9, dt.timedelta(hours=2))
    assert (summer.hour, summer.utcoffset()) == (9, dt.timedelta(hours=3))
    assert summer.astimezone(dt.UTC).hour == 6
