"""Serve the panel with waitress, and print login links for operators."""

from __future__ import annotations

import logging
import threading

from flask import Flask
from peewee import Database
from waitress import serve as waitress_serve

from coffee.bot_settings import BotSettings
from coffee.models import SCHEMAS
from coffee.organizers import Vocabulary, is_organizer
from coffee.panel.app import create_app, prepare_next_matching
from coffee.panel.links import issue_login_link
from engine.dialog.profile import ProfileFields
from engine.render.templates import Renderer
from engine.settings import SettingsError
from engine.store import open_database

log = logging.getLogger("panel")


def serve(settings: BotSettings, renderer: Renderer, fields: ProfileFields,
          vocabulary: Vocabulary) -> None:
    """Run the panel on PANEL_LISTEN:PANEL_PORT until interrupted."""
    database = open_database(settings.database_url, SCHEMAS)
    try:
        app = create_app(settings, database, renderer, fields, vocabulary)
        threading.Thread(target=_prepare, args=(app, database), name="next-matching",
                         daemon=True).start()
        log.info("panel on http://%s:%d/, public address %s", settings.panel_listen,
                 settings.panel_port, settings.panel_url)
        waitress_serve(app, host=settings.panel_listen, port=settings.panel_port,
                       threads=4, ident="random-coffee-panel")
    finally:
        database.close()


def _prepare(app: Flask, database: Database) -> None:
    try:
        with database.connection_context():  # this thread's own connection
            prepare_next_matching(app)
    except Exception:  # ahead of time only: the page works the plan out itself
        log.exception("the next matching's plan could not be worked out ahead")


def login_link(settings: BotSettings, user_id: int) -> str:
    """A fresh login link for organizer `user_id`; SettingsError for anyone else."""
    database = open_database(settings.database_url, SCHEMAS)
    try:
        if not is_organizer(user_id, settings.organizer_ids):
            raise SettingsError(f"user {user_id} is not an organizer (ORGANIZER_IDS or appointed "
                                "in the bot): no login link")
        return issue_login_link(settings, user_id)
    finally:
        database.close()
