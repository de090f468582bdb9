"""Every text of the panel has a Ukrainian translation."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir

from coffee.panel.i18n import DOMAIN, LOCALES_DIR
from engine.render.catalogs import read_catalog

PANEL = Path(__file__).resolve().parents[3] / "coffee" / "panel"
METHODS = [("**.py", "python"), ("**/templates/**.html", "jinja2")]
KEYWORDS = {"gettext": None, "lazy_gettext": None, "ngettext": (1, 2), "_": None}


def panel_texts() -> dict[str, str]:
    return {(message[0] if isinstance(message, tuple) else message): f"{name}:{line}"
            for name, line, message, _comments, _context
            in extract_from_dir(PANEL, METHODS, keywords=KEYWORDS)}


def test_every_panel_text_is_translated_to_ukrainian() -> None:
    texts = panel_texts()
    assert len(texts) > 30
    catalog = read_catalog(LOCALES_DIR / "uk" / "LC_MESSAGES" / f"{DOMAIN}.po", "uk")
    missing = [f"{where}: {msgid!r}" for msgid, where in sorted(texts.items())
               if not (catalog.get(msgid) and catalog.get(msgid).string
                       and not catalog.get(msgid).fuzzy)]
    assert not missing, "\n".join(missing)
