"""Run the real `runner.py` as a subprocess of the tests.

`RunningBot` starts the runner against a FakeBotAPI (polling or webhook), waits until it is
ready, feeds it updates the way Telegram would (queued for getUpdates, or POSTed to the
webhook) and stops it on exit, printing its stderr when the test failed; `user()` gives a
participant to play (tests/kit/drivers/telegram.py). `run_runner` runs a command to its end.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, TypeVar

from tests.kit.databases import database_url, on_postgresql, query
from tests.kit.drivers.telegram import TelegramUser
from tests.kit.fake_bot_api import FakeBotAPI
from tests.kit.loopback_only import UNREACHABLE_API, subprocess_env
from tests.kit.settings import ADMIN_ID

REPO_ROOT = Path(__file__).resolve().parents[2]
WEBHOOK_SECRET = "e2e-secret_42"
WEBHOOK_PATH = "telegram"
# How long a runner may take to become ready: a wait, not a measure. The first start of a run
# compiles every module and builds matplotlib's font cache while the SQLite and PostgreSQL passes
# start their own runners on the same two cores.
START_TIMEOUT = 60.0

# Every setting the runner reads, blanked unless a test sets it: a developer's environment
# (or .env in the repository, which the environment overrides) must not leak into the tests.
SETTING_NAMES = (
    "BOT_TOKEN", "TELEGRAM_API_URL", "DATABASE_URL", "ORGANIZER_IDS", "TIMEZONE", "DEFAULT_LOCALE",
    "BOT_ENV", "WEBHOOK_URL", "WEBHOOK_SECRET", "WEBHOOK_LISTEN", "WEBHOOK_PORT", "FLOWS_DIR",
    "TEMPLATES_DIR", "LOCALES_DIR", "SCHEDULE_INVITE", "SCHEDULE_MATCH", "SCHEDULE_FEEDBACK",
    "SCHEDULE_IN_PROCESS", "PANEL_LISTEN", "PANEL_PORT", "PANEL_URL", "PANEL_SECRET_KEY",
    "DELIVERY_RETRY_SECONDS", "DATABASE_OUTAGE_EXIT", "COMMUNITY_NAME", "REGISTRATION_MODE",
    "SOURCE_LOCALE", "PID_FILE",
    # the former names of settings renamed since, still read
    "ADMIN_IDS", "ADMIN_LISTEN", "ADMIN_PORT", "ADMIN_URL", "ADMIN_SECRET_KEY",
)

Mode = Literal["polling", "webhook"]
T = TypeVar("T")


def runner_env(**settings: str) -> dict[str, str]:
    """The environment for a runner subprocess: blank settings, then `settings`."""
    env = {k: v for k, v in os.environ.items() if k not in SETTING_NAMES}
    env.update(dict.fromkeys(SETTING_NAMES, ""))
    env.update(PTB_TIMEDELTA="true", SCHEDULE_IN_PROCESS="no", PYTHONUNBUFFERED="1",
               TELEGRAM_API_URL=UNREACHABLE_API,
               # never the repository's own runner.pid
               PID_FILE=str(Path(tempfile.mkdtemp(prefix="runner-")) / "runner.pid"))
    env.update(settings)
    return subprocess_env(env)


def run_runner(*args: str, timeout: float = 20.0, **settings: str,
               ) -> subprocess.CompletedProcess[str]:
    """Run runner.py to completion (for commands that are expected to stop by themselves)."""
    return subprocess.run([sys.executable, "runner.py", *args], cwd=REPO_ROOT,
                          env=runner_env(**settings), capture_output=True, text=True,
                          timeout=timeout, check=False)


def eventually(predicate: Callable[[], T], timeout: float = 5.0, what: str = "") -> T:
    """Poll `predicate` until it is truthy (for state outside the fake: processes, files)."""
    deadline = time.monotonic() + timeout
    while True:
        result = predicate()
        if result or time.monotonic() > deadline:
            assert result, f"timed out after {timeout} s waiting for {what or predicate}"
            return result
        time.sleep(0.01)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class RunnerProcess(ABC):
    """What every `runner.py` subprocess of the tests shares: stopping it, its stderr, and its
    database (tests/kit/databases.py) read as an operator would."""

    workdir: Path
    process: subprocess.Popen[bytes] | None
    script: str = "runner.py"  # relative to the repository root: another bot's entry point

    @property
    @abstractmethod
    def command(self) -> str:
        """The runner's subcommand (`polling`, `admin`...)."""

    @abstractmethod
    def ready(self) -> bool:
        """Whether the started runner serves."""

    @property
    def database(self) -> Path:
        return self.workdir / "bot.sqlite3"

    @property
    def stderr_path(self) -> Path:
        return self.workdir / f"runner-{self.command}.stderr"

    def start(self, args: list[str], env: dict[str, str], what: str, timeout: float) -> None:
        """Start `runner.py *args` and wait until it is ready (or fail with its stderr)."""
        with self.stderr_path.open("wb") as stderr:
            self.process = subprocess.Popen([sys.executable, self.script, *args], cwd=REPO_ROOT,
                                            env=env, stdin=subprocess.DEVNULL, stdout=stderr,
                                            stderr=stderr)
        try:
            eventually(self._ready_while_running, timeout, what)
        except BaseException:
            self.__exit__(*sys.exc_info())
            raise

    def _ready_while_running(self) -> bool:
        if self.process is not None and self.process.poll() is not None:
            raise AssertionError(f"{self.script} {self.command} exited with "
                                 f"{self.process.returncode}:\n{self.stderr()}")
        return self.ready()

    def stop(self) -> int | None:
        """Ask the runner to stop (SIGTERM, as systemd does) and return its exit code."""
        if self.process is None:
            return None
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.returncode

    def __exit__(self, exc_type: object, exc: object, traceback: object) -> None:
        self.stop()
        if exc_type is not None:
            print(f"--- stderr of runner.py {self.command} ---\n{self.stderr()}")

    def stderr(self) -> str:
        return self.stderr_path.read_text(errors="replace") if self.stderr_path.exists() else ""

    @property
    def database_url(self) -> str:
        return database_url(self.database)

    def query(self, sql: str, *params: object) -> list[tuple[Any, ...]]:
        """Rows of `sql` (portable: `?` placeholders, `"user"` quoted) in the bot's database."""
        if not on_postgresql() and not self.database.exists():
            return []
        return query(self.database_url, sql, *params)


@dataclass
class RunningBot(RunnerProcess):
    """`runner.py polling|webhook` running against `fake`, with its data in `workdir`."""

    fake: FakeBotAPI
    workdir: Path
    mode: Mode = "polling"
    settings: dict[str, str] = field(default_factory=dict)
    verbose: bool = False
    port: int = 0
    process: subprocess.Popen[bytes] | None = None
    script: str = "runner.py"

    @property
    def command(self) -> str:
        return self.mode

    @property
    def webhook_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/{WEBHOOK_PATH}"

    def env(self) -> dict[str, str]:
        settings = {
            "BOT_TOKEN": self.fake.token,
            "TELEGRAM_API_URL": self.fake.url,
            "DATABASE_URL": self.database_url,
            "ORGANIZER_IDS": str(ADMIN_ID),
            "BOT_ENV": "production",
        }
        if self.mode == "webhook":
            settings.update(WEBHOOK_URL=self.webhook_url, WEBHOOK_SECRET=WEBHOOK_SECRET,
                            WEBHOOK_LISTEN="127.0.0.1", WEBHOOK_PORT=str(self.port))
        return runner_env(**{**settings, **self.settings})

    def __enter__(self) -> RunningBot:
        if self.mode == "webhook" and not self.port:
            self.port = free_port()
        self.start([*(["-v"] if self.verbose else []), self.mode], self.env(),
                   f"the runner to call {self._ready_call}", START_TIMEOUT)
        return self

    @property
    def _ready_call(self) -> str:
        return "getUpdates" if self.mode == "polling" else "setWebhook"

    def ready(self) -> bool:
        return bool(self.fake.calls(self._ready_call)) and (self.mode == "polling"
                                                            or self._port_open())

    def _port_open(self) -> bool:
        with socket.socket() as probe:
            return probe.connect_ex(("127.0.0.1", self.port)) == 0

    # Feeding updates --------------------------------------------------------------------

    def push(self, update: dict[str, Any]) -> None:
        """Hand an update to the bot the way Telegram does in this mode."""
        if self.mode == "polling":
            self.fake.push_update(update)
            return
        status = self.post(json.dumps(update).encode())
        assert status == 200, f"the webhook answered {status} to update {update['update_id']}"

    def post(self, body: bytes, secret: str | None = WEBHOOK_SECRET) -> int:
        """POST a raw body to the webhook and return the HTTP status."""
        headers = {"Content-Type": "application/json"}
        if secret is not None:
            headers["X-Telegram-Bot-Api-Secret-Token"] = secret
        request = urllib.request.Request(self.webhook_url, data=body, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=5) as response:
                return int(response.status)
        except urllib.error.HTTPError as error:
            error.close()
            return error.code

    def user(self, user_id: int, **sender: Any) -> TelegramUser:
        return TelegramUser(self, user_id, sender)
