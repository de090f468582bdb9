"""The panel in a real browser: `runner.py admin` and headless Chromium, as an organizer uses it."""

from __future__ import annotations

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver

from tests.kit.panel import RunningPanel, wait_for
from tests.panel.conftest import ORGANIZER


def _log_in(browser: WebDriver, panel: RunningPanel) -> None:
    browser.get(panel.login_link(ORGANIZER))
    browser.find_element(By.ID, "log-in").click()
    wait_for(browser, lambda b: b.find_elements(By.ID, "logout"))


def _list_rows(browser: WebDriver) -> list[str]:
    return [row.text for row in browser.find_elements(By.CSS_SELECTOR, "table.model-list tbody tr")]


def test_log_in_with_a_link_and_not_twice(running_panel: RunningPanel,
                                          browser: WebDriver) -> None:
    link = running_panel.login_link(ORGANIZER)
    browser.get(f"{running_panel.url}/participants/")
    assert browser.current_url == f"{running_panel.url}/welcome"
    assert "Log in through the bot" in browser.find_element(By.ID, "how-to-log-in").text

    browser.get(link)
    browser.find_element(By.ID, "log-in").click()
    wait_for(browser, lambda b: b.find_elements(By.ID, "logout"))
    assert browser.current_url == f"{running_panel.url}/"

    browser.delete_all_cookies()
    browser.get(link)
    assert "already been used" in browser.find_element(By.ID, "refusal").text
    browser.get(f"{running_panel.url}/participants/")
    assert browser.current_url == f"{running_panel.url}/welcome"


def test_search_for_a_participant_and_open_them(running_panel: RunningPanel,
                                                browser: WebDriver) -> None:
    _log_in(browser, running_panel)
    browser.get(f"{running_panel.url}/participants/")
    assert len(_list_rows(browser)) == 6  # five participants and an organizer
    for term, expected in (("@olena_k", "Olena"), ("102", "Taras"), ("jan", "Jane")):
        search = browser.find_element(By.NAME, "search")
        search.clear()
        search.send_keys(term, Keys.ENTER)
        wait_for(browser, lambda b, term=term: f"search={term.lstrip('@')}" in b.current_url
                 or f"search=%40{term[1:]}" in b.current_url)
        rows = _list_rows(browser)
        assert len(rows) == 1 and expected in rows[0], (term, rows)
    browser.find_element(By.CSS_SELECTOR, "table.model-list tbody tr a[title='View Record']"
                         ).click()
    wait_for(browser, lambda b: "/participants/details/" in b.current_url)
    details = browser.find_element(By.TAG_NAME, "body").text
    assert "Jane" in details and "jane_doe" in details


def test_participant_text_shows_as_text(running_panel: RunningPanel,
                                        browser: WebDriver) -> None:
    _log_in(browser, running_panel)
    browser.get(f"{running_panel.url}/participants/?search=mallory")
    rows = _list_rows(browser)
    assert len(rows) == 1 and "<script>alert('x')</script>" in rows[0]
    assert "<script>alert(" not in browser.page_source  # escaped in the markup
    browser.get(f"{running_panel.url}/participants/details/?id=104")
    assert "<script>alert('x')</script>" in browser.find_element(By.TAG_NAME, "body").text


def test_filters_narrow_the_list(running_panel: RunningPanel, browser: WebDriver) -> None:
    _log_in(browser, running_panel)
    browser.get(f"{running_panel.url}/participants/")
    browser.find_element(By.LINK_TEXT, "Add Filter").click()
    filters = {link.text: link for link in browser.find_elements(By.CSS_SELECTOR, "a.filter")}
    assert {"Banned", "Unreachable", "Language", "How often", "Skipping this week"} <= set(filters)
    filters["Banned"].click()
    apply = wait_for(browser, lambda b: [button for button in
                                         b.find_elements(By.CSS_SELECTOR, "#filter_form button")
                                         if button.is_displayed()])
    apply[0].click()
    wait_for(browser, lambda b: "flt" in b.current_url)
    rows = _list_rows(browser)
    assert len(rows) == 1 and "Bohdan" in rows[0], rows
