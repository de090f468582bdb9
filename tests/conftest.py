"""Fixtures shared by the tests: a bot on a fresh database (SQLite, or PostgreSQL with
TEST_DATABASE_URL), a clock tests can move, a participant, a workspace of the organizers' files.
What they are built from is in tests/kit."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from coffee.app import Bot, build_bot
from tests.kit import databases
from tests.kit.clock import Clock
from tests.kit.loopback_only import install
from tests.kit.participant import Participant
from tests.kit.settings import ADMIN_ID, settings_for
from tests.kit.workspace import Workspace

# python-telegram-bot warns about its time representation unless this is set; with warnings
# as errors the warning would replace the exception it is about.
os.environ.setdefault("PTB_TIMEDELTA", "true")

END_TO_END = ("e2e", "panel")  # test folders whose tests run real processes


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("explore", "the explorer of the whole dialogue (tests/explore)")
    group.addoption("--explore-seconds", type=float, default=20.0,
                    help="how long tests/explore/test_explorer.py explores (default: 20)")
    group.addoption("--explore-seed", type=int, default=1,
                    help="the seed of its walks (default: 1); the same seed walks the same way")


def pytest_configure(config: pytest.Config) -> None:
    install()  # loopback only, for every test


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.path.parent.name in END_TO_END:
            item.add_marker(pytest.mark.e2e)
    databases.skip_sqlite_only(items)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def bot(tmp_path: Path, clock: Clock) -> Iterator[Bot]:
    settings = settings_for(tmp_path, ORGANIZER_IDS=str(ADMIN_ID))
    built = build_bot(settings, clock=clock)
    yield built
    built.database.close()


@pytest.fixture
def participant(bot: Bot) -> Participant:
    return Participant(bot.engine, user_id=101, first_name="Olena", language_code="uk")


@pytest.fixture
def workspace(tmp_path: Path) -> Workspace:
    return Workspace(tmp_path / "bot")
