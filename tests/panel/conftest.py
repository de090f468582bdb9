"""Fixtures for the panel's tests: a database with participants, the panel app in-process
(Flask's test client) and the real `runner.py admin` with a headless Chromium."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from peewee import Database
from selenium.webdriver.remote.webdriver import WebDriver
from werkzeug.test import TestResponse

from engine.app import load_parts
from engine.organizers import act_as, appoint, revoke
from engine.panel import create_app
from engine.settings import Settings, load_settings
from engine.store import (
    Answer,
    Meeting,
    MeetingFeedback,
    MeetingMember,
    OrganizerNote,
    Participation,
    Round,
    User,
    open_database,
)
from tests.kit.databases import database_url
from tests.kit.panel import RunningPanel, chromium

ORGANIZER = 999
ORGANIZER_UK = 998


def add_participant(user_id: int, first_name: str, *, username: str | None = None,
                    locale: str = "uk", registered: bool = True, enabled: bool = True,
                    frequency: str = "weekly", comment: str = "") -> User:
    user = User.create(id=user_id, first_name=first_name, username=username, locale=locale,
                       language_code=locale, registered=registered, enabled=enabled,
                       comment=comment)
    Answer.create(user=user, key="first_name", value=first_name)
    Answer.create(user=user, key="frequency", value=frequency)
    return user


def seed_community() -> None:
    """A small community: Ukrainian and English speakers, one with a name that is markup."""
    User.create(id=ORGANIZER_UK, first_name="Orest", locale="uk", registered=True)
    add_participant(101, "Olena", username="olena_k")
    add_participant(102, "Taras", username="taras", frequency="biweekly")
    add_participant(103, "Jane", username="jane_doe", locale="en")
    add_participant(104, "<script>alert('x')</script>", username="mallory", locale="en")
    add_participant(105, "Bohdan", enabled=False)
    closed = Round.create(week=dt.date(2026, 11, 23), status="closed")
    for user_id, status in ((101, "yes"), (102, "yes"), (103, "no"), (104, "invited")):
        Participation.create(round=closed, user=user_id, status=status)
    meeting = Meeting.create(round=closed)
    for user_id in (101, 102):
        MeetingMember.create(meeting=meeting, user=user_id)
    MeetingFeedback.create(meeting=meeting, user=101, happened=True, rating=5,
                           comment="<b>Lovely</b> talk")
    OrganizerNote.create(user=104, text="<img src=x onerror=alert(1)> hello organizers")


@pytest.fixture
def panel_settings(tmp_path: Path) -> Settings:
    return load_settings({"DATABASE_URL": database_url(tmp_path / "bot.sqlite3"),
                          "ADMIN_IDS": f"{ORGANIZER},{ORGANIZER_UK}",
                          "ADMIN_URL": "http://panel.test", "DEFAULT_LOCALE": "en"},
                         env_file=tmp_path / "none.env")


@pytest.fixture
def database(panel_settings: Settings) -> Iterator[Database]:
    db = open_database(panel_settings.database_url)
    seed_community()
    yield db
    db.close()


@pytest.fixture
def appointed(panel_settings: Settings, database: Database) -> int:
    """Olena, appointed an organizer from the bot (so she can be revoked)."""
    appoint(act_as(ORGANIZER, panel_settings.admin_ids), 101)
    return 101


def revoke_organizer(settings: Settings, user_id: int) -> None:
    revoke(act_as(ORGANIZER, settings.admin_ids), user_id)


@pytest.fixture
def app(panel_settings: Settings, database: Database) -> Flask:
    parts = load_parts(panel_settings)
    return create_app(panel_settings, database, parts.renderer, parts.desk.fields)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def open_link(client: FlaskClient, path: str) -> TestResponse:
    """Open a login link and press its button, as an organizer does."""
    page = client.get(path)
    assert page.status_code == 200, page.text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token is not None
    return client.post(path, data={"csrf_token": token.group(1)})


@pytest.fixture
def login(app: Flask, client: FlaskClient) -> Callable[[int], str]:
    """Issue a link for an organizer and follow it with the test client; returns the link."""
    from engine.panel import LoginLinks

    def log_in(user_id: int = ORGANIZER) -> str:
        link = LoginLinks(app.secret_key, "http://panel.test").issue(user_id)  # type: ignore[arg-type]
        response = open_link(client, link.removeprefix("http://panel.test"))
        assert response.status_code == 302, response.text
        return link

    return log_in


@pytest.fixture
def running_panel(tmp_path: Path) -> Iterator[RunningPanel]:
    db = open_database(database_url(tmp_path / "bot.sqlite3"))
    seed_community()
    db.close()
    with RunningPanel(tmp_path, admin_ids=f"{ORGANIZER},{ORGANIZER_UK}",
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
