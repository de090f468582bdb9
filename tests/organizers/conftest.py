"""Organizer operations' fixtures: a community on a real SQLite file and an organizer acting."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from engine.app import Bot
from engine.organizers import Actor, act_as
from tests.coffee.conftest import Community
from tests.conftest import ADMIN_ID, Clock


@pytest.fixture
def town(bot: Bot, clock: Clock) -> Iterator[Community]:
    yield Community(bot, clock)


@pytest.fixture
def admin(bot: Bot, clock: Clock) -> Actor:
    return act_as(ADMIN_ID, frozenset({ADMIN_ID}), clock())
