"""Serve each chat's updates one at a time, in order, and different chats concurrently."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

# Updates waiting for their chat's turn hold a slot of PTB's semaphore, so one participant
# tapping fast must not fill it: waiting is cheap, the limit is only a safety net.
MAX_CONCURRENT_UPDATES = 4096


class _ChatTurn:
    """A chat's lock and how many of its updates hold or wait for it."""

    __slots__ = ("lock", "users")

    def __init__(self) -> None:
        self.lock = asyncio.Lock()
        self.users = 0


class PerChatUpdateProcessor(BaseUpdateProcessor):
    """Two quick taps of one participant are handled one after the other, never interleaved.

    A chat's lock exists only while one of its updates is in flight, so memory follows the
    number of busy chats, not the number of participants.
    """

    def __init__(self, max_concurrent_updates: int = MAX_CONCURRENT_UPDATES) -> None:
        super().__init__(max_concurrent_updates)
        self._turns: dict[int, _ChatTurn] = {}

    @property
    def busy_chats(self) -> int:
        return len(self._turns)

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        key = _chat_key(update)
        if key is None:
            await coroutine
            return
        turn = self._turns.get(key)
        if turn is None:
            turn = self._turns[key] = _ChatTurn()
        turn.users += 1
        try:
            async with turn.lock:
                await coroutine
        finally:
            turn.users -= 1
            if turn.users == 0:
                del self._turns[key]

    async def initialize(self) -> None:
        """Nothing to allocate: locks come and go with the updates."""

    async def shutdown(self) -> None:
        """Nothing to free: the last update of a chat removes its lock."""


def _chat_key(update: object) -> int | None:
    if not isinstance(update, Update):
        return None
    chat = update.effective_chat
    if chat is not None:
        return chat.id
    user = update.effective_user
    return user.id if user is not None else None
