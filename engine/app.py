"""Assemble a bot from settings: catalogs, templates, flows (linted), actions and database."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from peewee import Database

from engine.coffee.actions import coffee_registry
from engine.coffee.schedule import Schedule, ScheduleError
from engine.dialog.core_actions import core
from engine.dialog.engine import ConversationEngine, DialogSettings
from engine.dialog.registry import Registry
from engine.flows.library import FlowLibrary
from engine.flows.lint import LintInputs, lint
from engine.flows.parse import Problem
from engine.organizers import Defaults, live_schedule
from engine.render.catalogs import CatalogError, Catalogs
from engine.render.templates import Renderer
from engine.settings import Settings, SettingsError
from engine.store import open_database


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

    def lint(self) -> list[Problem]:
        root = self.settings.locales_dir.parent
        translations = {
            locale: (_shown_path(self.catalogs.path_of(locale), root),
                     lambda msgid, locale=locale: self.catalogs.is_translated(locale, msgid))
            for locale in self.catalogs.locales
        }
        return lint(self.library, LintInputs(
            template_exists=self.renderer.template_exists,
            actions=self.registry.actions,
            variables=self.registry.variables,
            translations=translations,
        ))


def _shown_path(path: Path, root: Path) -> str:
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

    def schedule_now(self) -> Schedule:
        """The weekly schedule with the organizers' stored changes (read at each check)."""
        return live_schedule(self.defaults, self.parts.settings.timezone)


def load_parts(settings: Settings) -> Parts:
    """Read catalogs, templates and flows; raise SettingsError on what an operator must fix."""
    try:
        catalogs = Catalogs.load(settings.locales_dir)
    except CatalogError as error:
        raise SettingsError(str(error)) from error
    if catalogs.locales and settings.default_locale not in catalogs.locales:
        raise SettingsError(f"DEFAULT_LOCALE {settings.default_locale!r} has no catalog "
                            f"(available: {', '.join(catalogs.locales)})")
    try:
        schedule = Schedule.from_settings(settings.schedule, settings.timezone)
    except ScheduleError as error:
        raise SettingsError(str(error)) from error
    renderer = Renderer(settings.templates_dir, catalogs, default_locale=settings.default_locale,
                        timezone=settings.timezone)
    library = FlowLibrary.load(settings.flows_dir, display_root=settings.flows_dir.parent)
    registry = Registry()
    registry.include(core)
    registry.include(coffee_registry(schedule))
    return Parts(settings, catalogs, renderer, library, registry, schedule)


def build_bot(settings: Settings, dialog_settings: DialogSettings | None = None) -> Bot:
    """A ready bot: flows linted (FlowsInvalid otherwise), database opened and migrated."""
    parts = load_parts(settings)
    problems = parts.lint()
    if problems:
        raise FlowsInvalid(problems)
    database = open_database(settings.database_url)
    engine = ConversationEngine(
        parts.library, parts.renderer, parts.registry, database,
        dialog_settings or DialogSettings(default_locale=settings.default_locale,
                                          admin_ids=settings.admin_ids,
                                          development=settings.development),
    )
    return Bot(parts, database, engine)
