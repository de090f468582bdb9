"""What organizers must never read where a label exists, for the walks of their screens (the
bot's /admin and the web panel): the ids the organizers' vocabulary has words for, and a search
for them in what a screen said."""

from __future__ import annotations

import re
from collections.abc import Iterable

from coffee.app import Parts, text_sources
from coffee.organizers.vocabulary import ACTIONS, COLUMNS, JOBS, SETTINGS, STATUSES
from engine.render.i18n_tools import extract_catalog

WORD = re.compile(r"[\w'’ʼ-]+")


def ids(parts: Parts) -> set[str]:
    """What must never show where a label exists: option ids, answer keys, statuses, setting
    keys, audit actions, jobs and CSV columns (numbers aside: ratings are numbers)."""
    vocabulary = parts.vocabulary
    found = vocabulary.option_ids() | set(vocabulary.questions)
    found |= {status for table in STATUSES.values() for status in table if status}
    found |= set(SETTINGS) | set(ACTIONS) | set(JOBS) | set(COLUMNS)
    return {name for name in found if not name.isdigit()}


def label_words(parts: Parts, locale: str) -> set[str]:
    """Every word of every text of the bot in `locale` (case kept): an id that is also a word
    of the labels themselves (English "yes") cannot be told from it."""
    renderer = parts.renderer
    words: set[str] = set()
    for message in extract_catalog(text_sources(parts.settings)):
        for msgid in message.id if isinstance(message.id, tuple) else (message.id,):
            if msgid:
                words.update(WORD.findall(renderer.gettext(locale, msgid)))
                words.update(WORD.findall(msgid) if locale == "en" else ())
    return words


def leaks(texts: Iterable[str], forbidden: set[str]) -> list[tuple[str, str]]:
    """(id, text) for each id of `forbidden` standing as a word of a text (not inside a
    username, an address or a longer word)."""
    found = []
    for text in texts:
        for name in forbidden:
            if re.search(rf"(?<![\w@./:-]){re.escape(name)}(?![\w-])", text):
                found.append((name, text))
    return found
