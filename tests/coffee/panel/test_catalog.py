"""Every text of the panel has a Ukrainian translation."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir

from coffee.panel.i18n import DOMAIN, LOCALES_DIR
from engine.render.catalogs import read_catalog

PANEL = Path(__file__).resolve().parents[3] / "coffee" / "panel"
METHODS = [("**.py", "python"), ("**/templates/**.html", "jinja2")]
KEYWORDS = {"gettext": None, "lazy_gettext": None, "ngettext": (1, 2), "_": None,
            "pgettext": ((1, "c"), 2)}


def panel_texts() -> dict[tuple[str, str | None], str]:
    """Each text (with its context, if any) and where it is."""
    return {((message[0] if isinstance(message, tuple) else message), context):
            f"{name}:{line}" for name, line, message, _comments, context
            in extract_from_dir(PANEL, METHODS, keywords=KEYWORDS)}


def test_every_panel_text_is_translated_to_ukrainian() -> None:
    texts = panel_texts()
    assert len(texts) > 30
    assert ("Registered", "one person") in texts
    catalog = read_catalog(LOCALES_DIR / "uk" / "LC_MESSAGES" / f"{DOMAIN}.po", "uk")
    missing = [f"{where}: {msgid!r}" for (msgid, context), where in sorted(
                   texts.items(), key=lambda item: (item[0][0], item[0][1] or ""))
               if not ((found := catalog.get(msgid, context=context)) and found.string
                       and not found.fuzzy)]
    assert not missing, "\n".join(missing)
