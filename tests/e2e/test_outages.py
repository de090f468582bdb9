"""Outages the bot lives through, as an operator reads them: each is two lines in the log, a
warning naming what is away when it starts and one with counts when it ends, and no traceback;
nothing is lost, nothing sent twice, and delivery goes on within seconds of the end.

The Bot API: its connection dropped while the bot polls; 502s, then requests that time out, in
the middle of a broadcast. The database: a full disk in the middle of a broadcast (SQLite); a
server restarted under two webhook workers sending invitations (PostgreSQL)."""

from __future__ import annotations

import contextlib
import datetime as dt
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.test_organizers import registered_people
from tests.kit import FakeBotAPI
from tests.kit.databases import Cluster, on_postgresql
from tests.kit.news import news_copies, queue_news
from tests.kit.running import RunningBot, eventually


def warnings(log: str, source: str) -> list[str]:
    """The log's lines from the logger `source`, without their time stamps, in a log with no
    traceback. (The weekly cycle runs in the process too and says on lines of its own what it
    finds on a fresh database: a round's invitations missed, on a weekday.)"""
    assert "Traceback" not in log, log
    return [line.split(" ", 2)[2] for line in log.splitlines() if f" {source}: " in line]


def test_a_dropped_connection_to_the_bot_api_while_polling(fake: FakeBotAPI,
                                                           tmp_path: Path) -> None:
    with RunningBot(fake, tmp_path, settings={"SCHEDULE_IN_PROCESS": "yes"}) as bot:
        ann = bot.user(101, first_name="Ann", language_code="en")
        ann.command("start", replies=2)
        fake.outage(3)
        fake.push_update(fake.message_update(101, "Ann", first_name="Ann", language_code="en"))
        fake.wait_for(lambda api: len(api.sent(101)) >= 3, 20, what="the answer after it")
        eventually(lambda: "answers again" in bot.stderr(), 10, "the end of the outage")
        log = bot.stderr()

    assert fake.dropped > 0
    first, last = warnings(log, "engine.transports.telegram.http")
    assert first.startswith("WARNING engine.transports.telegram.http: the Telegram Bot API "
                            "does not answer ("), log  # (getUpdates, or a reply going out)
    assert first.endswith("): updates and messages wait until it is back"), log
    assert last.startswith("WARNING engine.transports.telegram.http: the Telegram Bot API "
                           "answers again after "), log
    assert last.endswith("failed attempt(s) meanwhile)"), log


def test_502s_then_timeouts_during_a_broadcast(fake: FakeBotAPI, tmp_path: Path) -> None:
    people = range(2001, 2031)

    def go_away() -> None:  # 502 for two seconds, then requests that are never answered
        fake.bad_gateway(2)
        threading.Timer(2, lambda: fake.stall(6)).start()

    with RunningBot(fake, tmp_path, settings={"SCHEDULE_IN_PROCESS": "yes"}) as bot:
        fake.after_call("sendMessage", 5, go_away)
        queue_news(bot.database_url, people)
        fake.wait_for(lambda api: all(news_copies(api, people)), 60, what="the broadcast")
        eventually(lambda: "answers again" in bot.stderr(), 10, "the end of the outage")
        log = bot.stderr()

    assert news_copies(fake, people) == [1] * len(people)
    first, last = warnings(log, "engine.transports.telegram.http")
    assert "the Telegram Bot API does not answer (" in first and "HTTP 502" in first, log
    assert "the Telegram Bot API answers again after " in last, log


@contextlib.contextmanager
def small_disk(folder: Path) -> Iterator[Path]:
    """A file system of 2 MB of its own, mounted at `folder`."""
    folder.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(folder)],
                      capture_output=True).returncode:
        pytest.skip("cannot mount a small file system here")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=True)


def fill(disk: Path) -> None:
    with contextlib.suppress(OSError), (disk / "filler").open("wb") as filler:
        while True:
            filler.write(b"x" * 65536)
            filler.flush()


@pytest.mark.sqlite_only
def test_a_full_disk_during_a_broadcast(fake: FakeBotAPI, tmp_path: Path) -> None:
    people = range(2001, 2041)
    with small_disk(tmp_path / "disk") as disk:
        url = f"sqlite:///{disk / 'bot.sqlite3'}"
        queue_news(url, people)
        settings = {"SCHEDULE_IN_PROCESS": "yes", "DATABASE_URL": url}
        with RunningBot(fake, tmp_path, settings=settings) as bot:
            fake.after_call("sendMessage", 10, lambda: fill(disk))
            eventually(lambda: "cannot be written" in bot.stderr(), 30, "the disk full")
            time.sleep(3)  # full for a while: tried again, said once
            stuck = sum(news_copies(fake, people))
            (disk / "filler").unlink()
            freed = time.monotonic()
            fake.wait_for(lambda api: all(news_copies(api, people)), 30, what="the rest")
            resumed_in = time.monotonic() - freed
            eventually(lambda: "can be written again" in bot.stderr(), 10, "the end")
            log = bot.stderr()

    assert stuck < len(people)
    assert resumed_in < 8, f"delivery went on {resumed_in:.1f} s after space was freed"
    assert news_copies(fake, people) == [1] * len(people)  # the one sent, not marked: owed
    first, last = warnings(log, "engine.store.outage")
    assert first.startswith("WARNING engine.store.outage: the database cannot be written ("), log
    assert first.endswith("): nothing is changed until space is freed"), log
    assert last.startswith("WARNING engine.store.outage: the database can be written again "
                           "after "), log


@pytest.mark.skipif(not on_postgresql(), reason="needs a PostgreSQL server (TEST_DATABASE_URL)")
def test_a_database_restart_mid_invitation_on_two_workers(fake: FakeBotAPI,
                                                          tmp_path: Path) -> None:
    people = range(2001, 2121)
    cluster = Cluster()
    try:
        registered_people(cluster.url, people)
        fake.set_latency(0.02)
        restarted = threading.Event()
        restarted_at: list[float] = []

        def restart() -> None:
            cluster.restart()
            restarted_at.append(time.monotonic())
            restarted.set()

        settings = {"DATABASE_URL": cluster.url, "SCHEDULE_IN_PROCESS": "yes",
                    **invitations_due_now()}
        for worker in ("a", "b"):
            (tmp_path / worker).mkdir()
        with RunningBot(fake, tmp_path / "a", mode="webhook", settings=settings) as first, \
                RunningBot(fake, tmp_path / "b", mode="webhook", settings=settings) as second:
            fake.after_call("sendMessage", 30,
                            lambda: threading.Thread(target=restart).start())
            assert restarted.wait(60), "the restart never came"
            fake.wait_for(lambda api: all(api.sent(uid) for uid in people), 60,
                          what="an invitation to everyone")
            logs = [first.stderr(), second.stderr()]
    finally:
        cluster.remove()

    arrived = max(fake.sent(uid)[0].sent_at for uid in people)
    late = arrived - restarted_at[0]
    assert late < 10, f"the last invitation came {late:.1f} s after the restart"
    assert [len(fake.sent(uid)) for uid in people] == [1] * len(people)
    for log in logs:
        assert "Traceback" not in log and "never retrieved" not in log, log
        assert log.count("the database does not answer") == log.count("answers again") <= 1, log
        assert len(log.splitlines()) == 2 * log.count("answers again"), log


def invitations_due_now() -> dict[str, str]:
    """A schedule whose invitations were due a minute ago (in UTC), matching two days later."""
    now = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)

    def at(moment: dt.datetime) -> str:
        return moment.strftime("%a %H:%M").lower()

    return {"TIMEZONE": "UTC", "SCHEDULE_INVITE": at(now),
            "SCHEDULE_MATCH": at(now + dt.timedelta(days=2)),
            "SCHEDULE_FEEDBACK": at(now + dt.timedelta(days=4))}

