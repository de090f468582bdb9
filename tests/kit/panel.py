"""The web panel for tests: `runner.py admin` as a subprocess on a free port, login links from
`runner.py admin-link`, and the system Chromium driven by Selenium.

The browser is Debian's `chromium` with its `chromedriver` (run_tests.sh installs both): the
driver's path is given, so Selenium downloads nothing.
"""

from __future__ import annotations

import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import WebDriverWait

from tests.e2e.running import (
    REPO_ROOT,
    RunnerProcess,
    eventually,
    free_port,
    run_runner,
    runner_env,
)

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
START_TIMEOUT = 20.0
PAGE_TIMEOUT = 20.0


@dataclass
class RunningPanel(RunnerProcess):
    """`runner.py admin` serving the database of `workdir` to the organizers `admin_ids`."""

    workdir: Path
    admin_ids: str
    settings: dict[str, str] = field(default_factory=dict)
    port: int = 0
    process: subprocess.Popen[bytes] | None = None

    @property
    def database(self) -> Path:
        return self.workdir / "bot.sqlite3"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def stderr_path(self) -> Path:
        return self.workdir / "runner-admin.stderr"

    def env(self) -> dict[str, str]:
        return {"DATABASE_URL": self.database_url, "ADMIN_IDS": self.admin_ids,
                "ADMIN_LISTEN": "127.0.0.1", "ADMIN_PORT": str(self.port),
                "ADMIN_URL": self.url, **self.settings}

    def __enter__(self) -> RunningPanel:
        self.port = self.port or free_port()
        with self.stderr_path.open("wb") as stderr:
            self.process = subprocess.Popen(
                [sys.executable, "runner.py", "-v", "admin"], cwd=REPO_ROOT,
                env=runner_env(**self.env()), stdin=subprocess.DEVNULL, stdout=stderr,
                stderr=stderr)
        try:
            eventually(self._ready, START_TIMEOUT, "the panel to answer")
        except BaseException:
            self.__exit__(*sys.exc_info())
            raise
        return self

    def _ready(self) -> bool:
        if self.process is not None and self.process.poll() is not None:
            raise AssertionError(f"runner.py admin exited with {self.process.returncode}:\n"
                                 f"{self.stderr()}")
        try:
            with urllib.request.urlopen(f"{self.url}/welcome", timeout=2) as response:
                return response.status == 200
        except (urllib.error.URLError, ConnectionError):
            return False

    def __exit__(self, exc_type: object, exc: object, traceback: object) -> None:
        self.stop()
        if exc_type is not None:
            print(f"--- stderr of runner.py admin ---\n{self.stderr()}")

    def login_link(self, user_id: int) -> str:
        """A fresh link, the way an operator gets one: `runner.py admin-link --user ID`."""
        done = run_runner("admin-link", "--user", str(user_id), **self.env())
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()


@contextmanager
def chromium() -> Iterator[WebDriver]:
    """Headless Chromium, closed on exit."""
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
                     "--disable-gpu", "--window-size=1400,1000", "--lang=en-US"):
        options.add_argument(argument)
    driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
    driver.set_page_load_timeout(PAGE_TIMEOUT)
    try:
        yield driver
    finally:
        driver.quit()


def wait_for(driver: WebDriver, condition, timeout: float = PAGE_TIMEOUT):  # type: ignore[no-untyped-def]
    """Wait until `condition(driver)` is truthy and return it (Selenium's explicit wait)."""
    return WebDriverWait(driver, timeout).until(condition)


class _Cells(HTMLParser):
    """The text of each cell of each row of a page's tables."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None and self.rows:
            self.rows[-1].append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def table_rows(html: str) -> list[list[str]]:
    """Every table row of `html` as its cells' text (whitespace collapsed), empty rows left out."""
    parser = _Cells()
    parser.feed(html)
    return [row for row in parser.rows if any(row)]
