"""Translations checked before they run: placeholders of every form match the text they
translate (`%(count)s` and `{{ user.first_name }}` alike), every plural form is there, inline
Jinja still compiles, the HTML is what Telegram accepts, nothing is blank (a participant would
read an empty message) and button labels fit on a button."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from babel.messages.catalog import Catalog, Message
from jinja2 import Environment, TemplateSyntaxError

from engine.flows.lint_html import html_problems, without_jinja
from engine.flows.lint_labels import label_problem
from engine.flows.parse import Problem
from engine.flows.spec import Where

# Jinja's newstyle gettext formats every template text with `%`: `%(name)s` and `%%` only.
_PERCENT = re.compile(r"%(?:\((?P<name>[^)]*)\)(?P<kind>[a-z])|(?P<other>.?))", re.DOTALL)
_JINJA_EXPRESSION = re.compile(r"\{\{\s*(.*?)\s*\}\}", re.DOTALL)
_JINJA_ANY = re.compile(r"\{\{|\{%|\{#")
_TAG = re.compile(r"<[^>]*>")


@dataclass(frozen=True)
class CatalogFile:
    path: str  # as shown to the translator
    catalog: Catalog


def lint_catalogs(catalogs: Mapping[str, CatalogFile], environment: Environment,
                  labels: Mapping[str, str] | None = None) -> Iterator[Problem]:
    """Every translation of every catalog; `labels`: the msgids shown on buttons, each with
    what is shown before it ("9. " in the edit menu)."""
    for locale, found in sorted(catalogs.items()):
        catalog = found.catalog
        for message in list(catalog)[1:]:
            if message.fuzzy or not any(_strings(message)):
                continue
            where = Where(found.path, message.lineno or 1)
            yield from (Problem(where, text, locale=locale) for text in
                        _check_message(message, catalog.num_plurals, environment))
            prefix = (labels or {}).get(_ids(message)[0])
            if prefix is None:
                continue
            for string in _strings(message):
                too_long = label_problem(string, prefix)
                if too_long is not None:
                    yield Problem(where, f"{locale}: {too_long[0]}", warning=not too_long[1],
                                  locale=locale)


def _strings(message: Message) -> tuple[str, ...]:
    value = message.string
    return tuple(value) if isinstance(value, tuple | list) else (value or "",)


def _ids(message: Message) -> tuple[str, ...]:
    value = message.id
    return tuple(value) if isinstance(value, tuple | list) else (value,)


def _check_message(message: Message, plurals: int, environment: Environment) -> Iterator[str]:
    msgid = _ids(message)[0]
    strings = _strings(message)
    if message.pluralizable and (len(strings) != plurals or not all(strings)):
        filled = sum(1 for string in strings if string)
        yield (f"{msgid!r} has {filled} plural form(s); the catalog's Plural-Forms "
               f"says {plurals}")
    from_template = any(path.endswith(".j2") for path, _line in message.locations)
    for index, string in enumerate(strings):
        if not string:
            continue
        label = f"msgstr[{index}]" if message.pluralizable else "msgstr"
        if not _shows_something(string):
            yield (f"{label} of {msgid!r} is blank: participants would read nothing (an "
                   "empty msgstr \"\" falls back to another language)")
            continue
        if from_template:
            yield from _check_percent(message, label, string)
        else:
            yield from _check_jinja(msgid, label, string, environment)
        source_problems = {text for _line, text in html_problems(without_jinja(msgid))}
        for _line, text in html_problems(without_jinja(string)):
            if text not in source_problems:
                yield f"{label} of {msgid!r}: {text}"


def _shows_something(string: str) -> bool:
    """Whether a translation shows anything: more than spaces and HTML tags."""
    return bool(_JINJA_ANY.search(string) or _TAG.sub("", string).strip())


def _percent_names(text: str) -> tuple[set[str], list[str]]:
    """`%(name)s` names, and the stray `%` sequences Python's formatting would refuse."""
    names: set[str] = set()
    stray: list[str] = []
    for match in _PERCENT.finditer(text):
        if match.group("name") is not None:
            names.add(match.group("name"))
        elif match.group("other") != "%":
            stray.append(match.group())
    return names, stray


def _check_percent(message: Message, label: str, string: str) -> Iterator[str]:
    msgid = _ids(message)[0]
    expected: set[str] = set()
    for source in _ids(message):
        expected |= _percent_names(source)[0]
    names, stray = _percent_names(string)
    for sequence in stray:
        yield f"{label} of {msgid!r}: a bare {sequence!r}: write %% for a percent sign"
    for name in sorted(names - expected):
        close = difflib.get_close_matches(name, sorted(expected), n=1, cutoff=0.5)
        hint = f"; did you mean %({close[0]})s?" if close else \
            f" (the text has: {_listed(expected)})"
        yield f"{label} of {msgid!r} uses %({name})s, which the text does not have{hint}"
    for name in sorted(expected - names):
        yield f"{label} of {msgid!r} lacks %({name})s"


def _check_jinja(msgid: str, label: str, string: str,
                 environment: Environment) -> Iterator[str]:
    if not (_JINJA_ANY.search(string) or _JINJA_ANY.search(msgid)):
        return
    try:
        environment.parse(string)
    except TemplateSyntaxError as error:
        yield f"{label} of {msgid!r}: {error.message}"
        return
    expected = set(_JINJA_EXPRESSION.findall(msgid))
    found = set(_JINJA_EXPRESSION.findall(string))
    for expression in sorted(found - expected):
        close = difflib.get_close_matches(expression, sorted(expected), n=1, cutoff=0.5)
        hint = f"; did you mean {{{{ {close[0]} }}}}?" if close else ""
        yield f"{label} of {msgid!r} uses {{{{ {expression} }}}}, which the text does not " \
              f"have{hint}"
    for expression in sorted(expected - found):
        yield f"{label} of {msgid!r} lacks {{{{ {expression} }}}}"


def _listed(names: set[str]) -> str:
    return ", ".join(f"%({name})s" for name in sorted(names)) or "no placeholders"
