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


def a_round(town: Community) -> None:
    """Four participants: three say yes, one says no (no time); matched into a trio; one
    member says they met and rates it 5."""
    for uid, name in ((201, "Олена"), (202, "Петро"), (203, "Ірина"), (204, "Тарас")):
        town.register(uid, name, "Шевченко", username=f"user_{uid}")
    town.run_and_deliver("invite")
    for uid in (201, 202, 203):
        town.people[uid].press("Так, беру участь")
    town.people[204].press("Цього разу ні")
    town.people[204].press("Немає часу")
    town.run_and_deliver("match")
    town.run_and_deliver("feedback")
    town.people[201].press("Так, ми зустрілися")
    town.people[201].press("5")
