"""Run the real `runner.py` against a FakeBotAPI and play participants over real HTTP.

`RunningBot` starts the runner as a subprocess (polling or webhook), waits until it is ready,
feeds it updates the way Telegram would (queued for getUpdates, or POSTed to the webhook) and
stops it on exit, printing its stderr when the test failed. `TelegramUser` is one participant:
each action pushes an update and waits for what the bot does in their chat.
"""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, TypeVar

from tests.kit import Call, FakeBotAPI, SentMessage
from tests.kit.loopback_only import UNREACHABLE_API, subprocess_env

REPO_ROOT = Path(__file__).resolve().parents[2]
ADMIN_ID = 999
WEBHOOK_SECRET = "e2e-secret_42"
WEBHOOK_PATH = "telegram"
START_TIMEOUT = 15.0

# Every setting the runner reads, blanked unless a test sets it: a developer's environment
# (or .env in the repository, which the environment overrides) must not leak into the tests.
SETTING_NAMES = (
    "BOT_TOKEN", "TELEGRAM_API_URL", "DATABASE_URL", "ADMIN_IDS", "TIMEZONE", "DEFAULT_LOCALE",
    "BOT_ENV", "WEBHOOK_URL", "WEBHOOK_SECRET", "WEBHOOK_LISTEN", "WEBHOOK_PORT", "FLOWS_DIR",
    "TEMPLATES_DIR", "LOCALES_DIR", "SCHEDULE_INVITE", "SCHEDULE_MATCH", "SCHEDULE_FEEDBACK",
    "SCHEDULE_IN_PROCESS", "ADMIN_LISTEN", "ADMIN_PORT", "ADMIN_URL", "ADMIN_SECRET_KEY",
    "DELIVERY_RETRY_SECONDS", "DATABASE_OUTAGE_EXIT",
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


class RunnerProcess:
    """What every `runner.py` subprocess of the tests shares: stopping it, its stderr, and its
    SQLite database read as an operator would."""

    process: subprocess.Popen[bytes] | None
    stderr_path: Path
    database: Path

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

    def stderr(self) -> str:
        return self.stderr_path.read_text(errors="replace") if self.stderr_path.exists() else ""

    def query(self, sql: str, *params: object) -> list[tuple[Any, ...]]:
        if not self.database.exists():
            return []
        with closing(sqlite3.connect(self.database, timeout=5)) as connection:
            return connection.execute(sql, params).fetchall()


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

    @property
    def database(self) -> Path:
        return self.workdir / "bot.sqlite3"

    @property
    def stderr_path(self) -> Path:
        return self.workdir / f"runner-{self.mode}.stderr"

    @property
    def webhook_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/{WEBHOOK_PATH}"

    def env(self) -> dict[str, str]:
        settings = {
            "BOT_TOKEN": self.fake.token,
            "TELEGRAM_API_URL": self.fake.url,
            "DATABASE_URL": f"sqlite:///{self.database}",
            "ADMIN_IDS": str(ADMIN_ID),
            "BOT_ENV": "production",
        }
        if self.mode == "webhook":
            settings.update(WEBHOOK_URL=self.webhook_url, WEBHOOK_SECRET=WEBHOOK_SECRET,
                            WEBHOOK_LISTEN="127.0.0.1", WEBHOOK_PORT=str(self.port))
        return runner_env(**{**settings, **self.settings})

    # Lifecycle --------------------------------------------------------------------------

    def __enter__(self) -> RunningBot:
        if self.mode == "webhook" and not self.port:
            self.port = free_port()
        command = [sys.executable, "runner.py", *(["-v"] if self.verbose else []), self.mode]
        with self.stderr_path.open("wb") as stderr:
            self.process = subprocess.Popen(command, cwd=REPO_ROOT, env=self.env(),
                                            stdin=subprocess.DEVNULL, stdout=stderr,
                                            stderr=stderr)
        try:
            self._wait_until_ready()
        except BaseException:
            self.__exit__(*sys.exc_info())
            raise
        return self

    def _wait_until_ready(self) -> None:
        ready_call = "getUpdates" if self.mode == "polling" else "setWebhook"

        def ready() -> bool:
            if self.process is not None and self.process.poll() is not None:
                raise AssertionError(f"the runner exited with {self.process.returncode}:\n"
                                     f"{self.stderr()}")
            return bool(self.fake.calls(ready_call)) and (self.mode == "polling"
                                                          or self._port_open())

        eventually(ready, START_TIMEOUT, f"the runner to call {ready_call}")

    def _port_open(self) -> bool:
        with socket.socket() as probe:
            return probe.connect_ex(("127.0.0.1", self.port)) == 0

    def __exit__(self, exc_type: object, exc: object, traceback: object) -> None:
        self.stop()
        if exc_type is not None:
            print(f"--- stderr of runner.py {self.mode} ---\n{self.stderr()}")

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


@dataclass(frozen=True)
class Step:
    """What the bot did in a participant's chat in answer to one update."""

    calls: list[Call]
    messages: list[SentMessage]

    @property
    def methods(self) -> list[str]:
        return [call.method for call in self.calls]

    @property
    def texts(self) -> list[str | None]:
        return [message.text for message in self.messages]


@dataclass
class TelegramUser:
    """A participant in a private chat with the bot."""

    bot: RunningBot
    user_id: int
    sender: dict[str, Any]

    @property
    def fake(self) -> FakeBotAPI:
        return self.bot.fake

    def sent(self) -> list[SentMessage]:
        return self.fake.sent(self.user_id)

    def say(self, text: str, replies: int = 1) -> Step:
        return self.step(self.fake.message_update(self.user_id, text, **self.sender), replies)

    def command(self, name: str, replies: int = 1) -> Step:
        return self.step(self.fake.command_update(self.user_id, name, **self.sender), replies)

    def share_contact(self, phone: str, replies: int = 1) -> Step:
        update = self.fake.contact_update(self.user_id, phone, **self.sender)
        return self.step(update, replies)

    def press(self, label: str, replies: int = 1) -> Step:
        """Press a button of the latest message with inline buttons; wait for new messages."""
        return self.step(self.press_update(label), replies)

    def toggle(self, label: str) -> Step:
        """Press a button whose answer is an edit of the same message; wait for the edit."""
        message = self.keyboard_message()
        update = self.press_update(label)
        before = message.edited_at

        def edited() -> bool:
            now = next(m for m in self.sent() if m.message_id == message.message_id)
            return now.edited_at != before

        return self.step(update, 0, edited)

    def keyboard_message(self) -> SentMessage:
        return next(m for m in reversed(self.sent()) if m.reply_markup)

    def press_update(self, label: str) -> dict[str, Any]:
        """The update of a press on `label` in the latest message with inline buttons."""
        message = self.keyboard_message()
        buttons = [b for row in (message.reply_markup or {})["inline_keyboard"] for b in row]
        button = next((b for b in buttons if b["text"].removeprefix("✅ ") == label), None)
        assert button is not None, f"no button {label!r} in {[b['text'] for b in buttons]}"
        return self.fake.callback_update(self.user_id, button["callback_data"],
                                         message.message_id, **self.sender)

    def step(self, update: dict[str, Any], replies: int,
             done: Callable[[], bool] | None = None) -> Step:
        """Push `update`; wait for `replies` new messages in the chat (and for `done`)."""
        calls_before = len(self.fake.calls(chat_id=self.user_id))
        messages_before = len(self.sent())
        self.bot.push(update)
        self.fake.wait_for(
            lambda api: len(api.sent(self.user_id)) >= messages_before + replies
            and (done is None or done()),
            what=f"{replies} message(s) to chat {self.user_id} after update {update['update_id']}",
        )
        return Step(self.fake.calls(chat_id=self.user_id)[calls_before:],
                    self.sent()[messages_before:])
