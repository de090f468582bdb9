"""Fixtures shared by the tests: a bot on a fresh database (tests/kit/databases.py), a clock
tests can move."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from engine.app import Bot, build_bot
from engine.dialog.engine import DialogSettings
from engine.settings import PROJECT_ROOT, Settings, load_settings
from tests.kit import databases
from tests.kit.loopback_only import UNREACHABLE_API, install
from tests.kit.participant import Participant

# python-telegram-bot warns about its time representation unless this is set; with warnings
# as errors the warning would replace the exception it is about.
os.environ.setdefault("PTB_TIMEDELTA", "true")

ADMIN_ID = 999
END_TO_END = ("e2e", "panel")  # test folders whose tests run real processes


def pytest_configure(config: pytest.Config) -> None:
    install()  # loopback only, for every test


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.path.parent.name in END_TO_END:
            item.add_marker(pytest.mark.e2e)
    databases.skip_sqlite_only(items)


def pytest_sessionfinish(session: pytest.Session) -> None:
    databases.drop_created()
KYIV = dt.timezone(dt.timedelta(hours=2))


class Clock:
    """A clock the tests set and move; the bot reads it for every event and job."""

    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)


@pytest.fixture
def clock() -> Clock:
    # A Tuesday: invitations for the round of Monday 30 November come on Thursday.
    return Clock(dt.datetime(2026, 11, 24, 12, 0, tzinfo=KYIV))


@pytest.fixture
def bot(tmp_path: Path, clock: Clock) -> Iterator[Bot]:
    settings = load_settings({"DATABASE_URL": databases.database_url(tmp_path / "bot.sqlite3"),
                              "ADMIN_IDS": str(ADMIN_ID), "TELEGRAM_API_URL": UNREACHABLE_API},
                             env_file=tmp_path / "none.env")
    built = build_bot(settings, DialogSettings(default_locale="uk",
                                               admin_ids=frozenset({ADMIN_ID}), clock=clock))
    yield built
    built.database.close()


@pytest.fixture
def participant(bot: Bot) -> Participant:
    return Participant(bot.engine, user_id=101, first_name="Olena", language_code="uk")


class Workspace:
    """A copy of the organizers' files (flows, templates, locales) that a test may break."""

    def __init__(self, root: Path) -> None:
        self.root = root
        for name in ("flows", "templates", "locales"):
            shutil.copytree(PROJECT_ROOT / name, root / name)

    def edit(self, relative: str, old: str, new: str) -> int:
        """Replace `old` (which must occur once) and return the line where `new` starts."""
        path = self.root / relative
        text = path.read_text(encoding="utf-8")
        assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {relative}"
        path.write_text(text.replace(old, new), encoding="utf-8")
        return text[:text.index(old)].count("\n") + 1

    def environment(self) -> dict[str, str]:
        return {"FLOWS_DIR": str(self.root / "flows"),
                "TEMPLATES_DIR": str(self.root / "templates"),
                "LOCALES_DIR": str(self.root / "locales"),
                "DATABASE_URL": databases.database_url(self.root / "bot.sqlite3"),
                "TELEGRAM_API_URL": UNREACHABLE_API}

    def settings(self) -> Settings:
        return load_settings(self.environment(), env_file=self.root / "none.env")


@pytest.fixture
def workspace(tmp_path: Path) -> Workspace:
    return Workspace(tmp_path / "bot")
