"""The update processor: one chat's updates in order, chats side by side, no lock left behind.

Driven in-process with real `telegram.Update`s built by the fake's update builders.
"""

from __future__ import annotations

import asyncio
from typing import Any

from telegram import Update

from engine.transports.telegram.ordering import PerChatUpdateProcessor
from tests.kit import FakeBotAPI


def test_one_chat_waits_its_turn_while_others_go_ahead(fake: FakeBotAPI) -> None:
    updates = [Update.de_json(fake.message_update(user, text), None)
               for user, text in [(1, "first"), (1, "second"), (2, "other"), (1, "third")]]
    log: list[str] = []

    async def handle(update: Update, delay: float) -> None:
        log.append(f"start {update.message.text}")
        await asyncio.sleep(delay)
        log.append(f"end {update.message.text}")

    async def run() -> int:
        processor = PerChatUpdateProcessor()
        async with processor:
            delays = {"first": 0.05, "second": 0.0, "other": 0.0, "third": 0.0}
            jobs: list[Any] = [processor.process_update(u, handle(u, delays[u.message.text]))
                               for u in updates]
            await asyncio.gather(*jobs)
        return processor.busy_chats

    assert asyncio.run(run()) == 0
    assert log == ["start first", "start other", "end other", "end first",
                   "start second", "end second", "start third", "end third"]
