"""Cron's `scheduler.py deliver` while the bot's in-process schedule sends a broadcast: one
process sends at a time (the sender's role, on SQLite too), so Telegram's limit is never hit,
and the cron run that finds the role taken says so and succeeds instead of raising an alarm."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.kit import FakeBotAPI
from tests.kit.news import news_copies, queue_news
from tests.kit.running import REPO_ROOT, RunningBot

PEOPLE = range(2001, 2081)


def test_cron_deliver_during_the_bots_broadcast_waits_its_turn_and_succeeds(
        fake: FakeBotAPI, tmp_path: Path) -> None:
    fake.set_rate_limit(30)  # Telegram's: more than 30 sends in a second are refused (429)
    with RunningBot(fake, tmp_path, settings={"SCHEDULE_IN_PROCESS": "yes"}) as bot:
        # Ten messages out, Telegram slows down to a second a request while cron runs.
        fake.after_call("sendMessage", 10, lambda: fake.set_latency(1.0))
        queue_news(bot.database_url, PEOPLE)
        fake.wait_for(lambda api: sum(len(api.sent(uid)) for uid in PEOPLE) >= 10, 20,
                      what="the bot's broadcast under way")
        cron = subprocess.run([sys.executable, "scheduler.py", "deliver", "-q"], cwd=REPO_ROOT,
                              env=bot.env() | {"DELIVERY_RETRY_SECONDS": "1"},
                              capture_output=True, text=True, timeout=60, check=False)
        fake.set_latency(0)
        fake.wait_for(lambda api: all(news_copies(api, PEOPLE)), 30,
                      what="the broadcast to everyone")
        log = bot.stderr()

    assert cron.returncode == 0, cron.stderr
    assert cron.stderr == ""
    summary, elsewhere = cron.stdout.splitlines()
    assert summary == "delivered: sent 0, unreachable 0, refused 0, expired 0, left 0"
    count = int(elsewhere.split()[0])
    assert 0 < count < len(PEOPLE)
    assert elsewhere == f"{count} message(s) in progress elsewhere: another process is sending them"
    assert fake.refused == []  # no 429
    assert news_copies(fake, PEOPLE) == [1] * len(PEOPLE)
    assert "flood" not in log, log
