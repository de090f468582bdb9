#!/usr/bin/env python3
"""Benchmark the web panel on SQLite on disk with a year of a large community: 10,028
participants, 54 rounds of history (participations, meetings, feedback, as bench/organizers.py
writes it), the next round open with 5,000 who said yes, and 20,000 changes by organizers in
the audit log. Requests go through the real Flask app with an organizer's session; each figure
is the server time of one page, the median of a few runs, and of each CSV export (participants,
rounds, meetings, the audit log) read to its last byte, with its size.

The next matching is timed apart: working its plan out as the panel starts (the server does it
in the background: a year of meetings is read), the first view after that, the view right
after a participant answered (the plan is worked out again, on the request), and the view
right after two members of last week's round changed meetings (the year of meetings is read
again as well).

Targets: every page under 300 ms (the dashboard under 1 s), every export under 5 s.

    python bench/panel.py [--users 10028] [--rounds 54] [--yes 5000] [--changes 20000]
"""

from __future__ import annotations

import datetime as dt
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask.testing import FlaskClient

from bench.cycle import registered_users
from bench.harness import options, scratch_settings
from bench.organizers import history
from coffee.app import load_parts
from coffee.cycle.participation import NO, YES, set_participation
from coffee.models import SCHEMAS, AuditEntry, Meeting, MeetingMember, Participation, Round
from coffee.organizers import Defaults, live_schedule, next_round
from coffee.panel import LoginLinks, create_app, prepare_next_matching
from engine.store import database, open_database, utc_now

ORGANIZER = 1
RUNS = 5
EXPORT_RUNS = 3
PAGE_TARGET, DASHBOARD_TARGET, EXPORT_TARGET = 0.3, 1.0, 5.0


def open_round(week: dt.date, yes: int) -> None:
    """History ends the week before `week`; the round of `week` is open, `yes` said yes."""
    latest = Round.select(Round.week).order_by(Round.week.desc()).scalar()
    if latest is not None and latest >= week:
        shift = dt.timedelta(weeks=(latest - week).days // 7 + 1)
        for round_ in Round.select().order_by(Round.week):  # earlier first: weeks stay unique
            Round.update(week=round_.week - shift).where(Round.id == round_.id).execute()
    now = utc_now()
    with database.atomic():
        round_id = Round.insert(week=week, status="open", created_at=now).execute()
        for start in range(1, yes + 1, 1000):
            Participation.insert_many([
                {"round": round_id, "user": uid, "status": "yes", "updated_at": now}
                for uid in range(start, min(start + 1000, yes + 1))]).execute()


def organizers_work(users: int, changes: int) -> None:
    """`changes` entries in the audit log: comments, suspensions, settings, broadcasts."""
    now = utc_now()
    kinds = (("comment", "{uid}", "", "Met at the meetup"), ("ban", "{uid}", None, "Spam"),
             ("unban", "{uid}", None, None), ("setting", "schedule_invite", "thu 09:00",
                                                "fri 12:00"),
             ("broadcast_draft", "{number}", None, "all"), ("appoint", "{uid}", False, True))
    rows = []
    for number in range(changes):
        action, target, old, new = kinds[number % len(kinds)]
        rows.append({"actor": ORGANIZER, "action": action,
                     "target": target.format(uid=number % users + 1, number=number),
                     "old": old, "new": new, "created_at": now})
    with database.atomic():
        for start in range(0, len(rows), 1000):
            AuditEntry.insert_many(rows[start:start + 1000]).execute()


def log_in(client: FlaskClient, key: str) -> None:
    link = LoginLinks(key, "").issue(ORGANIZER)
    form = client.get(link).text
    token = form.split('name="csrf_token" value="')[1].split('"')[0]
    assert client.post(link, data={"csrf_token": token}).status_code == 302


def timed(client: FlaskClient, url: str) -> tuple[float, int]:
    """The seconds one GET of `url` took, its body read to the end, and the body's size."""
    began = time.perf_counter()
    response = client.get(url)
    size = len(response.get_data())
    seconds = time.perf_counter() - began
    assert response.status_code == 200, (url, response.status_code)
    return seconds, size


def after_answers(client: FlaskClient, week: dt.date, yes: int, users: int) -> list[float]:
    """The next matching's page right after each of a few answers: someone who had not
    answered says yes, then someone who had said yes says no."""
    times = []
    for number in range(RUNS):
        for user_id, status in ((min(yes + 1 + number, users), YES), (1 + number, NO)):
            assert set_participation(user_id, week, status, utc_now())
            times.append(timed(client, "/next-round/")[0])
    return times


def after_a_rematch(client: FlaskClient, week: dt.date) -> list[float]:
    """The next matching's page right after two members of last week's round changed meetings
    (as a rematch or a swap moves them): the history of meetings is read again."""
    last = Round.select().where(Round.week < week).order_by(Round.week.desc()).get()
    members = list(MeetingMember.select().join(Meeting).where(Meeting.round == last.id)
                   .order_by(MeetingMember.id).limit(4 * RUNS))
    times = []
    for number in range(RUNS):  # members come in pairs: these two are in different meetings
        first, second = members[4 * number], members[4 * number + 2]
        MeetingMember.update(meeting=second.meeting_id).where(
            MeetingMember.id == first.id).execute()
        MeetingMember.update(meeting=first.meeting_id).where(
            MeetingMember.id == second.id).execute()
        times.append(timed(client, "/next-round/")[0])
    return times


def report(name: str, times: list[float], target: float, size: int | None = None) -> None:
    median = statistics.median(times)
    extra = f"  {size / 1_000_000:6.1f} MB" if size is not None else ""
    verdict = "ok" if median < target else "OVER"
    print(f"{name:<40} {median * 1000:9.1f} ms  (target {target * 1000:.0f} ms: {verdict})"
          f"{extra}")


def main() -> int:
    args = options(__doc__, users=10_028, rounds=54, yes=5_000, changes=20_000)
    with scratch_settings(ORGANIZER_IDS=str(ORGANIZER)) as settings:
        db = open_database(settings.database_url, SCHEMAS)
        started = time.perf_counter()
        registered_users(args.users)
        history(args.users, args.rounds)
        week = next_round(live_schedule(Defaults.from_settings(settings), settings.timezone),
                          utc_now())
        open_round(week, args.yes)
        organizers_work(args.users, args.changes)
        print(f"{args.users} participants, {args.rounds} rounds, "
              f"{Meeting.select().count()} meetings, the round of {week} open with {args.yes} "
              f"yes, {args.changes} audit entries: written in "
              f"{time.perf_counter() - started:.1f} s")
        parts = load_parts(settings)
        app = create_app(settings, db, parts.renderer, parts.desk.fields, parts.desk.vocabulary)
        client = app.test_client()
        log_in(client, str(app.secret_key))

        began = time.perf_counter()
        prepare_next_matching(app)
        print(f"{'next matching, plan at the start':<40} "
              f"{(time.perf_counter() - began) * 1000:9.1f} ms  (the server's background work "
              "as it starts)")
        first, _size = timed(client, "/next-round/")
        report("next matching, first view", [first], PAGE_TARGET)
        report("next matching, after an answer", after_answers(client, week, args.yes,
                                                               args.users), PAGE_TARGET)
        report("next matching, after a rematch", after_a_rematch(client, week), PAGE_TARGET)
        pages = {
            "dashboard": "/",
            "dashboard chart": "/chart.png",
            "participants list": "/participants/",
            "participants search by name": "/participants/?search=Name5000",
            "participants search by id": "/participants/?search=5000",
            "participant page": "/participants/details/?id=5000",
            "rounds list": "/rounds/",
            "meetings list": "/meetings/",
            "next matching": "/next-round/",
            "next matching, page 20": "/next-round/?page=20",
            "next matching, search": "/next-round/?search=Name4321",
            "notes": "/notes/",
            "broadcast": "/broadcast/",
            "access": "/access/",
            "settings": "/settings/",
            "audit log": "/audit/",
            "audit log, one participant": "/audit/?flt0_target_equals=5000",
            "meetings of one week": f"/meetings/?flt0_week_of_is={week - dt.timedelta(weeks=1)}",
        }
        for name, url in pages.items():
            times = [timed(client, url)[0] for _ in range(RUNS)]
            report(name, times, DASHBOARD_TARGET if name.startswith("dashboard") else PAGE_TARGET)
        for name in ("participants", "rounds", "meetings", "audit"):
            runs = [timed(client, f"/{name}/csv") for _ in range(EXPORT_RUNS)]
            report(f"export: {name} CSV", [seconds for seconds, _ in runs], EXPORT_TARGET,
                   runs[-1][1])
        db.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
