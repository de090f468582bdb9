"""An update delivered twice (Telegram retries a webhook whose answer was slow or lost) takes
effect once: the second copy changes nothing and sends nothing."""

from __future__ import annotations

import json
from pathlib import Path

from tests.kit import FakeBotAPI
from tests.kit.running import RunningBot, eventually


def test_the_same_webhook_update_posted_twice_takes_effect_once(
        fake: FakeBotAPI, tmp_path: Path) -> None:
    with RunningBot(fake, tmp_path, mode="webhook") as bot:
        user = bot.user(401)
        user.command("start", replies=2)
        update = fake.message_update(401, "Olena")
        body = json.dumps(update).encode()
        step = user.step(update, replies=1)
        assert step.texts == ["<b>2.</b> А прізвище?"]

        assert bot.post(body) == 200  # the retry
        user.send("Petrenko")  # the next update is answered, so the retry was handled before
        answers = bot.query("SELECT key, value FROM answer WHERE user_id = 401 ORDER BY key")
        assert answers == [("first_name", '"Olena"'), ("last_name", '"Petrenko"')]
        assert [m.text for m in user.sent()].count("<b>2.</b> А прізвище?") == 1
        eventually(lambda: bot.query("SELECT count(*) FROM handled_update") == [(3,)],
                   what="three updates recorded")
