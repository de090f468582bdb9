"""Assemble a bot on the engine from its settings: its texts (catalogs, templates, flows) read
and linted against the application's registry of actions, the database with the application's
schemas, and the engine. An application adds its own parts around these (see `coffee.app`, or
the example in `examples/`)."""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

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


def read_texts(settings: Settings) -> Texts:
    """Read catalogs, templates and flows; SettingsError on what an operator must fix."""
    try:
        catalogs = Catalogs.load(settings.locales_dir, source_locale=settings.source_locale,
                                 default_locale=settings.default_locale)
    except CatalogError as error:
        raise SettingsError(str(error)) from error
    if settings.default_locale not in catalogs.locales:
        raise SettingsError(f"DEFAULT_LOCALE {settings.default_locale!r} is neither "
                            f"SOURCE_LOCALE nor has a catalog (available: "
                            f"{', '.join(catalogs.locales)})")
    library = FlowLibrary.load(settings.flows_dir, display_root=settings.flows_dir.parent)
    renderer = Renderer(settings.templates_dir, catalogs, default_locale=settings.default_locale,
                        timezone=settings.timezone, menu_texts=menu_texts(library))
    return Texts(settings, catalogs, renderer, library)


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
    )))
    problems.extend(lint_catalogs(
        {locale: CatalogFile(_display(texts.catalogs.path_of(locale), root), catalog)
         for locale, catalog in texts.catalogs.catalogs.items()}, environment))
    problems.extend(Problem(Where(text.path, text.line), text.message, warning=True)
                    for text in untranslated(text_sources(settings), texts.catalogs))
    return sorted(problems, key=lambda p: (p.warning, p.where.path, p.where.line, p.message))


def checked(texts: Texts, registry: Registry) -> list[Problem]:
    """The errors lint finds (none: the fallbacks it warns of are logged, once per locale)."""
    problems = lint_bot(texts, registry)
    errors = [problem for problem in problems if not problem.warning]
    if not errors:
        log_fallbacks(texts, problems)
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


def text_sources(settings: Settings) -> TextSources:
    """Where the translatable texts are, for extraction and checks."""
    return TextSources(settings.templates_dir, settings.flows_dir, settings.locales_dir,
                       extract_flows)


def menu_texts(library: FlowLibrary) -> list[str]:
    """The command menu everyone sees: a language is offered once these are translated."""
    return [spec.description for spec in library.flows.values()
            if spec.command and spec.description and spec.access == "everyone"]


def log_fallbacks(texts: Texts, problems: list[Problem]) -> None:
    """One line per locale whose participants read some texts in another language."""
    counts = Counter(problem.message.split(":", 1)[0] for problem in problems if problem.warning)
    settings = texts.settings
    for locale, count in sorted(counts.items()):
        offered = "" if locale in texts.renderer.offered else \
            "; not offered in the language list and menu until the menu texts are translated"
        chain = [code for code in (settings.default_locale, settings.source_locale)
                 if code != locale]
        log.warning("locale %s: %d text(s) untranslated or fuzzy fall back to %s "
                    "(`runner.py i18n check` lists them)%s", locale, count,
                    " then ".join(dict.fromkeys(chain)), offered)


def _display(path: Path, root: Path) -> str:
    return str(path.relative_to(root)) if path.is_relative_to(root) else str(path)
