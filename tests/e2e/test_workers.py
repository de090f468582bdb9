"""Webhook workers sharing a PostgreSQL database: fast typists whose updates alternate between
two workers keep their answers and their order; a server restarted with pg_ctl, or stopped and
started again, is survived; one that stays away stops the bot (for systemd to restart it)."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from engine.dialog.events import Event, Sender
from tests.kit import FakeBotAPI
from tests.kit.databases import Cluster, database_url, on_postgresql, query
from tests.kit.running import RunningBot, eventually

pytestmark = pytest.mark.skipif(not on_postgresql(),
                                reason="needs a PostgreSQL server (TEST_DATABASE_URL)")

QUESTIONS = ["<b>1.</b> What is your first name?", "<b>2.</b> And your last name?"]


def stored(value: object) -> object:
    """A stored JSON answer as Python (the driver may have decoded it already)."""
    return json.loads(value) if isinstance(value, str) and value.startswith('"') else value


def webhook(fake: FakeBotAPI, workdir: Path, url: str, **settings: str) -> RunningBot:
    workdir.mkdir(exist_ok=True)
    return RunningBot(fake, workdir, mode="webhook",
                      settings={"DATABASE_URL": url, **settings})


def test_two_workers_answer_fast_typists_in_order(fake: FakeBotAPI, tmp_path: Path) -> None:
    url = database_url(tmp_path / "bot.sqlite3")
    typists = range(301, 321)
    with webhook(fake, tmp_path / "a", url) as first, webhook(fake, tmp_path / "b", url) as second:
        workers = (first, second)

        def type_fast(user_id: int) -> None:
            updates = [fake.command_update(user_id, "start", language_code="en"),
                       fake.message_update(user_id, f"First{user_id}", language_code="en"),
                       fake.message_update(user_id, f"Last{user_id}", language_code="en")]
            for number, update in enumerate(updates):  # each acknowledged before the next
                workers[(user_id + number) % 2].push(update)

        threads = [threading.Thread(target=type_fast, args=(user,)) for user in typists]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        fake.wait_for(lambda api: all(len(api.sent(user)) >= 4 for user in typists),
                      timeout=60, what="four messages to every typist")

    for user in typists:
        texts = [message.text for message in fake.sent(user)]
        assert len(texts) == 4 and texts[0].startswith("Hello!"), (user, texts)
        assert texts[1:3] == QUESTIONS, (user, texts)
        assert texts[3].startswith("<b>3.</b> Share your phone number"), (user, texts)
    answers = query(url, "SELECT user_id, key, value FROM answer WHERE key IN (?, ?)",
                    "first_name", "last_name")
    assert sorted((user, key, stored(value)) for user, key, value in answers) == sorted(
        [(user, "first_name", f"First{user}") for user in typists]
        + [(user, "last_name", f"Last{user}") for user in typists])
    assert query(url, "SELECT count(*) FROM received_update") == [(0,)]


@pytest.fixture
def cluster() -> Iterator[Cluster]:
    """A server of the test's own, to restart and stop under the bot."""
    own = Cluster()
    yield own
    own.remove()


def test_a_database_restart_mid_conversation_is_survived(fake: FakeBotAPI, tmp_path: Path,
                                                         cluster: Cluster) -> None:
    with webhook(fake, tmp_path / "a", cluster.url) as bot:
        ann = bot.user(101, first_name="Ann", language_code="en")
        ann.command("start", replies=2)
        bot.user(102, first_name="Bob", language_code="en").command("start", replies=2)

        cluster.restart()  # pg_ctl restart: every connection of the bot is gone
        started = time.monotonic()
        assert ann.send("Ann").texts == [QUESTIONS[1]]
        answered_in = time.monotonic() - started

        cluster.down()  # down for a while: updates are refused, Telegram resends them
        late = fake.message_update(101, "Lee", first_name="Ann", language_code="en")
        assert bot.post(json.dumps(late).encode()) == 500
        assert bot.post(json.dumps(late).encode()) == 500
        block = json.dumps(fake.chat_member_update(102, blocked=True)).encode()
        assert bot.post(block) == 500  # a block too: not swallowed by the outage
        cluster.up()
        eventually(lambda: "answers again" in bot.stderr(), timeout=10, what="the bot back")
        step = ann.step(late, replies=1)
        assert step.texts[0].startswith("<b>3.</b> Share your phone number")
        assert bot.post(block) == 200
        eventually(lambda: query(cluster.url, 'SELECT reachable FROM "user" WHERE id = ?', 102)
                   in ([(False,)], [(0,)]), what="Bob marked unreachable")
        log = bot.stderr()

    assert answered_in < 5, f"the first answer after the restart took {answered_in:.1f} s"
    answers = query(cluster.url, "SELECT key, value FROM answer WHERE user_id = 101")
    assert {key: stored(value) for key, value in answers} == {"first_name": "Ann",
                                                              "last_name": "Lee"}
    assert log.count("the database does not answer") == 1, log
    assert log.count("the database answers again") == 1, log
    assert "Traceback" not in log, log


def test_a_database_away_too_long_stops_the_bot(fake: FakeBotAPI, tmp_path: Path,
                                                cluster: Cluster) -> None:
    with webhook(fake, tmp_path / "a", cluster.url, DATABASE_OUTAGE_EXIT="2") as bot:
        bot.user(101, language_code="en").command("start", replies=2)
        cluster.down()
        update = fake.message_update(101, "Ann", language_code="en")
        assert bot.post(json.dumps(update).encode()) == 500
        assert bot.process is not None
        code = bot.process.wait(timeout=20)
        assert code == 2
        assert "error: the database did not answer for 2 s (DATABASE_OUTAGE_EXIT)" in bot.stderr()


def test_polling_keeps_what_arrives_while_the_database_is_away(fake: FakeBotAPI, tmp_path: Path,
                                                              cluster: Cluster) -> None:
    settings = {"DATABASE_URL": cluster.url}
    with RunningBot(fake, tmp_path, mode="polling", settings=settings) as bot:
        ann = bot.user(101, first_name="Ann", language_code="en")
        ann.command("start", replies=2)

        cluster.down()
        fake.push_update(fake.message_update(101, "Ann", first_name="Ann", language_code="en"))
        eventually(lambda: "the database does not answer" in bot.stderr(), timeout=10,
                   what="the outage noticed")
        time.sleep(1.5)  # the bot keeps asking Telegram: the update must not be confirmed
        assert [update["message"]["text"] for update in fake.pending_updates()] == ["Ann"]
        cluster.up()
        fake.wait_for(lambda api: len(api.sent(101)) >= 3, timeout=15, what="the next question")
        assert fake.pending_updates() == []
        log = bot.stderr()

    assert [message.text for message in fake.sent(101)][2] == QUESTIONS[1]
    answers = query(cluster.url, "SELECT key, value FROM answer WHERE user_id = 101")
    assert {key: stored(value) for key, value in answers} == {"first_name": "Ann"}
    assert "Traceback" not in log, log


def recorded_event(update: dict[str, Any]) -> dict[str, Any]:
    """What a worker records of a participant's update: the event the dialogue takes."""
    sender = Sender("Ann", language_code="en")
    return Event.message(101, update["message"]["text"], sender=sender,
                         update_id=update["update_id"]).to_json()


@pytest.mark.parametrize("recorded", [recorded_event, lambda update: update],
                         ids=["as recorded now", "as an earlier version recorded it"])
def test_an_update_left_recorded_is_answered_by_the_next_worker(
        fake: FakeBotAPI, tmp_path: Path,
        recorded: Callable[[dict[str, Any]], dict[str, Any]]) -> None:
    """A worker killed after it acknowledged an update (so Telegram never sends it again) left
    it recorded: the next worker to start answers it, in its place in the participant's line
    (also one recorded whole, as Telegram sent it, by a version before an upgrade)."""
    url = database_url(tmp_path / "bot.sqlite3")
    with webhook(fake, tmp_path / "a", url) as bot:
        bot.user(101, first_name="Ann", language_code="en").command("start", replies=2)
    answers = [fake.message_update(101, name, first_name="Ann", language_code="en")
               for name in ("Ann", "Lee")]
    for update in answers:  # what the killed worker recorded before acknowledging
        query(url, "INSERT INTO received_update (update_id, user_id, payload, received_at) "
                   "VALUES (?, ?, ?, ?)", update["update_id"], 101,
              json.dumps(recorded(update)), "2026-01-05T09:00:00+00:00")

    with webhook(fake, tmp_path / "b", url):
        fake.wait_for(lambda api: len(api.sent(101)) >= 4, timeout=15, what="both answers")
        eventually(lambda: query(url, "SELECT count(*) FROM received_update") == [(0,)],
                   what="both updates marked handled")

    texts = [message.text for message in fake.sent(101)]
    assert texts[2] == QUESTIONS[1] and texts[3].startswith("<b>3.</b> Share your phone"), texts
    stored_answers = query(url, "SELECT key, value FROM answer WHERE user_id = 101")
    assert {key: stored(value) for key, value in stored_answers} == {"first_name": "Ann",
                                                                     "last_name": "Lee"}
