"""The panel and Telegram's /admin are two faces of one set of operations: an organizer gets a
login link from /admin, and what they write in the panel is what /admin shows."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from coffee.app import Bot, build_bot
from coffee.panel import create_app
from tests.kit.clock import Clock
from tests.kit.community import Community, a_round
from tests.kit.panel import found, open_link
from tests.kit.participant import Participant
from tests.kit.settings import ADMIN_ID, settings_for


@pytest.fixture
def bot(tmp_path: Path, clock: Clock) -> Iterator[Bot]:
    """A bot whose panel has an address (PANEL_URL): /admin offers the way in."""
    built = build_bot(settings_for(tmp_path, ORGANIZER_IDS=str(ADMIN_ID),
                                   PANEL_URL="https://panel.example.org"), clock=clock)
    yield built
    built.database.close()


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
    link = found(r"\n(http\S+)$", message)
    assert link.startswith(f"{bot.parts.settings.panel_url}/login/")

    app = create_app(bot.parts.settings, bot.database, bot.parts.renderer,
                     bot.parts.desk.fields, bot.parts.desk.vocabulary)
    client = app.test_client()
    path = link.removeprefix(bot.parts.settings.panel_url)
    assert open_link(client, path).status_code == 302
    page = client.get("/participants/details/?id=202")
    token = found(r'name="csrf_token" value="([^"]+)"', page.text)
    saved = client.post("/participants/comment/202", data={"csrf_token": token,
                                                           "comment": "Знає всіх у Kyiv Tech"})
    assert saved.status_code == 302

    organizer.command("admin")
    organizer.press("🔎 Знайти учасника")
    organizer.send("@user_202")  # the one participant found: their card at once
    assert "Коментар організаторів: Знає всіх у Kyiv Tech" in re.sub(
        r"<[^>]+>", "", organizer.chat[-1].text)
    assert "вже використано" in app.test_client().get(path).text
