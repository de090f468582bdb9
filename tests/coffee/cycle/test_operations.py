"""Operational failures are loud: a job missed while the bot was down marks the round and tells
the organizers once; scheduler.py outside a job's window, or on a read-only database, exits
non-zero with one line."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest

from coffee.cycle.cycle import WeeklyCycle
from coffee.models import SCHEMAS, Round
from engine.store import open_database, utc_now
from tests.coffee.cycle.test_scheduler_cli import scheduler
from tests.kit.clock import KYIV
from tests.kit.community import ROUND, Community
from tests.kit.settings import ADMIN_ID


def poll(community: Community) -> list[str]:
    bot = community.bot
    cycle = WeeklyCycle(bot.engine, bot.parts.schedule, bot.database, bot.delivery)
    outcomes, _report = asyncio.run(cycle.run_once(community.send, clock=community.clock))
    return [outcome.line() for outcome in outcomes]


def test_invitations_missed_while_the_bot_was_down_mark_the_round_and_tell_organizers_once(
        community: Community) -> None:
    for uid in (1, 2, 3):
        community.register(uid, f"Name{uid}")
    community.register(ADMIN_ID, "Organizer")
    # Down from Wednesday to Monday 10:00: the invitations' window closed at 09:00.
    community.at(dt.datetime(2026, 11, 30, 10, 0, tzinfo=KYIV))

    lines = poll(community)

    assert lines == ["match 2026-11-30: nothing to do; invite was missed (its window closed at "
                     "2026-11-30 09:00); organizers told; run `python scheduler.py invite "
                     "--week 2026-12-07`"]
    round_ = Round.get(Round.week == ROUND)
    assert (round_.status, round_.missed) == ("planned", "invite")
    [notice] = community.send.to(ADMIN_ID)
    assert notice.text.startswith("⚠️ Запрошення на тиждень з 30 листопада не надіслано "
                                  "вчасно")
    assert notice.text.endswith("<code>python scheduler.py invite --week 2026-12-07</code>")
    assert [chat for chat, _reply in community.send.sent] == [ADMIN_ID]

    community.clock.advance(minutes=5)
    assert poll(community) == []
    assert len(community.send.to(ADMIN_ID)) == 1


def test_a_matching_missed_entirely_is_reported_by_the_survey(community: Community) -> None:
    community.register(1, "Name1")
    community.register(ADMIN_ID, "Organizer")
    community.run_and_deliver("invite", ROUND)
    community.at(community.bot.parts.schedule.due_at("feedback", ROUND))
    summary = community.run("feedback").summary
    assert summary.startswith("feedback 2026-11-30: nothing to do; the round is not matched")
    assert "run `python scheduler.py match --week 2026-11-30`" in summary
    assert Round.get(Round.week == ROUND).missed == "match"


def schedule_around_now(**offsets: int) -> dict[str, str]:
    """SCHEDULE_* settings (in UTC) that put each job `offsets[job]` minutes from now."""
    now = utc_now()
    settings = {"TIMEZONE": "UTC"}
    for job, minutes in offsets.items():
        at = now + dt.timedelta(minutes=minutes)
        settings[f"SCHEDULE_{job.upper()}"] = at.strftime("%a %H:%M").lower()
    return settings


def test_a_job_run_outside_its_window_says_so_and_exits_4(community: Community,
                                                          tmp_path: Path) -> None:
    community.register(1, "Name1")
    # Cron fires matching a few minutes early (a UTC crontab across a daylight-saving change).
    env = {"BOT_TOKEN": "123456:TEST-TOKEN", "TELEGRAM_API_URL": "http://127.0.0.1:9",
           **schedule_around_now(invite=-3 * 24 * 60, match=5, feedback=3 * 24 * 60)}
    result = scheduler(tmp_path, "match", "-q", **env)

    assert result.returncode == 4
    [line] = result.stderr.splitlines()
    assert line.startswith("error: match: nothing to do at ")
    this_round = (utc_now() + dt.timedelta(minutes=5)).date()
    monday = this_round - dt.timedelta(days=this_round.weekday())
    assert f"the round of {monday.isoformat()} is due at " in line
    assert line.endswith("(`scheduler.py match --week YYYY-MM-DD` runs it for a named round "
                         "now)")
    assert result.stdout == ""
    assert not Round.select().where(Round.status != "planned").exists()


@pytest.mark.sqlite_only
@pytest.mark.skipif(shutil.which("chattr") is None, reason="needs chattr")
def test_a_read_only_database_gives_one_line_and_exit_2(community: Community,
                                                        tmp_path: Path) -> None:
    community.register(1, "Name1")
    community.bot.database.close()
    database = tmp_path / "bot.sqlite3"
    for leftover in tmp_path.glob("bot.sqlite3-*"):
        leftover.unlink()
    if subprocess.run(["chattr", "+i", str(database)], capture_output=True).returncode:
        pytest.skip("this file system cannot make a file immutable")
    try:
        result = scheduler(tmp_path, "invite", "--week", ROUND.isoformat(), "-q",
                           BOT_TOKEN="123456:TEST-TOKEN", TELEGRAM_API_URL="http://127.0.0.1:9")
    finally:
        subprocess.run(["chattr", "-i", str(database)], check=True)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"error: the database {database} is read-only: nothing was written; make it writable "
        "for this user and run again"]
    community.bot.database.connect(reuse_if_open=True)
    assert not Round.select().exists()


@pytest.mark.sqlite_only
def test_a_full_disk_gives_one_line_and_exit_2(tmp_path: Path) -> None:
    disk = tmp_path / "disk"
    disk.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(disk)],
                      capture_output=True).returncode:
        pytest.skip("cannot mount a small file system here")
    try:
        database = disk / "bot.sqlite3"
        url = f"sqlite:///{database}"
        open_database(url, SCHEMAS).close()
        with contextlib.suppress(OSError), (disk / "filler").open("wb") as filler:
            while True:
                filler.write(b"x" * 4096)
                filler.flush()
        result = scheduler(tmp_path, "invite", "--week", ROUND.isoformat(), "-q",
                           DATABASE_URL=url, BOT_TOKEN="123456:TEST-TOKEN",
                           TELEGRAM_API_URL="http://127.0.0.1:9")
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=True)
    assert result.returncode == 2
    [line] = result.stderr.splitlines()
    assert line.startswith("error: the d")
    assert str(database) in line and "full" in line
