"""Assemble a bot from settings: catalogs, templates, flows (linted), actions and database."""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path

from peewee import Database

from coffee.admin import Desk, OrganizerGate, admin_registry, progress_edits, reason_labels
from coffee.cycle.actions import coffee_registry
from coffee.cycle.leaving import NOTICE_KINDS, chat_member_changed, when_unreachable
from coffee.cycle.outbox import ProgressHook, deliver_outbox
from coffee.cycle.schedule import Schedule, ScheduleError
from coffee.organizers import Defaults, live_schedule, operator, organizers
from coffee.panel import can_sign, issue_login_link
from engine.dialog.api import Registry
from engine.dialog.core_actions import core
from engine.dialog.delivery import SendReply
from engine.dialog.engine import ConversationEngine, DialogSettings
from engine.dialog.menus import command_menu
from engine.dialog.profile import profile_fields
from engine.dialog.turn import provided_names
from engine.flows.extract import extract_flows
from engine.flows.library import FlowLibrary
from engine.flows.lint import LintInputs, lint
from engine.flows.lint_catalogs import CatalogFile, lint_catalogs
from engine.flows.lint_names import shape_of
from engine.flows.lint_templates import (
    TemplateInputs,
    TemplateNames,
    lint_inline_texts,
    lint_templates,
)
from engine.flows.parse import Problem
from engine.flows.spec import Where
from engine.render.catalogs import CatalogError, Catalogs
from engine.render.i18n_tools import TextSources, untranslated
from engine.render.templates import Renderer
from engine.settings import Settings, SettingsError
from engine.store import open_database

log = logging.getLogger(__name__)


class FlowsInvalid(Exception):
    """The flows have problems; the bot must not start. Each problem is `file:line: message`."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(problem) for problem in problems))
        self.problems = problems


@dataclass
class Parts:
    """Everything but the database: enough to lint, draw and extract."""

    settings: Settings
    catalogs: Catalogs
    renderer: Renderer
    library: FlowLibrary
    registry: Registry
    schedule: Schedule
    desk: Desk  # what the organizers' actions work with

    def lint(self) -> list[Problem]:
        """Errors (the bot does not start) and warnings (texts that fall back), by file."""
        environment = self.renderer.environment(self.settings.source_locale)
        needs = self.registry.needs
        names = provided_names(self.library, self.registry)
        problems = lint(self.library, LintInputs(
            template_exists=self.renderer.template_exists,
            actions=self.registry.actions,
            names=names,
            flows_needed=needs.flows,
            commands_needed=needs.commands,
            templates_needed=needs.templates,
            inline_texts=lambda spec, known: lint_inline_texts(spec, environment, known),
        ))
        root = self.settings.flows_dir.parent
        problems.extend(lint_templates(TemplateInputs(
            environment=environment,
            templates_dir=self.settings.templates_dir,
            display_root=root,
            locales=self.catalogs.locales,
            turn_names={**names, "context": None},
            declared={name: TemplateNames(turn, {key: shape_of(kind)
                                                 for key, kind in extra.items()})
                      for name, (turn, extra) in needs.templates.items()},
        )))
        problems.extend(lint_catalogs(
            {locale: CatalogFile(_display(self.catalogs.path_of(locale), root), catalog)
             for locale, catalog in self.catalogs.catalogs.items()}, environment))
        problems.extend(Problem(Where(text.path, text.line), text.message, warning=True)
                        for text in untranslated(text_sources(self.settings), self.catalogs))
        return sorted(problems, key=lambda p: (p.warning, p.where.path, p.where.line, p.message))


def _display(path: Path, root: Path) -> str:
    return str(path.relative_to(root)) if path.is_relative_to(root) else str(path)


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
        """ADMIN_IDS and the appointed organizers (for their command menu)."""
        everyone = organizers(operator(self.engine.settings.admin_ids))
        return frozenset(row.user_id for row in everyone)

    def schedule_now(self) -> Schedule:
        """The weekly schedule with the organizers' stored changes (read at each check)."""
        return live_schedule(self.defaults, self.parts.settings.timezone)

    def progress_hook(self, send: SendReply) -> ProgressHook:
        """For a delivery through `send`: broadcasts' progress messages edited as they go out,
        and their final reports."""
        return progress_edits(self.parts.desk, send)

    def chat_member_changed(self, user_id: int, blocked: bool) -> None:
        """The participant blocked (or unblocked) the bot in their private chat."""
        chat_member_changed(self.engine, self.parts.schedule, user_id, blocked,
                            self.engine.settings.clock())

    async def deliver_notices(self, send: SendReply) -> None:
        """Send at once what a departure from a meeting queued (partners told, new pairs)."""
        clock = self.engine.settings.clock
        await deliver_outbox(send, clock=clock, retry_for=dt.timedelta(0), kinds=NOTICE_KINDS,
                             on_unreachable=when_unreachable(self.engine, self.parts.schedule,
                                                             clock))


def text_sources(settings: Settings) -> TextSources:
    """Where the translatable texts are, for extraction and checks."""
    return TextSources(settings.templates_dir, settings.flows_dir, settings.locales_dir,
                       extract_flows)


def load_parts(settings: Settings) -> Parts:
    """Read catalogs, templates and flows; raise SettingsError on what an operator must fix."""
    try:
        catalogs = Catalogs.load(settings.locales_dir, source_locale=settings.source_locale,
                                 default_locale=settings.default_locale)
    except CatalogError as error:
        raise SettingsError(str(error)) from error
    if settings.default_locale not in catalogs.locales:
        raise SettingsError(f"DEFAULT_LOCALE {settings.default_locale!r} is neither "
                            f"SOURCE_LOCALE nor has a catalog (available: "
                            f"{', '.join(catalogs.locales)})")
    try:
        schedule = Schedule.from_settings(settings.schedule, settings.timezone)
    except ScheduleError as error:
        raise SettingsError(str(error)) from error
    library = FlowLibrary.load(settings.flows_dir, display_root=settings.flows_dir.parent)
    renderer = Renderer(settings.templates_dir, catalogs, default_locale=settings.default_locale,
                        timezone=settings.timezone, menu_texts=menu_texts(library))
    registry = Registry()
    registry.include(core)
    registry.include(coffee_registry(schedule, renderer, library))
    defaults = Defaults.from_settings(settings)
    desk = Desk(settings.admin_ids, defaults, renderer,
                lambda: live_schedule(defaults, settings.timezone), profile_fields(library),
                panel_link=(lambda user_id: issue_login_link(settings, user_id))
                if can_sign(settings) else None,
                reasons=reason_labels(library),
                organizer_menu=command_menu(library, renderer, organizer=True))
    registry.include(admin_registry(desk))
    return Parts(settings, catalogs, renderer, library, registry, schedule, desk)


def build_bot(settings: Settings, dialog_settings: DialogSettings | None = None) -> Bot:
    """A ready bot: flows linted (FlowsInvalid otherwise), database opened and migrated."""
    parts = load_parts(settings)
    problems = parts.lint()
    errors = [problem for problem in problems if not problem.warning]
    if errors:
        raise FlowsInvalid(errors)
    _log_fallbacks(parts, problems)
    database = open_database(settings.database_url)
    dialog = dialog_settings or DialogSettings(default_locale=settings.default_locale,
                                               admin_ids=settings.admin_ids,
                                               development=settings.development)
    if dialog.gate is None:
        dialog = replace(dialog, gate=OrganizerGate(dialog.admin_ids,
                                                    Defaults.from_settings(settings)))
    engine = ConversationEngine(parts.library, parts.renderer, parts.registry, database, dialog)
    parts.desk.engine = engine
    return Bot(parts, database, engine)


def reload_bot(bot: Bot) -> list[Problem]:
    """Read flows, templates and catalogs again and, when lint finds no error, swap them into
    the running engine at once; otherwise keep the running version and return the errors.

    The engine is changed in place, so everything holding it (the transport, the weekly cycle)
    serves the new version from the next event on. A participant whose state is gone in the
    new flows is taken back to /start with one line at their next message.
    """
    settings = bot.parts.settings
    try:
        parts = load_parts(settings)
    except SettingsError as error:
        return [Problem(Where(str(settings.locales_dir), 1), str(error))]
    problems = parts.lint()
    errors = [problem for problem in problems if not problem.warning]
    if errors:
        for problem in errors:
            log.error("%s", problem)
        log.error("reload refused: %d problem(s); the running version stays", len(errors))
        return errors
    _log_fallbacks(parts, problems)
    fresh = ConversationEngine(parts.library, parts.renderer, parts.registry, bot.database,
                               bot.engine.settings)
    vars(bot.engine).update(vars(fresh))
    parts.desk.engine = bot.engine
    bot.parts = parts
    log.warning("reloaded: %d flows, %d states", len(parts.library.flows),
                sum(len(spec.states) for spec in parts.library.flows.values()))
    return []


def menu_texts(library: FlowLibrary) -> list[str]:
    """The command menu everyone sees: a language is offered once these are translated."""
    return [spec.description for spec in library.flows.values()
            if spec.command and spec.description and spec.access == "everyone"]


def _log_fallbacks(parts: Parts, problems: list[Problem]) -> None:
    """One line per locale whose participants read some texts in another language."""
    counts = Counter(problem.message.split(":", 1)[0] for problem in problems if problem.warning)
    for locale, count in sorted(counts.items()):
        offered = "" if locale in parts.renderer.offered else \
            "; not offered in the language list and menu until the menu texts are translated"
        chain = [code for code in (parts.settings.default_locale, parts.settings.source_locale)
                 if code != locale]
        log.warning("locale %s: %d text(s) untranslated or fuzzy fall back to %s "
                    "(`runner.py i18n check` lists them)%s", locale, count,
                    " then ".join(dict.fromkeys(chain)), offered)
