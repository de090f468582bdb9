"""Translator tooling: extract texts from templates and flows, update catalogs, check them.

Equivalent to `pybabel extract -F babel.cfg` / `pybabel update`; `check` is what CI and
translators run to see what is missing or fuzzy.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir, extract_from_file
from babel.messages.pofile import write_po

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
            catalog.add(message, None, [(_relative(module, root), line)],
                        auto_comments=comments, context=context)
    return catalog


def pot_path(sources: TextSources) -> Path:
    return sources.locales_dir / f"{DOMAIN}.pot"


def extract(sources: TextSources) -> int:
    template = extract_catalog(sources)
    _write(pot_path(sources), template)
    print(f"{len(template)} texts -> {pot_path(sources)}")
    return 0


def update(sources: TextSources) -> int:
    """Merge new texts into every locale's catalog (new ones untranslated, changed ones fuzzy)."""
    _write(pot_path(sources), extract_catalog(sources))
    for path in sorted(sources.locales_dir.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        locale = path.parent.parent.name
        catalog = read_catalog(path, locale)
        # A fresh template per catalog: update() may adopt the template's message objects.
        catalog.update(extract_catalog(sources), update_header_comment=False)
        _write(path, catalog)
        print(f"updated {path}")
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


def untranslated(sources: TextSources, catalogs: Catalogs) -> list[Untranslated]:
    """Every text of the flows and templates that a locale other than the source lacks or has
    only as a fuzzy or incomplete guess: read by `lint` (warnings), `i18n check` (failures) and
    the start-up log alike."""
    template = extract_catalog(sources)
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
    buffer = BytesIO()
    write_po(buffer, catalog, width=100, sort_by_file=True, omit_header=False)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buffer.getvalue())


def _relative(path: Path, root: Path) -> str:
    try:
        return str(path.resolve().relative_to(root.resolve()))
    except ValueError:
        return str(path)
