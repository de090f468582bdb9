"""Translator tooling: extract texts from templates and flows, update catalogs, check them.

Equivalent to `pybabel extract -F babel.cfg` / `pybabel update`; `check` is what CI and
translators run to see what is missing or fuzzy.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir, extract_from_file
from babel.messages.pofile import write_po

from engine.render.catalog_update import update_catalog
from engine.render.catalogs import DOMAIN, Catalogs, read_catalog, usable

# The same mapping as babel.cfg, for the two directories organizers own.
TEMPLATES = [("**.j2", "jinja2")]
OPTIONS = {"**.j2": {"extensions": "jinja2.ext.i18n"}}
KEYWORDS = {"gettext": None, "ngettext": (1, 2), "_": None}
# Texts an application's Python code shows are marked `N_("...")` (`NN_(singular, plural)` with
# a number) where they are defined, and translated where they are shown.
CODE_KEYWORDS = {"N_": None, "NN_": (1, 2)}


@dataclass(frozen=True)
class TextSources:
    """Where the texts are: the organizers' templates and flows (read by `flow_texts`, a Babel
    extraction method), the application's Python modules with texts of their own (`code`), and
    the translators' catalogs."""

    templates_dir: Path
    flows_dir: Path
    locales_dir: Path
    flow_texts: Callable[..., Any]
    code: tuple[Path, ...] = ()


def extract_catalog(sources: TextSources) -> Catalog:
    """Every msgid the templates and flows use, with where each is used."""
    catalog = Catalog(project="random-coffee", domain=DOMAIN, charset="utf-8")
    root = sources.flows_dir.parent
    flows: list[tuple[str, Any]] = [("**.yaml", sources.flow_texts)]
    for directory, methods in ((sources.templates_dir, TEMPLATES),
                               (sources.flows_dir, flows)):
        for filename, line, message, comments, context in extract_from_dir(
                directory, methods, OPTIONS, keywords=KEYWORDS):
            path = _relative(directory / filename, root)
            catalog.add(message, None, [(path, line)], auto_comments=comments, context=context)
    for module in sources.code:
        for line, message, comments, context in extract_from_file(
                "python", module, keywords=CODE_KEYWORDS):
            catalog.add(message, None, [(_module_location(module), line)],
                        auto_comments=comments, context=context)
    return catalog


def _module_location(module: Path) -> str:
    """A module's path from the folder that holds its top package (`coffee/organizers/x.py`):
    the same whichever copy of the flows, templates and catalogs is being read."""
    module = module.resolve()
    top = module.parent
    while (top.parent / "__init__.py").is_file():
        top = top.parent
    return str(module.relative_to(top.parent))


def pot_path(sources: TextSources) -> Path:
    return sources.locales_dir / f"{DOMAIN}.pot"


def extract(sources: TextSources) -> int:
    template = extract_catalog(sources)
    _write(pot_path(sources), template)
    print(f"{len(template)} texts -> {pot_path(sources)}")
    return 0


def update(sources: TextSources) -> int:
    """Merge the texts into every locale's catalog: new ones untranslated, reworded ones with
    the old translation as fuzzy, each catalog's order, wrapping and unchanged entries kept
    (`catalog_update`)."""
    template = extract_catalog(sources)
    _write(pot_path(sources), template)
    for path in sorted(sources.locales_dir.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        locale = path.parent.parent.name
        text = path.read_text(encoding="utf-8")
        updated = update_catalog(text, read_catalog(path, locale), template)
        if updated != text:
            path.write_text(updated, encoding="utf-8")
            print(f"updated {path}")
        else:
            print(f"unchanged {path}")
    return 0


@dataclass(frozen=True)
class Untranslated:
    """A text that participants of `locale` read in another language, where it is used first."""

    locale: str
    msgid: str
    path: str
    line: int
    fuzzy: bool
    catalog: str

    @property
    def message(self) -> str:
        kind = "has only a fuzzy translation" if self.fuzzy else "is not translated"
        return f"{self.locale}: {self.msgid!r} {kind} in {self.catalog}"

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


def untranslated(sources: TextSources, catalogs: Catalogs,
                 template: Catalog | None = None) -> list[Untranslated]:
    """Every text of the flows and templates that a locale other than the source lacks or has
    only as a fuzzy or incomplete guess: read by `lint` (warnings), `i18n check` (failures) and
    the start-up log alike. `template`: the texts, when the caller extracted them already."""
    template = template or extract_catalog(sources)
    found = []
    for locale in catalogs.locales:
        if locale == catalogs.source_locale:
            continue
        catalog = catalogs.catalogs[locale]
        shown = _relative(catalogs.path_of(locale), sources.locales_dir.parent)
        for message in template:
            if not message.id:
                continue
            msgid = message.id[0] if isinstance(message.id, tuple | list) else message.id
            existing = catalog.get(msgid)
            if existing is None or not usable(existing):
                path, line = message.locations[0]
                found.append(Untranslated(locale, msgid, path, line,
                                          existing is not None and existing.fuzzy, shown))
    return sorted(found, key=lambda text: (text.path, text.line, text.message))


@dataclass(frozen=True)
class Coverage:
    """How much of the texts one language translates, whether it is offered to everyone, and
    where the messages it lacks are shown instead."""

    locale: str
    translated: int
    total: int
    fallbacks: tuple[str, ...]
    menu_missing: tuple[str, ...]  # the commands whose description it lacks

    @property
    def offered(self) -> bool:
        return not self.menu_missing

    def __str__(self) -> str:
        text = f"{self.locale}: {self.translated} of {self.total} translated"
        if self.menu_missing:
            text += (f"; not offered: the command descriptions of "
                     f"{', '.join(self.menu_missing)} are missing")
        else:
            text += "; offered"
        if self.translated < self.total:
            text += (f"; a message with an untranslated text is shown whole in "
                     f"{' or else '.join(self.fallbacks)}")
        return text


def coverage(template: Catalog, catalogs: Catalogs, menu: Mapping[str, str]) -> list[Coverage]:
    """Each language's coverage of the texts in `template`; `menu`: the command menu everyone
    sees, command -> description (a language is offered once it translates all of them)."""
    texts = [message.id[0] if isinstance(message.id, tuple | list) else message.id
             for message in template if message.id]
    return [Coverage(locale, sum(catalogs.is_translated(locale, text) for text in texts),
                     len(texts), catalogs.chain(locale)[1:],
                     tuple(command for command, description in menu.items()
                           if not catalogs.is_translated(locale, description)))
            for locale in catalogs.locales if locale != catalogs.source_locale]


def check(sources: TextSources, catalogs: Catalogs) -> int:
    problems = untranslated(sources, catalogs)
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} translation problem(s)", file=sys.stderr)
        return 1
    print("ok: every text is translated in every locale")
    return 0


def _write(path: Path, catalog: Catalog) -> None:
    """Write the template, unless all that changed is its creation date."""
    buffer = BytesIO()
    write_po(buffer, catalog, width=100, sort_by_file=True, omit_header=False)
    text = buffer.getvalue().decode("utf-8")
    if path.is_file() and _undated(path.read_text(encoding="utf-8")) == _undated(text):
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _undated(text: str) -> str:
    return re.sub(r'^"POT-Creation-Date: .*$', "", text, flags=re.MULTILINE)


def _relative(path: Path, root: Path) -> str:
    try:
        return str(path.resolve().relative_to(root.resolve()))
    except ValueError:
        return str(path)
