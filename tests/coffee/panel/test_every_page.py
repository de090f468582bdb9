"""Every page of the panel, walked in Ukrainian and in English, at the sizes organizers use — a
laptop (1,400 x 900) and the phone where the login link from Telegram opens (390 x 844):

- it reads in words: no id of the flows' options and questions, of a status, a setting, an audit
  action or a job shows where the organizers' vocabulary has a label for it (the same ids the
  /admin walk looks for, tests/coffee/organizers/test_vocabulary_screens.py), in the page's
  text, its lists' filter choices or its tooltips;
- nothing scrolls sideways (the document is no wider than the window; wide tables scroll inside
  their own box), with long names, usernames and comments.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver

from coffee.app import load_parts
from coffee.models import SCHEMAS, Broadcast
from coffee.organizers import (
    ALLOW,
    BLOCK,
    Defaults,
    act_as,
    add_entry,
    appoint,
    ban,
    change_setting,
    draft_broadcast,
    reply_to_note,
    set_comment,
    start_broadcast,
)
from coffee.organizers.audit import record
from coffee.panel.i18n import DOMAIN, LOCALES_DIR
from engine.render.catalogs import read_catalog
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
from tests.kit.settings import settings_for
from tests.kit.words import WORD, ids, label_words, leaks

PAGES = ("/", "/participants/", "/rounds/", "/meetings/", "/meetings/?flt0_week_of_is=2026-11-23",
         "/next-round/", "/notes/", "/broadcast/", "/broadcast/1/", "/broadcast/2/", "/access/",
         "/settings/", "/audit/", "/participants/details/?id=101",
         "/participants/details/?id=102", "/participants/details/?id=103",
         "/participants/details/?id=301", "/participants/details/?id=104")
SCREENS = {"laptop": (1400, 900), "phone": (390, 844)}

# What a page says beyond its visible text: the choices of its lists' filters (Flask-Admin keeps
# them in a hidden element until a filter is added), every choice of its selects, its tooltips.
READ_PAGE = """
var said = [document.body.innerText];
var filters = document.getElementById('filter-groups-data');
if (filters) said.push(filters.textContent);
document.querySelectorAll('option').forEach(function (o) { said.push(o.textContent); });
document.querySelectorAll('[title]').forEach(function (e) { said.push(e.title); });
document.querySelectorAll('[placeholder]').forEach(function (e) { said.push(e.placeholder); });
return said;
"""


@pytest.fixture(scope="module")
def community_panel(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningPanel]:
    """A community whose organizers did a bit of everything: a suspension with its reason,
    both access lists, changed settings, an appointed organizer, broadcasts sent and drafted,
    a note answered, comments, a weekly step run by hand."""
    folder = tmp_path_factory.mktemp("panel")
    organizers = f"{ORGANIZER},{ORGANIZER_UK}"
    settings = settings_for(folder, ORGANIZER_IDS=organizers, DEFAULT_LOCALE="en")
    renderer = load_parts(settings).renderer
    db = open_database(database_url(folder / "bot.sqlite3"), SCHEMAS)
    seed_community()
    seed_long_texts()
    admin = act_as(ORGANIZER, settings.organizer_ids)
    defaults = Defaults.from_settings(settings)
    ban(admin, 103, "Spam in the chat")
    appoint(admin, 101)
    add_entry(admin, ALLOW, "@friend_of_us")
    add_entry(admin, BLOCK, "@spam_account")
    change_setting(admin, "schedule_invite", "fri 12:00", defaults)
    change_setting(admin, "registration_mode", "allow-list", defaults)
    set_comment(admin, 102, "Prefers mornings")
    start_broadcast(admin, draft_broadcast(admin, "News of the week", "all", ["en", "uk"]).id)
    draft_broadcast(admin, "Hello", "locale:uk", ["en", "uk"])
    reply_to_note(admin, 1, "<i>Thanks</i>, noted", renderer)
    record(admin, "run_job", "invite 2026-11-30", None, {"invited": 12, "skipped": 1})
    assert Broadcast.select().count() == 2
    db.close()
    with RunningPanel(folder, organizer_ids=organizers,
                      settings={"DEFAULT_LOCALE": "en"}) as panel:
        yield panel


def panel_words(locale: str) -> set[str]:
    """Every word of the panel's own texts in `locale`."""
    catalog = read_catalog(LOCALES_DIR / "uk" / "LC_MESSAGES" / f"{DOMAIN}.po", "uk")
    found: set[str] = set()
    for message in catalog:
        for text in (message.id if isinstance(message.id, tuple) else (message.id,)):
            if text and locale == "en":
                found.update(WORD.findall(text))
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for text in strings if locale != "en" else ():
            found.update(WORD.findall(text or ""))
    return found


def _screen(browser: WebDriver, width: int, height: int) -> None:
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600})


def _log_in(browser: WebDriver, panel: RunningPanel, organizer: int) -> None:
    browser.get(panel.login_link(organizer))
    browser.find_element(By.ID, "log-in").click()
    wait_for(browser, lambda b: b.find_elements(By.ID, "logout"))


@pytest.mark.parametrize(("organizer", "locale"), [(ORGANIZER, "en"), (ORGANIZER_UK, "uk")],
                         ids=["en", "uk"])
def test_every_page_reads_in_words_and_fits_the_screen(
        community_panel: RunningPanel, browser: WebDriver, organizer: int, locale: str,
        tmp_path: Path) -> None:
    parts = load_parts(settings_for(tmp_path))
    forbidden = {name for name in ids(parts) if name not in label_words(parts, locale)
                 and name not in panel_words(locale)}
    assert {"weekly", "closed", "schedule_invite", "allow-list"} <= forbidden \
        or locale == "en"
    _log_in(browser, community_panel, organizer)
    assert (browser.find_element(By.ID, "logout").text == "Log out") == (locale == "en")
    found: list[str] = []
    too_wide: list[str] = []
    try:
        for screen, (width, height) in SCREENS.items():
            _screen(browser, width, height)
            for path in PAGES:
                browser.get(f"{community_panel.url}{path}")
                assert not browser.find_elements(By.CSS_SELECTOR, ".alert-danger"), path
                if screen == "laptop":
                    said = browser.execute_script(READ_PAGE)
                    assert said[0].strip(), path
                    found += [f"{path}: {name} in {text[:300]!r}"
                              for name, text in leaks(_lines(said), forbidden)]
                document, window = browser.execute_script(
                    "var d = document.documentElement; return [d.scrollWidth, d.clientWidth]")
                if document > window:
                    too_wide.append(f"{screen} {path}: {document} px in {window} px")
            if screen == "laptop":  # the participants' list fits whole, comments included
                browser.get(f"{community_panel.url}/participants/")
                assert browser.execute_script(
                    "var t = document.querySelector('.table-responsive');"
                    "return t.scrollWidth <= t.clientWidth"), "the list is cut off"
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    assert not found, "\n".join(found)
    assert not too_wide, too_wide


def _lines(said: list[str]) -> list[str]:
    """The page's texts line by line; the filters' data as its labels only."""
    lines: list[str] = []
    for text in said:
        if text.startswith("{"):
            lines += [str(option[1]) for group in json.loads(text).values()
                      for filter_ in group for option in filter_.get("options") or ()]
            lines += [str(filter_["operation"]) for group in json.loads(text).values()
                      for filter_ in group]
        else:
            lines += [line for line in re.split(r"[\n\t]", text) if line.strip()]
    return lines
