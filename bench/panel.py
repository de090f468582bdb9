#!/usr/bin/env python3
"""Benchmark the web panel's pages on SQLite on disk: 10,000 participants and 52 rounds of
history (participations, meetings, feedback), requests through the real Flask app with an
organizer's session (history as bench/organizers.py writes it); each figure is the server time
of one page, the median of a few runs.

    python bench/panel.py [--users 10000] [--rounds 52]
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.cycle import registered_users
from bench.harness import options, scratch_settings
from bench.organizers import history
from coffee.app import load_parts
from coffee.models import SCHEMAS
from coffee.panel import LoginLinks, create_app
from engine.store import open_database

ORGANIZER = 1
RUNS = 5


def main() -> int:
    args = options(__doc__, users=10_000, rounds=52)
    with scratch_settings(ADMIN_IDS=str(ORGANIZER)) as settings:
        db = open_database(settings.database_url, SCHEMAS)
        started = time.perf_counter()
        registered_users(args.users)
        history(args.users, args.rounds)
        print(f"{args.users} participants, {args.rounds} rounds written in "
              f"{time.perf_counter() - started:.1f} s")
        parts = load_parts(settings)
        app = create_app(settings, db, parts.renderer, parts.desk.fields,
                         parts.desk.reasons)
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
            "dashboard chart": "/chart.png",
            "next matching (pairs preview)": "/next-round/",
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
