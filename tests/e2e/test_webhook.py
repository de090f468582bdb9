"""The webhook refuses strangers and survives garbage; Telegram gets the right registration."""

from __future__ import annotations

import json
from pathlib import Path

from tests.kit import FakeBotAPI
from tests.kit.running import WEBHOOK_SECRET, RunningBot


def test_webhook_checks_the_secret_and_survives_a_malformed_body(
        fake: FakeBotAPI, tmp_path: Path) -> None:
    with RunningBot(fake, tmp_path, mode="webhook") as bot:
        assert fake.webhook.url == bot.webhook_url
        assert fake.webhook.secret_token == WEBHOOK_SECRET
        assert fake.webhook.allowed_updates == ["message", "callback_query", "my_chat_member"]

        intruder = json.dumps(fake.command_update(201, "start")).encode()
        assert bot.post(intruder, secret="wrong") == 403
        assert bot.post(intruder, secret=None) == 403
        assert bot.post(b'{"update_id": 7, "message": ', secret=WEBHOOK_SECRET) >= 400
        assert bot.post(b"\xff\xfe not even text") >= 400

        step = bot.user(202).command("start", replies=2)
        assert len(step.messages) == 2
        assert bot.query('SELECT id FROM "user"') == [(202,)]
        assert fake.calls(chat_id=201) == []
