"""An organizer's new invitation time applies at the in-process schedule's next poll, without
a restart; resetting it brings the environment's time back."""

from __future__ import annotations

import asyncio
import datetime as dt

from coffee.cycle.cycle import WeeklyCycle
from coffee.organizers import change_setting, reset_setting
from coffee.organizers.actor import Actor
from tests.kit.clock import KYIV
from tests.kit.community import Community


def poll(town: Community) -> list[str]:
    bot = town.bot
    cycle = WeeklyCycle(bot.engine, bot.parts.schedule, bot.database, bot.delivery,
                        live=bot.schedule_now)
    outcomes, _report = asyncio.run(cycle.run_once(town.send, clock=town.clock))
    return [outcome.line().split(":")[0] for outcome in outcomes]


def test_the_in_process_schedule_follows_a_new_invitation_time(town: Community, admin: Actor):
    for uid in (1, 2):
        town.register(uid)
    town.at(dt.datetime(2026, 11, 25, 18, 0, tzinfo=KYIV))  # Wednesday evening
    assert "invite 2026-11-30" not in poll(town)
    change_setting(admin, "schedule_invite", "wed 17:30", town.bot.defaults)
    town.clock.advance(minutes=1)
    assert "invite 2026-11-30" in poll(town)
    assert sorted(chat for chat, _ in town.send.sent) == [1, 2]
    reset_setting(admin, "schedule_invite", town.bot.defaults)
    assert town.bot.schedule_now().invite.at == dt.time(9, 0)
