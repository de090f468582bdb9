"""Start-up failures: one line saying what to fix, never a traceback."""

from __future__ import annotations

import re
import shutil
import socket
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.kit import FakeBotAPI
from tests.kit.databases import database_url
from tests.kit.running import REPO_ROOT, free_port, run_runner


def closed_port() -> str:
    return f"http://127.0.0.1:{free_port()}"


@pytest.mark.parametrize(("mode", "settings", "expected"), [
    ("polling", {"BOT_TOKEN": ""}, "error: BOT_TOKEN is not set"),
    ("polling", {"ORGANIZER_IDS": "42,alice"}, "error: ORGANIZER_IDS must be Telegram user ids"),
    ("polling", {"TELEGRAM_API_URL": "api.telegram.org"},
     "error: TELEGRAM_API_URL must be an http(s):// address"),
    ("polling", {"BOT_TOKEN": "123456:WRONG"}, "error: BOT_TOKEN was refused"),
    ("polling", {"TELEGRAM_API_URL": closed_port}, "error: cannot reach the Telegram Bot API"),
    ("webhook", {"WEBHOOK_URL": ""}, "error: WEBHOOK_URL is not set"),
    ("webhook", {"WEBHOOK_SECRET": "not secret!"}, "error: WEBHOOK_SECRET must be"),
    ("webhook", {"WEBHOOK_PORT": "busy"}, "error: cannot listen on 127.0.0.1:"),
    ("polling", {"PID_FILE": "/nonexistent-folder/runner.pid"},
     "error: cannot write PID_FILE /nonexistent-folder/runner.pid: No such file or directory"),
    ("webhook", {"PID_FILE": "/"}, "error: cannot write PID_FILE /: Is a directory"),
    ("polling", {"DATABASE_URL": "sqlite:////nonexistent-folder/bot.sqlite3"},
     "error: the database /nonexistent-folder/bot.sqlite3 cannot be opened"),
])
def test_a_bad_setting_stops_start_up_with_one_line(
        fake: FakeBotAPI, tmp_path: Path, mode: str,
        settings: dict[str, str | Callable[[], str]], expected: str) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        environment = {
            "BOT_TOKEN": fake.token, "TELEGRAM_API_URL": fake.url,
            "DATABASE_URL": database_url(tmp_path / "bot.sqlite3"),
            "WEBHOOK_URL": "https://bot.example.org/telegram", "WEBHOOK_SECRET": "s3cret",
            "WEBHOOK_PORT": str(free_port()),
        }
        for name, value in settings.items():
            environment[name] = value() if callable(value) else value
        if environment["WEBHOOK_PORT"] == "busy":
            environment["WEBHOOK_PORT"] = str(busy.getsockname()[1])
        done = run_runner(mode, **environment)
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith(expected), done.stderr
    assert done.stderr.count("\n") == 1, done.stderr
    assert fake.token not in done.stderr


def test_invalid_flows_stop_the_bot_with_file_and_line(fake: FakeBotAPI, tmp_path: Path) -> None:
    flows = tmp_path / "flows"
    shutil.copytree(REPO_ROOT / "flows", flows)
    start = flows / "start.yaml"
    lines = start.read_text().splitlines(keepends=True)
    line = lines.index("    next: ProfileState\n")
    lines[line] = "    next: ProfileStat\n"
    start.write_text("".join(lines))

    done = run_runner("polling", BOT_TOKEN=fake.token, TELEGRAM_API_URL=fake.url,
                      DATABASE_URL=database_url(tmp_path / "bot.sqlite3"), FLOWS_DIR=str(flows))
    assert done.returncode == 1
    assert re.match(rf"flows/start\.yaml:{line + 1}: unknown state 'ProfileStat'",
                    done.stderr), done.stderr
    assert "Traceback" not in done.stderr
    assert fake.calls() == []
