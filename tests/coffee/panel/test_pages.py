"""What each page shows an organizer and what its forms change, through Flask's test client
with a real session; every change goes through the organizer operations (audit rows included)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable

from flask.testing import FlaskClient

from coffee.bot_settings import BotSettings
from coffee.models import AccessEntry, AuditEntry, Broadcast, Participation, Round
from coffee.organizers import Defaults, act_as, draft_broadcast, live_schedule, next_round
from engine.store import Outbox, Setting, User, utc_now
from tests.kit.panel import ORGANIZER, ORGANIZER_UK, found, table_rows

LoggedIn = Callable[[int], str]


def csrf(client: FlaskClient) -> str:
    """The session's CSRF token, as every page's logout form carries it."""
    found = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/settings/").text)
    assert found is not None
    return found.group(1)


def changes_to_the_person(page: str) -> list[list[str]]:
    """The rows of the participant page's table of changes organizers made to them."""
    return table_rows(found(r'(<table[^>]*id="participant-audit".*?</table>)', page, re.S))[1:]


def test_rounds_show_their_answers_and_meetings(client: FlaskClient, login: LoggedIn) -> None:
    login(ORGANIZER)
    page = client.get("/rounds/")
    assert page.status_code == 200
    rows = table_rows(page.text)
    assert rows[0][-10:] == ["Week of", "Status", "Invited", "Yes", "No", "Not answered",
                             "Pairs", "Trios", "Met", "Average rating"]
    assert rows[1][-10:] == ["2026-11-23", "feedback asked", "4", "2", "1", "1", "1", "0", "50 %",
                             "5.0"]  # of the two answers, one says "we met"
    meetings = found(r'<a href="([^"]+)">2026-11-23</a>', page.text)
    assert "Olena (@olena_k, 101)" in client.get(meetings.replace("&amp;", "&")).text


def test_meetings_show_members_and_escaped_feedback(client: FlaskClient,
                                                    login: LoggedIn) -> None:
    login(ORGANIZER)
    page = client.get("/meetings/")
    assert page.status_code == 200
    rows = table_rows(page.text)
    assert "Olena (@olena_k, 101); Taras (@taras, 102)" in rows[1]
    assert "&lt;b&gt;Lovely&lt;/b&gt; talk" in page.text and "<b>Lovely" not in page.text


def test_the_inbox_marks_notes_read_and_sends_replies(client: FlaskClient,
                                                      login: LoggedIn) -> None:
    login(ORGANIZER)
    first = client.get("/notes/")
    assert first.status_code == 200
    assert "&lt;img src=x onerror=alert(1)&gt; hello organizers" in first.text
    assert "<img src=x" not in first.text
    assert ">new<" in first.text
    assert ">new<" not in client.get("/notes/").text  # read now

    note_id = int(found(r'id="note-(\d+)"', first.text))
    sent = client.post(f"/notes/reply/{note_id}", data={"csrf_token": csrf(client),
                                                        "text": "Thanks, we will fix it!"},
                       follow_redirects=True)
    assert "The reply is on its way" in sent.text and ">replied<" in sent.text
    queued = Outbox.get(Outbox.user == 104)
    assert "Thanks, we will fix it!" in queued.payload["text"]

    empty = client.post(f"/notes/reply/{note_id}", data={"csrf_token": csrf(client),
                                                         "text": "  "}, follow_redirects=True)
    assert "The text is empty." in empty.text
    assert Outbox.select().count() == 1


def test_participants_export_follows_the_lists_filter(client: FlaskClient,
                                                     login: LoggedIn) -> None:
    login(ORGANIZER)
    exported = client.get("/participants/csv?flt0_suspended_is=1")
    assert exported.status_code == 200
    rows = list(csv.reader(io.StringIO(exported.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][:3] == ["Telegram id", "Username", "Name in Telegram"]
    assert [row[2] for row in rows[1:]] == ["Bohdan"]


def test_the_participant_page_shows_the_card_and_saves_the_comment(client: FlaskClient,
                                                                   login: LoggedIn) -> None:
    login(ORGANIZER)
    page = client.get("/participants/details/?id=101")
    rows = table_rows(page.text)
    assert ["Week of", "Answer", "Partners", "Met", "Rating", "Comments"] in rows
    assert ["2026-11-23", "takes part", "Taras (@taras, 102)", "yes", "5",
            "<b>Lovely</b> talk"] in rows
    assert ["How often", "Every week"] in rows and ["Language", "Українська"] in rows

    saved = client.post("/participants/comment/101", follow_redirects=True,
                        data={"csrf_token": csrf(client), "comment": "Met us at the meetup"})
    assert saved.status_code == 200 and saved.request.path == "/participants/details/"
    assert "Comment saved." in saved.text
    assert User.get_by_id(101).comment == "Met us at the meetup"
    assert (AuditEntry.get(AuditEntry.action == "comment").new, AuditEntry.get(
        AuditEntry.action == "comment").actor) == ("Met us at the meetup", ORGANIZER)
    assert [row[2:] for row in changes_to_the_person(saved.text)] == [
        ["Comment changed", "", "Met us at the meetup"]]
    too_long = client.post("/participants/comment/101", follow_redirects=True,
                           data={"csrf_token": csrf(client), "comment": "x" * 1001})
    assert too_long.status_code == 200 and too_long.request.path == "/participants/comment/101"
    assert "The comment is too long: 1001 characters, at most 1000." in too_long.text
    assert f">{'x' * 1001}</textarea>" in too_long.text  # what was typed stays
    assert User.get_by_id(101).comment == "Met us at the meetup"
    assert "successfully" not in client.get("/participants/").text  # no flash left over
    # Flask-Admin's own edit form is not offered: its address leads to the participant's page
    generic = client.get("/participants/edit/?id=101", follow_redirects=True)
    assert generic.request.path == "/participants/details/" and 'id="comment-form"' in \
        generic.text


def test_the_list_edits_the_comment_in_place_and_nothing_else(client: FlaskClient,
                                                             login: LoggedIn) -> None:
    login(ORGANIZER_UK)
    saved = client.post("/participants/ajax/update/", data={
        "csrf_token": csrf(client), "list_form_pk": "101", "comment": "Likes mornings"})
    assert saved.status_code == 200 and User.get_by_id(101).comment == "Likes mornings"
    too_long = client.post("/participants/ajax/update/", data={
        "csrf_token": csrf(client), "list_form_pk": "101", "comment": "x" * 1001})
    assert too_long.status_code == 400
    assert too_long.text == "Коментар задовгий: 1001 символів, можна щонайбільше 1000."
    for field in ("first_name", "enabled", "registered"):
        other = client.post("/participants/ajax/update/", data={
            "csrf_token": csrf(client), "list_form_pk": "101", field: "0"})
        assert other.status_code == 400, field
        assert other.text == "Тут можна змінити лише коментар організаторів."
    assert User.get_by_id(101).first_name == "Olena" and User.get_by_id(101).enabled
    assert User.get_by_id(101).comment == "Likes mornings"
    assert "Запис" not in client.get("/participants/").text  # no flash left over


def test_one_persons_page_reads_in_the_singular(client: FlaskClient, login: LoggedIn) -> None:
    """The list's columns are about many people ("Зареєстровані"); one person's page is not."""
    login(ORGANIZER_UK)
    card = table_rows(client.get("/participants/details/?id=101").text)
    assert [row[0] for row in card[:3]] == ["Мова", "Зареєстровано", "Відсторонено"]
    assert "Зареєстровані" in client.get("/participants/").text
    login(ORGANIZER)
    card = table_rows(client.get("/participants/details/?id=101").text)
    assert [row[0] for row in card[:3]] == ["Language", "Registered", "Suspended"]


def test_ban_unban_appoint_and_revoke_from_the_participant_page(
        client: FlaskClient, login: LoggedIn) -> None:
    login(ORGANIZER)
    page = client.get("/participants/details/?id=102").text
    assert 'id="ban"' in page and 'id="appoint"' in page and 'id="unban"' not in page
    banned = client.post("/participants/ban/102", follow_redirects=True,
                         data={"csrf_token": csrf(client)})
    assert "Suspended." in banned.text and 'id="unban"' in banned.text
    # by an organizer of ORGANIZER_IDS the bot has no record of: in words, not "999"
    assert found(r'<td id="suspended">yes: ([^,]+),', banned.text) == \
        "Telegram id 999 (has not opened the bot)"
    assert not User.get_by_id(102).enabled
    again = client.post("/participants/ban/102", follow_redirects=True,
                        data={"csrf_token": csrf(client)})
    assert "Taras (@taras, 102) is suspended already." in again.text
    client.post("/participants/unban/102", data={"csrf_token": csrf(client)})
    appointed = client.post("/participants/appoint/102", follow_redirects=True,
                            data={"csrf_token": csrf(client)})
    assert "Appointed an organizer." in appointed.text and 'id="revoke"' in appointed.text
    assert 'id="ban"' not in appointed.text
    revoked = client.post("/participants/revoke/102", follow_redirects=True,
                          data={"csrf_token": csrf(client)})
    assert "No longer an organizer." in revoked.text
    assert {row[1] for row in changes_to_the_person(revoked.text)} == {
        "Telegram id 999 (has not opened the bot)"}
    assert [row[2:] for row in changes_to_the_person(revoked.text)] == [
        ["Organizer rights taken back", "yes", "no"], ["Made an organizer", "no", "yes"],
        ["Suspension lifted", "", ""], ["Suspended", "", ""]]


def test_reasons_read_as_the_participants_buttons_said_them(client: FlaskClient,
                                                           login: LoggedIn) -> None:
    """Stored reason ids (`no_time`) show as the button labels, in the organizer's language."""
    login(ORGANIZER_UK)
    assert "Немає часу 1" in client.get("/").text  # the dashboard's reasons for "no"
    history = table_rows(client.get("/participants/details/?id=103").text)
    assert any(row[:2] == ["2026-11-23", "відмовилися (Немає часу)"] for row in history), \
        history
    meetings = table_rows(client.get("/meetings/").text)
    assert any("Taras: не зустрілися, Партнер не відповів" in cell for cell in meetings[1]), \
        meetings
    assert "один каже, що зустрілися, інший — що ні" in meetings[1]  # one yes, one no
    login(ORGANIZER)
    assert "No time 1" in client.get("/").text


def test_bulk_ban_and_unban_go_through_the_operations(client: FlaskClient,
                                                      login: LoggedIn) -> None:
    login(ORGANIZER)
    banned = client.post("/participants/action/", follow_redirects=True,
                         data={"csrf_token": csrf(client), "action": "ban",
                               "rowid": ["101", "102", str(ORGANIZER)]})
    assert "2 participants suspended." in banned.text
    assert not User.get_by_id(101).enabled and not User.get_by_id(102).enabled
    assert AuditEntry.select().where(AuditEntry.action == "ban").count() == 2
    client.post("/participants/action/", data={"csrf_token": csrf(client), "action": "unban",
                                               "rowid": ["101"]})
    assert User.get_by_id(101).enabled and not User.get_by_id(102).enabled


def test_bulk_refusals_name_the_person(client: FlaskClient, login: LoggedIn,
                                      appointed: int) -> None:
    """Banning someone banned already (or an organizer), unbanning someone not banned: each
    refusal names the person, in the organizer's language."""
    login(ORGANIZER_UK)
    banned = client.post("/participants/action/", follow_redirects=True,
                         data={"csrf_token": csrf(client), "action": "ban",
                               "rowid": ["105", str(appointed)]})
    assert "Bohdan (105) уже відсторонено." in banned.text
    assert "Olena (@olena_k, 101) — організатор, його не можна відсторонити." in banned.text
    unbanned = client.post("/participants/action/", follow_redirects=True,
                           data={"csrf_token": csrf(client), "action": "unban",
                                 "rowid": ["102"]})
    assert "Taras (@taras, 102) не відсторонено." in unbanned.text
    assert "%(" not in banned.text + unbanned.text


def test_settings_refuse_a_bad_value_and_keep_a_good_one(client: FlaskClient,
                                                         login: LoggedIn) -> None:
    login(ORGANIZER)
    refused = client.post("/settings/change/schedule_invite", follow_redirects=True,
                          data={"csrf_token": csrf(client), "value": "thursday at nine"})
    assert "That value does not fit “Invitations: day and time”; for example: thu 09:00." \
        in refused.text
    assert Setting.get_or_none(Setting.key == "schedule_invite") is None
    client.post("/settings/change/schedule_invite",
                data={"csrf_token": csrf(client), "value": "wed 18:30"})
    assert Setting.get(Setting.key == "schedule_invite").value == "wed 18:30"
    page = table_rows(client.get("/settings/").text)
    assert any(row and row[0].startswith("Invitations: day and time")
               and "Wednesday, 6:30 PM · changed here" in row[1] for row in page), page[1]


def test_settings_read_weekdays_in_the_organizers_language(client: FlaskClient,
                                                            login: LoggedIn) -> None:
    login(ORGANIZER_UK)
    client.post("/settings/change/schedule_invite",
                data={"csrf_token": csrf(client), "value": "четвер 10:00"})
    assert Setting.get(Setting.key == "schedule_invite").value == "thu 10:00"
    client.post("/settings/change/schedule_match",
                data={"csrf_token": csrf(client), "value": "Пн 9:30"})
    assert Setting.get(Setting.key == "schedule_match").value == "mon 09:30"
    client.post("/settings/change/schedule_feedback",
                data={"csrf_token": csrf(client), "value": "friday 17:00"})  # English as well
    assert Setting.get(Setting.key == "schedule_feedback").value == "fri 17:00"
    page = table_rows(client.get("/settings/").text)
    assert any(row and "четвер, 10:00" in row[1] for row in page), page


def test_rows_per_page_read_in_the_organizers_language(client: FlaskClient,
                                                       login: LoggedIn) -> None:
    """Flask-Admin's own menu said "50 елементи" (one plural form for every count)."""
    login(ORGANIZER_UK)
    page = client.get("/participants/").text
    menu = re.search(r'<li class="nav-item dropdown" id="page-size">(.*?)</li>', page, re.S)
    assert menu is not None and "елемент" not in page
    shown = [re.sub(r"\s+", " ", text).strip()
             for text in re.findall(r">([^<>]+)</a>", menu.group(1))]
    assert shown == ["50 рядків на сторінці", "20 рядків на сторінці", "50 рядків на сторінці",
                     "100 рядків на сторінці"]
    assert "page_size=20" in menu.group(1)
    login(ORGANIZER)
    assert "50 rows per page" in client.get("/participants/").text


def test_access_mode_and_lists(client: FlaskClient, login: LoggedIn) -> None:
    login(ORGANIZER)
    client.post("/access/mode", data={"csrf_token": csrf(client), "mode": "allow-list"})
    assert Setting.get(Setting.key == "registration_mode").value == "allow-list"
    client.post("/access/add", data={"csrf_token": csrf(client), "who": "@new_friend",
                                     "list": "allow"})
    assert AccessEntry.get(AccessEntry.username == "new_friend").list_name == "allow"
    refused = client.post("/access/add", follow_redirects=True,
                          data={"csrf_token": csrf(client), "who": "not a person",
                                "list": "block"})
    assert "is neither a @username nor a Telegram id" in refused.text
    blocked = client.post("/access/add", follow_redirects=True,
                          data={"csrf_token": csrf(client), "who": "103", "list": "block"})
    assert not User.get_by_id(103).enabled
    assert "103" in blocked.text
    client.post("/access/remove", data={"csrf_token": csrf(client), "who": "103"})
    assert User.get_by_id(103).enabled


def test_broadcast_preview_send_progress_and_cancel(client: FlaskClient,
                                                    login: LoggedIn) -> None:
    login(ORGANIZER)
    bad = client.post("/broadcast/draft", data={"csrf_token": csrf(client),
                                                "text": "<script>x</script>", "audience": "all"})
    assert "Telegram would refuse this text" in bad.text
    assert "&lt;script&gt;x&lt;/script&gt;</textarea>" in bad.text  # the text is kept
    assert Broadcast.select().count() == 0

    drafted = client.post("/broadcast/draft", follow_redirects=True,
                          data={"csrf_token": csrf(client), "audience": "all",
                                "text": "<b>Meetup</b> on Friday &lt;3"})
    assert 'sandbox title="Preview"' in drafted.text
    assert "srcdoc=\"" in drafted.text and "&lt;b&gt;Meetup&lt;/b&gt; on Friday &amp;lt;3" \
        in drafted.text
    broadcast = Broadcast.get()
    assert broadcast.status == "draft" and Outbox.select().count() == 0

    sending = client.post(f"/broadcast/{broadcast.id}/send", follow_redirects=True,
                          data={"csrf_token": csrf(client)})
    assert 'http-equiv="refresh"' in sending.text
    # everyone registered and not banned: four participants and an organizer
    assert "Sent 0 of 5, unreachable 0, waiting 5." in sending.text
    assert 'id="stalled"' not in sending.text  # just sent
    Broadcast.update(started_at=utc_now() - dt.timedelta(seconds=61)).execute()
    stalled = client.get(f"/broadcast/{broadcast.id}/").text
    assert "Nothing has been delivered for a minute" in stalled
    assert "scheduler.py deliver" in stalled
    Outbox.update(status="sent", sent_at=utc_now()).where(Outbox.user == 101).execute()
    assert 'id="stalled"' not in client.get(f"/broadcast/{broadcast.id}/").text  # it moves
    cancelled = client.post(f"/broadcast/{broadcast.id}/cancel", follow_redirects=True,
                            data={"csrf_token": csrf(client)})
    assert "Cancelled: nobody else gets this message." in cancelled.text
    assert 'http-equiv="refresh"' not in cancelled.text
    assert Outbox.select().where(Outbox.status == "pending").count() == 0


def test_a_broadcast_from_the_bot_with_a_photo_says_so(client: FlaskClient,
                                                        login: LoggedIn,
                                                        panel_settings: BotSettings) -> None:
    """The panel cannot show the Telegram file, but says the text goes out as its caption."""
    broadcast = draft_broadcast(act_as(ORGANIZER, panel_settings.organizer_ids), "<b>Meetup</b>",
                                "all", ["uk", "en"], photo="AgACAgIAAxkBAAIC")
    login(ORGANIZER_UK)
    page = client.get(f"/broadcast/{broadcast.id}/").text
    assert "З фото, надісланим з бота: текст іде підписом до нього." in page
    assert "&lt;b&gt;Meetup&lt;/b&gt;" in page
    text_only = draft_broadcast(act_as(ORGANIZER, panel_settings.organizer_ids), "News", "all",
                                ["uk", "en"])
    assert 'id="photo-note"' not in client.get(f"/broadcast/{text_only.id}/").text


def test_dashboard_numbers_chart_and_audit_log(client: FlaskClient, login: LoggedIn) -> None:
    login(ORGANIZER)
    page = client.get("/")
    assert re.search(r'id="glance-registered">6<', page.text)
    assert re.search(r'id="glance-banned">1<', page.text)
    chart = client.get("/chart.png")
    assert chart.mimetype == "image/png" and chart.data.startswith(b"\x89PNG") \
        and len(chart.data) > 10_000
    client.post("/participants/action/", data={"csrf_token": csrf(client), "action": "ban",
                                               "rowid": ["103"]})
    audit = table_rows(client.get("/audit/?flt0_action_equals=ban").text)
    # an organizer of ORGANIZER_IDS who never opened the bot is named in words, not a number
    assert [row[-5:] for row in audit[1:]] == [
        ["Telegram id 999 (has not opened the bot)", "Suspended", "Jane (@jane_doe, 103)",
         "", ""]]
    login(ORGANIZER_UK)
    assert "Telegram id 999 (ще не відкривав бота)" in client.get("/audit/").text


def test_names_link_to_the_participants_pages(client: FlaskClient, login: LoggedIn,
                                              appointed: int) -> None:
    """The meetings, the audit log (filtered by whom a change was made to), a participant's
    partners and the notes name people by a link to their page."""
    login(ORGANIZER)
    link = re.compile(r'<a href="/participants/details/\?id=(\d+)">([^<]+)</a>')
    assert ("101", "Olena (@olena_k, 101)") in link.findall(client.get("/meetings/").text)
    assert ("102", "Taras (@taras, 102)") in link.findall(
        client.get("/participants/details/?id=101").text)  # her partner
    assert ("104", "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; (@mallory, 104)") in \
        link.findall(client.get("/notes/").text)
    client.post("/participants/comment/102", data={"csrf_token": csrf(client),
                                                   "comment": "Helps newcomers"})
    to_olena = client.get(f"/audit/?flt0_target_equals={appointed}").text
    rows = table_rows(to_olena)[1:]
    assert [row[-4:-2] for row in rows] == [["Made an organizer", "Olena (@olena_k, 101)"]]
    assert (str(appointed), "Olena (@olena_k, 101)") in link.findall(to_olena)
    csv_text = client.get("/audit/csv").get_data(as_text=True)
    assert "Taras (@taras, 102)" in csv_text and "<a" not in csv_text


def test_next_matching_shows_the_pairs_it_would_make(client: FlaskClient, login: LoggedIn,
                                                     panel_settings: BotSettings) -> None:
    week = next_round(live_schedule(Defaults.from_settings(panel_settings),
                                    panel_settings.timezone), utc_now())
    upcoming = Round.create(week=week, status="open")
    for user_id in (101, 102, 103):
        Participation.create(round=upcoming, user=user_id, status="yes")
    Participation.create(round=upcoming, user=104, status="invited")
    login(ORGANIZER)
    page = client.get("/next-round/")
    assert page.status_code == 200
    assert f"Week of {week}" in page.text
    assert "Invited 4, yes 3, no 0, not answered 1." in page.text
    pairs = found(r'<table[^>]*id="next-pairs">(.*?)</table>', page.text, re.S)
    assert all(name in pairs for name in ("Olena", "Taras", "Jane")) and "mallory" not in pairs


def test_the_chart_titles_its_axes_and_keeps_the_legend_off_the_bars(
        client: FlaskClient, login: LoggedIn) -> None:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from coffee.organizers.stats import chart_figure

    login(ORGANIZER_UK)
    assert client.get("/chart.png").mimetype == "image/png"
    figure = chart_figure({"week": "тиждень", "people": "люди й зустрічі", "met": "зустрілися, %"})
    canvas = FigureCanvasAgg(figure)
    canvas.draw()
    bars, line = figure.axes
    assert (bars.get_xlabel(), bars.get_ylabel(), line.get_ylabel()) == (
        "тиждень", "люди й зустрічі", "зустрілися, %")
    legend = figure.legends[0].get_window_extent()
    for axes in (bars, line):  # below the plot, its dates and its title: over no bar
        drawn = axes.get_tightbbox(canvas.get_renderer())
        assert legend.y1 <= drawn.y0, (legend, drawn)
