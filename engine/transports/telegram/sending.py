"""Deliver Replies to Telegram: long texts split, pacing for bulk sends, 429s waited out,
blocked chats noted, network errors retried with backoff, refusals reported with Telegram's
reason. Each send answers a SendResult."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
from collections.abc import Awaitable, Callable
from functools import partial

from aiolimiter import AsyncLimiter
from telegram import Bot, BotCommand, BotCommandScopeChat, InputFile
from telegram.constants import ChatAction, ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError

from engine.dialog.delivery import Refused, SendOutcome, SendResult, split_reply
from engine.dialog.events import CommandMenu, Reply
from engine.store import off_loop
from engine.transports.telegram.convert import reply_markup

log = logging.getLogger(__name__)

# Telegram allows about 30 messages a second per bot. A bucket of one refilled 29 times a
# second spreads a bulk send evenly just below that (bench/telegram.py: 94% of the limit, no
# 429); an interactive reply on top may meet a 429 now and then, which is waited out.
BULK_RATE_PER_SECOND = 29
NETWORK_TRIES = 4
FIRST_BACKOFF_SECONDS = 0.5


def bulk_pace() -> AsyncLimiter:
    """A fresh limiter for bulk sends (one per event loop: it binds to the loop it runs in)."""
    return AsyncLimiter(1, 1 / BULK_RATE_PER_SECOND)


class ReplySender:
    """Sends replies to chats with one bot.

    With `pace` (bulk sends), every API call waits its turn and calls go one at a time: a
    request is not started before the previous one is answered, so a crash leaves at most one
    message whose fate is unknown (sent, but not recorded as sent).
    """

    def __init__(self, bot: Bot, mark_unreachable: Callable[[int], None] | None = None, *,
                 pace: AsyncLimiter | None = None,
                 network_tries: int = NETWORK_TRIES,
                 first_backoff: float = FIRST_BACKOFF_SECONDS) -> None:
        self.bot = bot
        # The participant blocked the bot: marked here for replies to a turn; None for bulk
        # sends, whose outbox marks the participant and drops their queued messages itself.
        self.mark_unreachable = mark_unreachable
        self.pace = pace
        self.one_at_a_time = asyncio.Lock() if pace is not None else contextlib.nullcontext()
        self.network_tries = network_tries
        self.first_backoff = first_backoff

    async def send(self, chat_id: int, reply: Reply) -> SendResult:
        """Show `reply` in its chat (`reply.chat_id`, else `chat_id`), in several messages if
        it is too long for one; never raises."""
        chat = reply.chat_id if reply.chat_id is not None else chat_id
        for part in split_reply(reply):
            outcome = await self._send_one(chat, part)
            if outcome is not SendOutcome.SENT:
                return outcome
        return SendOutcome.SENT

    async def _send_one(self, chat: int, reply: Reply) -> SendResult:
        try:
            return await self._deliver(chat, reply)
        except BadRequest as error:
            if "chat not found" in error.message.lower():
                return await self._unreachable(chat, error)
            log.error("chat %s: Telegram refused a reply: %s", chat, error)
            return Refused(error.message)

    async def _deliver(self, chat: int, reply: Reply) -> SendResult:
        if reply.menu is not None:
            return await self._set_menu(chat, reply.menu)
        markup = reply_markup(reply)
        if reply.edit_message_id is not None:
            message_id = reply.edit_message_id
            try:
                return await self._call(chat, partial(
                    self._post, "editMessageText", chat_id=chat, message_id=message_id,
                    text=reply.text, parse_mode=ParseMode.HTML,
                    reply_markup=markup if reply.buttons else None))
            except BadRequest as error:
                problem = error.message.lower()
                if "not modified" in problem:
                    return SendOutcome.SENT  # a second tap on the same toggle: nothing changes
                if "not found" not in problem and "can't be edited" not in problem:
                    raise
                log.info("chat %s: message %s cannot be edited (%s); sending it anew",
                         chat, message_id, error)
        caption = reply.text or None
        if reply.photo:  # a picture Telegram already has, by its file id
            return await self._call(chat, partial(
                self._post, "sendPhoto", chat_id=chat, photo=reply.photo, caption=caption,
                parse_mode=ParseMode.HTML, reply_markup=markup))
        attachment = reply.attachment
        if attachment is not None:
            upload = InputFile(attachment.data, filename=attachment.name)
            method, kind = ("sendPhoto", "photo") if attachment.photo else (
                "sendDocument", "document")
            return await self._call(chat, partial(
                self._post, method, chat_id=chat, caption=caption, parse_mode=ParseMode.HTML,
                reply_markup=markup, **{kind: upload}))
        if reply.contact is None:
            return await self._call(chat, partial(
                self._post, "sendMessage", chat_id=chat, text=reply.text,
                parse_mode=ParseMode.HTML, reply_markup=markup))
        if reply.text:
            outcome = await self._call(chat, partial(
                self._post, "sendMessage", chat_id=chat, text=reply.text,
                parse_mode=ParseMode.HTML))
            if outcome is not SendOutcome.SENT:
                return outcome
        contact = reply.contact
        return await self._call(chat, partial(
            self._post, "sendContact", chat_id=chat, phone_number=contact.phone,
            first_name=contact.first_name, last_name=contact.last_name or None,
            reply_markup=markup))

    async def _post(self, method: str, **parameters: object) -> None:
        """Call `method` of the Bot API without reading its answer (None parameters left out).
        Telegram answers a message sent or edited with the whole message, which
        python-telegram-bot's own `send_message` & co. turn into objects: a tenth of the bot's
        CPU per update (bench/bot.py), for a result no reply uses. Errors are raised as those
        methods raise them: the request underneath is the same."""
        await self.bot._post(method, parameters)

    async def _set_menu(self, chat: int, menu: CommandMenu) -> SendResult:
        """Set the chat's own command menu, or take it away, one call per language."""
        scope = BotCommandScopeChat(chat)
        for code, commands in menu.languages:
            request = partial(self.bot.set_my_commands, [
                BotCommand(command.name, command.description) for command in commands],
                scope=scope, language_code=code or None) if commands else partial(
                self.bot.delete_my_commands, scope=scope, language_code=code or None)
            outcome = await self._call(chat, request)
            if outcome is not SendOutcome.SENT:
                return outcome
        return SendOutcome.SENT

    async def _call(self, chat: int, request: Callable[[], Awaitable[object]]) -> SendOutcome:
        """Make one API call until it goes through, the chat is gone or retries run out.

        BadRequest propagates: only the caller knows which refusals are harmless.
        """
        network_failures = 0
        while True:
            try:
                async with self.one_at_a_time:  # its turn taken once the line is free,
                    if self.pace is not None:  # so that waiting calls do not bunch up
                        await self.pace.acquire()
                    await request()
                return SendOutcome.SENT
            except RetryAfter as error:
                wait = _seconds(error.retry_after)
                log.warning("chat %s: flood limit, waiting %.1f s as Telegram asks", chat, wait)
                await asyncio.sleep(wait)
            except Forbidden as error:
                return await self._unreachable(chat, error)
            except BadRequest:
                raise
            except NetworkError as error:
                network_failures += 1
                if network_failures >= self.network_tries:  # (the outage is logged once,
                    log.info("chat %s: giving up after %d network errors: %s",  # in http.py)
                             chat, network_failures, error)
                    return SendOutcome.FAILED
                await asyncio.sleep(self.first_backoff * 2 ** (network_failures - 1))
            except TelegramError as error:
                log.error("chat %s: Telegram refused a reply: %s", chat, error)
                return SendOutcome.FAILED

    async def _unreachable(self, chat: int, error: TelegramError) -> SendOutcome:
        log.info("chat %s is unreachable (%s)", chat, error)
        if self.mark_unreachable is not None:
            await off_loop(partial(self.mark_unreachable, chat))  # a database write
        return SendOutcome.UNREACHABLE

    async def typing(self, chat: int) -> None:
        """Show "typing…" once; it is cosmetic, so a failure is only logged."""
        try:
            await self.bot.send_chat_action(chat, ChatAction.TYPING)
        except TelegramError as error:
            log.debug("chat %s: no typing action (%s)", chat, error)

    async def answer_press(self, query_id: str) -> None:
        """Stop the spinner on a pressed button; a query too old to answer is only logged."""
        try:
            await self.bot.answer_callback_query(query_id)
        except TelegramError as error:
            log.debug("callback query %s not answered (%s)", query_id, error)


def _seconds(retry_after: int | dt.timedelta) -> float:
    if isinstance(retry_after, dt.timedelta):
        return retry_after.total_seconds()
    return float(retry_after)
