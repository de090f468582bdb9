"""The weekly cycle's fixture: a community of participants of the `bot` (tests/kit/community.py)."""

from __future__ import annotations

import pytest

from coffee.app import Bot
from tests.kit.clock import Clock
from tests.kit.community import Community


@pytest.fixture
def community(bot: Bot, clock: Clock) -> Community:
    return Community(bot, clock)
