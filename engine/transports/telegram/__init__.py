"""The Telegram transport (python-telegram-bot): serve the bot by polling or webhook, and send
the weekly jobs' outbox.

Public: `run_polling`, `run_webhook` for runner.py; `telegram_sender` for the weekly jobs.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from telegram import Bot
from telegram.error import InvalidToken, NetworkError

from engine.dialog.delivery import SendReply
from engine.settings import Settings, SettingsError
from engine.transports.telegram.application import Service, TelegramBot
from engine.transports.telegram.commands import Menu, command_menus
from engine.transports.telegram.http import API_OUTAGE, AiohttpRequest
from engine.transports.telegram.redact import protect_token
from engine.transports.telegram.sending import ReplySender, bulk_pace

__all__ = ["Menu", "Service", "command_menus", "run_polling", "run_webhook", "telegram_sender"]


# python-telegram-bot gives durations (such as a 429's retry_after) as timedeltas only when
# asked to, and warns otherwise; it reads this when a duration is accessed.
os.environ.setdefault("PTB_TIMEDELTA", "true")


def run_polling(service: Service, settings: Settings) -> None:
    """Serve the bot by long polling getUpdates until SIGINT/SIGTERM."""
    TelegramBot(service, settings).run("polling")


def run_webhook(service: Service, settings: Settings) -> None:
    """Register WEBHOOK_URL with Telegram and serve it on WEBHOOK_LISTEN:WEBHOOK_PORT."""
    TelegramBot(service, settings).run("webhook")


@asynccontextmanager
async def telegram_sender(settings: Settings) -> AsyncIterator[SendReply]:
    """A `send(chat_id, reply) -> SendOutcome` for bulk deliveries such as the outbox.

    Sends are paced under Telegram's limit, 429s waited out and network errors retried; a
    blocked chat is answered UNREACHABLE (the outbox marks the participant); the bot it uses
    is shut down on exit.
    """
    token = settings.require_token()
    protect_token(token)
    root = settings.telegram_api_url
    bot = Bot(token, base_url=f"{root}/bot", base_file_url=f"{root}/file/bot",
              request=AiohttpRequest(outage=API_OUTAGE))
    try:
        await bot.initialize()
    except InvalidToken:
        await bot.shutdown()
        raise SettingsError(f"BOT_TOKEN was refused by the Telegram Bot API at {root}") from None
    except NetworkError:  # logged as an outage; sends are retried, the run reports what is left
        pass
    try:
        yield ReplySender(bot, pace=bulk_pace()).send
    finally:
        await bot.shutdown()
