"""The language a message is being written in, for the values shown inside it.

A message is shown whole in one language: the participant's, or the first of its fallbacks
that translates all of it (`Renderer.render`). What a template shows from its variables has to
follow: a question's title, an option's label, a weekday or a time is handed to the template as
a `Localized` value and put into words only when the message is written, in the language it is
being written in, never in one fixed beforehand.
"""

from __future__ import annotations

import datetime as dt
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import cache

from babel.dates import format_time, get_day_names

__all__ = ["ClockTime", "Joined", "Localized", "Phrase", "Weekday", "Words", "speaking"]

Translate = Callable[[str], "str | None"]  # a text's translation, None when there is none


@dataclass
class Words:
    """One language's words for one message, and the texts it had none for (`missing`): a
    message that misses any is written again in the next language of its chain."""

    locale: str
    translate: Translate
    missing: list[str] = field(default_factory=list)

    def gettext(self, msgid: str) -> str:
        translated = self.translate(msgid)
        if translated is None:
            self.missing.append(msgid)
            return msgid
        return translated


_SOURCE = Words("en", lambda msgid: msgid)
_speaking: ContextVar[Words | None] = ContextVar("speaking", default=None)


@contextmanager
def speaking(words: Words) -> Iterator[Words]:
    """Write a message in `words`: `Localized` values shown meanwhile take its language."""
    token = _speaking.set(words)
    try:
        yield words
    finally:
        _speaking.reset(token)


def current() -> Words:
    """The words of the message being written; outside one, the texts as written."""
    return _speaking.get() or _SOURCE


class Localized(ABC):
    """A value shown in words of the message it appears in (str() puts it into them)."""

    @abstractmethod
    def localized(self, words: Words) -> str: ...

    def __str__(self) -> str:
        return self.localized(current())


@dataclass(frozen=True)
class Phrase(Localized):
    """A translatable text of the flows: a question's title, an option's label."""

    msgid: str

    def localized(self, words: Words) -> str:
        return words.gettext(self.msgid)


@dataclass(frozen=True)
class Joined(Localized):
    """Several values in one line, e.g. the options of a multiple choice."""

    parts: tuple[Localized | str, ...]
    separator: str = ", "

    def localized(self, words: Words) -> str:
        return self.separator.join(part.localized(words) if isinstance(part, Localized)
                                   else part for part in self.parts)


@dataclass(frozen=True)
class Weekday(Localized):
    """A day of the week by its number (Monday 0), named in the message's language."""

    number: int

    def localized(self, words: Words) -> str:
        return _day_names(words.locale)[self.number]


@dataclass(frozen=True)
class ClockTime(Localized):
    """A time of day as the message's language writes it ("9:00 AM", "09:00")."""

    at: dt.time

    def localized(self, words: Words) -> str:
        return _time(self.at, words.locale)


@cache
def _day_names(locale: str) -> tuple[str, ...]:
    names = get_day_names("wide", "format", locale)
    return tuple(str(names[number]) for number in range(7))


@cache
def _time(at: dt.time, locale: str) -> str:
    return format_time(at, "short", locale=locale)
