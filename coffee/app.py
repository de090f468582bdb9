"""Assemble the Random Coffee bot from settings: the engine's assembly (texts, lint, engine,
database) with this application's actions, schedule, organizers' desk and tables."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass

from peewee import Database

from coffee.admin import Desk, OrganizerGate, admin_registry, progress_edits, reason_labels
from coffee.bot_settings import BotSettings
from coffee.cycle.actions import coffee_registry
from coffee.cycle.leaving import NOTICE_KINDS, chat_member_changed, when_unreachable
from coffee.cycle.schedule import Schedule, ScheduleError
from coffee.models import SCHEMAS
from coffee.organizers import Defaults, live_schedule, note_registry, operator, organizers
from coffee.panel import can_sign, issue_login_link
from engine.assembly import (
    Texts,
    checked,
    lint_bot,
    open_engine,
    read_texts,
    with_core,
)
from engine.delivery import Delivery
from engine.dialog.api import Registry
from engine.dialog.delivery import SendReply
from engine.dialog.engine import ConversationEngine
from engine.dialog.menus import command_menu
from engine.dialog.profile import profile_fields
from engine.flows.library import FlowLibrary
from engine.flows.parse import Problem
from engine.flows.spec import Where
from engine.render.catalogs import Catalogs
from engine.render.templates import Renderer
from engine.settings import SettingsError
from engine.store import utc_now

log = logging.getLogger(__name__)


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

    @property
    def texts(self) -> Texts:
        return Texts(self.settings, self.catalogs, self.renderer, self.library)

    def lint(self) -> list[Problem]:
        """Errors (the bot does not start) and warnings (texts that fall back), by file."""
        return lint_bot(self.texts, self.registry)


@dataclass
class Bot:
    parts: Parts
    database: Database
    engine: ConversationEngine

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
        as they go out, and their authors get the final reports."""
        clock = self.engine.settings.clock
        return Delivery(clock, on_unreachable=when_unreachable(self.engine, self.parts.schedule,
                                                               clock),
                        progress=lambda send: progress_edits(self.parts.desk, send))

    def chat_member_changed(self, user_id: int, blocked: bool) -> None:
        """The participant blocked (or unblocked) the bot in their private chat."""
        chat_member_changed(self.engine, self.parts.schedule, user_id, blocked,
                            self.engine.settings.clock())

    async def deliver_notices(self, send: SendReply) -> None:
        """Send at once what a departure from a meeting queued (partners told, new pairs)."""
        await self.delivery.deliver(send, retry_for=dt.timedelta(0), kinds=NOTICE_KINDS)


def load_parts(settings: BotSettings) -> Parts:
    """Read catalogs, templates and flows; raise SettingsError on what an operator must fix."""
    texts = read_texts(settings)
    try:
        schedule = Schedule.from_settings(settings.schedule, settings.timezone)
    except ScheduleError as error:
        raise SettingsError(str(error)) from error
    library, renderer = texts.library, texts.renderer
    registry = with_core(note_registry, coffee_registry(schedule, renderer, library))
    defaults = Defaults.from_settings(settings)
    desk = Desk(settings.organizer_ids, defaults, renderer,
                lambda: live_schedule(defaults, settings.timezone), profile_fields(library),
                panel_link=(lambda user_id: issue_login_link(settings, user_id))
                if can_sign(settings) else None,
                reasons=reason_labels(library),
                organizer_menu=command_menu(library, renderer, organizer=True))
    registry.include(admin_registry(desk))
    return Parts(settings, texts.catalogs, renderer, library, registry, schedule, desk)


def build_bot(settings: BotSettings, *, clock: Callable[[], dt.datetime] = utc_now) -> Bot:
    """A ready bot: flows linted (FlowsInvalid otherwise), database opened and migrated; its
    time is `clock`'s (tests move it)."""
    parts = load_parts(settings)
    engine, database = open_engine(
        parts.texts, parts.registry, schemas=SCHEMAS, clock=clock,
        gate=OrganizerGate(settings.organizer_ids, Defaults.from_settings(settings)))
    parts.desk.engine = engine
    return Bot(parts, database, engine)


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
        return [Problem(Where(str(settings.locales_dir), 1), str(error))]
    errors = checked(parts.texts, parts.registry)
    if errors:
        for problem in errors:
            log.error("%s", problem)
        log.error("reload refused: %d problem(s); the running version stays", len(errors))
        return errors
    bot.engine.reload(parts.library, parts.renderer, parts.registry)
    parts.desk.engine = bot.engine
    bot.parts = parts
    log.warning("reloaded: %d flows, %d states", len(parts.library.flows),
                sum(len(spec.states) for spec in parts.library.flows.values()))
    return []
