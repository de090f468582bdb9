"""Round control over Telegram with the real runner, replayed on the dates it went wrong: on
Sunday 6 December, the invitations for the week of 7 December out since Thursday, "make the
pairs now" names that week and matches it (not the round of 30 November), and its messages go
out at once although the schedule does not run in the bot's process (SCHEDULE_IN_PROCESS=no);
"ask for feedback now" says the round of 30 November was asked on Friday, in words, with no
shell command; and the organizer's whole session gets no 4xx answer from Telegram."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from coffee.app import build_bot
from coffee.cycle.participation import YES, set_participation
from tests.kit import FakeBotAPI
from tests.kit.clock import KYIV, Clock, MovedClock
from tests.kit.community import ROUND, Community
from tests.kit.running import RunningBot, eventually
from tests.kit.settings import ADMIN_ID, settings_for

NEXT = ROUND + dt.timedelta(days=7)  # Monday 7 December
SUNDAY = dt.datetime(2026, 12, 6, 12, 0, tzinfo=KYIV)
PEOPLE = (401, 402, 403, 404, 405)


def two_rounds(folder: Path) -> None:
    """The round of 30 November from the invitations to the feedback question, and the
    invitations of the week of 7 December, which four of five accept: run by the real jobs at
    their times, in this process, on the database the runner will use."""
    clock = Clock()
    bot = build_bot(settings_for(folder, ADMIN_IDS=str(ADMIN_ID)), clock=clock)
    try:
        town = Community(bot, clock)
        for uid in PEOPLE:
            town.register(uid, f"Name{uid}", "Test", language="en")
        town.run_and_deliver("invite")
        for uid in PEOPLE[:4]:
            town.people[uid].press("Yes, I take part")
        town.run_and_deliver("match")
        town.run_and_deliver("invite", NEXT)  # Thursday 3 December
        town.run_and_deliver("feedback")  # Friday 4 December
        for uid in PEOPLE[1:]:
            set_participation(uid, NEXT, YES, clock())
    finally:
        bot.database.close()


def introductions(fake: FakeBotAPI) -> dict[int, int]:
    return {uid: sum(1 for m in fake.sent(uid)
                     if "partner for the week from 7 December" in (m.text or ""))
            for uid in PEOPLE}


def test_round_control_acts_on_the_round_it_names(fake: FakeBotAPI, tmp_path: Path) -> None:
    two_rounds(tmp_path)
    clock = MovedClock(tmp_path / "now.txt", SUNDAY)
    with RunningBot(fake, tmp_path, settings={**clock.env, "SCHEDULE_IN_PROCESS": "no"}) as bot:
        organizer = bot.user(ADMIN_ID, first_name="Org", language_code="en")
        organizer.command("admin")
        organizer.press("🔁 Round control")
        screen = organizer.sees("Round control: the week from 7 December")
        assert "Invitations (the week from 7 December): sent on Thursday, 3 December, 09:00." \
            in screen
        assert "Pairs (the week from 7 December): due on Monday, 7 December, 09:00." in screen
        assert "Feedback question (the week from 30 November): asked on Friday, 4 December, " \
               "15:00." in screen

        organizer.press("Ask for feedback now")
        organizer.sees("Feedback question (the week from 30 November): asked on Friday, "
                       "4 December, 15:00.")
        assert organizer.buttons() == ["⬅️ Round control"]
        organizer.press("⬅️ Round control")

        organizer.press("Send the invitations now")
        organizer.sees("Invitations (the week from 7 December): sent on Thursday, 3 December")
        assert organizer.buttons() == ["Make the pairs now", "⬅️ Round control"]
        organizer.press("Make the pairs now")
        organizer.sees("Make the pairs for the week from 7 December now?")
        organizer.press("Yes, make them")
        done = organizer.sees("Pairs (the week from 7 December): Meetings: 2.")
        assert "Introduced: 4." in done and "messages go out now." in done
        # delivered by the bot itself at once: no cron, no scheduler.py
        eventually(lambda: all(introductions(fake)[uid] for uid in PEOPLE[1:]), 30,
                   "the introductions")
        assert introductions(fake) == {401: 0, 402: 1, 403: 1, 404: 1, 405: 1}

        organizer.sees("Round control: the week from 7 December")
        organizer.press("Make the pairs now")
        organizer.sees("Pairs (the week from 7 December): made on Sunday, 6 December, 12:")
        said = " ".join(m.text or "" for m in organizer.sent())
        for internal in ("scheduler.py", "2026-11-30", "2026-12-07", "match 20", "nothing to do"):
            assert internal not in said, internal
        assert fake.errors(ADMIN_ID) == []  # no screen was redrawn unchanged, nothing refused
    rows = bot.query("select action, target from audit_entry")
    assert rows == [("run_job", "match 2026-12-07")]
