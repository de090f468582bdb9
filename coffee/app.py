"""Assemble the Random Coffee bot from settings: the engine's assembly (texts, lint, engine,
database) with this application's actions, schedule, organizers' desk and tables."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from peewee import Database

from coffee.admin import (
    PREVIEW_OF,
    Desk,
    OrganizerGate,
    admin_registry,
    progress_edits,
    reason_labels,
)
from coffee.bot_settings import BotSettings
from coffee.cycle.actions import coffee_registry
from coffee.cycle.leaving import NOTICE_KINDS, chat_member_changed, when_unreachable
from coffee.cycle.schedule import Schedule, ScheduleError
from coffee.models import SCHEMAS
from coffee.organizers import (
    Defaults,
    LiveSetting,
    Vocabulary,
    live_schedule,
    note_registry,
    operator,
    organizers,
    preview_refused,
    refused_by_telegram,
    vocabulary,
)
from coffee.panel import can_sign, issue_login_link
from engine.assembly import (
    Texts,
    checked,
    lint_bot,
    open_engine,
    read_texts,
    with_core,
)
from engine.assembly import text_sources as engine_text_sources
from engine.delivery import Delivery
from engine.delivery.outbox import DeliveryReport
from engine.dialog.api import Registry
from engine.dialog.delivery import SendReply
from engine.dialog.engine import ConversationEngine
from engine.dialog.events import Reply
from engine.dialog.menus import command_menu
from engine.dialog.profile import profile_fields
from engine.flows.library import FlowLibrary
from engine.flows.parse import Problem
from engine.flows.spec import Where
from engine.render.catalogs import Catalogs
from engine.render.i18n_tools import Coverage, TextSources
from engine.render.templates import Renderer
from engine.settings import SettingsError
from engine.store import User, utc_now

log = logging.getLogger(__name__)

# This application's Python modules with texts of their own (`N_`-marked): the organizers'
# vocabulary, extracted and checked with the flows' and templates' texts.
CODE_TEXTS = (Path(vocabulary.__file__),)


@dataclass
class Parts:
    """Everything but the database: enough to lint, draw and extract."""

    settings: BotSettings
    catalogs: Catalogs
    renderer: Renderer
    library: FlowLibrary
    registry: Registry
    schedule: Schedule
    desk: Desk  # what the organizers' actions work with
    vocabulary: Vocabulary  # every id an organizer reads, as a word (both faces)

    @cached_property
    def texts(self) -> Texts:
        return Texts(self.settings, self.catalogs, self.renderer, self.library, CODE_TEXTS)

    def lint(self) -> list[Problem]:
        """Errors (the bot does not start) and warnings (texts that fall back), by file."""
        return lint_bot(self.texts, self.registry)

    def coverage(self) -> list[Coverage]:
        """Per language: how much it translates, whether it is offered, its fallbacks."""
        return self.texts.coverage()


@dataclass
class Bot:
    parts: Parts
    database: Database
    engine: ConversationEngine
    # a job run now by an organizer queued messages: deliver them without waiting for cron
    delivery_wanted: threading.Event = field(default_factory=threading.Event)
    _deliveries: set[asyncio.Task[DeliveryReport]] = field(default_factory=set)

    @property
    def defaults(self) -> Defaults:
        """The organizers' settings as the environment gives them."""
        return Defaults.from_settings(self.parts.settings)

    def organizer_ids(self) -> frozenset[int]:
        """ORGANIZER_IDS and the appointed organizers (for their command menu)."""
        everyone = organizers(operator(self.engine.settings.organizer_ids))
        return frozenset(row.user_id for row in everyone)

    def schedule_now(self) -> Schedule:
        """The weekly schedule with the organizers' stored changes (read at each check)."""
        return live_schedule(self.defaults, self.parts.settings.timezone)

    @property
    def delivery(self) -> Delivery:
        """How this bot delivers its outbox, wherever it is delivered from: a participant a
        send finds unreachable leaves their meeting; broadcasts' progress messages are edited
        as they go out, their authors get the final reports, and a broadcast whose text
        Telegram refuses stops."""
        return Delivery(self.engine.settings.clock, on_unreachable=self._when_unreachable,
                        progress=lambda send: progress_edits(self.parts.desk, send),
                        on_refused=self.refused)

    def _when_unreachable(self, user_id: int) -> None:
        """A participant found to have blocked the bot leaves their meeting (called on the
        store's thread, with the schedule as the organizers set it)."""
        when_unreachable(self.engine, self.schedule_now(), self.engine.settings.clock)(user_id)

    def refused(self, key: str, user_id: int, reason: str) -> str | None:
        """The outbox's refusal hook: a broadcast whose text Telegram refuses stops."""
        return refused_by_telegram(operator(self.engine.settings.organizer_ids), key, reason)

    def reply_refused(self, user_id: int, reply: Reply, reason: str) -> Reply:
        """Telegram refused a reply to `user_id` for good: what they are told instead. The
        refused preview of a broadcast stops it (its question to send was not shown)."""
        draft = reply.meta.get(PREVIEW_OF)
        if draft is not None:
            preview_refused(operator(self.engine.settings.organizer_ids), int(draft), reason)
        user = User.get_or_none(User.id == user_id)
        locale = user.locale if user is not None else self.parts.renderer.default_locale
        return Reply(text=self.parts.renderer.render(
            "reply_refused", locale, {"reason": reason, "preview": draft is not None}))

    def chat_member_changed(self, user_id: int, blocked: bool) -> None:
        """The participant blocked (or unblocked) the bot in their private chat."""
        chat_member_changed(self.engine, self.schedule_now(), user_id, blocked,
                            self.engine.settings.clock())

    async def deliver_notices(self, send: SendReply) -> None:
        """After a press: send at once what a departure from a meeting queued (partners told,
        new pairs); and when an organizer ran a job now, deliver what it queued in the
        background (the in-process schedule does that by itself within seconds)."""
        await self.delivery.deliver(send, retry_for=dt.timedelta(0), kinds=NOTICE_KINDS)
        if not self.delivery_wanted.is_set():
            return
        self.delivery_wanted.clear()
        if not self.parts.settings.schedule_in_process and not self._deliveries:
            task = asyncio.create_task(
                self.delivery.deliver(send, retry_for=self.parts.settings.delivery_retry),
                name="deliver-run-now")
            self._deliveries.add(task)
            task.add_done_callback(self._delivered)

    def _delivered(self, task: asyncio.Task[DeliveryReport]) -> None:
        self._deliveries.discard(task)
        if task.cancelled():
            return
        if task.exception() is not None:
            log.error("delivering what a job run now queued failed: %s", task.exception())
        else:
            log.info("%s", task.result().line())


def load_parts(settings: BotSettings) -> Parts:
    """Read catalogs, templates and flows; raise SettingsError on what an operator must fix."""
    texts = read_texts(settings, code=CODE_TEXTS)
    try:
        schedule = Schedule.from_settings(settings.schedule, settings.timezone)
    except ScheduleError as error:
        raise SettingsError(str(error)) from error
    library, renderer = texts.library, texts.renderer
    defaults = Defaults.from_settings(settings)

    def live() -> Schedule:
        return live_schedule(defaults, settings.timezone)

    renderer.define("community", LiveSetting("community_name", defaults))
    registry = with_core(note_registry, coffee_registry(live, renderer, library))
    words = Vocabulary(library, renderer)
    desk = Desk(settings.organizer_ids, defaults, renderer, words, live, profile_fields(library),
                panel_link=_panel_link(settings), reasons=reason_labels(library),
                organizer_menu=command_menu(library, renderer, organizer=True))
    registry.include(admin_registry(desk))
    return Parts(settings, texts.catalogs, renderer, library, registry, schedule, desk, words)


def _panel_link(settings: BotSettings) -> Callable[[int], str] | None:
    """Login links to the web panel, once it has an address (PANEL_URL, or ADMIN_URL, its
    former name; the local one in development) and a key to sign them with."""
    if not {"PANEL_URL", "ADMIN_URL"} & settings.given and not settings.development:
        return None
    if not can_sign(settings):
        return None
    return lambda user_id: issue_login_link(settings, user_id)


def text_sources(settings: BotSettings) -> TextSources:
    """Where this bot's translatable texts are, for extraction and checks."""
    return engine_text_sources(settings, CODE_TEXTS)


def build_bot(settings: BotSettings, *, clock: Callable[[], dt.datetime] = utc_now) -> Bot:
    """A ready bot: flows linted (FlowsInvalid otherwise), database opened and migrated; its
    time is `clock`'s (tests move it)."""
    parts = load_parts(settings)
    engine, database = open_engine(
        parts.texts, parts.registry, schemas=SCHEMAS, clock=clock,
        gate=OrganizerGate(settings.organizer_ids, Defaults.from_settings(settings)))
    parts.desk.engine = engine
    bot = Bot(parts, database, engine)
    parts.desk.deliver_soon = bot.delivery_wanted.set
    return bot


def reload_bot(bot: Bot) -> list[Problem]:
    """Read flows, templates and catalogs again and, when lint finds no error, swap them into
    the running engine at once; otherwise keep the running version and return the errors.

    The running engine takes them (`ConversationEngine.reload`), so everything holding it (the
    transport, the weekly cycle) serves the new version from the next event on. A participant
    whose state is gone in the new flows is taken back to /start with one line at their next
    message.
    """
    settings = bot.parts.settings
    try:
        parts = load_parts(settings)
    except SettingsError as error:
        errors = [Problem(Where(str(settings.locales_dir), 1), str(error))]
    else:
        errors = checked(parts.texts, parts.registry)
    if errors:
        for problem in errors:
            log.error("%s", problem)
        log.error("%s", reload_outcome(bot, errors))
        return errors
    bot.engine.reload(parts.library, parts.renderer, parts.registry)
    parts.desk.engine = bot.engine
    parts.desk.deliver_soon = bot.delivery_wanted.set
    bot.parts = parts
    log.warning("%s", reload_outcome(bot, []))
    return []


def reload_outcome(bot: Bot, errors: list[Problem]) -> str:
    """What a reload ended in, as the log and `runner.py reload` say it."""
    if errors:
        return (f"refused: {len(errors)} problem(s) in the edited files; the running bot "
                "keeps the previous version")
    flows = bot.parts.library.flows
    return f"reloaded: {len(flows)} flows, {sum(len(spec.states) for spec in flows.values())} " \
           "states"
