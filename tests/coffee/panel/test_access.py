"""Who gets in: login links (used, expired, forged, revoked), sessions, redirects, CSRF."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient
from peewee import Database
from werkzeug.routing import Rule
from werkzeug.routing.converters import AnyConverter

from coffee.bot_settings import BotSettings
from coffee.models import PanelLoginLink
from coffee.panel import LoginLinks
from engine.store import utc_now
from tests.kit.panel import ORGANIZER, ORGANIZER_UK, open_link, revoke_organizer

PUBLIC = {"access.login", "access.welcome"}


def _example_url(app: Flask, rule: Rule) -> str:
    values = {argument: _example_value(rule._converters.get(argument))
              for argument in rule.arguments}
    with app.test_request_context():
        return rule.build(values, append_unknown=False)[1]


def _example_value(converter: object) -> str:
    if isinstance(converter, AnyConverter):
        return sorted(converter.items)[0]
    return "1" if "int" in str(converter).lower() else "x"


def test_every_url_redirects_to_the_login_page_without_a_session(app: Flask,
                                                                 client: FlaskClient) -> None:
    walked = 0
    for rule in app.url_map.iter_rules():
        if rule.endpoint in PUBLIC:
            continue
        url = _example_url(app, rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(url, method=method)
            assert response.status_code == 302, (method, url, response.status_code)
            assert response.headers["Location"] == "/welcome", (method, url)
            walked += 1
    assert walked > 20  # the walk covered the model views, their exports and the static files
    welcome = client.get("/welcome")
    assert welcome.status_code == 200
    assert "Log in through the bot" in welcome.text


def test_a_link_opens_a_session_once(app: Flask, client: FlaskClient,
                                     login: Callable[[int], str]) -> None:
    link = login(ORGANIZER)
    cookie = client.get_cookie("panel_session")
    assert cookie is not None and cookie.http_only and cookie.same_site == "Lax"
    assert not cookie.secure  # the panel's address is http here
    assert client.get("/participants/").status_code == 200

    stranger = app.test_client()
    again = stranger.get(link.removeprefix("http://panel.test"))
    assert again.status_code == 403
    assert "already been used" in again.text
    assert stranger.get("/participants/").status_code == 302


def test_opening_a_link_uses_it_up_only_at_the_button(app: Flask, client: FlaskClient) -> None:
    """A link preview or a prefetch (a GET) leaves the link usable."""
    link = LoginLinks(str(app.secret_key), "").issue(ORGANIZER)
    preview = app.test_client().get(link)
    assert preview.status_code == 200 and "Open the panel" in preview.text
    assert app.test_client().get("/participants/").status_code == 302
    assert open_link(client, link).status_code == 302
    assert client.get("/participants/").status_code == 200
    assert "already been used" in app.test_client().get(link).text
    refused = app.test_client().post(link)  # the button without its form's token
    assert refused.status_code == 400


def test_expired_forged_and_revoked_links_open_no_session(
        app: Flask, client: FlaskClient, panel_settings: BotSettings, appointed: int) -> None:
    links = LoginLinks(str(app.secret_key), "")

    expired = links.issue(ORGANIZER)
    PanelLoginLink.update(created_at=utc_now() - dt.timedelta(minutes=11)).execute()
    page = client.get(expired)
    assert page.status_code == 403 and "has expired" in page.text

    forged = links.issue(ORGANIZER)
    page = client.get(forged[:-3] + ("AAA" if not forged.endswith("AAA") else "BBB"))
    assert page.status_code == 403 and "not valid" in page.text
    other_key = LoginLinks("not the panel's key", "").issue(ORGANIZER)
    assert "not valid" in client.get(other_key).text

    revoked = links.issue(appointed)
    revoke_organizer(panel_settings, appointed)
    page = client.get(revoked)
    assert page.status_code == 403 and "no longer an organizer" in page.text
    assert client.get("/participants/").status_code == 302


def test_a_revoked_organizer_loses_an_open_session(
        client: FlaskClient, panel_settings: BotSettings, appointed: int,
        login: Callable[[int], str]) -> None:
    login(appointed)
    assert client.get("/").status_code == 200
    revoke_organizer(panel_settings, appointed)
    assert client.get("/").headers["Location"] == "/welcome"


def test_a_post_without_the_csrf_token_is_refused(client: FlaskClient,
                                                  login: Callable[[int], str]) -> None:
    login(ORGANIZER)
    refused = client.post("/logout")
    assert refused.status_code == 400
    assert "was not accepted" in refused.text
    assert client.get("/").status_code == 200  # still logged in: the forged logout did nothing

    page = client.get("/").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert token is not None
    assert client.post("/logout", data={"csrf_token": token.group(1)}).status_code == 302
    assert client.get("/").status_code == 302


def test_the_session_cookie_is_secure_behind_https(panel_settings: BotSettings,
                                                   database: Database) -> None:
    from dataclasses import replace

    from coffee.app import load_parts
    from coffee.panel import create_app

    parts = load_parts(panel_settings)
    app = create_app(replace(panel_settings, panel_url="https://panel.example.org"), database,
                     parts.renderer, parts.desk.fields, parts.desk.vocabulary)
    client = app.test_client()
    link = LoginLinks(str(app.secret_key), "").issue(ORGANIZER)
    assert open_link(client, link).status_code == 302
    cookie = client.get_cookie("panel_session")
    assert cookie is not None and cookie.secure


def test_pages_follow_the_organizers_language(client: FlaskClient,
                                              login: Callable[[int], str]) -> None:
    login(ORGANIZER_UK)  # their language in the bot is Ukrainian
    page = client.get("/participants/").text
    assert "Учасники" in page and "Participants" not in page
    assert "Вийти" in page
    assert 'data-emptytext="Порожньо"' in page  # an empty comment, edited in place


def test_the_login_page_follows_the_browsers_language(client: FlaskClient) -> None:
    page = client.get("/welcome", headers={"Accept-Language": "uk-UA,uk;q=0.9,en;q=0.5"})
    assert "Увійдіть через бота" in page.text


def test_every_page_without_parameters_opens_for_an_organizer(
        app: Flask, client: FlaskClient, login: Callable[[int], str]) -> None:
    """No page fails (a 404 is Flask-Admin's answer to an AJAX lookup asked for nothing)."""
    login(ORGANIZER)
    opened = []
    for rule in app.url_map.iter_rules():
        if rule.arguments or "GET" not in rule.methods or rule.endpoint in PUBLIC:
            continue
        response = client.get(_example_url(app, rule))
        assert response.status_code in (200, 302, 404), (rule.rule, response.status_code)
        opened.append(rule.rule)
    assert {"/", "/participants/", "/rounds/", "/meetings/", "/next-round/", "/notes/",
            "/broadcast/", "/access/", "/settings/", "/audit/", "/chart.png"} <= set(opened)
