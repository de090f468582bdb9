"""Tests of the fake Bot API server, driven by python-telegram-bot's real Bot client."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dtm
import http.client
import threading
import time
import urllib.request
from collections.abc import Awaitable, Callable, Iterator
from typing import Any, TypeVar

import httpx
import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest, Conflict, Forbidden, InvalidToken, RetryAfter

from tests.kit import BOT_USERNAME, NOT_MODIFIED, FakeBotAPI

T = TypeVar("T")
TOKEN = "123456:TEST-TOKEN"
CHAT = 4242


@pytest.fixture
def api() -> Iterator[FakeBotAPI]:
    with FakeBotAPI(TOKEN) as fake:
        yield fake


@pytest.fixture
def timedelta_retry_after(monkeypatch: pytest.MonkeyPatch) -> None:
    # Without it python-telegram-bot 22 warns when building RetryAfter (an error here).
    monkeypatch.setenv("PTB_TIMEDELTA", "true")


def with_bot(api: FakeBotAPI, scenario: Callable[[Bot], Awaitable[T]], token: str = TOKEN) -> T:
    """Run ``scenario`` with an initialised real Bot pointed at the fake server."""

    async def main() -> T:
        async with Bot(token, base_url=f"{api.url}/bot") as bot:
            return await scenario(bot)

    return asyncio.run(main())


def keyboard(*labels: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(x, callback_data=x) for x in labels]])


def test_get_me_describes_the_bot(api: FakeBotAPI) -> None:
    me = with_bot(api, lambda bot: bot.get_me())
    assert (me.id, me.username, me.is_bot) == (123456, BOT_USERNAME, True)


def test_send_message_records_markup_and_numbers_messages_per_chat(api: FakeBotAPI) -> None:
    async def scenario(bot: Bot) -> list[Any]:
        return [
            await bot.send_message(CHAT, "hello", reply_markup=keyboard("yes", "no")),
            await bot.send_message(CHAT, "again"),
            await bot.send_message(CHAT + 1, "elsewhere"),
        ]

    first, second, other = with_bot(api, scenario)
    assert (first.message_id, second.message_id, other.message_id) == (1, 2, 1)
    assert first.reply_markup == keyboard("yes", "no")
    assert first.from_user.username == BOT_USERNAME
    assert first.chat.id == CHAT
    (call, _) = api.calls("sendMessage", chat_id=CHAT)
    assert call.params["reply_markup"] == {
        "inline_keyboard": [
            [{"text": "yes", "callback_data": "yes"}, {"text": "no", "callback_data": "no"}]
        ]
    }
    assert [m.text for m in api.sent(CHAT)] == ["hello", "again"]


def test_edits_apply_to_sent_and_unchanged_or_missing_messages_are_refused(
    api: FakeBotAPI,
) -> None:
    async def scenario(bot: Bot) -> None:
        sent = await bot.send_message(CHAT, "pick one", reply_markup=keyboard("a", "b"))
        edited = await bot.edit_message_text(
            "picked a", CHAT, sent.message_id, reply_markup=keyboard("undo")
        )
        assert edited.text == "picked a"
        with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
            await bot.edit_message_text(
                "picked a", CHAT, sent.message_id, reply_markup=keyboard("undo")
            )
        await bot.edit_message_reply_markup(CHAT, sent.message_id, reply_markup=None)
        with pytest.raises(BadRequest, match=r"(?i)message to edit not found"):
            await bot.edit_message_text("nope", CHAT, 999)

    with_bot(api, scenario)
    (message,) = api.sent(CHAT)
    assert (message.text, message.reply_markup) == ("picked a", None)
    assert message.edited_at is not None
    assert api.calls("editMessageText")[1].status == 400
    assert NOT_MODIFIED.startswith("Bad Request: message is not modified: ")


def test_get_updates_honours_offset_limit_and_records_delivery(api: FakeBotAPI) -> None:
    ids = [api.push_message(7, f"m{i}") for i in range(3)]

    async def scenario(bot: Bot) -> tuple[list[Update], ...]:
        return (
            await bot.get_updates(),
            await bot.get_updates(offset=ids[1]),
            await bot.get_updates(offset=ids[2], limit=1),
        )

    everything, after_first, last = with_bot(api, scenario)
    assert [u.update_id for u in everything] == ids
    assert [u.message.text for u in after_first] == ["m1", "m2"]
    assert [u.update_id for u in last] == ids[2:]
    assert [u["update_id"] for u in api.pending_updates()] == ids[2:]
    assert set(api.delivered_at) == set(ids)
    assert everything[0].message.from_user.language_code == "uk"


def test_long_poll_waits_for_timeout_and_returns_early_on_push(api: FakeBotAPI) -> None:
    async def scenario(bot: Bot) -> tuple[float, float, list[Update]]:
        started = time.monotonic()
        assert await bot.get_updates(timeout=dtm.timedelta(seconds=0.3)) == ()
        idle = time.monotonic() - started
        pusher = threading.Timer(0.2, api.push_message, args=(7, "wake up"))
        pusher.start()
        started = time.monotonic()
        updates = await bot.get_updates(timeout=5)
        pusher.join()
        return idle, time.monotonic() - started, updates

    idle, woken, updates = with_bot(api, scenario)
    assert 0.3 <= idle < 1.0
    assert woken < 1.5
    assert [u.message.text for u in updates] == ["wake up"]


def test_blocked_chat_is_forbidden_until_unblocked(api: FakeBotAPI) -> None:
    api.block(CHAT)

    async def scenario(bot: Bot) -> None:
        with pytest.raises(Forbidden, match=r"(?i)bot was blocked by the user"):
            await bot.send_message(CHAT, "hello?")
        with pytest.raises(Forbidden):
            await bot.send_chat_action(CHAT, "typing")
        await bot.send_message(CHAT + 1, "others still get messages")
        api.unblock(CHAT)
        await bot.send_message(CHAT, "back")

    with_bot(api, scenario)
    assert [m.text for m in api.sent(CHAT)] == ["back"]
    assert [c.status for c in api.calls(chat_id=CHAT)] == [403, 403, 200]


@pytest.mark.usefixtures("timedelta_retry_after")
def test_fail_next_answers_429_with_retry_after(api: FakeBotAPI) -> None:
    api.fail_next("sendMessage", times=2, retry_after=7)

    async def scenario(bot: Bot) -> None:
        for _ in range(2):
            with pytest.raises(RetryAfter) as refused:
                await bot.send_message(CHAT, "hi")
            assert refused.value.retry_after == dtm.timedelta(seconds=7)
        await bot.send_message(CHAT, "hi")

    with_bot(api, scenario)
    assert [c.status for c in api.calls("sendMessage")] == [429, 429, 200]
    assert len(api.sent(CHAT)) == 1
    assert api.refused == []


@pytest.mark.usefixtures("timedelta_retry_after")
def test_sliding_window_refuses_the_31st_send_within_a_second(api: FakeBotAPI) -> None:
    api.set_rate_limit(30)

    async def scenario(bot: Bot) -> None:
        for i in range(30):
            await bot.send_message(CHAT, f"m{i}")
        with pytest.raises(RetryAfter) as refused:
            await bot.send_message(CHAT, "31st")
        assert refused.value.retry_after == dtm.timedelta(seconds=1)
        oldest = api.calls("sendMessage")[0].at
        await asyncio.sleep(oldest + 1.05 - time.monotonic())
        await bot.send_message(CHAT, "after the window moved")

    with_bot(api, scenario)
    (refused,) = api.refused
    assert (refused.params["text"], refused.status) == ("31st", 429)
    assert len(api.sent(CHAT)) == 31
    assert api.sent(CHAT)[-1].text == "after the window moved"


def test_wrong_token_is_unauthorized(api: FakeBotAPI) -> None:
    with pytest.raises(InvalidToken, match="rejected"):
        with_bot(api, lambda bot: bot.get_me(), token="654321:WRONG")
    with httpx.Client() as client:
        answer = client.post(f"{api.url}/bot654321:WRONG/getMe")
    assert answer.status_code == 401
    assert answer.json() == {"ok": False, "error_code": 401, "description": "Unauthorized"}
    assert api.calls() == []


def test_unknown_method_json_and_multipart_bodies(api: FakeBotAPI) -> None:
    base = f"{api.url}/bot{TOKEN}"
    with httpx.Client() as client:
        missing = client.post(f"{base}/sendTeleportation", json={})
        as_json = client.post(
            f"{base}/sendmessage",
            json={"chat_id": CHAT, "text": "123", "reply_markup": {"inline_keyboard": []}},
        )
        multipart = client.post(
            f"{base}/sendMessage",
            data={"chat_id": str(CHAT), "text": "with file"},
            files={"document": ("a.txt", b"abc")},
        )
    assert missing.status_code == 404
    assert missing.json() == {"ok": False, "error_code": 404, "description": "Not Found"}
    assert as_json.json()["result"]["text"] == "123"
    assert multipart.json()["ok"] is True
    json_call, multipart_call = api.calls("sendMessage")
    assert json_call.params == {
        "chat_id": CHAT,
        "text": "123",
        "reply_markup": {"inline_keyboard": []},
    }
    assert multipart_call.params == {"chat_id": CHAT, "text": "with file", "document": b"abc"}


def test_built_updates_parse_and_callbacks_carry_the_bot_message(api: FakeBotAPI) -> None:
    async def scenario(bot: Bot) -> list[Update]:
        sent = await bot.send_message(CHAT, "choose", reply_markup=keyboard("tea"))
        api.push_command(CHAT, "start ref42", username="tester")
        api.push_contact(CHAT, "+380501234567")
        api.push_sticker(CHAT)
        api.push_photo(CHAT)
        api.push_callback(CHAT, "tea", sent.message_id)
        api.push_message(CHAT + 1, "hi all", chat_type="group", chat_id=-100)
        updates = await bot.get_updates()
        await updates[4].callback_query.answer("noted")
        return updates

    command, contact, sticker, photo, callback, group = with_bot(api, scenario)
    assert command.message.text == "/start ref42"
    assert command.message.parse_entities() != {}
    assert command.message.from_user.username == "tester"
    assert contact.message.contact.user_id == CHAT
    assert sticker.message.sticker is not None
    assert len(photo.message.photo) == 2
    assert callback.callback_query.data == "tea"
    assert callback.callback_query.message.text == "choose"
    assert group.message.chat.type == "group"
    assert group.effective_user.id == CHAT + 1
    (answer,) = api.calls("answerCallbackQuery")
    assert (answer.chat_id, answer.params["text"]) == (CHAT, "noted")
    update_ids = [u.update_id for u in (command, contact, sticker, photo, callback, group)]
    assert update_ids == sorted(update_ids)
    with pytest.raises(LookupError):
        api.callback_update(CHAT, "tea", 999)


def test_webhook_settings_and_conflict_with_polling(api: FakeBotAPI) -> None:
    api.push_message(7, "stale")

    async def scenario(bot: Bot) -> None:
        await bot.set_webhook("https://example.test/hook", secret_token="s3cret")
        info = await bot.get_webhook_info()
        assert (info.url, info.pending_update_count) == ("https://example.test/hook", 1)
        with pytest.raises(Conflict):
            await bot.get_updates()
        await bot.delete_webhook(drop_pending_updates=True)
        assert await bot.get_updates() == ()

    with_bot(api, scenario)
    assert api.webhook.url == ""
    (set_call,) = api.calls("setWebhook")
    assert set_call.params["secret_token"] == "s3cret"
    update = api.message_update(7, "for a webhook")
    assert update["message"]["text"] == "for a webhook"
    assert api.pending_updates() == []


def test_commands_round_trip(api: FakeBotAPI) -> None:
    async def scenario(bot: Bot) -> tuple[Any, Any]:
        await bot.set_my_commands([("start", "Begin")], language_code="uk")
        stored = await bot.get_my_commands(language_code="uk")
        await bot.delete_my_commands(language_code="uk")
        return stored, await bot.get_my_commands(language_code="uk")

    stored, after_delete = with_bot(api, scenario)
    assert [(c.command, c.description) for c in stored] == [("start", "Begin")]
    assert after_delete == ()


def test_wait_for_calls_wakes_on_a_call_and_reports_on_timeout(api: FakeBotAPI) -> None:
    def send() -> None:
        with httpx.Client() as client:
            client.post(f"{api.url}/bot{TOKEN}/sendMessage", data={"chat_id": 9, "text": "x"})

    sender = threading.Timer(0.1, send)
    sender.start()
    (call,) = api.wait_for_calls("sendMessage", 1, chat_id=9, timeout=3)
    sender.join()
    assert call.params["text"] == "x"
    with pytest.raises(AssertionError, match=r"2 sendMessage call\(s\)[\s\S]*sendMessage chat=9"):
        api.wait_for_calls("sendMessage", 2, timeout=0.1)


def test_an_observer_is_told_of_every_call_refused_ones_too(api: FakeBotAPI) -> None:
    seen: list[tuple[str, int | None, int]] = []
    api.observe(lambda call: seen.append((call.method, call.chat_id, call.status)))
    api.block(7)

    async def scenario(bot: Bot) -> None:
        await bot.send_message(9, "hello")
        with pytest.raises(Forbidden):
            await bot.send_message(7, "hello")

    with_bot(api, scenario)
    assert ("sendMessage", 9, 200) in seen
    assert ("sendMessage", 7, 403) in seen
    assert [method for method, _, _ in seen] == [call.method for call in api.calls()]


def test_stop_wakes_a_long_poll_quickly() -> None:
    api = FakeBotAPI(TOKEN).start()

    def long_poll() -> None:
        url = f"{api.url}/bot{TOKEN}/getUpdates?timeout=30"
        # A connection cut by stop() is as good as an empty answer.
        with contextlib.suppress(OSError, http.client.HTTPException), \
                urllib.request.urlopen(url, data=b"", timeout=10) as response:
            response.read()

    poller = threading.Thread(target=long_poll)
    poller.start()
    api.wait_for_calls("getUpdates", 1)
    started = time.monotonic()
    api.stop()
    poller.join(timeout=2)
    assert time.monotonic() - started < 1.0
    assert not poller.is_alive()
