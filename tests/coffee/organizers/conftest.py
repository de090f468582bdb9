"""Organizer operations' fixtures: a community on a real SQLite file and an organizer acting."""

from __future__ import annotations

import pytest

from coffee.app import Bot
from coffee.organizers import Actor, act_as
from tests.kit.clock import Clock
from tests.kit.community import Community
from tests.kit.settings import ADMIN_ID


@pytest.fixture
def town(bot: Bot, clock: Clock) -> Community:
    return Community(bot, clock)


@pytest.fixture
def admin(bot: Bot, clock: Clock) -> Actor:
    return act_as(ADMIN_ID, frozenset({ADMIN_ID}), clock())
