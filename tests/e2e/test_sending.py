"""The outbox's sender, `telegram_sender`, over real HTTP: paced, patient, never losing."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TypeVar

import pytest
from telegram import Bot as TelegramApi

from coffee.app import Bot
from engine.dialog.delivery import SendOutcome, SendReply
from engine.dialog.events import Button, Contact, Reply
from engine.store import User
from engine.transports.telegram import telegram_sender
from engine.transports.telegram.sending import BULK_RATE_PER_SECOND, ReplySender
from tests.kit import FakeBotAPI
from tests.kit.participant import Participant
from tests.kit.running import free_port
from tests.kit.settings import settings_for

T = TypeVar("T")


def sending(fake: FakeBotAPI, bot: Bot, tmp_path: Path,
            job: Callable[[SendReply], Awaitable[T]]) -> T:
    """Run `job` with a telegram_sender pointed at the fake, as the weekly jobs do."""
    settings = settings_for(tmp_path, BOT_TOKEN=fake.token, TELEGRAM_API_URL=fake.url)

    async def run() -> T:
        async with telegram_sender(settings) as send:
            return await job(send)

    return asyncio.run(run())


def test_a_bulk_send_is_paced_under_the_limit_and_loses_nothing(
        fake: FakeBotAPI, bot: Bot, tmp_path: Path) -> None:
    fake.set_rate_limit(30)
    chats = range(1, 46)

    async def job(send: SendReply) -> list[SendOutcome]:
        return await asyncio.gather(*(send(chat, Reply(text=f"Hello {chat}")) for chat in chats))

    started = time.monotonic()
    outcomes = sending(fake, bot, tmp_path, job)
    elapsed = time.monotonic() - started

    assert outcomes == [SendOutcome.SENT] * len(chats)
    assert fake.refused == []
    assert [fake.sent(chat)[0].text for chat in chats] == [f"Hello {chat}" for chat in chats]
    assert elapsed >= (len(chats) - 1) / BULK_RATE_PER_SECOND


def test_every_kind_of_reply_and_refusal_gets_its_outcome(
        fake: FakeBotAPI, bot: Bot, tmp_path: Path, participant: Participant) -> None:
    participant.command("start")
    fake.fail_next("sendMessage", retry_after=1)
    fake.block(participant.user_id)

    async def job(send: SendReply) -> list[SendOutcome]:
        flooded = await send(7, Reply(text="after the wait"))
        blocked = await send(participant.user_id, Reply(text="you blocked me"))
        card = await send(7, Reply(text="Your partner:", contact=Contact("+380501112233", "Ann")))
        keyboard = ((Button("Yes", "1.b.0"),),)
        lost_edit = await send(8, Reply(text="redrawn", buttons=keyboard, edit_message_id=42))
        same_edit = await send(8, Reply(text="redrawn", buttons=keyboard,
                                        edit_message_id=fake.sent(8)[0].message_id))
        to_admin = await send(participant.user_id, Reply(text="a note", chat_id=9))
        return [flooded, blocked, card, lost_edit, same_edit, to_admin]

    outcomes = sending(fake, bot, tmp_path, job)

    assert outcomes == [SendOutcome.SENT, SendOutcome.UNREACHABLE, *[SendOutcome.SENT] * 4]
    assert [call.status for call in fake.calls("sendMessage", 7)] == [429, 200, 200]
    assert [(m.text, m.contact) for m in fake.sent(7)][1:] == [
        ("Your partner:", None), (None, {"phone_number": "+380501112233", "first_name": "Ann"})]
    # A bulk sender only answers UNREACHABLE: the outbox marks the participant (and drops
    # their queued messages) in one place.
    assert User.get_by_id(participant.user_id).reachable is True
    assert [(m.text, m.reply_markup) for m in fake.sent(8)] == [
        ("redrawn", {"inline_keyboard": [[{"text": "Yes", "callback_data": "1.b.0"}]]})]
    assert [m.text for m in fake.sent(9)] == ["a note"]


def test_network_errors_are_retried_then_reported(bot: Bot,
                                                 caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)  # (the Bot API's outage itself is the warning)
    async def job() -> SendOutcome:
        api = TelegramApi("1:x", base_url=f"http://127.0.0.1:{free_port()}/bot")
        sender = ReplySender(api, User.mark_unreachable, network_tries=3, first_backoff=0.01)
        try:
            return await sender.send(1, Reply(text="nobody listens"))
        finally:
            await api.shutdown()

    assert asyncio.run(job()) is SendOutcome.FAILED
    assert "chat 1: giving up after 3 network errors" in caplog.text
