"""A clock the tests set and move; the bot reads it for every event and job."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

KYIV = ZoneInfo("Europe/Kyiv")  # the community's time zone, for moments a test names
# A Tuesday: invitations for the round of Monday 30 November come on Thursday.
TUESDAY_NOON = dt.datetime(2026, 11, 24, 12, 0, tzinfo=dt.timezone(dt.timedelta(hours=2)))
# A Sunday: the next round is the week from 7 December, its invitations sent on Thursday.
SUNDAY_NOON = dt.datetime(2026, 12, 6, 12, 0, tzinfo=KYIV)


class Clock:
    """The time a test says it is (`now`), moved with `advance(days=1)`."""

    def __init__(self, now: dt.datetime = TUESDAY_NOON) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)


class MovedClock:
    """The time of the processes a test starts (runner.py, scheduler.py), moved while they run:
    their environment gets `env`, and `set` moves them all (tests/kit/moved_clock.py)."""

    def __init__(self, path: Path, now: dt.datetime) -> None:
        self.path = path
        self.set(now)

    def set(self, now: dt.datetime) -> None:
        self.path.write_text(now.isoformat(), encoding="utf-8")

    @property
    def env(self) -> dict[str, str]:
        return {"TEST_CLOCK_FILE": str(self.path)}
