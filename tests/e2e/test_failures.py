"""What Telegram refuses does not lose a reply: 429s are waited out, blocked users noted."""

from __future__ import annotations

from pathlib import Path

from tests.kit import FakeBotAPI
from tests.kit.running import RunningBot, eventually


def test_a_flood_refusal_is_waited_out_and_the_reply_still_arrives(
        fake: FakeBotAPI, tmp_path: Path) -> None:
    with RunningBot(fake, tmp_path) as bot:
        fake.fail_next("sendMessage", retry_after=1)
        step = bot.user(301).command("start", replies=2)

        sends = fake.calls("sendMessage", 301)
        assert [call.status for call in sends] == [429, 200, 200]
        assert sends[1].params == sends[0].params
        assert sends[1].at - sends[0].at >= 1.0
        assert step.texts[0] == sends[0].params["text"]


def test_a_user_who_blocked_the_bot_is_unreachable_until_they_write_again(
        fake: FakeBotAPI, tmp_path: Path) -> None:
    with RunningBot(fake, tmp_path) as bot:
        user = bot.user(302)
        reachable = 'SELECT reachable FROM "user" WHERE id = 302'
        fake.block(302)
        fake.push_command(302, "start")
        eventually(lambda: bot.query(reachable) == [(0,)], what="user 302 marked unreachable")
        assert [call.status for call in fake.calls("sendMessage", 302)] == [403]  # no more

        fake.unblock(302)
        step = user.send("Olena")
        assert step.texts == ["<b>2.</b> А прізвище?"]
        assert bot.query(reachable) == [(1,)]
