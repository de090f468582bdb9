"""A database that cannot be opened stops every command at start-up with one line on stderr and
exit code 2: the PostgreSQL driver missing, the server down or unknown, the login refused, the
database missing. Never a traceback, never the password."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from tests.kit.databases import TEST_DATABASE_URL, on_postgresql
from tests.kit.running import REPO_ROOT, free_port, run_runner, runner_env

PASSWORD = "s3cret-pw"


def unused_server(database: str = "bot") -> str:
    return f"postgresql://bot:{PASSWORD}@127.0.0.1:{free_port()}/{database}"


def one_line(done: subprocess.CompletedProcess[str], starts: str) -> None:
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith(starts), done.stderr
    assert done.stderr.count("\n") == 1, done.stderr
    assert PASSWORD not in done.stderr


def scheduler(*args: str, **settings: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "scheduler.py", *args], cwd=REPO_ROOT,
                          env=runner_env(**settings), capture_output=True, text=True,
                          timeout=30, check=False)


COMMANDS = {
    "polling": ("polling",),
    "webhook": ("webhook",),
    "console": ("console",),
    "panel": ("panel",),
    "panel-link": ("panel-link", "--user", "999"),
    "admin (the panel's former name)": ("admin",),
    "access": ("access", "list"),
}
TELEGRAM = {"BOT_TOKEN": "123456:TEST-TOKEN", "WEBHOOK_URL": "https://bot.example.org/hook",
            "WEBHOOK_SECRET": "s3cret", "WEBHOOK_LISTEN": "127.0.0.1",
            "ORGANIZER_IDS": "999"}


@pytest.mark.parametrize("command", COMMANDS.values(), ids=COMMANDS.keys())
def test_every_runner_command_reports_an_unreachable_server(command: tuple[str, ...]) -> None:
    url = unused_server()
    done = run_runner(*command, DATABASE_URL=url, WEBHOOK_PORT=str(free_port()), **TELEGRAM)
    one_line(done, f"error: the database {url.replace(PASSWORD, '***')} cannot be opened "
                   "(connection failed:")
    assert "Connection refused" in done.stderr


def test_the_scheduler_reports_an_unreachable_server() -> None:
    url = unused_server()
    for job in ("deliver", "match"):
        one_line(scheduler(job, DATABASE_URL=url, **TELEGRAM),
                 f"error: the database {url.replace(PASSWORD, '***')} cannot be opened")


def test_a_missing_driver_names_the_extra_to_install(tmp_path: Path) -> None:
    for driver in ("psycopg", "psycopg2"):  # what peewee would import: absent here
        (tmp_path / driver).mkdir()
        (tmp_path / driver / "__init__.py").write_text("raise ImportError('not installed')\n")
    url = unused_server()
    hidden = {"PYTHONPATH": str(tmp_path), "DATABASE_URL": url, **TELEGRAM}
    expected = (f"error: DATABASE_URL '{url.replace(PASSWORD, '***')}' needs a driver that is "
                "not installed: pip install '.[postgres]'")
    one_line(run_runner("polling", **hidden), expected)
    one_line(run_runner("admin", **hidden), expected)
    one_line(scheduler("deliver", **hidden), expected)


def test_an_unknown_host_is_reported() -> None:
    url = f"postgresql://bot:{PASSWORD}@nosuchhost.invalid/bot"
    one_line(run_runner("polling", DATABASE_URL=url, **TELEGRAM),
             "error: the database postgresql://bot:***@nosuchhost.invalid/bot cannot be opened")


@pytest.mark.skipif(not on_postgresql(), reason="needs a PostgreSQL server (TEST_DATABASE_URL)")
def test_a_refused_login_or_a_missing_database_is_reported() -> None:
    server = urlsplit(TEST_DATABASE_URL)
    wrong_password = urlunsplit(server._replace(
        netloc=f"{server.username}:{PASSWORD}@{server.hostname}:{server.port}"))
    done = run_runner("polling", DATABASE_URL=wrong_password, **TELEGRAM)
    one_line(done, "error: the database postgresql://")
    assert "password authentication failed" in done.stderr

    missing = urlunsplit(server._replace(path="/no_such_database"))
    done = scheduler("deliver", DATABASE_URL=missing, **TELEGRAM)
    one_line(done, "error: the database postgresql://")
    assert 'database "no_such_database" does not exist' in done.stderr
    assert server.password not in done.stderr
