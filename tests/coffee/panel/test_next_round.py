"""The next matching's page: numbered once, a hundred groups a page, searchable by name, names
linking to the participants' pages; swapping two participants of a matched round through the
organizer operation (audited, refused once introductions are queued)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient

from coffee.bot_settings import BotSettings
from coffee.models import AuditEntry, Meeting, MeetingMember, Participation, Round
from coffee.organizers import Defaults, live_schedule, next_round
from coffee.panel import prepare_next_matching
from engine.store import utc_now
from tests.kit.panel import ORGANIZER, add_participant, found, table_rows

LoggedIn = Callable[[int], str]
FIRST = 3001


def csrf(client: FlaskClient) -> str:
    return found(r'name="csrf_token" value="([^"]+)"', client.get("/settings/").text)


@pytest.fixture
def week(panel_settings: BotSettings) -> dt.date:
    return next_round(live_schedule(Defaults.from_settings(panel_settings),
                                    panel_settings.timezone), utc_now())


def said_yes(week: dt.date, count: int, status: str = "open") -> Round:
    """`count` new participants (Name3001…) who said yes for the round of `week`."""
    round_ = Round.create(week=week, status=status)
    for user_id in range(FIRST, FIRST + count):
        add_participant(user_id, f"Name{user_id}")
        Participation.create(round=round_, user=user_id, status="yes")
    return round_


def pair_rows(page: str) -> list[list[str]]:
    return table_rows(found(r'(<table[^>]*id="next-pairs".*?</table>)', page, re.S))


def test_the_pairs_are_numbered_once_a_hundred_a_page(client: FlaskClient, login: LoggedIn,
                                                       week: dt.date) -> None:
    said_yes(week, 250)
    login(ORGANIZER)
    first = client.get("/next-round/").text
    rows = pair_rows(first)
    assert len(rows) == 100
    assert [row[0] for row in rows[:3]] == ["1.", "2.", "3."]
    assert all(not re.match(r"\d+\.", row[1]) for row in rows)  # no second number
    assert re.search(r'id="groups-count">\(125\)<', first)
    last = pair_rows(client.get("/next-round/?page=1").text)
    assert [row[0] for row in last] == [f"{number}." for number in range(101, 126)]
    everyone = {int(uid) for page in (0, 1)
                for uid in re.findall(r"/participants/details/\?id=(\d+)",
                                      client.get(f"/next-round/?page={page}").text)}
    assert everyone == set(range(FIRST, FIRST + 250))  # every name links to its page


def test_search_finds_the_group_of_a_name_with_its_number(client: FlaskClient,
                                                          login: LoggedIn, week: dt.date) -> None:
    said_yes(week, 250)
    login(ORGANIZER)
    whole = [row for page in (0, 1)
             for row in pair_rows(client.get(f"/next-round/?page={page}").text)]
    wanted = next(row for row in whole if "Name3117 " in row[1])
    page = client.get("/next-round/?search=name3117").text
    assert pair_rows(page) == [wanted]
    assert "1 group found." in page
    assert pair_rows(client.get("/next-round/?search=nobody-like-this").text) == [
        ["Nobody found."]]


def test_the_plan_follows_a_new_answer(client: FlaskClient, login: LoggedIn,
                                       week: dt.date) -> None:
    round_ = said_yes(week, 4)
    login(ORGANIZER)
    assert len(pair_rows(client.get("/next-round/").text)) == 2
    add_participant(4001, "Latecomer")
    Participation.create(round=round_, user=4001, status="yes")
    rows = pair_rows(client.get("/next-round/").text)
    assert len(rows) == 2 and any("Latecomer" in row[1] for row in rows)  # a trio now


def planned(client: FlaskClient) -> list[set[int]]:
    """The groups the next matching's page shows, as sets of user ids."""
    return [{int(uid) for uid in re.findall(r"\((\d+)\)", row[1])}
            for row in pair_rows(client.get("/next-round/").text)]


Members = dict[tuple[int, int], MeetingMember]


def past_rounds(week: dt.date, *rounds: tuple[int, tuple[tuple[int, int], ...]]) -> Members:
    """Rounds before `week`, each (weeks before it, its pairs), met: every member's row under
    (weeks before, user id)."""
    members = {}
    for weeks_ago, groups in rounds:
        past = Round.create(week=week - dt.timedelta(weeks=weeks_ago), status="closed")
        for group in groups:
            meeting = Meeting.create(round=past)
            for user_id in group:
                members[weeks_ago, user_id] = MeetingMember.create(meeting=meeting, user=user_id)
    return members


def change_places(members: Members, weeks_ago: int, one: int, other: int) -> None:
    """`one` and `other` swap meetings in the round `weeks_ago` (as a rematch or a swap does:
    no row added or removed)."""
    meetings = {user_id: MeetingMember.get_by_id(members[weeks_ago, user_id].id).meeting_id
                for user_id in (one, other)}
    for user_id, their in ((one, other), (other, one)):
        MeetingMember.update(meeting=meetings[their]).where(
            MeetingMember.id == members[weeks_ago, user_id].id).execute()


def test_the_plan_follows_a_change_to_a_past_round(app: Flask, client: FlaskClient,
                                                   login: LoggedIn, week: dt.date) -> None:
    """Worked out as the panel starts, then kept: a member moved to another meeting of a past
    round makes the page work the plan out again, as the matching would make it now."""
    said_yes(week, 4)
    members = past_rounds(week, (21, ((3001, 3002), (3003, 3004))),
                          (22, ((3001, 3004), (3002, 3003))))
    prepare_next_matching(app)
    login(ORGANIZER)
    assert sorted(map(sorted, planned(client))) == [[3001, 3003], [3002, 3004]]  # the only new
    change_places(members, 21, 3002, 3003)
    assert sorted(map(sorted, planned(client))) == [[3001, 3002], [3003, 3004]]


def test_the_plan_follows_a_rematch_in_the_latest_round(client: FlaskClient, login: LoggedIn,
                                                        week: dt.date,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """The pairs who met are kept block by block of meetings (here a block per meeting): a
    rematch in last week's round reads its meetings again and keeps the older round's, and the
    plan follows at once, with none of the pairs the rematch undid."""
    monkeypatch.setattr("coffee.organizers.met_pairs.MEETINGS_PER_BLOCK", 1)
    said_yes(week, 4)
    members = past_rounds(week, (22, ((3001, 3002), (3003, 3004))),
                          (1, ((3001, 3004), (3002, 3003))))
    login(ORGANIZER)
    assert sorted(map(sorted, planned(client))) == [[3001, 3003], [3002, 3004]]  # the only new
    change_places(members, 1, 3003, 3004)  # last week: 3001 + 3003, 3002 + 3004
    assert sorted(map(sorted, planned(client))) == [[3001, 3004], [3002, 3003]]
    change_places(members, 1, 3003, 3004)  # and back again
    assert sorted(map(sorted, planned(client))) == [[3001, 3003], [3002, 3004]]


def matched(week: dt.date) -> list[list[int]]:
    """A matched round of four pairs (not introduced yet): their members."""
    round_ = said_yes(week, 8, status="matched")
    groups = [[FIRST + 2 * number, FIRST + 2 * number + 1] for number in range(4)]
    for group in groups:
        meeting = Meeting.create(round=round_)
        for user_id in group:
            MeetingMember.create(meeting=meeting, user=user_id)
    return groups


def test_swap_two_participants_of_a_matched_round(client: FlaskClient, login: LoggedIn,
                                                  week: dt.date) -> None:
    groups = matched(week)
    login(ORGANIZER)
    page = client.get("/next-round/").text
    assert "The groups of this round" in page and 'id="swap-form"' in page
    swapped = client.post("/next-round/swap", follow_redirects=True, data={
        "csrf_token": csrf(client), "first": str(groups[0][0]), "second": str(groups[1][1])})
    assert "Swapped: Name3001 (3001) and Name3004 (3004)." in swapped.text
    rows = pair_rows(swapped.text)
    assert rows[0] == ["1.", "Name3002 (3002) + Name3004 (3004)"]
    assert rows[1] == ["2.", "Name3001 (3001) + Name3003 (3003)"]
    entry = AuditEntry.get(AuditEntry.action == "swap")
    assert (entry.actor, entry.target) == (ORGANIZER, week.isoformat())
    # the audit log reads the groups before and after by name, on the page and in its CSV
    before = "Name3001 (3001) + Name3002 (3002); Name3003 (3003) + Name3004 (3004)"
    after = "Name3004 (3004) + Name3002 (3002); Name3003 (3003) + Name3001 (3001)"
    logged = next(row for row in table_rows(client.get("/audit/").text)
                  if "Two participants swapped in the next matching" in row)
    assert logged[-2:] == [before, after]
    assert f"{before},{after}" in client.get("/audit/csv").get_data().decode("utf-8-sig")

    same = client.post("/next-round/swap", follow_redirects=True, data={
        "csrf_token": csrf(client), "first": "3002", "second": "3004"})
    assert "Name3002 (3002) and Name3004 (3004) are in the same group." in same.text
    MeetingMember.update(introduced_at=utc_now()).where(MeetingMember.user == 3005).execute()
    refused = client.post("/next-round/swap", follow_redirects=True, data={
        "csrf_token": csrf(client), "first": "3005", "second": "3007"})
    assert "introductions for the week of" in refused.text
    assert pair_rows(refused.text)[2] == ["3.", "Name3005 (3005) + Name3006 (3006)"]
    assert AuditEntry.select().where(AuditEntry.action == "swap").count() == 1


def test_no_swap_before_the_round_is_matched(client: FlaskClient, login: LoggedIn,
                                             week: dt.date) -> None:
    said_yes(week, 4)
    login(ORGANIZER)
    page = client.get("/next-round/").text
    assert 'id="swap-later"' in page and 'id="swap-form"' not in page
    refused = client.post("/next-round/swap", follow_redirects=True, data={
        "csrf_token": csrf(client), "first": "3001", "second": "3003"})
    assert "is not matched yet: there is nothing to swap." in refused.text
