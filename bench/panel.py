#!/usr/bin/env python3
"""Benchmark the web panel's pages on SQLite on disk: 10,000 participants and 52 rounds of
history (participations, meetings, feedback), requests through the real Flask app with an
organizer's session; each figure is the server time of one page, the median of a few runs.

    python bench/panel.py [--users 10000] [--rounds 52]
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.cycle import registered_users
from engine.panel import LoginLinks, create_app
from engine.settings import load_settings
from engine.store import (
    Meeting,
    MeetingFeedback,
    MeetingMember,
    Participation,
    Round,
    database,
    open_database,
)

ORGANIZER = 1
FIRST_WEEK = dt.date(2025, 12, 1)
RUNS = 5


def history(users: int, rounds: int) -> None:
    """`rounds` closed rounds: four in five said yes, paired in order, most met and rated."""
    now = dt.datetime.now(dt.UTC)
    with database.atomic():
        for number in range(rounds):
            week = FIRST_WEEK + dt.timedelta(days=7 * number)
            round_ = Round.create(week=week, status="closed", created_at=now)
            yes = [uid for uid in range(1, users + 1) if (uid + number) % 5]
            Participation.insert_many(
                [{"round": round_.id, "user": uid, "status": "yes" if (uid + number) % 5 else "no",
                  "updated_at": now} for uid in range(1, users + 1)]).execute()
            pairs = [yes[i:i + 2] for i in range(0, len(yes) - 1, 2)]
            first = Meeting.insert_many([{"round": round_.id, "created_at": now}
                                         for _ in pairs]).execute()
            meeting_ids = [row.id for row in Meeting.select(Meeting.id)
                           .where(Meeting.round == round_).order_by(Meeting.id)]
            assert first is not None and len(meeting_ids) == len(pairs)
            members = [{"meeting": mid, "user": uid, "introduced_at": now}
                       for mid, pair in zip(meeting_ids, pairs, strict=True) for uid in pair]
            for start in range(0, len(members), 2000):
                MeetingMember.insert_many(members[start:start + 2000]).execute()
            feedback = [{"meeting": mid, "user": uid, "happened": bool(mid % 4),
                         "rating": 4 + mid % 2 if mid % 4 else None, "updated_at": now,
                         "comment": "Great chat" if mid % 7 == 0 else ""}
                        for mid, pair in zip(meeting_ids, pairs, strict=True) for uid in pair]
            for start in range(0, len(feedback), 2000):
                MeetingFeedback.insert_many(feedback[start:start + 2000]).execute()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=52)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        settings = load_settings({"DATABASE_URL": f"sqlite:///{Path(folder) / 'bench.sqlite3'}",
                                  "ADMIN_IDS": str(ORGANIZER)},
                                 env_file=Path(folder) / "none.env")
        db = open_database(settings.database_url)
        started = time.perf_counter()
        registered_users(args.users)
        history(args.users, args.rounds)
        print(f"{args.users} participants, {args.rounds} rounds written in "
              f"{time.perf_counter() - started:.1f} s")
        app = create_app(settings, db, settings.admin_ids.__contains__)
        client = app.test_client()
        link = LoginLinks(str(app.secret_key), "").issue(ORGANIZER)
        form = client.get(link).text
        token = form.split('name="csrf_token" value="')[1].split('"')[0]
        assert client.post(link, data={"csrf_token": token}).status_code == 302
        pages = {
            "participants list": "/participants/",
            "participants search": "/participants/?search=Name5000",
            "participants search by id": "/participants/?search=5000",
            "participant details": "/participants/details/?id=5000",
            "rounds list": "/rounds/",
            "meetings list": "/meetings/",
            "dashboard": "/",
        }
        for name, url in pages.items():
            times = []
            for _ in range(RUNS):
                began = time.perf_counter()
                response = client.get(url)
                times.append(time.perf_counter() - began)
                assert response.status_code == 200, (url, response.status_code)
            print(f"{name:<28} {statistics.median(times) * 1000:8.1f} ms")
        db.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
