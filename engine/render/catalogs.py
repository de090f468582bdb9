"""Translations read straight from `locales/<locale>/LC_MESSAGES/messages.po` at start-up.

There is no separate compile step a translator could forget: the `.po` files are parsed and
compiled in memory. Fuzzy entries are not used, as gettext tools do.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, read_po
from babel.support import NullTranslations, Translations

DOMAIN = "messages"


class CatalogError(Exception):
    """A `.po` file that cannot be read, with its path and line."""


@dataclass
class Catalogs:
    """Every locale's catalog and compiled translations, keyed by locale code."""

    directory: Path
    catalogs: dict[str, Catalog] = field(default_factory=dict)
    translations: dict[str, NullTranslations] = field(default_factory=dict)

    @classmethod
    def load(cls, directory: Path) -> Catalogs:
        found = cls(directory)
        for path in sorted(directory.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
            locale = path.parent.parent.name
            catalog = read_catalog(path, locale)
            found.catalogs[locale] = catalog
            found.translations[locale] = compile_catalog(catalog)
        return found

    @property
    def locales(self) -> list[str]:
        return sorted(self.catalogs)

    def path_of(self, locale: str) -> Path:
        return self.directory / locale / "LC_MESSAGES" / f"{DOMAIN}.po"

    def is_translated(self, locale: str, msgid: str) -> bool:
        """Whether `msgid` has a usable (present, non-fuzzy, non-empty) translation."""
        catalog = self.catalogs.get(locale)
        message = catalog.get(msgid) if catalog else None
        if message is None or message.fuzzy:
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
    """Compile a catalog in memory into gettext translations (plural forms included)."""
    buffer = BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return Translations(fp=buffer, domain=DOMAIN)
