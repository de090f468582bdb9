"""The key that signs the panel's login links, session cookies and CSRF tokens — never kept in
the database, so a copy of the database (a backup, a `pg_dump`) cannot open a session.

PANEL_SECRET_KEY when set. With SQLite it may be left unset: a key is generated at the first
need into `panel-secret-key` beside the database file, readable by its owner only (mode 0600);
every process using that database (the bot, cron's scheduler, the panel) runs on the same
machine and finds the same file. With PostgreSQL the bot's workers and the panel may run on
different machines, which share no file: PANEL_SECRET_KEY is required there, the same on each.
"""

from __future__ import annotations

import logging
import os
import secrets
import tempfile
from pathlib import Path

from coffee.bot_settings import BotSettings
from engine.settings import SettingsError

KEY_FILE = "panel-secret-key"

log = logging.getLogger("panel")


def key_file(settings: BotSettings) -> Path | None:
    """Where the generated key is kept: beside a SQLite database's file; None for a database
    that has no file beside which to keep one (PostgreSQL, SQLite in memory)."""
    scheme, _, path = settings.database_url.partition(":///")
    if not scheme.startswith("sqlite") or not path or path.startswith(":memory:"):
        return None
    return Path(path).resolve().parent / KEY_FILE


def can_sign(settings: BotSettings) -> bool:
    """Whether links and sessions can be signed with these settings."""
    return bool(settings.panel_secret_key) or key_file(settings) is not None


def secret_key(settings: BotSettings) -> str:
    """PANEL_SECRET_KEY, or the generated key of `key_file` (created now if missing);
    SettingsError when neither can be had."""
    if settings.panel_secret_key:
        return settings.panel_secret_key
    path = key_file(settings)
    if path is None:
        raise SettingsError(
            "PANEL_SECRET_KEY is required with this DATABASE_URL: the bot and the web panel "
            "sign login links and sessions with it, and may run on different machines. Set "
            "it to the same random value everywhere, for example the output of: python -c "
            "'import secrets; print(secrets.token_urlsafe(48))'")
    if not path.exists():
        _create(path)
    if path.stat().st_mode & 0o077:
        log.warning("%s can be read by others than its owner: chmod 600 it", path)
    key = path.read_text(encoding="ascii").strip()
    if not key:
        raise SettingsError(f"{path} is empty: delete it and a new key is generated")
    return key


def _create(path: Path) -> None:
    """Write a new key into a private temporary file and link it into place: of processes
    creating it at the same moment, the first to link wins and the others read its key."""
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{KEY_FILE}.")
    try:
        with os.fdopen(descriptor, "w", encoding="ascii") as file:  # mkstemp: mode 0600
            file.write(secrets.token_urlsafe(48) + "\n")
            file.flush()
            os.fsync(file.fileno())
        try:
            os.link(temporary, path)
            log.info("generated the panel's signing key %s", path)
        except FileExistsError:
            pass
    finally:
        os.unlink(temporary)
