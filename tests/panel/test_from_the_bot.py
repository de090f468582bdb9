"""The panel and Telegram's /admin are two faces of one set of operations: an organizer gets a
login link from /admin, and what they write in the panel is what /admin shows."""

from __future__ import annotations

import re

import pytest

from engine.app import Bot
from engine.panel import create_app
from tests.coffee.conftest import Community
from tests.conftest import ADMIN_ID, Clock
from tests.kit.participant import Participant
from tests.organizers.conftest import a_round
from tests.panel.conftest import open_link


@pytest.fixture
def town(bot: Bot, clock: Clock) -> Community:
    return Community(bot, clock)


def test_a_link_from_admin_opens_the_panel_and_a_comment_shows_in_admin(
        bot: Bot, town: Community) -> None:
    a_round(town)
    organizer = Participant(bot.engine, ADMIN_ID, first_name="Orhanizatorka")
    organizer.command("admin")
    organizer.press("🖥 Відкрити вебпанель")
    message = organizer.chat[-1].text
    assert "відкриє панель один раз, протягом 10 хвилин" in message
    link = re.search(r"\n(http\S+)$", message).group(1)  # type: ignore[union-attr]
    assert link.startswith(f"{bot.parts.settings.admin_url}/login/")

    app = create_app(bot.parts.settings, bot.database, bot.parts.renderer,
                     bot.parts.desk.fields)
    client = app.test_client()
    path = link.removeprefix(bot.parts.settings.admin_url)
    assert open_link(client, path).status_code == 302
    page = client.get("/participants/edit/?id=202")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
    saved = client.post("/participants/edit/?id=202", data={"csrf_token": token,
                                                            "comment": "Знає всіх у Kyiv Tech"})
    assert saved.status_code == 302

    organizer.command("admin")
    organizer.press("🔎 Знайти учасника")
    organizer.send("@user_202")
    organizer.press("Петро Шевченко (@user_202, 202)")
    assert "Коментар організаторів: Знає всіх у Kyiv Tech" in re.sub(
        r"<[^>]+>", "", organizer.chat[-1].text)
    assert "вже використано" in app.test_client().get(path).text
