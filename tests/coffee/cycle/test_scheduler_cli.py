"""`scheduler.py` as cron runs it: a job run and its delivery over HTTP to a fake Bot API, a dry
run that prints the pairs and stores nothing, and one line with a non-zero exit when a setting
or the token is missing."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from coffee.cycle.participation import YES, set_participation
from coffee.models import JobRun, Meeting, Round
from engine.store import Outbox, utc_now
from tests.kit import FakeBotAPI
from tests.kit.community import Community
from tests.kit.databases import database_url
from tests.kit.loopback_only import UNREACHABLE_API, subprocess_env

pytestmark = pytest.mark.e2e

SCHEDULER = Path(__file__).resolve().parents[3] / "scheduler.py"


def scheduler(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {key: value for key, value in os.environ.items()
                   if key not in ("BOT_TOKEN", "TIMEZONE", "DATABASE_URL")}
    environment.update({"DATABASE_URL": database_url(tmp_path / "bot.sqlite3"),
                        "TELEGRAM_API_URL": UNREACHABLE_API, **env})
    return subprocess.run([sys.executable, str(SCHEDULER), *args], cwd=tmp_path,
                          env=subprocess_env(environment), capture_output=True, text=True,
                          timeout=60)


def test_dry_run_prints_the_pairs_and_stores_nothing(community: Community,
                                                     tmp_path: Path) -> None:
    week = community.bot.parts.schedule.round_for("match", utc_now())
    for uid in range(1, 6):
        community.register(uid, f"Name{uid}", username="five" if uid == 5 else None)
        set_participation(uid, week, YES, utc_now())

    result = scheduler(tmp_path, "match", "--week", week.isoformat(), "--dry-run", "--seed", "7",
                       "-q")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == f"match {week.isoformat()} (dry run, nothing stored or sent):"
    groups = [line.split(". ", 1)[1].split(" + ") for line in lines[1:]]
    assert sorted(len(group) for group in groups) == [2, 3]
    people = sorted(person for group in groups for person in group)
    assert people == [f"Name{uid} Petrenko ({uid})" for uid in range(1, 5)] + [
        "Name5 Petrenko (@five, 5)"]
    assert scheduler(tmp_path, "match", "--week", week.isoformat(), "--dry-run", "--seed", "7",
                     "-q").stdout == result.stdout

    assert Round.get(Round.week == week).status == "planned"
    assert not Meeting.select().exists()
    assert not JobRun.select().exists()
    assert not Outbox.select().exists()


def test_a_bad_setting_stops_it_with_one_line(tmp_path: Path) -> None:
    result = scheduler(tmp_path, "invite", TIMEZONE="Mars/Olympus")
    assert result.returncode != 0
    assert result.stderr.splitlines() == [
        "error: TIMEZONE 'Mars/Olympus' is not an IANA time zone such as Europe/Kyiv"]
    assert result.stdout == ""


def test_without_a_token_nothing_runs(tmp_path: Path) -> None:
    result = scheduler(tmp_path, "feedback")
    assert result.returncode != 0
    assert len(result.stderr.splitlines()) == 1
    assert result.stderr.startswith("error: BOT_TOKEN is not set")


def test_a_cron_run_invites_and_delivers_once(community: Community, tmp_path: Path) -> None:
    for uid in (1, 2, 3):
        community.register(uid, f"Name{uid}")
    week = community.bot.parts.schedule.round_for("invite", utc_now())
    with FakeBotAPI() as fake:
        fake.block(3)
        env = {"BOT_TOKEN": fake.token, "TELEGRAM_API_URL": fake.url}
        result = scheduler(tmp_path, "invite", "--week", week.isoformat(), "-q", **env)
        assert result.returncode == 0, result.stderr
        assert result.stdout.splitlines() == [
            f"invite {week.isoformat()}: invited 3, already invited 0, skipped 0, "
            "resting (biweekly) 0, unreachable 0, disabled 0",
            "delivered: sent 2, unreachable 1, refused 0, expired 0, left 0"]
        for uid in (1, 2):
            [message] = fake.sent(uid)
            assert message.text is not None and message.text.startswith(
                "<b>Random Coffee наступного тижня</b>")
            assert message.reply_markup is not None

        again = scheduler(tmp_path, "invite", "--week", week.isoformat(), "-q", **env)
        assert again.returncode == 0, again.stderr
        assert again.stdout.splitlines()[0].startswith(f"invite {week.isoformat()}: already done")
        assert [len(fake.sent(uid)) for uid in (1, 2, 3)] == [1, 1, 0]
