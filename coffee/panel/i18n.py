"""The panel's own texts in the organizer's language: English in the code, `locales/*/panel.po`
beside this module for the rest, read at start-up like the bot's catalogs (no compile step).

Flask-Admin's and WTForms' own texts follow the same locale through Flask-Babel.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from babel.support import NullTranslations
from flask_babel import LazyString, get_locale
from markupsafe import Markup, escape

from engine.render.catalogs import compile_catalog, read_catalog

LOCALES_DIR = Path(__file__).parent / "locales"
DOMAIN = "panel"
SOURCE_LOCALE = "en"


def _load() -> dict[str, NullTranslations]:
    found: dict[str, NullTranslations] = {}
    for path in sorted(LOCALES_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        locale = path.parent.parent.name
        found[locale] = compile_catalog(read_catalog(path, locale))
    return found


_TRANSLATIONS = _load()
LOCALES: tuple[str, ...] = (SOURCE_LOCALE, *sorted(_TRANSLATIONS))


def panel_locale(preferred: str | None, default: str) -> str:
    """The panel language for an organizer whose bot language is `preferred`."""
    for candidate in (preferred, default):
        if candidate in LOCALES:
            return candidate
    return SOURCE_LOCALE


def _translations() -> NullTranslations:
    locale = get_locale()
    return _TRANSLATIONS.get(str(locale), NullTranslations()) if locale else NullTranslations()


def gettext(message: str, **values: Any) -> str:
    text = _translations().gettext(message)
    return text % values if values else text


def ngettext(singular: str, plural: str, count: int, **values: Any) -> str:
    values.setdefault("num", count)
    return _translations().ngettext(singular, plural, count) % values


def template_gettext(message: str) -> Markup:
    """A text for the templates: the translation is text, never markup (a translated
    "<b>, <i>" is shown as written); the values Jinja fills in are escaped too."""
    return escape(_translations().gettext(message))


def template_ngettext(singular: str, plural: str, count: int) -> Markup:
    return escape(_translations().ngettext(singular, plural, count))


def template_pgettext(context: str, message: str) -> Markup:
    """`message` as `context` needs it: "Registered" of one person is not the column's
    "Registered" in every language (Ukrainian: "Зареєстровано", not "Зареєстровані")."""
    return escape(_translations().pgettext(context, message))


def lazy_gettext(message: str, **values: Any) -> LazyString:
    """For texts defined at import time (column labels): translated when shown."""
    return LazyString(gettext, message, **values)
