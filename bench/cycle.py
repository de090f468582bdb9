#!/usr/bin/env python3
"""Benchmark the weekly jobs on SQLite on disk: invitations queued for N registered users,
their matching and introductions, the feedback survey, and the outbox drained by a sender that
answers at once (the database's share of a delivery; Telegram's own pace is 30 messages/s).

    python bench/cycle.py [--users 10000] [--weeks 2]
"""

from __future__ import annotations

import asyncio
import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import harness
from bench.harness import options, scratch_settings
from coffee.app import Bot, build_bot
from coffee.cycle.jobs import run_job
from coffee.cycle.match import plan_matching
from coffee.models import Participation, Round
from engine.delivery.outbox import deliver_outbox
from engine.dialog.delivery import SendOutcome
from engine.dialog.events import Reply
from engine.store import Answer, DialogState, User, database

FIRST_ROUND = dt.date(2026, 11, 30)
TOPICS = ["startups", "marketing", "product", "engineering", "design", "data", "career"]
T = TypeVar("T")


class Clock:
    def __init__(self) -> None:
        self.now = dt.datetime.now(dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.now


def registered_users(count: int) -> None:
    """Insert `count` participants with a complete profile, as the profile flow leaves them."""
    now = dt.datetime.now(dt.UTC)
    with database.atomic():
        for start in range(1, count + 1, 500):
            ids = range(start, min(start + 500, count + 1))
            User.insert_many([{"id": uid, "first_name": f"Name{uid}", "last_name": "Bench",
                               "username": f"user{uid}" if uid % 2 else None, "locale": "uk",
                               "registered": True, "created_at": now} for uid in ids]).execute()
            DialogState.insert_many([{"user": uid, "context": {}, "updated_at": now}
                                     for uid in ids]).execute()
            answers = {"first_name": None, "last_name": "Bench", "company": "Bench Inc.",
                       "frequency": "weekly", "motivation": ["networking"], "about": "Hi!"}
            Answer.insert_many([
                {"user": uid, "key": key, "value": value or f"Name{uid}", "updated_at": now}
                for uid in ids for key, value in answers.items()] + [
                {"user": uid, "key": "topics", "value": [TOPICS[uid % 7], TOPICS[uid % 5]],
                 "updated_at": now} for uid in ids]).execute()


def timed(what: str, count: int, action: Callable[[], T]) -> T:
    return harness.timed(what, action, lambda seconds: f"{seconds:7.2f} s  "
                                                       f"{count / seconds:8.0f} per s")


async def answer_at_once(chat_id: int, reply: Reply) -> SendOutcome:
    return SendOutcome.SENT


def main() -> int:
    args = options(__doc__, users=10_000, weeks=2)
    with scratch_settings() as settings:
        clock = Clock()
        bot = build_bot(settings, clock=clock)
        registered_users(args.users)
        for number in range(args.weeks):
            week = FIRST_ROUND + dt.timedelta(days=7 * number)
            print(f"round {week.isoformat()}, {args.users} registered participants:")
            week_of_jobs(bot, clock, week, args.users)
        bot.database.close()
    return 0


def week_of_jobs(bot: Bot, clock: Clock, week: dt.date, users: int) -> None:
    schedule = bot.parts.schedule

    def job(name: str) -> str:
        clock.now = schedule.due_at(name, week)
        return run_job(bot.engine, schedule, name, week).summary

    def deliver() -> object:
        return asyncio.run(deliver_outbox(answer_at_once, clock=clock))

    timed("invite: queue invitations", users, lambda: job("invite"))
    timed("deliver the invitations", users, deliver)
    round_id = Round.get(Round.week == week).id
    Participation.update(status="yes").where(Participation.round == round_id).execute()
    topics = bot.parts.desk.fields.key("topics")
    timed("matching alone (a dry run)", users, lambda: plan_matching(week, topics))
    summary = timed("match and queue introductions", users, lambda: job("match"))
    print(f"  {summary}")
    timed("deliver the introductions", users, deliver)
    timed("feedback: queue the survey", users, lambda: job("feedback"))
    timed("deliver the survey", users, deliver)


if __name__ == "__main__":
    sys.exit(main())
