"""Translations read straight from `locales/<locale>/LC_MESSAGES/messages.po` at start-up.

There is no separate compile step a translator could forget: the `.po` files are parsed and
compiled in memory. The language the flows and templates are written in (the source locale)
needs no catalog. A text a catalog lacks, or has only as a fuzzy or incomplete entry, is not
the locale's: the message it is in is shown in the next language of the locale's chain (its
configured fallbacks, then the source locale; `Renderer.render`).
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, read_po
from babel.support import Translations

DOMAIN = "messages"


class CatalogError(Exception):
    """A `.po` file that cannot be read, with its path and line."""


@dataclass
class Catalogs:
    """Every locale's catalog and its own translations (no fallback), keyed by locale code;
    `fallbacks`: the languages each locale falls back to before the source locale."""

    directory: Path
    source_locale: str = "en"
    fallbacks: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    catalogs: dict[str, Catalog] = field(default_factory=dict)
    translations: dict[str, Translations] = field(default_factory=dict)
    _usable: dict[str, frozenset[str]] = field(default_factory=dict)

    @classmethod
    def load(cls, directory: Path, *, source_locale: str = "en",
             fallbacks: Mapping[str, tuple[str, ...]] | None = None) -> Catalogs:
        found = cls(directory, source_locale, dict(fallbacks or {}))
        for path in sorted(directory.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
            locale = path.parent.parent.name
            catalog = found.catalogs[locale] = read_catalog(path, locale)
            found.translations[locale] = compile_catalog(catalog)
            found._usable[locale] = frozenset(
                _singular(message) for message in list(catalog)[1:] if usable(message))
        return found

    @property
    def locales(self) -> list[str]:
        """Every locale a participant can be served in: the source locale and each catalog's."""
        return sorted({self.source_locale, *self.catalogs})

    def chain(self, locale: str) -> tuple[str, ...]:
        """The languages a message for `locale` is tried in, in order: the locale, its
        configured fallbacks, the source locale (which has every text)."""
        tried = [locale, *self.fallbacks.get(locale, ()), self.source_locale]
        return tuple(code for code in dict.fromkeys(tried) if code in self.locales)

    def path_of(self, locale: str) -> Path:
        return self.directory / locale / "LC_MESSAGES" / f"{DOMAIN}.po"

    def is_translated(self, locale: str, msgid: str) -> bool:
        """Whether a participant in `locale` reads `msgid` in their language (the source
        locale always does)."""
        return locale == self.source_locale or msgid in self._usable.get(locale, ())

    def translate(self, locale: str, msgid: str) -> str | None:
        """`msgid` in `locale`'s own words; None when its catalog does not translate it."""
        if locale == self.source_locale:
            return msgid
        if msgid not in self._usable.get(locale, ()):
            return None
        return self.translations[locale].gettext(msgid)

    def translate_plural(self, locale: str, singular: str, plural: str, count: int) -> str | None:
        """The plural form for `count` in `locale`'s own words, None when not translated."""
        if locale == self.source_locale:
            return singular if count == 1 else plural
        if singular not in self._usable.get(locale, ()):
            return None
        return self.translations[locale].ngettext(singular, plural, count)


def _singular(message: Message) -> str:
    return str(message.id[0] if isinstance(message.id, tuple | list) else message.id)


def usable(message: Message) -> bool:
    """A present, non-fuzzy translation with every plural form filled in."""
    if message.fuzzy:
        return False
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    return all(strings)


def read_catalog(path: Path, locale: str) -> Catalog:
    """Parse one `.po` file, turning parse errors into a CatalogError naming the file."""
    try:
        with path.open("rb") as handle:
            return read_po(handle, locale=locale, abort_invalid=True)
    except (PoFileError, OSError, ValueError) as error:
        raise CatalogError(f"{path}: cannot read the catalog: {error}") from error


def compile_catalog(catalog: Catalog) -> Translations:
    """Compile the usable entries of a catalog in memory (plural forms included)."""
    complete = copy.deepcopy(catalog)
    for message in list(complete)[1:]:
        if not usable(message):
            complete.delete(message.id, context=message.context)
    buffer = BytesIO()
    write_mo(buffer, complete, use_fuzzy=False)
    buffer.seek(0)
    return Translations(fp=buffer, domain=DOMAIN)
