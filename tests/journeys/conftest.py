"""The `driver` fixture: one participant, Ann (English), over each way into the bot."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from coffee.app import Bot
from tests.kit import FakeBotAPI
from tests.kit.drivers.console import ConsoleParticipant
from tests.kit.drivers.protocol import Driver
from tests.kit.participant import Participant
from tests.kit.running import RunningBot

ANN = 101


@pytest.fixture(params=["seam", "console", pytest.param("telegram", marks=pytest.mark.e2e)])
def driver(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Driver]:
    if request.param == "telegram":
        with FakeBotAPI() as fake, RunningBot(fake, tmp_path) as running:
            yield running.user(ANN, first_name="Ann", language_code="en")
        return
    bot: Bot = request.getfixturevalue("bot")
    if request.param == "seam":
        yield Participant(bot.engine, ANN, first_name="Ann", language_code="en")
    else:
        yield ConsoleParticipant(bot.engine, ANN, first_name="Ann", language_code="en")
