"""Translations read straight from `locales/<locale>/LC_MESSAGES/messages.po` at start-up.

There is no separate compile step a translator could forget: the `.po` files are parsed and
compiled in memory. The language the flows and templates are written in (the source locale)
needs no catalog. A text a catalog lacks, or has only as a fuzzy or incomplete entry, falls
back: the participant's locale, then the default locale, then the source text.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, read_po
from babel.support import NullTranslations, Translations

DOMAIN = "messages"


class CatalogError(Exception):
    """A `.po` file that cannot be read, with its path and line."""


@dataclass
class Catalogs:
    """Every locale's catalog and its translations (with fallbacks), keyed by locale code."""

    directory: Path
    source_locale: str = "en"
    default_locale: str = "en"
    catalogs: dict[str, Catalog] = field(default_factory=dict)
    translations: dict[str, NullTranslations] = field(default_factory=dict)

    @classmethod
    def load(cls, directory: Path, *, source_locale: str = "en",
             default_locale: str | None = None) -> Catalogs:
        found = cls(directory, source_locale, default_locale or source_locale)
        for path in sorted(directory.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
            locale = path.parent.parent.name
            found.catalogs[locale] = read_catalog(path, locale)
        found._chain()
        return found

    def _chain(self) -> None:
        """Each locale's translations, falling back to the default locale's, then the msgid."""
        own = {locale: compile_catalog(catalog) for locale, catalog in self.catalogs.items()}
        for locale in self.locales:
            translations = own.get(locale) or NullTranslations()
            if locale not in (self.source_locale, self.default_locale) \
                    and self.default_locale in own:
                translations.add_fallback(compile_catalog(self.catalogs[self.default_locale]))
            self.translations[locale] = translations

    @property
    def locales(self) -> list[str]:
        """Every locale a participant can be served in: the source locale and each catalog's."""
        return sorted({self.source_locale, *self.catalogs})

    def path_of(self, locale: str) -> Path:
        return self.directory / locale / "LC_MESSAGES" / f"{DOMAIN}.po"

    def is_translated(self, locale: str, msgid: str) -> bool:
        """Whether a participant in `locale` reads `msgid` in their language (the source
        locale always does)."""
        if locale == self.source_locale:
            return True
        catalog = self.catalogs.get(locale)
        message = catalog.get(msgid) if catalog else None
        return message is not None and usable(message)


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
    """Compile the usable entries of a catalog in memory (plural forms included); the others
    are left out so that they fall back."""
    complete = copy.deepcopy(catalog)
    for message in list(complete)[1:]:
        if not usable(message):
            complete.delete(message.id, context=message.context)
    buffer = BytesIO()
    write_mo(buffer, complete, use_fuzzy=False)
    buffer.seek(0)
    return Translations(fp=buffer, domain=DOMAIN)
