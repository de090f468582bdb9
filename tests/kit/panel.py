"""The web panel for tests: `runner.py panel` as a subprocess on a free port, login links from
`runner.py panel-link`, the system Chromium driven by Selenium; a small community to show, and
an organizer's login through Flask's test client.

The browser is Debian's `chromium` with its `chromedriver` (run_tests.sh installs both): the
driver's path is given, so Selenium downloads nothing.
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import TypeVar

from flask.testing import FlaskClient
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import WebDriverWait
from werkzeug.test import TestResponse

from coffee.bot_settings import BotSettings
from coffee.models import (
    SCHEMAS,
    Meeting,
    MeetingFeedback,
    MeetingMember,
    OrganizerNote,
    Participation,
    Round,
)
from coffee.organizers import Actor, act_as, revoke
from engine.store import Answer, User, open_database
from tests.kit.running import (
    RunnerProcess,
    free_port,
    run_runner,
    runner_env,
)
from tests.kit.settings import postgresql_panel_key

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
START_TIMEOUT = 60.0  # a wait for readiness, as in tests/kit/running.py
PAGE_TIMEOUT = 20.0
T = TypeVar("T")


@dataclass
class RunningPanel(RunnerProcess):
    """`runner.py panel` serving the database of `workdir` to the organizers `organizer_ids`."""

    workdir: Path
    organizer_ids: str
    settings: dict[str, str] = field(default_factory=dict)
    port: int = 0
    process: subprocess.Popen[bytes] | None = None

    @property
    def command(self) -> str:
        return "panel"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def env(self) -> dict[str, str]:
        return {"DATABASE_URL": self.database_url, "ORGANIZER_IDS": self.organizer_ids,
                "PANEL_LISTEN": "127.0.0.1", "PANEL_PORT": str(self.port),
                "PANEL_URL": self.url, **postgresql_panel_key(), **self.settings}

    def __enter__(self) -> RunningPanel:
        self.port = self.port or free_port()
        self.start(["-v", "panel"], runner_env(**self.env()), "the panel to answer",
                   START_TIMEOUT)
        return self

    def ready(self) -> bool:
        try:
            with urllib.request.urlopen(f"{self.url}/welcome", timeout=2) as response:
                return response.status == 200
        except (urllib.error.URLError, ConnectionError):
            return False

    def login_link(self, user_id: int) -> str:
        """A fresh link, the way an operator gets one: `runner.py panel-link --user ID`."""
        done = run_runner("panel-link", "--user", str(user_id), **self.env())
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()


@contextmanager
def panel_database(panel: RunningPanel) -> Iterator[Actor]:
    """The running panel's database opened in the test, with the organizer ORGANIZER acting
    on it (as the bot would, meanwhile)."""
    db = open_database(panel.database_url, SCHEMAS)
    try:
        yield act_as(ORGANIZER, frozenset(int(uid) for uid in panel.organizer_ids.split(",")))
    finally:
        db.close()


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


def wait_for(driver: WebDriver, condition: Callable[[WebDriver], T],
             timeout: float = PAGE_TIMEOUT) -> T:
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


# A community for the pages, and an organizer's login in the Flask test client --------------

ORGANIZER = 999
ORGANIZER_UK = 998


def add_participant(user_id: int, first_name: str, *, username: str | None = None,
                    locale: str = "uk", registered: bool = True, enabled: bool = True,
                    frequency: str = "weekly", comment: str = "") -> User:
    user = User.create(id=user_id, first_name=first_name, username=username, locale=locale,
                       language_code=locale, registered=registered, enabled=enabled,
                       comment=comment)
    Answer.create(user=user, key="first_name", value=first_name)
    Answer.create(user=user, key="frequency", value=frequency)
    return user


def seed_community() -> None:
    """A small community: Ukrainian and English speakers, one with a name that is markup."""
    User.create(id=ORGANIZER_UK, first_name="Orest", locale="uk", registered=True)
    add_participant(101, "Olena", username="olena_k")
    add_participant(102, "Taras", username="taras", frequency="biweekly")
    add_participant(103, "Jane", username="jane_doe", locale="en")
    add_participant(104, "<script>alert('x')</script>", username="mallory", locale="en")
    add_participant(105, "Bohdan", enabled=False)
    closed = Round.create(week=dt.date(2026, 11, 23), status="closed")
    for user_id, status, reason in ((101, "yes", None), (102, "yes", None),
                                    (103, "no", "no_time"), (104, "invited", None)):
        Participation.create(round=closed, user=user_id, status=status, reason=reason)
    meeting = Meeting.create(round=closed)
    for user_id in (101, 102):
        MeetingMember.create(meeting=meeting, user=user_id)
    MeetingFeedback.create(meeting=meeting, user=101, happened=True, rating=5,
                           comment="<b>Lovely</b> talk")
    MeetingFeedback.create(meeting=meeting, user=102, happened=False, reason="no_answer")
    OrganizerNote.create(user=104, text="<img src=x onerror=alert(1)> hello organizers")


def seed_long_texts() -> None:
    """What makes pages wide: long names, usernames without a break, long comments and
    feedback, a matched round of them (on top of `seed_community`)."""
    week = Round.create(week=dt.date(2026, 11, 30), status="closed")
    comment = ("Прийшла на зустріч у п'ятницю, хоче знайомитися з дизайнерами та "
               "продакт-менеджерами")
    for number in range(12):
        user_id = 300 + number
        add_participant(user_id, f"Олександра-Марія{number}",
                        username=f"very_long_username_{number}_abc",
                        comment=comment if number % 2 else "")
        Participation.create(round=week, user=user_id, status="yes")
    for first in range(300, 312, 2):
        meeting = Meeting.create(round=week)
        for user_id in (first, first + 1):
            MeetingMember.create(meeting=meeting, user=user_id)
        MeetingFeedback.create(meeting=meeting, user=first, happened=True, rating=4,
                               comment="Дуже приємна розмова про все на світі, дякую за каву!")


def revoke_organizer(settings: BotSettings, user_id: int) -> None:
    revoke(act_as(ORGANIZER, settings.organizer_ids), user_id)


def open_link(client: FlaskClient, path: str) -> TestResponse:
    """Open a login link and press its button, as an organizer does."""
    page = client.get(path)
    assert page.status_code == 200, page.text
    token = found(r'name="csrf_token" value="([^"]+)"', page.text)
    return client.post(path, data={"csrf_token": token})


def found(pattern: str, text: str, flags: int = 0) -> str:
    """The first group of `pattern`'s first match in `text` (failing, with the text, if none)."""
    match = re.search(pattern, text, flags)
    assert match is not None, f"{pattern!r} not in:\n{text}"
    return match.group(1)
