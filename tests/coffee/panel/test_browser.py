"""The panel in a real browser: `runner.py panel` and headless Chromium, as an organizer uses it."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import Select

from coffee.organizers import appoint, revoke
from tests.kit.panel import ORGANIZER, ORGANIZER_UK, RunningPanel, panel_database, wait_for


def _log_in(browser: WebDriver, panel: RunningPanel, organizer: int = ORGANIZER) -> None:
    browser.get(panel.login_link(organizer))
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
    # Whatever the page still loads (the chart) comes without a cookie: the session is the
    # server's, and browsing does not renew the cookie.
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
    assert {"Suspended", "Unreachable", "Language", "How often",
            "Skipping this week"} <= set(filters)
    filters["Suspended"].click()
    apply = wait_for(browser, lambda b: [button for button in
                                         b.find_elements(By.CSS_SELECTOR, "#filter_form button")
                                         if button.is_displayed()])
    apply[0].click()
    wait_for(browser, lambda b: "flt" in b.current_url)
    rows = _list_rows(browser)
    assert len(rows) == 1 and "Bohdan" in rows[0], rows


def test_write_a_comment_on_the_participant_page(running_panel: RunningPanel,
                                                 browser: WebDriver) -> None:
    _log_in(browser, running_panel)
    browser.get(f"{running_panel.url}/participants/details/?id=102")
    comment = browser.find_element(By.ID, "comment")
    comment.clear()
    comment.send_keys("Prefers mornings; met at the meetup")
    browser.find_element(By.ID, "save-comment").click()
    wait_for(browser, lambda b: "/participants/details/" in b.current_url
             and b.find_elements(By.CSS_SELECTOR, ".alert"))
    assert browser.find_element(By.ID, "comment").get_attribute("value") == \
        "Prefers mornings; met at the meetup"
    assert running_panel.query('SELECT comment FROM "user" WHERE id = 102') == [
        ("Prefers mornings; met at the meetup",)]
    assert running_panel.query("SELECT actor, action, target, new FROM audit_entry "
                               "WHERE action = 'comment'") == [
        (ORGANIZER, "comment", "102", '"Prefers mornings; met at the meetup"')]


def test_ban_from_the_list_and_the_filter_follows(running_panel: RunningPanel,
                                                  browser: WebDriver) -> None:
    _log_in(browser, running_panel)
    browser.get(f"{running_panel.url}/participants/?flt0_suspended_is=1")
    assert [row.split()[0] for row in _list_rows(browser)] == ["105"]
    browser.get(f"{running_panel.url}/participants/?search=taras")
    browser.find_element(By.CSS_SELECTOR, "input.action-checkbox[value='102']").click()
    browser.find_element(By.LINK_TEXT, "With selected").click()
    browser.find_element(By.LINK_TEXT, "Suspend").click()
    browser.switch_to.alert.accept()  # "Suspend the chosen participants? ..."
    wait_for(browser, lambda b: "1 participant suspended." in
             b.find_element(By.TAG_NAME, "body").text)
    browser.get(f"{running_panel.url}/participants/?flt0_suspended_is=1")
    assert sorted(row.split()[0] for row in _list_rows(browser)) == ["102", "105"]


def test_a_bad_setting_is_refused_with_an_example(running_panel: RunningPanel,
                                                  browser: WebDriver) -> None:
    _log_in(browser, running_panel)
    browser.get(f"{running_panel.url}/settings/")
    field = browser.find_element(By.CSS_SELECTOR, "#setting-schedule_match input[name=value]")
    field.clear()
    field.send_keys("monday morning", Keys.ENTER)
    alert = wait_for(browser, lambda b: b.find_elements(By.CSS_SELECTOR, ".alert-danger"))
    assert "That value does not fit “Pairs: day and time”; for example: thu 09:00." in alert[0].text
    assert running_panel.query("SELECT value FROM setting WHERE key = 'schedule_match'") == []


def test_preview_a_broadcast_as_telegram_shows_it(running_panel: RunningPanel,
                                                  browser: WebDriver) -> None:
    _log_in(browser, running_panel)
    browser.get(f"{running_panel.url}/broadcast/")
    browser.find_element(By.ID, "text").send_keys(
        "<b>Meetup</b> on Friday, <a href=\"https://example.org/\">details</a> &lt;3")
    browser.find_element(By.ID, "to-preview").click()
    frame = wait_for(browser, lambda b: b.find_elements(By.ID, "preview"))[0]
    assert browser.find_element(By.ID, "total").text == "1"  # organizers only: a test
    browser.switch_to.frame(frame)
    assert browser.find_element(By.TAG_NAME, "b").text == "Meetup"
    assert browser.find_element(By.TAG_NAME, "a").get_attribute("href") == "https://example.org/"
    assert browser.find_element(By.TAG_NAME, "body").text == "Meetup on Friday, details <3"
    browser.switch_to.default_content()
    assert running_panel.query("SELECT status, audience FROM broadcast") == [
        ("draft", "organizers")]


def test_the_dashboard_chart_loads(running_panel: RunningPanel, browser: WebDriver) -> None:
    _log_in(browser, running_panel)
    chart = browser.find_element(By.ID, "chart")
    wait_for(browser, lambda b: b.execute_script(
        "return arguments[0].complete && arguments[0].naturalWidth", chart))
    assert browser.execute_script("return arguments[0].naturalWidth", chart) > 300
    assert browser.find_element(By.ID, "glance-registered").text == "6"


@pytest.mark.parametrize("organizer", [ORGANIZER, ORGANIZER_UK])
def test_the_broadcast_form_keeps_what_is_typed(running_panel: RunningPanel,
                                                browser: WebDriver, organizer: int) -> None:
    """The help text's tags are shown as written, in both languages; clicking into the
    message box and the audience list follows no link and loses nothing."""
    _log_in(browser, running_panel, organizer)
    browser.get(f"{running_panel.url}/broadcast/")
    label = browser.find_element(By.CSS_SELECTOR, "label[for=text]").text
    assert "<b>, <i>, <a href>" in label, label
    page = browser.current_url
    text = browser.find_element(By.ID, "text")
    text.send_keys("Meetup on Friday")
    for element_id in ("text", "audience", "text"):
        browser.find_element(By.ID, element_id).click()
    audience = Select(browser.find_element(By.ID, "audience"))
    audience.select_by_index(1)
    browser.find_element(By.ID, "text").click()
    assert browser.current_url == page
    assert browser.find_element(By.ID, "text").get_attribute("value") == "Meetup on Friday"
    assert browser.execute_script(
        "var style = getComputedStyle(document.getElementById('to-preview'));"
        "return [style.fontWeight, style.fontStyle]") == ["400", "normal"]
    assert not browser.find_elements(By.CSS_SELECTOR, "#compose a, #compose b, #compose i")
    browser.find_element(By.ID, "to-preview").click()
    wait_for(browser, lambda b: b.find_elements(By.ID, "preview"))
    assert running_panel.query("SELECT text, audience FROM broadcast") == [
        ("Meetup on Friday", "all")]


def test_edit_a_comment_in_the_list(running_panel: RunningPanel, browser: WebDriver) -> None:
    """Too long a comment is refused in the editor, in words; a good one is saved."""
    _log_in(browser, running_panel)
    browser.get(f"{running_panel.url}/participants/?search=taras")
    browser.find_element(By.CSS_SELECTOR, "a[data-role='x-editable']").click()
    editor = wait_for(browser, lambda b: b.find_elements(By.CSS_SELECTOR, ".editable-input "
                                                                          "textarea"))[0]
    browser.execute_script("arguments[0].value = arguments[1]", editor, "x" * 1001)
    browser.find_element(By.CSS_SELECTOR, ".editable-submit").click()
    error = wait_for(browser, lambda b: [element.text for element in
                                         b.find_elements(By.CSS_SELECTOR, ".editable-error-block")
                                         if element.text])
    assert error == ["The comment is too long: 1001 characters, at most 1000."]
    editor.clear()
    editor.send_keys("Prefers mornings")
    browser.find_element(By.CSS_SELECTOR, ".editable-submit").click()
    wait_for(browser, lambda b: not b.find_elements(By.CSS_SELECTOR, ".editable-input"))
    assert browser.find_element(By.CSS_SELECTOR, "a[data-role='x-editable']").text == \
        "Prefers mornings"
    assert running_panel.query('SELECT comment FROM "user" WHERE id = 102') == [
        ("Prefers mornings",)]
    browser.get(f"{running_panel.url}/participants/")
    assert not browser.find_elements(By.CSS_SELECTOR, ".alert")  # no message left over


def test_a_revoked_organizer_is_told_why(running_panel: RunningPanel,
                                         browser: WebDriver) -> None:
    with panel_database(running_panel) as admin:
        appoint(admin, 101)
    _log_in(browser, running_panel, 101)
    with panel_database(running_panel) as admin:
        revoke(admin, 101)
    browser.get(f"{running_panel.url}/participants/")
    assert browser.current_url == f"{running_panel.url}/welcome"
    assert "ви більше не організатор" in browser.find_element(By.ID, "refusal").text  # hers: uk


def test_log_out_everywhere(running_panel: RunningPanel, browser: WebDriver) -> None:
    _log_in(browser, running_panel)
    other = browser.get_cookies()
    browser.find_element(By.ID, "logout-everywhere").click()
    wait_for(browser, lambda b: b.find_elements(By.ID, "refusal"))
    assert "1 session ended" in browser.find_element(By.ID, "refusal").text
    browser.delete_all_cookies()
    for cookie in other:  # the cookie from before: its session has ended
        browser.add_cookie({"name": cookie["name"], "value": cookie["value"]})
    browser.get(f"{running_panel.url}/")
    assert browser.current_url == f"{running_panel.url}/welcome"
    assert running_panel.query("SELECT action FROM audit_entry ORDER BY id") == [
        ("panel_login",), ("panel_logout_everywhere",)]


def test_pages_run_no_inline_script(running_panel: RunningPanel, browser: WebDriver) -> None:
    """Under the Content-Security-Policy the menus, filters, bulk actions and the in-place
    editor still work, and the browser reports no blocked script."""
    _log_in(browser, running_panel)
    browser.get_log("browser")  # drop what logging in left
    for path in ("/", "/participants/", "/rounds/", "/meetings/", "/next-round/", "/notes/",
                 "/broadcast/", "/access/", "/settings/", "/audit/",
                 "/participants/details/?id=101"):
        browser.get(f"{running_panel.url}{path}")
    browser.get(f"{running_panel.url}/participants/")
    browser.find_element(By.LINK_TEXT, "Add Filter").click()
    browser.find_elements(By.CSS_SELECTOR, "a.filter")[0].click()
    browser.find_element(By.LINK_TEXT, "With selected").click()
    browser.find_element(By.LINK_TEXT, "Suspend").click()
    alert = browser.switch_to.alert  # nobody chosen: Flask-Admin's script says so
    assert alert.text
    alert.accept()
    problems = [entry["message"] for entry in browser.get_log("browser")
                if entry["level"] == "SEVERE"]
    assert not problems, problems
