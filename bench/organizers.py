#!/usr/bin/env python3
"""Benchmark the organizers' reads on SQLite on disk: N participants with R rounds of history
(answers, pairs, feedback). Prints one line each: at-a-glance numbers, the 12-round chart, a
search, the CSV exports. Targets: under 1 s, 1 s, 100 ms and 5 s.

    python bench/organizers.py [--users 10000] [--rounds 52]
"""

from __future__ import annotations

import datetime as dt
import random
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import harness
from bench.cycle import registered_users
from bench.harness import options, scratch_settings
from coffee.app import build_bot
from coffee.models import Meeting, MeetingFeedback, MeetingMember, Participation, Round
from coffee.organizers import (
    act_as,
    at_a_glance,
    chart_png,
    find,
    meetings_export,
    participants_export,
)
from engine.store import database

FIRST_ROUND = dt.date(2025, 12, 1)
ADMIN = 1
T = TypeVar("T")


def history(users: int, rounds: int) -> None:
    """Each round: 70% say yes (paired), 10% no, 5% skip; half the members give feedback."""
    chance = random.Random(7)
    now = dt.datetime.now(dt.UTC)
    for number in range(rounds):
        week = FIRST_ROUND + dt.timedelta(days=7 * number)
        with database.atomic():
            round_id = Round.insert(week=week, status="closed", created_at=now).execute()
            answers = {uid: chance.choices(("yes", "no", "skip", "invited"), (70, 10, 5, 15))[0]
                       for uid in range(1, users + 1)}
            rows = [{"round": round_id, "user": uid, "status": status,
                     "reason": "busy" if status == "no" else None, "updated_at": now}
                    for uid, status in answers.items()]
            for start in range(0, len(rows), 1000):
                Participation.insert_many(rows[start:start + 1000]).execute()
            yes = [uid for uid, status in answers.items() if status == "yes"]
            chance.shuffle(yes)
            members, feedback = [], []
            for first in range(0, len(yes) - 1, 2):
                meeting = Meeting.insert(round=round_id, created_at=now).execute()
                for uid in yes[first:first + 2]:
                    members.append({"meeting": meeting, "user": uid})
                    if chance.random() < 0.5:
                        met = chance.random() < 0.8
                        feedback.append({"meeting": meeting, "user": uid, "happened": met,
                                         "rating": chance.randint(3, 5) if met else None,
                                         "reason": None if met else "no_time",
                                         "comment": "Чудово!" if met else "", "updated_at": now})
            for start in range(0, len(members), 1000):
                MeetingMember.insert_many(members[start:start + 1000]).execute()
            for start in range(0, len(feedback), 1000):
                MeetingFeedback.insert_many(feedback[start:start + 1000]).execute()


def timed(what: str, target: float, action: Callable[[], T]) -> T:
    return harness.timed(what, action, lambda seconds: f"{seconds * 1000:8.0f} ms  "
                                                       f"(target under {target * 1000:.0f} ms)")


def main() -> int:
    args = options(__doc__, users=10_000, rounds=52)
    with scratch_settings(ORGANIZER_IDS=str(ADMIN)) as settings:
        bot = build_bot(settings)
        print(f"{args.users} participants, {args.rounds} rounds of history (building...)")
        registered_users(args.users)
        history(args.users, args.rounds)
        actor = act_as(ADMIN, frozenset({ADMIN}))
        timed("at-a-glance numbers", 1.0, lambda: at_a_glance(actor))
        timed("chart, first (loads matplotlib)", 5.0, lambda: chart_png(actor))
        png = timed("chart (12 rounds, PNG)", 1.0, lambda: chart_png(actor))
        print(f"{'':<38} {len(png) // 1024} KiB")
        timed("search by part of a name", 0.1, lambda: find(actor, "name77"))
        timed("search by @username", 0.1, lambda: find(actor, "@user777"))
        words = bot.parts.vocabulary.words("uk")
        zone = bot.schedule_now().zone
        timed("CSV export (participants)", 5.0,
              lambda: participants_export(actor, words, "Bench", zone).data())
        timed("CSV export (meetings)", 5.0, lambda: meetings_export(actor, words, "Bench").data())
        bot.database.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
