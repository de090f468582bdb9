#!/usr/bin/env python3
"""Benchmark the dialogue engine: whole profile conversations through the Event → [Reply] seam,
with SQLite on disk, then memory with 100,000 stored participants.

    python bench/engine.py [--conversations 300] [--stored 100000]

Prints messages per second, p50/p99 latency of one `engine.handle` call, and memory before
and after talking to thousands of different participants (it must stay flat: nothing is kept
in memory per participant).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import random
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from engine.app import Bot, build_bot
from engine.dialog.engine import ConversationEngine
from engine.dialog.events import Event, Reply
from engine.settings import load_settings
from engine.store import Answer, DialogState, User
from tests.kit.participant import Participant


class TimedEngine:
    """Stands in for the engine in the participant driver and times every `handle` call."""

    def __init__(self, engine: ConversationEngine) -> None:
        self.engine = engine
        self.latencies: list[float] = []

    def __getattr__(self, name: str) -> object:
        return getattr(self.engine, name)  # the renderer...

    def handle(self, event: Event) -> list[Reply]:
        started = time.perf_counter()
        replies = self.engine.handle(event)
        self.latencies.append(time.perf_counter() - started)
        return replies


def open_bot(directory: Path) -> Bot:
    settings = load_settings({"DATABASE_URL": f"sqlite:///{directory / 'bench.sqlite3'}"},
                             env_file=directory / "none.env")
    return build_bot(settings)


def conversations(bot: Bot, count: int, first_id: int) -> TimedEngine:
    timed = TimedEngine(bot.engine)
    for user_id in range(first_id, first_id + count):
        Participant(timed, user_id).complete_profile()  # type: ignore[arg-type]
    return timed


def store_users(count: int, first_id: int) -> None:
    """Write `count` registered participants with their answers, in bulk (every required
    one: a missing answer would be asked at /start instead of the profile)."""
    now = dt.datetime.now(dt.UTC)
    answers = {"first_name": "Bench", "last_name": "Load", "company": "Load test",
               "frequency": "weekly", "motivation": ["networking"], "topics": ["books"],
               "about": "x" * 80, "language": "uk"}
    batch = 2000
    for start in range(first_id, first_id + count, batch):
        ids = range(start, min(start + batch, first_id + count))
        with User._meta.database.atomic():
            User.insert_many([{"id": i, "locale": "uk", "first_name": "Bench", "registered": True,
                               "created_at": now} for i in ids]).execute()
            DialogState.insert_many([{"user": i, "flow": "start", "state": "ProfileState",
                                      "context": {"kb": 1}, "updated_at": now}
                                     for i in ids]).execute()
            Answer.insert_many([{"user": i, "key": key, "value": value, "updated_at": now}
                                for i in ids for key, value in answers.items()]).execute()


def rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def talk_to_stored(bot: Bot, user_ids: list[int]) -> None:
    for user_id in user_ids:
        Participant(bot.engine, user_id).command("start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conversations", type=int, default=300)
    parser.add_argument("--stored", type=int, default=100_000)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as directory:
        bot = open_bot(Path(directory))
        conversations(bot, 20, first_id=10_000_000)  # warm up caches and the database file

        started = time.perf_counter()
        timed = conversations(bot, args.conversations, first_id=1)
        elapsed = time.perf_counter() - started
        latencies = sorted(timed.latencies)
        p50 = statistics.median(latencies) * 1000
        p99 = latencies[int(len(latencies) * 0.99) - 1] * 1000
        handled = sum(latencies)
        print(f"profile conversations: {args.conversations} participants, "
              f"{len(latencies)} messages")
        print(f"  throughput: {len(latencies) / handled:,.0f} messages/s in the engine "
              f"({len(latencies) / elapsed:,.0f}/s with the participant driver)")
        print(f"  latency per message: p50 {p50:.2f} ms, p99 {p99:.2f} ms")

        started = time.perf_counter()
        store_users(args.stored, first_id=20_000_000)
        print(f"stored participants: {args.stored:,} written in "
              f"{time.perf_counter() - started:.1f} s")
        stored_ids = list(range(20_000_000, 20_000_000 + args.stored))
        random.Random(1).shuffle(stored_ids)

        gc.collect()
        tracemalloc.start()
        talk_to_stored(bot, stored_ids[:1_000])
        gc.collect()
        after_1k = tracemalloc.get_traced_memory()[0]
        talk_to_stored(bot, stored_ids[1_000:6_000])
        gc.collect()
        after_6k, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print("memory while talking to different stored participants:")
        print(f"  after 1,000 participants: {after_1k / 2**20:.2f} MiB traced")
        print(f"  after 6,000 participants: {after_6k / 2**20:.2f} MiB traced "
              f"(growth {(after_6k - after_1k) / 5_000:.1f} bytes per participant)")
        print(f"  traced peak {peak / 2**20:.2f} MiB; process max RSS {rss_mib():.0f} MiB")
        bot.database.close()


if __name__ == "__main__":
    main()
