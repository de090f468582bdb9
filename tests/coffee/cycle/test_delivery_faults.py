"""Fault injection against real `scheduler.py` processes and the fake Bot API: kill -9 in the
middle of a bulk send and a rerun at once, an API outage in cron mode, a message Telegram
refuses for good, and the long trio introduction."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from engine.store import Answer, Outbox, utc_now
from tests.coffee.cycle.test_scheduler_cli import SCHEDULER, scheduler
from tests.kit import FakeBotAPI
from tests.kit.community import Community
from tests.kit.databases import database_url


@pytest.fixture
def fake() -> Iterator[FakeBotAPI]:
    with FakeBotAPI() as api:
        yield api


def api_env(fake: FakeBotAPI, **settings: str) -> dict[str, str]:
    return {"BOT_TOKEN": fake.token, "TELEGRAM_API_URL": fake.url, **settings}


def killed_at(tmp_path: Path, fake: FakeBotAPI, method: str, count: int, *args: str) -> None:
    """Run scheduler.py and kill -9 it once the `count`-th `method` call of this run has
    reached Telegram, before the answer gets back."""
    environment = {key: value for key, value in os.environ.items()
                   if key not in ("BOT_TOKEN", "TIMEZONE", "DATABASE_URL")}
    environment.update(DATABASE_URL=database_url(tmp_path / "bot.sqlite3"), **api_env(fake))
    process = subprocess.Popen([sys.executable, str(SCHEDULER), *args, "-q"], cwd=tmp_path,
                               env=environment, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    fake.after_call(method, count, lambda: os.kill(process.pid, signal.SIGKILL))
    assert process.wait(timeout=60) == -signal.SIGKILL


def next_round(community: Community) -> dt.date:
    """The round whose invitations are due next by the real clock (scheduler.py's clock)."""
    return community.bot.parts.schedule.round_for("invite", utc_now())


def register(community: Community, count: int) -> range:
    people = range(1, count + 1)
    for uid in people:
        community.register(uid, f"Name{uid}")
    return people


def texts_to(fake: FakeBotAPI, chat: int) -> list[str]:
    return [message.text or f"card {message.contact['phone_number']}"
            for message in fake.sent(chat) if message.text or message.contact]


def test_kill_9_during_invitations_then_reruns_deliver_each_once_but_the_one_in_flight(
        community: Community, fake: FakeBotAPI, tmp_path: Path) -> None:
    people = register(community, 12)
    week = next_round(community).isoformat()

    killed_at(tmp_path, fake, "sendMessage", 1, "invite", "--week", week)
    killed_at(tmp_path, fake, "sendMessage", 5, "deliver")
    killed_at(tmp_path, fake, "sendMessage", 3, "invite", "--week", week)  # "already done"
    last = scheduler(tmp_path, "deliver", "-q", **api_env(fake))
    assert last.returncode == 0, last.stderr

    received = Counter({uid: len(fake.sent(uid)) for uid in people})
    assert set(received) == set(people)
    assert all((message.text or "").startswith("<b>Random Coffee наступного тижня")
               for uid in people for message in fake.sent(uid))
    assert sum(received.values()) - len(people) <= 3  # at most one duplicate per kill
    assert Outbox.select().where(Outbox.status != "sent").count() == 0


def test_kill_9_during_introductions_keeps_each_card_after_its_introduction(
        community: Community, fake: FakeBotAPI, tmp_path: Path) -> None:
    people = range(1, 7)
    week = next_round(community)
    for uid in people:
        community.register(uid, f"Name{uid}", phone=f"+38050000000{uid}")
    community.join(people, week)

    killed_at(tmp_path, fake, "sendMessage", 4, "match", "--week", week.isoformat())
    killed_at(tmp_path, fake, "sendContact", 2, "deliver")
    last = scheduler(tmp_path, "match", "--week", week.isoformat(), "-q", **api_env(fake))
    assert last.returncode == 0, last.stderr
    assert last.stdout.startswith(f"match {week.isoformat()}: already done")

    duplicates = 0
    for uid in people:
        texts = texts_to(fake, uid)
        assert texts[0].startswith("<b>Ваш партнер Random Coffee"), texts
        assert texts[-1].startswith("card +38050000000"), texts
        assert len(set(texts)) == 2, texts  # the introduction, then the partner's card
        duplicates += len(texts) - 2
    assert duplicates <= 2


def test_a_ten_second_outage_in_cron_mode_is_outlasted_within_the_run(
        community: Community, fake: FakeBotAPI, tmp_path: Path) -> None:
    people = register(community, 8)
    week = next_round(community).isoformat()

    # Unreachable for 10 s from the moment the first invitation has gone out.
    fake.after_call("sendMessage", 1, lambda: fake.outage(10))
    result = scheduler(tmp_path, "invite", "--week", week, "-q", **api_env(fake))

    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == (
        "delivered: sent 8, unreachable 0, refused 0, expired 0, left 0")
    assert fake.dropped > 0
    assert [len(fake.sent(uid)) for uid in people] == [1] * len(people)


def test_what_an_outage_leaves_undelivered_fails_the_run_and_deliver_finishes_it(
        community: Community, fake: FakeBotAPI, tmp_path: Path) -> None:
    people = register(community, 4)
    week = next_round(community)
    until = community.bot.parts.schedule.due_at("match", week).astimezone(dt.UTC)

    fake.outage(120)  # longer than the run tries
    result = scheduler(tmp_path, "invite", "--week", week.isoformat(), "-q",
                       **api_env(fake, DELIVERY_RETRY_SECONDS="1"))
    assert result.returncode == 3
    # (warnings about the network logged before it)
    assert [line for line in result.stderr.splitlines() if line.startswith("error:")] == [
        "error: 4 message(s) not delivered (the Bot API did not answer); `scheduler.py "
        f"deliver` tries them again until {until.isoformat(timespec='minutes')}"]
    assert all(fake.sent(uid) == [] for uid in people)

    fake.outage(0)  # the API is back
    again = scheduler(tmp_path, "deliver", "-q", **api_env(fake))
    assert again.returncode == 0, again.stderr
    assert again.stdout.splitlines() == [
        "delivered: sent 4, unreachable 0, refused 0, expired 0, left 0"]
    assert [len(fake.sent(uid)) for uid in people] == [1] * len(people)


def test_a_long_trio_introduction_arrives_in_parts_of_valid_html(
        community: Community, fake: FakeBotAPI, tmp_path: Path) -> None:
    week = next_round(community)
    trio = (1, 2, 3)
    for uid in trio:
        community.register(uid, f"Name{uid}", phone=None)
    community.join(trio, week)
    # An organizer allowed 3,000 characters about oneself; these three used them all.
    abouts = {uid: ((f"Paragraph of {uid} & <friends>. " * 15 + "\n\n") * 7)[:3000]
              for uid in trio}
    for uid, about in abouts.items():
        Answer.update(value=about).where(Answer.user == uid, Answer.key == "about").execute()

    result = scheduler(tmp_path, "match", "--week", week.isoformat(), "-q", **api_env(fake))

    assert result.returncode == 0, result.stderr
    assert "trios 1" in result.stdout
    for uid in trio:
        parts = fake.sent(uid)
        assert len(parts) >= 2, [len(part.text or "") for part in parts]
        shown = "".join(part.text or "" for part in parts)
        partners = [other for other in trio if other != uid]
        for other in partners:
            phrase = f"Paragraph of {other} & <friends>."
            assert shown.count(f"Paragraph of {other} &amp; &lt;friends&gt;.") == \
                abouts[other].count(phrase) > 100
    assert {call.status for call in fake.calls("sendMessage")} == {200}
