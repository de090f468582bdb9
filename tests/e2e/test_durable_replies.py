"""A reply is not lost to a crash: the bot killed (kill -9) after a turn's commit and before
its reply reached Telegram sends that reply after the restart, once; one gone too old by then
is not sent late: the participant is told the bot was away and shown where they stand."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from engine.delivery.replies import LATE_AFTER
from tests.kit import FakeBotAPI
from tests.kit.clock import MovedClock
from tests.kit.running import Mode, RunningBot, eventually

SECOND_QUESTION = "<b>2.</b> А прізвище?"
AWAY = "Вибачте, якийсь час мене не було на зв’язку — ось на чому ви зупинилися."


def killed_after_the_commit(bot: RunningBot, fake: FakeBotAPI, user_id: int,
                            text: str) -> dict[str, object]:
    """Send `text` as `user_id`; the bot dies as its reply leaves (after the turn's commit,
    before Telegram took anything). The update, for sending it again."""
    fake.before_call("sendMessage", 1, lambda: bot.process and bot.process.kill())
    update = fake.message_update(user_id, text)
    bot.push(update)
    assert bot.process is not None
    bot.process.wait(timeout=30)
    return update


def texts(fake: FakeBotAPI, user_id: int) -> list[str]:
    return [message.text or "" for message in fake.sent(user_id)]


@pytest.mark.parametrize("mode", ["polling", "webhook"])
def test_a_reply_cut_off_by_a_kill_after_the_commit_arrives_after_the_restart_once(
        fake: FakeBotAPI, tmp_path: Path, mode: Mode) -> None:
    with RunningBot(fake, tmp_path, mode=mode) as bot:
        user = bot.user(501)
        user.command("start", replies=2)
        update = killed_after_the_commit(bot, fake, 501, "Olena")
    assert bot.query("SELECT value FROM answer WHERE user_id = 501") == [('"Olena"',)]
    assert SECOND_QUESTION not in texts(fake, 501)  # the state moved on, the reply was lost

    with RunningBot(fake, tmp_path, mode=mode, verbose=True) as bot:
        eventually(lambda: SECOND_QUESTION in texts(fake, 501), 20, "the reply after the restart")
        eventually(lambda: "sent 1 reply(ies) left unsent" in bot.stderr(), what="its log line")
        assert "answered" not in bot.stderr()  # the update resumed took effect before the kill
        if mode == "webhook":  # Telegram sends the update again: it was handled
            assert bot.post(json.dumps(update).encode()) == 200
        step = bot.user(501).send("Petrenko", replies=1)  # the next one is answered after it
        assert [text[:9] for text in step.texts] == ["<b>3.</b>"]
    assert texts(fake, 501).count(SECOND_QUESTION) == 1
    answers = bot.query("SELECT key, value FROM answer WHERE user_id = 501 ORDER BY key")
    assert answers == [("first_name", '"Olena"'), ("last_name", '"Petrenko"')]  # taken once
    assert bot.query("SELECT status FROM outbox WHERE kind = 'turn' AND status <> 'sent'") == []
    assert bot.query("SELECT count(*) FROM turn_reply") == [(0,)]  # nothing left in flight


def test_a_reply_too_old_after_the_restart_is_replaced_by_the_current_screen(
        fake: FakeBotAPI, tmp_path: Path) -> None:
    clock = MovedClock(tmp_path / "now.txt", dt.datetime.now(dt.UTC))
    with RunningBot(fake, tmp_path, mode="webhook", settings=clock.env) as bot:
        bot.user(502).command("start", replies=2)
        killed_after_the_commit(bot, fake, 502, "Olena")

    clock.set(dt.datetime.now(dt.UTC) + LATE_AFTER + dt.timedelta(minutes=1))
    with RunningBot(fake, tmp_path, mode="webhook", settings=clock.env) as bot:
        eventually(lambda: SECOND_QUESTION in texts(fake, 502), 20,
                   "the line and the current screen")
        user = bot.user(502)
        step = user.send("Petrenko", replies=1)  # the screen shown is the one they stand at
        assert [text[:9] for text in step.texts] == ["<b>3.</b>"]
    assert texts(fake, 502)[-3:-1] == [AWAY, SECOND_QUESTION]
    assert texts(fake, 502).count(SECOND_QUESTION) == 1  # the late reply itself never went
    late = bot.query("SELECT status, error FROM outbox WHERE kind = 'turn' "
                     "AND status <> 'sent'")
    assert [status for status, _error in late] == ["expired"]
    assert late[0][1].startswith("late")
