"""Which chats the bot serves, and how: private chats in order, groups pointed elsewhere."""

from __future__ import annotations

from pathlib import Path

from tests.kit import BOT_USERNAME, FakeBotAPI
from tests.kit.running import RunningBot

GROUP = -1001


def test_a_group_is_told_once_to_use_private_chat_and_otherwise_ignored(
        fake: FakeBotAPI, tmp_path: Path) -> None:
    with RunningBot(fake, tmp_path) as bot:
        member = {"chat_type": "supergroup", "chat_id": GROUP, "language_code": "en"}
        fake.push_message(401, "hello everyone", **member)
        fake.push_sticker(401, **member)
        fake.push_command(401, f"/start@{BOT_USERNAME}", **member)
        notice = fake.wait_for(lambda api: api.sent(GROUP), what="the private-chat notice")
        fake.push_message(402, "nice weather", **member)
        bot.user(403).command("start", replies=2)  # by now the group's updates are done

        assert [m.text for m in notice] == [
            "I work in private chat only: open a chat with me and send /start."]
        assert len(fake.sent(GROUP)) == 1
        assert fake.calls("sendChatAction", GROUP) == []
        assert bot.query('SELECT id FROM "user"') == [(403,)]


def test_quick_messages_of_one_participant_are_answered_in_order(
        fake: FakeBotAPI, tmp_path: Path) -> None:
    with RunningBot(fake, tmp_path) as bot:
        olena = bot.user(501, language_code="en")
        for text in ("/start", "Olena", "Shevchenko"):
            fake.push_update(fake.message_update(501, text, language_code="en"))
        fake.wait_for(lambda api: len(api.sent(501)) >= 4, what="four answers")
        texts = [m.text for m in olena.sent()]
        assert texts[1:3] == ["<b>1.</b> What is your first name?",
                              "<b>2.</b> And your last name?"]
        assert texts[3].startswith("<b>3.</b> Share your phone number")

        olena.send("Skip")
        olena.send("Kyiv Coffee Lab")
        olena.press("Every two weeks")
        question = olena.keyboard_message()
        taps = [olena.press_update(label) for label in ("Networking", "Sharing experience")]
        for tap in taps:
            fake.push_update(tap)
        fake.wait_for(lambda api: len(api.calls("editMessageText", 501)) >= 2, what="2 edits")
        markup = olena.keyboard_message().reply_markup or {}
        picked = [b["text"] for row in markup["inline_keyboard"] for b in row if "✅" in b["text"]]
        assert olena.keyboard_message().message_id == question.message_id
        assert picked == ["✅ Networking", "✅ Sharing experience"]


def test_what_the_dialogue_cannot_take_is_explained(fake: FakeBotAPI, tmp_path: Path) -> None:
    with RunningBot(fake, tmp_path) as bot:
        taras = bot.user(601, language_code="en")
        taras.command("start", replies=2)
        step = taras.step(fake.photo_update(601, language_code="en"), replies=2)
        assert step.methods == ["sendChatAction", "sendMessage", "sendMessage"]
        assert step.texts == ["I can only read text here.", "<b>1.</b> What is your first name?"]
