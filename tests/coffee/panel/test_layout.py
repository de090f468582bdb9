"""Every page fits the screens organizers use — a laptop (1,400 x 900) and the phone where the
login link from Telegram opens (390 x 844) — in both languages, with long names, usernames and
comments: nothing scrolls sideways (the document is no wider than the window; wide tables
scroll inside their own box)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver

from coffee.models import SCHEMAS
from engine.store import open_database
from tests.kit.databases import database_url
from tests.kit.panel import (
    ORGANIZER,
    ORGANIZER_UK,
    RunningPanel,
    seed_community,
    seed_long_texts,
    wait_for,
)

PAGES = ("/", "/participants/", "/rounds/", "/meetings/", "/next-round/", "/notes/",
         "/broadcast/", "/access/", "/settings/", "/audit/", "/participants/details/?id=301",
         "/participants/details/?id=104")
SCREENS = {"laptop": (1400, 900), "phone": (390, 844)}


@pytest.fixture
def wide_panel(tmp_path: Path) -> Iterator[RunningPanel]:
    db = open_database(database_url(tmp_path / "bot.sqlite3"), SCHEMAS)
    seed_community()
    seed_long_texts()
    db.close()
    with RunningPanel(tmp_path, organizer_ids=f"{ORGANIZER},{ORGANIZER_UK}",
                      settings={"DEFAULT_LOCALE": "en"}) as panel:
        yield panel


def _screen(browser: WebDriver, width: int, height: int) -> None:
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600})


@pytest.mark.parametrize("organizer", [ORGANIZER, ORGANIZER_UK], ids=["en", "uk"])
def test_no_page_scrolls_sideways(wide_panel: RunningPanel, browser: WebDriver,
                                  organizer: int) -> None:
    browser.get(wide_panel.login_link(organizer))
    browser.find_element(By.ID, "log-in").click()
    wait_for(browser, lambda b: b.find_elements(By.ID, "logout"))
    too_wide = []
    try:
        for screen, (width, height) in SCREENS.items():
            _screen(browser, width, height)
            for path in PAGES:
                browser.get(f"{wide_panel.url}{path}")
                document, window = browser.execute_script(
                    "var d = document.documentElement; return [d.scrollWidth, d.clientWidth]")
                if document > window:
                    too_wide.append(f"{screen} {path}: {document} px in {window} px")
            if screen == "laptop":  # the participants' list fits whole, comments included
                browser.get(f"{wide_panel.url}/participants/")
                assert browser.execute_script(
                    "var t = document.querySelector('.table-responsive');"
                    "return t.scrollWidth <= t.clientWidth"), "the list is cut off"
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    assert not too_wide, too_wide
