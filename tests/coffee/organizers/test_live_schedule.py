"""The organizers' settings are live: a new invitation time applies at the in-process schedule's
next poll and in every text, a new community name in every text, without a restart; resetting
brings the environment's value back."""

from __future__ import annotations

import asyncio
import datetime as dt

from coffee.cycle.cycle import WeeklyCycle
from coffee.models import AuditEntry
from coffee.organizers import change_setting, reset_setting
from coffee.organizers.actor import Actor
from tests.kit.clock import KYIV
from tests.kit.community import ROUND, Community
from tests.kit.participant import Participant
from tests.kit.settings import ADMIN_ID


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


def organizer_of(town: Community) -> Participant:
    person = Participant(town.bot.engine, ADMIN_ID, first_name="Org", username="org_admin")
    town.people[ADMIN_ID] = person
    return person


def test_settings_changed_in_admin_reach_every_text_at_once(town: Community):
    """The invitation day and the community's name, changed in /admin: /info, the profile,
    the invitation and the introduction say the new ones, in Ukrainian and English, with no
    restart; the jobs run on the new day; each change is in the audit log."""
    olena = town.register(51, "Олена")
    john = town.register(52, "John", "Smith", language="en")
    organizer = organizer_of(town)
    organizer.command("admin")
    organizer.press("⚙️ Налаштування")
    organizer.press("Запрошення: день і час")
    organizer.send("пʼятниця 12:00")
    organizer.sees("Запрошення: день і час: пʼятниця, 12:00 (змінено тут)")
    organizer.press("Назва спільноти")
    organizer.send("Кавовий клуб")
    organizer.sees("Назва спільноти: Кавовий клуб (змінено тут)")

    info = " ".join(olena.texts(olena.command("info")))
    assert "Кавовий клуб" in info and "• пʼятниця, 12:00: питаю" in info
    assert "Random Coffee" not in info and "четвер" not in info
    english = " ".join(john.texts(john.command("info")))
    assert "Кавовий клуб" in english and "• Friday, 12:00\u202fPM: I ask" in english
    profile = " ".join(john.texts(john.command("start")))
    assert "the invitation comes on Friday" in profile

    schedule = town.bot.schedule_now()
    assert schedule.due_at("invite", ROUND) == dt.datetime(2026, 11, 27, 12, 0, tzinfo=KYIV)
    town.run_and_deliver("invite")
    invitations = {chat: reply.text for chat, reply in town.send.sent}
    assert invitations[51].startswith("<b>Кавовий клуб наступного тижня</b>")
    assert invitations[52].startswith("<b>Кавовий клуб next week</b>")
    olena.press("Так, беру участь")
    john.press("Yes, I take part")
    town.run_and_deliver("match")
    introductions = [reply.text for _chat, reply in town.send.sent
                     if "тиждень з" in reply.text or "for the week from" in reply.text]
    assert any("Ваш партнер Кавовий клуб" in text for text in introductions)
    assert any("Your Кавовий клуб partner" in text for text in introductions)
    audit = [(row.action, row.target) for row in AuditEntry.select().order_by(AuditEntry.id)]
    assert audit == [("setting", "schedule_invite"), ("setting", "community_name")]
