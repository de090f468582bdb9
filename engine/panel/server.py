"""Serve the panel with waitress, and print login links for operators."""

from __future__ import annotations

import logging
from collections.abc import Callable

from waitress import serve as waitress_serve

from engine.panel.app import create_app
from engine.panel.links import issue_login_link
from engine.settings import Settings, SettingsError
from engine.store import open_database

log = logging.getLogger("panel")


def is_organizer_in(settings: Settings) -> Callable[[int], bool]:
    return lambda user_id: user_id in settings.admin_ids


def serve(settings: Settings) -> None:
    """Run the panel on ADMIN_LISTEN:ADMIN_PORT until interrupted."""
    database = open_database(settings.database_url)
    try:
        app = create_app(settings, database, is_organizer_in(settings))
        log.info("panel on http://%s:%d/, public address %s", settings.admin_listen,
                 settings.admin_port, settings.admin_url)
        waitress_serve(app, host=settings.admin_listen, port=settings.admin_port,
                       threads=4, ident="random-coffee-panel")
    finally:
        database.close()


def login_link(settings: Settings, user_id: int) -> str:
    """A fresh login link for organizer `user_id`; SettingsError for anyone else."""
    if not is_organizer_in(settings)(user_id):
        raise SettingsError(f"user {user_id} is not an organizer (ADMIN_IDS or appointed in "
                            "the bot): no login link")
    database = open_database(settings.database_url)
    try:
        return issue_login_link(settings, user_id)
    finally:
        database.close()
