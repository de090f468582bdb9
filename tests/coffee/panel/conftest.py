"""Fixtures for the panel's tests: a database with participants, the panel app in-process
(Flask's test client) and the real `runner.py panel` with a headless Chromium; what they are
built from is in tests/kit/panel.py."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from peewee import Database
from selenium.webdriver.remote.webdriver import WebDriver

from coffee.app import load_parts
from coffee.bot_settings import BotSettings
from coffee.models import SCHEMAS
from coffee.organizers import act_as, appoint
from coffee.panel import create_app
from engine.store import open_database
from tests.kit.databases import database_url
from tests.kit.panel import (
    ORGANIZER,
    ORGANIZER_UK,
    RunningPanel,
    chromium,
    open_link,
    seed_community,
)
from tests.kit.settings import settings_for


@pytest.fixture
def panel_settings(tmp_path: Path) -> BotSettings:
    return settings_for(tmp_path, ORGANIZER_IDS=f"{ORGANIZER},{ORGANIZER_UK}",
                        PANEL_URL="http://panel.test", DEFAULT_LOCALE="en")


@pytest.fixture
def database(panel_settings: BotSettings) -> Iterator[Database]:
    db = open_database(panel_settings.database_url, SCHEMAS)
    seed_community()
    yield db
    db.close()


@pytest.fixture
def appointed(panel_settings: BotSettings, database: Database) -> int:
    """Olena, appointed an organizer from the bot (so she can be revoked)."""
    appoint(act_as(ORGANIZER, panel_settings.organizer_ids), 101)
    return 101


@pytest.fixture
def app(panel_settings: BotSettings, database: Database) -> Flask:
    parts = load_parts(panel_settings)
    return create_app(panel_settings, database, parts.renderer, parts.desk.fields,
                      parts.desk.vocabulary)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def login(app: Flask, client: FlaskClient) -> Callable[[int], str]:
    """Issue a link for an organizer and follow it with the test client; returns the link."""
    from coffee.panel import LoginLinks

    def log_in(user_id: int = ORGANIZER) -> str:
        link = LoginLinks(str(app.secret_key), "http://panel.test").issue(user_id)
        response = open_link(client, link.removeprefix("http://panel.test"))
        assert response.status_code == 302, response.text
        return link

    return log_in


@pytest.fixture
def running_panel(tmp_path: Path) -> Iterator[RunningPanel]:
    db = open_database(database_url(tmp_path / "bot.sqlite3"), SCHEMAS)
    seed_community()
    db.close()
    with RunningPanel(tmp_path, organizer_ids=f"{ORGANIZER},{ORGANIZER_UK}",
                      settings={"DEFAULT_LOCALE": "en"}) as panel:
        yield panel


@pytest.fixture(scope="module")
def chromium_for_module() -> Iterator[WebDriver]:
    """One browser per test module: starting Chromium costs seconds."""
    with chromium() as driver:
        yield driver


@pytest.fixture
def browser(chromium_for_module: WebDriver) -> WebDriver:
    """The module's browser with no cookies: every test starts logged out."""
    chromium_for_module.execute_cdp_cmd("Network.clearBrowserCookies", {})
    return chromium_for_module
