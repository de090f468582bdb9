"""Render templates and inline flow texts for one participant's locale.

Each locale gets its own sandboxed Jinja2 environment with its own translations installed, so a
participant's locale is chosen per call and never leaks between concurrent updates. A message
is never a mix of languages: it is written in the participant's locale if that translates all
of it, else whole in the first language of the locale's fallback chain that does (the source
locale always does). Output is Telegram HTML: everything that comes from a variable is escaped.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache, lru_cache, partial
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_datetime, format_time
from jinja2 import FileSystemLoader, Template, TemplateNotFound, Undefined, select_autoescape
from jinja2.sandbox import SandboxedEnvironment

from engine.render.catalogs import Catalogs
from engine.render.words import Words, current, speaking

TEMPLATE_SUFFIX = ".j2"
HOLE = "⟨{}⟩"  # a name a template shows but was not given, as a preview marks it
_showing_holes: ContextVar[bool] = ContextVar("showing_holes", default=False)


class _Hole(Undefined):
    """What a template shows for a name it was not given: nothing, as Jinja does; while a
    preview draws (`showing_holes`), the name marked, so that no blank goes unnoticed."""

    __slots__ = ()

    def __str__(self) -> str:
        return HOLE.format(self._undefined_name or "?") if _showing_holes.get() else ""


@contextmanager
def showing_holes() -> Iterator[None]:
    """Render with every name a template lacks marked `⟨name⟩` instead of left blank."""
    token = _showing_holes.set(True)
    try:
        yield
    finally:
        _showing_holes.reset(token)


class Renderer:
    """Templates from `templates/` (with `templates/<locale>/` overrides) in every locale."""

    def __init__(self, templates_dir: Path, catalogs: Catalogs, *, default_locale: str,
                 timezone: ZoneInfo, menu_texts: Collection[str] = ()) -> None:
        self.templates_dir = templates_dir
        self.catalogs = catalogs
        self.default_locale = default_locale
        self.timezone = timezone
        # A language is offered (language question, command menu) once its catalog translates
        # the command menu: a catalog fresh from `pybabel init` serves its own speakers with
        # fallbacks, and is offered to everyone when the translator has got that far.
        self.offered = [locale for locale in catalogs.locales
                        if all(catalogs.is_translated(locale, text) for text in menu_texts)]
        self._environments: dict[str, SandboxedEnvironment] = {}
        self._globals: dict[str, Any] = {}
        self._serving: dict[str, str] = {}
        self._inline = lru_cache(maxsize=4096)(self._compile_inline)
        self._label = lru_cache(maxsize=1024)(self._compile_label)

    @property
    def locales(self) -> list[str]:
        """Every locale a participant can be served in (see `offered` for the ones offered)."""
        return self.catalogs.locales

    def _served(self, locale: str) -> str:
        """`locale` when a participant can be served in it, else the default (remembered: every
        text rendered asks)."""
        served = self._serving.get(locale)
        if served is None:
            served = self._serving[locale] = (locale if locale in self.locales
                                              else self.default_locale)
        return served

    def chain(self, locale: str) -> tuple[str, ...]:
        """The languages a message for a participant in `locale` is written in, first the one
        that translates all of it."""
        return self.catalogs.chain(self._served(locale))

    def _in_words(self, locale: str, write: Callable[[str], str]) -> str:
        """`write(language)` in the first language of `locale`'s chain that has words for all
        of the message."""
        chain = self.chain(locale)
        for language in chain:
            words = Words(language, partial(self.catalogs.translate, language))
            with speaking(words):
                text = write(language)
            if not words.missing or language == chain[-1]:
                return text
        raise AssertionError("a chain ends with the source locale, which misses nothing")

    def environment(self, locale: str) -> SandboxedEnvironment:
        locale = self._served(locale)
        environment = self._environments.get(locale)
        if environment is None:
            environment = self._environments[locale] = self._build(locale)
        return environment

    def _build(self, locale: str) -> SandboxedEnvironment:
        environment = SandboxedEnvironment(
            loader=FileSystemLoader([str(self.templates_dir / locale), str(self.templates_dir)]),
            autoescape=select_autoescape(default=True, default_for_string=True),
            extensions=["jinja2.ext.i18n"],
            undefined=_Hole,
            trim_blocks=True,
            lstrip_blocks=True,
            # edited templates take effect by a reload, after lint, never half-way
            auto_reload=False,
        )
        catalogs = self.catalogs

        def gettext(msgid: str) -> str:
            words = current()
            if words.locale == locale:  # a message being written: note what is missing
                return words.gettext(msgid)
            return catalogs.translate(locale, msgid) or msgid

        def ngettext(singular: str, plural: str, count: int) -> str:
            translated = catalogs.translate_plural(locale, singular, plural, count)
            if translated is not None:
                return translated
            words = current()
            if words.locale == locale:
                words.missing.append(singular)
            return singular if count == 1 else plural

        environment.install_gettext_callables(  # type: ignore[attr-defined]  # jinja2.ext.i18n adds it
            gettext, ngettext, newstyle=True)
        babel_locale = Locale.parse(locale)
        zone = self.timezone

        def local(value: dt.datetime) -> dt.datetime:
            if value.tzinfo is None:
                raise ValueError("naive datetime given to a template; times must be aware")
            return value.astimezone(zone)

        def day(value: dt.date | None) -> dt.date:
            if value is None:  # Babel would print today's date in its place
                raise ValueError("no date given to a template's date filter")
            return local(value).date() if isinstance(value, dt.datetime) else value

        environment.filters.update(
            date=lambda value, format="medium": format_date(
                day(value), format=format, locale=babel_locale),
            datetime=lambda value, format="medium": format_datetime(
                local(value), format=format, tzinfo=zone, locale=babel_locale),
            time=lambda value, format="short": format_time(
                local(value), format=format, tzinfo=zone, locale=babel_locale),
        )
        environment.globals.update(self._globals, locale=locale)
        return environment

    def define(self, name: str, value: Any) -> None:
        """A name every template reads, whoever renders it (a value whose `str()` is read at
        each render stays live: the community's name as the organizers set it)."""
        self._globals[name] = value
        for environment in self._environments.values():
            environment.globals[name] = value

    def template_exists(self, name: str) -> bool:
        return (self.templates_dir / f"{name}{TEMPLATE_SUFFIX}").is_file()

    def render(self, name: str, locale: str, variables: Mapping[str, Any]) -> str:
        """Render `templates/<name>.j2` (or its locale override) to Telegram HTML, whole in
        the first language of `locale`'s chain that translates every text it shows."""
        def write(language: str) -> str:
            try:
                template = self.environment(language).get_template(f"{name}{TEMPLATE_SUFFIX}")
            except TemplateNotFound as error:
                raise LookupError(f"template '{name}' not found ({self.templates_dir})") \
                    from error
            return template.render(variables).strip()

        return self._in_words(locale, write)

    def gettext(self, locale: str, msgid: str) -> str:
        """Translate a plain text (a button label, an option) without rendering it: in the
        first language of `locale`'s chain that has it."""
        for language in self.chain(locale):
            translated = self.catalogs.translate(language, msgid)
            if translated is not None:
                return translated
        return msgid

    def ngettext(self, locale: str, singular: str, plural: str, number: int) -> str:
        """Translate a text with a number in it: the plural form `number` takes in `locale`
        (Ukrainian has three), in the first language of `locale`'s chain that has it. The
        caller fills the number in."""
        for language in self.chain(locale):
            translated = self.catalogs.translate_plural(language, singular, plural, number)
            if translated is not None:
                return translated
        return singular if number == 1 else plural

    def render_inline(self, msgid: str, locale: str, variables: Mapping[str, Any]) -> str:
        """Translate an inline flow text, then render it (it may use `{{ }}` placeholders),
        both in the first language of `locale`'s chain that has it."""
        return self._in_words(locale, lambda language: self._written(
            self._inline, language, msgid, variables))

    def _written(self, compiled: Callable[[str, str], Template], language: str, msgid: str,
                 variables: Mapping[str, Any]) -> str:
        """An inline text or label written in `language`, or noted as missing there."""
        text = self.catalogs.translate(language, msgid)
        if text is None:
            current().missing.append(msgid)
            text = msgid
        if "{" not in text:
            return text.strip()
        return compiled(language, text).render(variables).strip()

    def _compile_inline(self, locale: str, text: str) -> Template:
        return self.environment(locale).from_string(text)

    def render_label(self, msgid: str, locale: str, variables: Mapping[str, Any]) -> str:
        """A button's label: translated, then rendered when it has `{{ }}` placeholders (the
        week it acts on, say). Labels are plain text, so nothing in them is escaped."""
        return self._in_words(locale, lambda language: self._written(
            self._label, language, msgid, variables))

    def _compile_label(self, locale: str, text: str) -> Template:
        return self.environment(locale).from_string(
            f"{{% autoescape false %}}{text}{{% endautoescape %}}")

    def closest_locale(self, language_code: str | None) -> str:
        """The locale closest to a client's language code (`en-US`, `pt_BR`), else the
        default."""
        if language_code and self.speaks(language_code):
            return language_of(language_code)
        return self.default_locale

    def speaks(self, language_code: str | None) -> bool:
        """Whether a client's language code (`en-US`) has a locale here."""
        return bool(language_code) and language_of(language_code or "") in self.locales

    def language_name(self, code: str) -> str:
        """A locale's own name for itself, capitalised ("Українська", "English")."""
        return _language_name(code)


@cache
def _language_name(code: str) -> str:
    """Computed once per locale: the language question shows every name on every draw."""
    name = Locale.parse(code).get_display_name(code) or code
    return name[:1].upper() + name[1:]


def language_of(code: str) -> str:
    """The two-letter language of a locale or a client's language code (`pt_BR`, `en-US`)."""
    return code.replace("_", "-").split("-")[0].lower()
