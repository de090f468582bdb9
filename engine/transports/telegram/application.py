"""Run the bot on Telegram: the python-telegram-bot application, its update handler, start-up
and shutdown (command menu, in-process weekly cycle) in polling or webhook mode."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Awaitable, Callable, Coroutine, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any, Literal
from urllib.parse import urlsplit

from telegram import Chat, ChatMember, Update
from telegram.error import BadRequest, InvalidToken, NetworkError, TelegramError
from telegram.ext import Application, ApplicationBuilder, ContextTypes, TypeHandler

from engine.delivery import replies as turn_replies
from engine.dialog.delivery import SendReply
from engine.dialog.engine import KeepReplies
from engine.dialog.events import Event, Reply
from engine.settings import Settings, SettingsError
from engine.store import off_loop, outage, utc_now
from engine.transports.telegram.commands import Menu, register_commands
from engine.transports.telegram.convert import addresses_bot, event_from, is_private
from engine.transports.telegram.http import API_OUTAGE, AiohttpRequest
from engine.transports.telegram.notices import Notices
from engine.transports.telegram.ordering import PerChatUpdateProcessor
from engine.transports.telegram.redact import protect_token
from engine.transports.telegram.sending import ReplySender, bulk_pace
from engine.transports.telegram.turns import turns_for

log = logging.getLogger(__name__)

# What the bot reacts to (messages, presses, the bot blocked or unblocked in a private chat);
# Telegram need not send the rest (edits, group member changes...).
ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY, Update.MY_CHAT_MEMBER]
BLOCKED_STATUSES = (ChatMember.BANNED,)  # "kicked": the participant blocked the bot
GROUP_CHATS = (Chat.GROUP, Chat.SUPERGROUP)
Mode = Literal["polling", "webhook"]
OUTAGE_CHECK_SECONDS = 1.0


async def _nothing_to_deliver(send: SendReply) -> None:
    return None


@dataclass(frozen=True)
class Service:
    """What the transport serves, handed over by whoever assembles the bot."""

    # The dialogue's seam: it tells `keep` the replies inside the transaction of the change.
    handle: Callable[[Event, KeepReplies | None], list[Reply]]
    private_only: Callable[[str | None], str]  # the answer to a group, by language code
    menus: Sequence[Menu]  # the command menus to register at start
    mark_unreachable: Callable[[int], None]  # a participant blocked the bot
    # Tasks to run beside the bot (the weekly cycle), given a paced sender.
    background: Sequence[Callable[[SendReply], Coroutine[Any, Any, None]]] = ()
    # A participant blocked (True) or unblocked the bot in their private chat.
    chat_member_changed: Callable[[int, bool], None] = lambda user_id, blocked: None
    # Send at once what a press or a block queued for others, given a paced sender.
    deliver_notices: Callable[[SendReply], Awaitable[None]] = _nothing_to_deliver
    # Telegram refused a reply for good (a 400): told the participant, the reply and the
    # reason (on the store's thread), it answers the line to show them instead, if any.
    refused: Callable[[int, Reply, str], Reply | None] = lambda user_id, reply, reason: None
    # Shown, on the store's thread, to a participant whose replies were not sent in time (the
    # bot was offline): a line saying so and their current screen.
    show_again: Callable[[int], list[Reply]] = lambda user_id: []


class TelegramBot:
    """One service served over one Telegram application."""

    def __init__(self, service: Service, settings: Settings) -> None:
        self.service = service
        self.settings = settings
        self.requests = (AiohttpRequest(), AiohttpRequest(connections=1))
        self.application = self._build(settings.require_token())
        self._replies: ReplySender | None = None
        self._bulk: ReplySender | None = None
        self.notices = Notices(lambda: self.service.deliver_notices(self.bulk.send))
        self._background: list[asyncio.Task[Any]] = []
        self._database_gone = False
        self._mode: Mode = "polling"
        self._started_at = utc_now()
        self._recovery: asyncio.Task[Any] | None = None

    def _build(self, token: str) -> Application[Any, Any, Any, Any, Any, Any]:
        root = self.settings.telegram_api_url
        application = (
            ApplicationBuilder()
            .token(token)
            .base_url(f"{root}/bot")
            .base_file_url(f"{root}/file/bot")
            .concurrent_updates(PerChatUpdateProcessor())
            .update_queue(RecordingQueue(self))
            .request(self.requests[0])
            .get_updates_request(self.requests[1])
            .post_init(self._started)
            .post_stop(self._stopping)
            .post_shutdown(self._stopped)
            .build()
        )
        application.add_handler(TypeHandler(Update, self.on_update))
        application.add_error_handler(self._on_error)
        self.turns = turns_for(self._handle, application.bot)
        return application

    def run(self, mode: Mode) -> None:
        """Serve until SIGINT/SIGTERM. Start-up failures become one-line SettingsErrors."""
        protect_token(self.settings.require_token())
        logging.getLogger("telegram.ext").addFilter(_quiet_bootstrap)
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        self._mode = mode
        try:
            self._serve(mode)
            if self._database_gone:
                raise SettingsError(
                    f"the database did not answer for {self.settings.database_outage_exit:.0f} s "
                    "(DATABASE_OUTAGE_EXIT): stopped, so that the service manager starts the bot "
                    "again")
        finally:
            # A start that failed leaves python-telegram-bot's connections open: close them here.
            for request in self.requests:
                loop.run_until_complete(request.shutdown())
            loop.close()

    def _serve(self, mode: Mode) -> None:
        try:
            if mode == "polling":
                self.application.run_polling(allowed_updates=ALLOWED_UPDATES, close_loop=False)
            else:
                self._run_webhook()
        except InvalidToken:
            raise SettingsError("BOT_TOKEN was refused by the Telegram Bot API at "
                                f"{self.settings.telegram_api_url}") from None
        except BadRequest as error:
            raise SettingsError(f"Telegram refused to start the bot: {error}") from None
        except NetworkError as error:
            raise SettingsError("cannot reach the Telegram Bot API at "
                                f"{self.settings.telegram_api_url}: {error}") from None
        except TelegramError as error:
            raise SettingsError(f"Telegram refused to start the bot: {error}") from None
        except OSError as error:
            raise SettingsError(f"cannot listen on {self.settings.webhook_listen}:"
                                f"{self.settings.webhook_port}: {error}") from None

    def _run_webhook(self) -> None:
        url, secret = self.settings.require_webhook()
        # Telegram posts to WEBHOOK_URL; a proxy in front passes the same path through.
        self.application.run_webhook(
            listen=self.settings.webhook_listen, port=self.settings.webhook_port,
            url_path=urlsplit(url).path.lstrip("/"), webhook_url=url, secret_token=secret,
            allowed_updates=ALLOWED_UPDATES, close_loop=False)

    # Updates ----------------------------------------------------------------------------

    async def record(self, update: Update) -> None:
        """Give an update its place in its participant's line before Telegram is told it
        arrived (with PostgreSQL). While the database does not answer, a webhook update gets
        an error answer (DatabaseUnavailable), and Telegram sends it again later; polling waits,
        so Telegram keeps this update and the ones after it until they can be recorded."""
        while True:
            try:
                await self.turns.record(update)
                return
            except outage.DatabaseUnavailable:
                if self._mode == "webhook":
                    raise
                await asyncio.sleep(OUTAGE_CHECK_SECONDS)

    async def _resume(self, before: dt.datetime) -> None:
        """Answer the updates recorded before `before` and left unhandled (at start: those of
        before the start; after an outage: those of before it ended)."""
        try:
            count = await self.turns.resume(self._send_replies, before)
        except outage.DatabaseUnavailable:
            return  # engine.store.outage logs the outage once; resumed when it is back
        except Exception:
            log.exception("the updates left recorded could not be answered")
            return
        if count:
            log.info("answered %d update(s) left recorded", count)

    async def on_update(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Answer one update; a failure is logged with its id and touches no other update."""
        try:
            if update.my_chat_member is not None:
                await self._member_changed(update)
            elif is_private(update):
                await self._private(update)
            else:
                await self._group(update)
        except Exception as error:
            if not outage.noted(error):  # an outage: nothing was changed (logged once)
                log.exception("update %s failed", update.update_id)

    async def _private(self, update: Update) -> None:
        event = event_from(update)
        if event is None:
            return
        if update.callback_query is not None:
            await self.replies.answer_press(update.callback_query.id)
        else:
            await self.replies.typing(event.user_id)
        await self.turns.take(event, self._send_replies)
        if update.callback_query is not None:  # a press may call off a meeting
            self.notices.ask()

    def _handle(self, event: Event) -> list[Reply] | None:
        """The dialogue's replies to `event`, recorded in flight with the change they
        follow: each knows its row (`engine.delivery.replies`). None for an update that took
        effect before (its replies are the outbox's); an apology is sent unrecorded."""
        kept: list[tuple[list[Reply], list[Reply]]] = []

        def keep(replies: list[Reply]) -> None:
            kept[:] = [(replies, turn_replies.record(event.user_id, event.update_id, replies,
                                                     utc_now()))]

        replies = self.service.handle(event, keep)
        if kept and kept[0][0] is replies:  # (not an apology for a commit that failed after)
            return kept[0][1]
        return replies or None

    async def _send_replies(self, event: Event, replies: list[Reply], leave_last: bool,
                            ) -> int | None:
        """A turn's replies in order, each done with once Telegram took it (the last left to
        the turn if it asks: its row). One Telegram refuses for good stops the rest of the
        participant's own (what follows may make no sense without it: the question after a
        preview) and they are told, in the service's words; ones the Bot API did not take are
        the outbox's to deliver."""
        return await turn_replies.send_turn(self.replies.send, event.user_id, replies,
                                            self._refused, self._recover_soon, leave_last)

    async def _refused(self, user_id: int, reply: Reply, reason: str) -> None:
        note = await off_loop(partial(self.service.refused, user_id, reply, reason))
        if note is not None:
            await self.replies.send(user_id, note)

    def _recover_soon(self) -> None:
        """Deliver the turns' replies left undelivered, in the background (one run at a
        time)."""
        if self._recovery is None or self._recovery.done():
            self._recovery = asyncio.create_task(self._recover(), name="recover-replies")

    async def _recover(self) -> None:
        try:
            await turn_replies.recover(self.bulk.send, self.service.show_again)
        except outage.DatabaseUnavailable:
            return  # engine.store.outage logs the outage once; recovered when it is back
        except Exception:
            log.exception("the replies left unsent could not be delivered")

    async def _member_changed(self, update: Update) -> None:
        """Blocked or unblocked in a private chat: noted at once (and partners told)."""
        change = update.my_chat_member
        assert change is not None
        if change.chat.type != Chat.PRIVATE:
            return
        blocked = change.new_chat_member.status in BLOCKED_STATUSES
        log.info("chat %s %s the bot", change.chat.id, "blocked" if blocked else "unblocked")
        await self.turns.run(partial(self.service.chat_member_changed, change.chat.id, blocked))
        self.notices.ask()

    async def _group(self, update: Update) -> None:
        """Groups get one answer, and only when they ask: use the bot in private chat."""
        message, user = update.message, update.effective_user
        if message is None or user is None or message.chat.type not in GROUP_CHATS:
            return
        if not addresses_bot(message, self.application.bot.username):
            return
        text = self.service.private_only(user.language_code)
        await self.replies.send(message.chat.id, Reply(text=text))

    async def _on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        if update is None and isinstance(context.error, NetworkError):
            return  # getUpdates failed: the Bot API's outage is logged once (http.API_OUTAGE)
        update_id = update.update_id if isinstance(update, Update) else None
        log.error("update %s: %s", update_id, context.error, exc_info=context.error)

    @property
    def replies(self) -> ReplySender:
        if self._replies is None:
            raise RuntimeError("the application has not started")
        return self._replies

    @property
    def bulk(self) -> ReplySender:
        """The paced sender for the outbox."""
        if self._bulk is None:
            raise RuntimeError("the application has not started")
        return self._bulk

    # Start and stop ---------------------------------------------------------------------

    async def _started(self, application: Application[Any, Any, Any, Any, Any, Any]) -> None:
        for request in self.requests:  # from now on a failing request is an outage, logged once
            request.outage = API_OUTAGE
        self._replies = ReplySender(application.bot, self.service.mark_unreachable)
        # One paced sender for everything this process sends in bulk: one request at a time.
        self._bulk = ReplySender(application.bot, pace=bulk_pace())
        await register_commands(application.bot, self.service.menus)
        watch = asyncio.create_task(self._watch_database(), name="database")
        self._recover_soon()  # what a process killed after a turn's commit left unsent
        resume = asyncio.create_task(self._resume(self._started_at), name="resume")
        self._background += [watch, resume]
        for run in self.service.background:
            task = asyncio.create_task(run(self._bulk.send), name="background")
            task.add_done_callback(_report_background_end)
            self._background.append(task)
        log.info("serving @%s", application.bot.username)

    async def _watch_database(self) -> None:
        """During an outage, see every second whether the database is back, and after one
        answer the updates it left recorded and deliver the replies it left unsent (after an
        outage of the Bot API too); stop the bot when the database stays away past
        DATABASE_OUTAGE_EXIT (the service manager restarts it)."""
        ended, api_ended = outage.OUTAGE.ended, API_OUTAGE.ended
        while True:
            await asyncio.sleep(OUTAGE_CHECK_SECONDS)
            if outage.OUTAGE.ended != ended:  # over, whoever noticed it first
                ended = outage.OUTAGE.ended
                await self._resume(utc_now())
                self._recover_soon()
            if API_OUTAGE.ended != api_ended:
                api_ended = API_OUTAGE.ended
                self._recover_soon()
            if not outage.OUTAGE.down_for():
                continue
            if await self.turns.probe():
                continue
            if outage.OUTAGE.gone_for() > self.settings.database_outage_exit:
                log.error("the database did not answer for %.0f s: stopping",
                          outage.OUTAGE.gone_for())
                self._database_gone = True
                self.application.stop_running()
                return

    async def _stopping(self, application: Application[Any, Any, Any, Any, Any, Any]) -> None:
        """Before the bot's connections close: the background tasks end, and the turns in
        hand finish (their replies go out through the running loop)."""
        await self._end_background()
        await self.turns.shutdown()
        await self.notices.close()

    async def _stopped(self, application: Application[Any, Any, Any, Any, Any, Any]) -> None:
        """After a start that failed half-way (no stop came before)."""
        await self._end_background()
        await self.notices.close()

    async def _end_background(self) -> None:
        if self._recovery is not None:
            self._background.append(self._recovery)
            self._recovery = None
        for task in self._background:
            task.cancel()
        await asyncio.gather(*self._background, return_exceptions=True)
        self._background.clear()


class RecordingQueue(asyncio.Queue[object]):
    """PTB's update queue: with PostgreSQL an update is recorded (`TelegramBot.record`) before
    it is queued, and so before the webhook answers Telegram or polling confirms it."""

    def __init__(self, bot: TelegramBot) -> None:
        super().__init__()
        self.bot = bot

    async def put(self, item: object) -> None:
        if isinstance(item, Update):
            await self.bot.record(item)
        await super().put(item)


def _quiet_bootstrap(record: logging.LogRecord) -> bool:
    """Drop PTB's traceback for a failed start-up step: `run` reports it in one line."""
    return not record.getMessage().startswith("Network Retry Loop (Bootstrap")


def _report_background_end(task: asyncio.Task[Any]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.error("a background task stopped (the weekly cycle?)", exc_info=task.exception())
