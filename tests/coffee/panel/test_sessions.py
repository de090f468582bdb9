"""Sessions live on the server: a row per login, checked on every request, ended at once by
logout, "log out everywhere" and revocation, and by their idle and absolute lifetimes; the key
that signs the cookies is not in the database; every response carries the security headers."""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
import stat
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from peewee import Database

from coffee.app import load_parts
from coffee.bot_settings import BotSettings as Settings
from coffee.models import SCHEMAS, AuditEntry, PanelSession
from coffee.organizers import act_as, appoint
from coffee.panel import create_app
from coffee.panel.secret import KEY_FILE, can_sign, secret_key
from engine.store import Setting, open_database, utc_now
from tests.kit.panel import ORGANIZER, ORGANIZER_UK, revoke_organizer, table_rows
from tests.kit.settings import settings_for

LoggedIn = Callable[[int], str]


def csrf(client: FlaskClient) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/settings/").text)
    assert found is not None
    return found.group(1)


def welcome_says(client: FlaskClient) -> str:
    """What a browser whose session is gone is told: the page it is sent to, followed."""
    page = client.get("/", follow_redirects=True)
    assert page.request.path == "/welcome"
    found = re.search(r'id="refusal">([^<]*)<', page.text)
    return found.group(1) if found else ""


def test_a_cookie_copied_before_logout_opens_nothing_after_it(
        app: Flask, client: FlaskClient, login: LoggedIn) -> None:
    login(ORGANIZER)
    cookie = client.get_cookie("panel_session")
    assert cookie is not None
    copy = app.test_client()
    copy.set_cookie("panel_session", cookie.value)
    assert copy.get("/participants/").status_code == 200
    client.post("/logout", data={"csrf_token": csrf(client)})
    assert welcome_says(client) == "You have logged out."
    assert copy.get("/participants/").headers["Location"] == "/welcome"
    assert PanelSession.get().end_reason == "logout"


def test_browsing_does_not_renew_the_cookie(client: FlaskClient, login: LoggedIn) -> None:
    """The server keeps the time of the last request: a page sends no cookie again (so a
    response arriving after the cookie was deleted cannot put it back)."""
    login(ORGANIZER)
    client.get("/")  # the first page after the login adds its forms' CSRF token
    for page in ("/", "/chart.png", "/participants/", "/settings/"):
        assert "Set-Cookie" not in client.get(page).headers, page


def test_log_out_everywhere_ends_every_session_of_the_organizer(
        app: Flask, login: LoggedIn) -> None:
    from coffee.panel import LoginLinks
    from tests.kit.panel import open_link

    browsers = [app.test_client() for _ in range(3)]
    for browser, organizer in zip(browsers, (ORGANIZER, ORGANIZER, ORGANIZER_UK), strict=True):
        link = LoginLinks(str(app.secret_key), "").issue(organizer)
        assert open_link(browser, link).status_code == 302
    laptop, phone, colleague = browsers
    ended = laptop.post("/logout/everywhere", data={"csrf_token": csrf(laptop)},
                        follow_redirects=True)
    assert "You have logged out everywhere: 2 sessions ended." in ended.text
    assert welcome_says(phone) == ("Your session has ended: &#34;Log out everywhere&#34; was "
                                   "pressed in another browser.")
    assert colleague.get("/").status_code == 200  # another organizer's session lasts
    assert [(entry.actor, entry.action, entry.new) for entry in
            AuditEntry.select().order_by(AuditEntry.id)] == [
        (ORGANIZER, "panel_login", 1), (ORGANIZER, "panel_login", 1),
        (ORGANIZER_UK, "panel_login", 1), (ORGANIZER, "panel_logout_everywhere", 2)]
    # the audit log reads the sessions a login opened and a logout ended in words
    assert [row[-1] for row in table_rows(colleague.get("/audit/").text)[1:]] == [
        "2 сеанси", "1 сеанс", "1 сеанс", "1 сеанс"]


def test_revocation_ends_the_session_and_says_why_and_reappointment_does_not_revive_it(
        app: Flask, client: FlaskClient, panel_settings: Settings, appointed: int,
        login: LoggedIn) -> None:
    login(appointed)
    assert client.get("/").status_code == 200
    copy = app.test_client()
    copy.set_cookie("panel_session", client.get_cookie("panel_session").value)
    revoke_organizer(panel_settings, appointed)
    assert "ви більше не організатор" in welcome_says(client)  # Olena's language
    appoint(act_as(ORGANIZER, panel_settings.organizer_ids), appointed)
    assert copy.get("/").headers["Location"] == "/welcome"  # the old cookie stays dead

    # A session not used between the revocation and the re-appointment ends as well.
    login(appointed)
    revoke_organizer(panel_settings, appointed)
    appoint(act_as(ORGANIZER, panel_settings.organizer_ids), appointed)
    assert "ви більше не організатор" in welcome_says(client)


def test_a_session_ends_after_12_idle_hours_and_after_7_days(
        client: FlaskClient, login: LoggedIn) -> None:
    login(ORGANIZER)
    now = utc_now()
    PanelSession.update(last_seen_at=now - dt.timedelta(hours=11, minutes=59)).execute()
    assert client.get("/").status_code == 200
    assert PanelSession.get().last_seen_at > now - dt.timedelta(minutes=1)  # seen again now
    PanelSession.update(last_seen_at=now - dt.timedelta(hours=12, minutes=1)).execute()
    assert welcome_says(client) == ("Your session has ended after 12 hours without activity. "
                                    "Ask the bot for a new link.")

    login(ORGANIZER)
    PanelSession.update(created_at=now - dt.timedelta(days=7, minutes=1)).where(
        PanelSession.ended_at.is_null()).execute()
    assert welcome_says(client) == ("Your session has ended: a session lasts at most 7 days. "
                                    "Ask the bot for a new link.")
    assert sorted(session.end_reason for session in PanelSession.select()) == [
        "expired", "idle"]


def test_logins_and_logouts_are_in_the_audit_log(client: FlaskClient, login: LoggedIn) -> None:
    login(ORGANIZER_UK)
    client.post("/logout", data={"csrf_token": csrf(client)})
    assert [(entry.actor, entry.action, entry.target) for entry in
            AuditEntry.select().order_by(AuditEntry.id)] == [
        (ORGANIZER_UK, "panel_login", str(ORGANIZER_UK)),
        (ORGANIZER_UK, "panel_logout", str(ORGANIZER_UK))]
    session = PanelSession.get()
    assert (session.user_id, session.end_reason) == (ORGANIZER_UK, "logout")
    assert session.ended_at >= session.created_at


def test_every_response_carries_the_security_headers(client: FlaskClient,
                                                     login: LoggedIn) -> None:
    login(ORGANIZER)
    for path in ("/welcome", "/", "/participants/", "/chart.png", "/static/panel.js"):
        with client.get(path) as response:
            headers = response.headers
            policy = headers["Content-Security-Policy"]
            assert "script-src 'self';" in policy, (path, policy)
            assert "frame-ancestors 'none'" in policy
            assert headers["X-Frame-Options"] == "DENY"
            assert headers["X-Content-Type-Options"] == "nosniff"
            assert headers["Referrer-Policy"] == "same-origin"


# The signing key ----------------------------------------------------------------------------

@pytest.mark.sqlite_only
def test_the_key_is_a_private_file_beside_the_database_not_in_it(
        app: Flask, client: FlaskClient, login: LoggedIn, panel_settings: Settings,
        database: Database, tmp_path: Path) -> None:
    key_file = tmp_path / KEY_FILE
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert key_file.read_text().strip() == app.secret_key
    login(ORGANIZER)
    token = client.get_cookie("panel_session").value
    dump = "\n".join(sqlite3.connect(tmp_path / "bot.sqlite3").iterdump())
    assert str(app.secret_key) not in dump
    assert Setting.select().where(Setting.key.contains("secret")).count() == 0

    # A restart reads the same key: the session lasts.
    parts = load_parts(panel_settings)
    again = create_app(panel_settings, database, parts.renderer, parts.desk.fields,
                       parts.desk.vocabulary)
    assert again.secret_key == app.secret_key
    restarted = again.test_client()
    restarted.set_cookie("panel_session", token)
    assert restarted.get("/").status_code == 200


@pytest.mark.sqlite_only
def test_a_copy_of_the_database_alone_opens_no_session(
        client: FlaskClient, login: LoggedIn, tmp_path: Path) -> None:
    """The database copied elsewhere (a leaked backup) gets a key of its own there: the
    sessions it holds cannot be used, nor can a cookie be signed from what it holds."""
    login(ORGANIZER)
    cookie = client.get_cookie("panel_session").value
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "bot.sqlite3").write_bytes((tmp_path / "bot.sqlite3").read_bytes())
    settings = settings_for(elsewhere, ORGANIZER_IDS=str(ORGANIZER), PANEL_URL="http://x.test")
    copy_db = open_database(settings.database_url, SCHEMAS)
    try:
        parts = load_parts(settings)
        copy = create_app(settings, copy_db, parts.renderer, parts.desk.fields,
                          parts.desk.vocabulary)
        stranger = copy.test_client()
        stranger.set_cookie("panel_session", cookie)
        assert stranger.get("/").headers["Location"] == "/welcome"
        assert PanelSession.select().where(PanelSession.ended_at.is_null()).count() == 1
    finally:
        copy_db.close()


def test_a_key_kept_in_the_database_by_an_earlier_version_is_removed(tmp_path: Path) -> None:
    from engine.store import migrate

    db = open_database(settings_for(tmp_path).database_url, SCHEMAS)
    Setting.create(key="panel.secret_key", value="old key anyone with a backup could read")
    db.execute_sql("DELETE FROM schema_migration WHERE name = '0005_panel_sessions'")
    migrate(db, SCHEMAS)
    assert Setting.get_or_none(Setting.key == "panel.secret_key") is None
    db.close()


def test_panel_secret_key_is_used_as_given_and_no_file_is_written(
        tmp_path: Path, database: Database) -> None:
    settings = settings_for(tmp_path / "given", PANEL_SECRET_KEY="k" * 40,
                            PANEL_URL="http://panel.test")
    parts = load_parts(settings)
    app = create_app(settings, database, parts.renderer, parts.desk.fields, parts.desk.vocabulary)
    assert app.secret_key == "k" * 40
    assert not (tmp_path / "given" / KEY_FILE).exists()


def test_without_a_key_file_the_panel_asks_for_panel_secret_key(tmp_path: Path) -> None:
    """PostgreSQL has no file beside which to keep a key, and the bot's workers and the panel
    may run on different machines: the panel names the setting to give."""
    from engine.settings import SettingsError

    settings = settings_for(tmp_path, DATABASE_URL="postgresql://bot@db.example.org/bot",
                            PANEL_SECRET_KEY="")
    assert not can_sign(settings)
    with pytest.raises(SettingsError, match="PANEL_SECRET_KEY is required"):
        secret_key(settings)
