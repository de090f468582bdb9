"""The panel's CSV downloads are the organizers' exports (the files /admin sends): UTF-8 with a
BOM, a header of labels and values in words in the organizer's language, no markup, no cell a
spreadsheet would run as a formula, named after the community and the day, streamed."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from urllib.parse import unquote

from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from coffee.models import AuditEntry
from coffee.organizers import act_as, add_entry, live_schedule, operator  # noqa: F401
from engine.store import User, utc_now
from tests.kit.panel import ORGANIZER, ORGANIZER_UK, add_participant

LoggedIn = Callable[[int], str]
FORMULA = '=HYPERLINK("http://evil.example/","Click")'


def rows_of(response: TestResponse) -> list[list[str]]:
    data = response.get_data()
    assert data.startswith(b"\xef\xbb\xbf"), data[:20]  # the BOM: spreadsheets read UTF-8
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def file_name(response: TestResponse) -> str:
    found = re.search(r"filename\*=UTF-8''(\S+)", response.headers["Content-Disposition"])
    assert found is not None, response.headers
    return unquote(found.group(1))


def test_participants_in_words_with_their_answers_as_columns(client: FlaskClient,
                                                             login: LoggedIn) -> None:
    add_participant(106, FORMULA, username="formula_fan", frequency="biweekly",
                    comment="+380 50 000 0000 @ home")
    login(ORGANIZER_UK)
    page = client.get("/participants/").text
    assert 'id="download-csv"' in page and "Завантажити CSV" in page
    response = client.get("/participants/csv")
    assert response.is_streamed and response.mimetype == "text/csv"
    day = utc_now().date().isoformat()
    assert file_name(response) == f"Random Coffee - учасники - {day}.csv"
    rows = rows_of(response)
    header = rows[0]
    assert header[:7] == ["Telegram id", "Ім’я користувача", "Ім’я в Telegram", "Мова",
                          "Стан", "Перше повідомлення", "Коментар організаторів"], header
    by_id = {row[0]: dict(zip(header, row, strict=True)) for row in rows[1:]}
    assert set(by_id) == {"101", "102", "103", "104", "105", "106", str(ORGANIZER_UK)}
    taras = by_id["102"]
    assert taras["Ім’я користувача"] == "taras" and taras["Мова"] == "Українська"
    assert "biweekly" not in ",".join(taras.values()) and "True" not in ",".join(taras.values())
    formula = by_id["106"]
    assert formula["Ім’я в Telegram"] == "'" + FORMULA  # a spreadsheet shows it, runs nothing
    assert formula["Коментар організаторів"] == "'+380 50 000 0000 @ home"
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)
    assert by_id["105"]["Стан"] != by_id["101"]["Стан"]  # Bohdan is banned


def test_participants_as_the_list_shows_them(client: FlaskClient, login: LoggedIn) -> None:
    login(ORGANIZER)
    rows = rows_of(client.get("/participants/csv?flt0_suspended_is=1"))
    assert [row[0] for row in rows[1:]] == ["105"]
    rows = rows_of(client.get("/participants/csv?search=taras"))
    assert [row[0] for row in rows[1:]] == ["102"]


def test_rounds_and_meetings_in_words_without_markup(client: FlaskClient,
                                                     login: LoggedIn) -> None:
    login(ORGANIZER)
    rounds = rows_of(client.get("/rounds/csv"))
    assert rounds[1][0] == "2026-11-23"
    assert "closed" not in rounds[1] and not any("<" in cell for row in rounds for cell in row)
    meetings = client.get("/meetings/csv")
    assert file_name(meetings).startswith("Random Coffee - meetings - ")
    rows = rows_of(meetings)
    by_member = {row[2]: row for row in rows[1:]}
    assert set(by_member) == {"101", "102"}
    assert by_member["101"][3:6] == ["Olena (@olena_k, 101)", "Taras (@taras, 102)", "yes"]
    assert by_member["102"][5] == "no" and by_member["102"][7] == "My partner did not answer"
    assert by_member["101"][8] == "<b>Lovely</b> talk"  # what they wrote, as text


def test_the_audit_log_names_people_and_actions(client: FlaskClient, login: LoggedIn) -> None:
    login(ORGANIZER)
    client.post("/participants/comment/102", data={
        "csrf_token": re.search(r'name="csrf_token" value="([^"]+)"',
                                client.get("/settings/").text).group(1),
        "comment": "-1 for lateness"})
    add_entry(operator(frozenset({ORGANIZER})), "block", "@spammer")  # `runner.py access`
    rows = rows_of(client.get("/audit/csv"))
    comment = next(row for row in rows[1:] if "Taras (@taras, 102)" in row)
    assert comment[-1] == "'-1 for lateness"
    assert comment[1] == "Telegram id 999 (has not opened the bot)"  # words, not "999"
    assert rows[1][1] == "The operator (command line)"  # not "0"
    assert AuditEntry.select().count() == len(rows) - 1


def test_the_bot_sends_the_same_file(client: FlaskClient, login: LoggedIn,
                                     panel_settings: object) -> None:
    """One implementation: /admin's participants file is the panel's, byte for byte."""
    from coffee.app import load_parts
    from coffee.organizers import Defaults, effective, participants_export

    login(ORGANIZER)
    panel = client.get("/participants/csv").get_data()
    parts = load_parts(panel_settings)  # type: ignore[arg-type]
    words = parts.vocabulary.words("en")
    community = effective("community_name", Defaults.from_settings(panel_settings))
    bot = participants_export(act_as(ORGANIZER, panel_settings.organizer_ids),  # type: ignore
                              words, community, panel_settings.timezone)  # type: ignore
    assert bot.data() == panel
    assert User.select().count() == len(panel.decode("utf-8-sig").splitlines()) - 1
