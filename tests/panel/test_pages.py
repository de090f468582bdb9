"""What each page shows an organizer, through Flask's test client with a real session."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

from flask.testing import FlaskClient

from tests.panel.conftest import ORGANIZER


def test_rounds_show_their_answers_and_meetings(client: FlaskClient,
                                                login: Callable[[int], str]) -> None:
    login(ORGANIZER)
    page = client.get("/rounds/")
    assert page.status_code == 200
    assert "2026-11-23" in page.text and "closed" in page.text
    assert "yes 2" in page.text and "no 1" in page.text


def test_meetings_show_members_and_escaped_feedback(client: FlaskClient,
                                                    login: Callable[[int], str]) -> None:
    login(ORGANIZER)
    page = client.get("/meetings/")
    assert page.status_code == 200
    assert "Olena (@olena_k)" in page.text and "Taras (@taras)" in page.text
    assert "&lt;b&gt;Lovely&lt;/b&gt; talk" in page.text and "<b>Lovely" not in page.text


def test_notes_are_listed_as_text(client: FlaskClient, login: Callable[[int], str]) -> None:
    login(ORGANIZER)
    page = client.get("/notes/")
    assert page.status_code == 200
    assert "&lt;img src=x onerror=alert(1)&gt; hello organizers" in page.text
    assert "<img src=x" not in page.text


def test_participants_export_as_csv(client: FlaskClient, login: Callable[[int], str]) -> None:
    login(ORGANIZER)
    exported = client.get("/participants/export/csv/?flt0_banned_is=1")
    assert exported.status_code == 200
    rows = list(csv.reader(io.StringIO(exported.get_data(as_text=True))))
    assert rows[0][:2] == ["Telegram id", "First name"]
    assert [row[1] for row in rows[1:]] == ["Bohdan"]
