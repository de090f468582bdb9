"""Assemble a bot on the engine from its settings: its texts (catalogs, templates, flows) read
and linted against the application's registry of actions, the database with the application's
schemas, and the engine. An application adds its own parts around these (see `coffee.app`, or
the example in `examples/`)."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from babel.messages.catalog import Catalog
from peewee import Database

from engine.dialog.api import Registry
from engine.dialog.core_actions import core
from engine.dialog.engine import ConversationEngine, DialogSettings
from engine.dialog.gate import Gate
from engine.dialog.turn import provided_names
from engine.flows.extract import extract_flows
from engine.flows.library import FlowLibrary
from engine.flows.lint import LintInputs, lint
from engine.flows.lint_catalogs import CatalogFile, lint_catalogs
from engine.flows.lint_labels import label_texts
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
from engine.render.i18n_tools import (
    Coverage,
    TextSources,
    coverage,
    extract_catalog,
    untranslated,
)
from engine.render.templates import Renderer
from engine.settings import Settings, SettingsError
from engine.store import ENGINE_SCHEMA, Schema, open_database, utc_now

log = logging.getLogger(__name__)


class FlowsInvalid(Exception):
    """The flows have problems; the bot must not start. Each problem is `file:line: message`."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(problem) for problem in problems))
        self.problems = problems


@dataclass(frozen=True)
class Texts:
    """A bot's content as read from its folders: enough to lint, draw and extract."""

    settings: Settings
    catalogs: Catalogs
    renderer: Renderer
    library: FlowLibrary
    code: tuple[Path, ...] = ()  # the application's Python modules with texts (`N_`)

    @cached_property
    def extracted(self) -> Catalog:
        """Every translatable text of the flows and templates (extracted once)."""
        return extract_catalog(text_sources(self.settings, self.code))

    def coverage(self) -> list[Coverage]:
        """Per language: how much it translates, whether it is offered, its fallbacks."""
        return coverage(self.extracted, self.catalogs, command_menu_texts(self.library))


def read_texts(settings: Settings, code: tuple[Path, ...] = ()) -> Texts:
    """Read catalogs, templates and flows; SettingsError on what an operator must fix."""
    try:
        catalogs = Catalogs.load(settings.locales_dir, source_locale=settings.source_locale,
                                 fallbacks=settings.locale_fallbacks)
    except CatalogError as error:
        raise SettingsError(str(error)) from error
    named = [("DEFAULT_LOCALE", settings.default_locale),
             *(("LOCALE_FALLBACKS", each) for locale, chain in
               settings.locale_fallbacks.items() for each in (locale, *chain))]
    for name, locale_code in named:
        if locale_code not in catalogs.locales:
            raise SettingsError(f"{name} names {locale_code!r}, which is neither SOURCE_LOCALE "
                                f"nor has a catalog (available: {', '.join(catalogs.locales)})")
    library = FlowLibrary.load(settings.flows_dir, display_root=settings.flows_dir.parent)
    renderer = Renderer(settings.templates_dir, catalogs, default_locale=settings.default_locale,
                        timezone=settings.timezone,
                        menu_texts=command_menu_texts(library).values())
    return Texts(settings, catalogs, renderer, library, code)


def with_core(*registries: Registry) -> Registry:
    """One registry of the actions every bot has (`core_actions`) and an application's."""
    registry = Registry()
    registry.include(core)
    for other in registries:
        registry.include(other)
    return registry


def lint_bot(texts: Texts, registry: Registry) -> list[Problem]:
    """Errors (the bot does not start) and warnings (texts that fall back), by file."""
    settings, renderer, library = texts.settings, texts.renderer, texts.library
    environment = renderer.environment(settings.source_locale)
    needs = registry.needs
    names = provided_names(library, registry)
    problems = lint(library, LintInputs(
        template_exists=renderer.template_exists,
        actions=registry.actions,
        names=names,
        flows_needed=needs.flows,
        commands_needed=needs.commands,
        templates_needed=needs.templates,
        roles=needs.roles,
        inline_texts=lambda spec, known: lint_inline_texts(spec, environment, known),
    ))
    root = settings.flows_dir.parent
    problems.extend(lint_templates(TemplateInputs(
        environment=environment,
        templates_dir=settings.templates_dir,
        display_root=root,
        locales=texts.catalogs.locales,
        turn_names={**names, "context": None},
        declared={name: TemplateNames(turn, {key: shape_of(kind)
                                             for key, kind in extra.items()})
                  for name, (turn, extra) in needs.templates.items()},
        check_names=not library.unreadable,
    )))
    labels = {label: prefix for spec in library.flows.values()
              for label, _where, prefix in label_texts(spec)}
    problems.extend(lint_catalogs(
        {locale: CatalogFile(_display(texts.catalogs.path_of(locale), root), catalog)
         for locale, catalog in texts.catalogs.catalogs.items()}, environment, labels))
    problems.extend(Problem(Where(text.path, text.line), text.message, warning=True,
                            locale=text.locale)
                    for text in untranslated(text_sources(settings, texts.code),
                                             texts.catalogs, texts.extracted))
    return sorted(problems, key=lambda p: (p.warning, p.where.path, p.where.line, p.message))


def checked(texts: Texts, registry: Registry) -> list[Problem]:
    """The errors lint finds (none: how far each language is, is logged, once per language)."""
    errors = [problem for problem in lint_bot(texts, registry) if not problem.warning]
    if not errors:
        log_coverage(texts)
    return errors


def open_engine(texts: Texts, registry: Registry, *, schemas: Sequence[Schema] = (ENGINE_SCHEMA,),
                gate: Gate | None = None,
                clock: Callable[[], dt.datetime] = utc_now) -> tuple[ConversationEngine, Database]:
    """The engine over checked texts (FlowsInvalid otherwise), its database opened and its
    `schemas` created or migrated; `gate` says who is an organizer and who may register."""
    errors = checked(texts, registry)
    if errors:
        raise FlowsInvalid(errors)
    settings = texts.settings
    database = open_database(settings.database_url, schemas)
    dialog = DialogSettings(default_locale=settings.default_locale,
                            organizer_ids=settings.organizer_ids,
                            development=settings.development, clock=clock, gate=gate)
    return ConversationEngine(texts.library, texts.renderer, registry, database, dialog), database


def text_sources(settings: Settings, code: tuple[Path, ...] = ()) -> TextSources:
    """Where the translatable texts are, for extraction and checks; `code`: an application's
    Python modules with texts of their own."""
    return TextSources(settings.templates_dir, settings.flows_dir, settings.locales_dir,
                       extract_flows, code=code)


def command_menu_texts(library: FlowLibrary) -> dict[str, str]:
    """The command menu everyone sees, command -> description: a language is offered once
    these are translated."""
    return {spec.command: spec.description for spec in library.flows.values()
            if spec.command and spec.description and spec.access == "everyone"}


def log_coverage(texts: Texts) -> None:
    """One line per language that lacks texts or is not offered."""
    for language in texts.coverage():
        if language.translated < language.total or not language.offered:
            log.warning("language %s (`runner.py lint --locale %s` lists the texts)",
                        language, language.locale)


def _display(path: Path, root: Path) -> str:
    return str(path.relative_to(root)) if path.is_relative_to(root) else str(path)
