"""The explorer's world: a bot whose ADMIN_IDS are the cast's organizers (tests/kit/explorer)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from coffee.app import build_bot
from tests.kit.clock import Clock
from tests.kit.explorer import ORGANIZER_IDS, World
from tests.kit.settings import settings_for


@pytest.fixture
def world(tmp_path: Path, clock: Clock) -> Iterator[World]:
    admins = ",".join(str(user_id) for user_id in ORGANIZER_IDS)
    bot = build_bot(settings_for(tmp_path, ADMIN_IDS=admins), clock=clock)
    yield World(bot, clock)
    bot.database.close()
