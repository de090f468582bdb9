"""Settings for a bot under test: its data in a folder of the test's, the Bot API unreachable.

Every test builds its settings here, so none can fall back to the real api.telegram.org (or
read a developer's `.env`): a test that talks to the Bot API starts the fake one and passes its
`TELEGRAM_API_URL`.
"""

from __future__ import annotations

from pathlib import Path

from coffee.bot_settings import BotSettings, load_bot_settings
from engine.settings import Settings, load_settings
from tests.kit.databases import database_url, on_postgresql
from tests.kit.loopback_only import UNREACHABLE_API

ADMIN_ID = 999  # the organizer named in ORGANIZER_IDS
PANEL_KEY = "a panel key for the tests, as long as a real one should be"


def settings_for(folder: Path, **values: str) -> BotSettings:
    """Settings with the database named `folder/bot.sqlite3` (tests/kit/databases.py) and
    `values` on top; on PostgreSQL with the web panel's PANEL_SECRET_KEY, which it requires."""
    return load_bot_settings({"DATABASE_URL": database_url(folder / "bot.sqlite3"),
                              "TELEGRAM_API_URL": UNREACHABLE_API, **postgresql_panel_key(),
                              **values}, env_file=folder / "none.env")


def engine_settings_for(folder: Path, **values: str) -> Settings:
    """The engine's own settings (a bot on the engine alone), as `settings_for` builds them."""
    return load_settings({"DATABASE_URL": database_url(folder / "bot.sqlite3"),
                          "TELEGRAM_API_URL": UNREACHABLE_API, **values},
                         env_file=folder / "none.env")


def postgresql_panel_key() -> dict[str, str]:
    """PANEL_SECRET_KEY on the PostgreSQL pass (the panel requires it there; with SQLite it
    generates a key file beside the database)."""
    return {"PANEL_SECRET_KEY": PANEL_KEY} if on_postgresql() else {}
