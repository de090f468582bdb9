#!/usr/bin/env python3
"""Benchmark the dialogue engine: whole profile conversations through the Event → [Reply] seam
on SQLite and, when DATABASE_URL names a PostgreSQL server, on PostgreSQL in the same run; then
memory with 100,000 stored participants (SQLite).

    python bench/engine.py [--conversations 300] [--stored 100000]
    DATABASE_URL=postgresql://postgres@127.0.0.1/postgres python bench/engine.py

Prints, for each database side by side:
- one conversation at a time: messages per second of `engine.handle` time (with what the
  Telegram transport adds: the replies recorded in flight in the turn's transaction and
  each let go after it), p50/p99 latency of one call and the SQL statements per message
  (BEGIN and COMMIT included);
- as the bot runs them (`engine.transports.telegram.turns`: one at a time on SQLite, eight
  lanes on PostgreSQL, each with its own connection, so one conversation's database round trips
  overlap another's Python work): messages per second of wall time, the participant driver
  included;
- what durable replies cost: conversations in pairs, one with its replies recorded (and let
  go), the next without; the time per message each way and the share of messages per second
  lost, from the median pair;
then memory before and after talking to thousands of different participants (it must stay flat:
nothing is kept in memory per participant). PostgreSQL runs in a scratch database created on
that server and dropped afterwards.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import gc
import os
import random
import resource
import statistics
import sys
import time
import tracemalloc
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

# The repository instead of this folder, whose telegram.py would shadow python-telegram-bot.
sys.path.pop(0)
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import options, scratch_postgres, scratch_settings
from coffee.app import Bot, build_bot
from coffee.bot_settings import BotSettings
from engine.delivery.replies import mark_sent, record
from engine.delivery.replies import recorded as recorded_row
from engine.dialog.engine import ConversationEngine
from engine.dialog.events import Event, Reply
from engine.store import Answer, DialogState, User, participants, utc_now
from engine.store.lanes import Lanes
from engine.transports.telegram.shared_turns import SHARED_LANES
from tests.kit.participant import Participant


class TimedEngine:
    """Stands in for the engine in the participant driver and times every `handle` call as the
    Telegram transport makes it: the replies recorded in flight in the turn's transaction
    (`engine.delivery.replies`), on PostgreSQL under the participant's lock
    (`engine.store.participants.hold`, taken untimed). Marking each reply sent, which the
    transport does after Telegram took it, is timed apart (`marking`), with the lock's release
    on PostgreSQL: the last reply's delete rides with it, as in the bot's turns, so a turn
    without recorded replies pays the release alone."""

    def __init__(self, engine: ConversationEngine, durable: bool = True) -> None:
        self.engine = engine
        self.durable = durable  # False: replies not recorded (what durability costs)
        self.latencies: list[float] = []
        self.marking = 0.0  # seconds spent marking replies sent

    def __getattr__(self, name: str) -> object:
        return getattr(self.engine, name)  # the renderer...

    def handle(self, event: Event) -> list[Reply]:
        recorded: list[Reply] = []

        def keep(replies: list[Reply]) -> None:
            recorded[:] = record(event.user_id, event.update_id, replies, utc_now())

        with participants.hold(event.user_id) as held:
            started = time.perf_counter()
            replies = self.engine.handle(event, keep if self.durable else None)
            handled = time.perf_counter()
            self.latencies.append(handled - started)
            rows = [recorded_row(reply) for reply in recorded]
            for row in rows:
                assert row is not None
                # the last one's delete lets the participant's lock go (PostgreSQL)
                mark_sent(row, held if row == rows[-1] else None)
        self.marking += time.perf_counter() - handled  # the lock's release included
        return replies


@contextmanager
def counted_statements(bot: Bot) -> Iterator[list[int]]:
    """Count the statements the database is sent, transaction control included."""
    db = bot.database
    count = [0]

    def hook(event: Any) -> None:
        count[0] += 1

    originals = {name: getattr(db, name) for name in ("begin", "commit", "rollback")}

    def counting(call: Any) -> Any:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            count[0] += 1
            return call(*args, **kwargs)
        return wrapper

    db.query_hooks.append(hook)
    for name, call in originals.items():
        setattr(db, name, counting(call))
    try:
        yield count
    finally:
        db.query_hooks.remove(hook)
        for name in originals:
            delattr(db, name)


@dataclass
class Figures:
    name: str
    messages: int
    per_second: float  # one conversation at a time, engine time
    p50_ms: float
    p99_ms: float
    statements: float
    mark_ms: float  # marking a message's replies sent, per message
    lanes: int  # as the bot runs them (1: one at a time)
    wall_per_second: float
    # conversations in pairs with and without their replies recorded: ms per message (the
    # marking included) each way, of the median pair (`durable_and_bare`)
    durable_ms: float
    bare_ms: float


def converse(engine: TimedEngine, user_ids: Sequence[int]) -> None:
    for user_id in user_ids:
        # TimedEngine forwards every other attribute to the engine, not a subclass:
        Participant(engine, user_id).complete_profile()  # type: ignore[arg-type]


def conversations_at_once(engine: TimedEngine, user_ids: list[int], lanes: int) -> float:
    """Hold the conversations of `user_ids` spread over `lanes` lanes on an event loop, as the
    bot does with PostgreSQL (one lane: one after the other, as with SQLite); the wall
    seconds."""
    started = time.perf_counter()
    if lanes == 1:
        converse(engine, user_ids)
    else:
        async def together() -> None:
            running = Lanes(lanes)
            await asyncio.gather(*(running.run(partial(converse, engine, user_ids[part::lanes]))
                                   for part in range(lanes)))
            await running.shutdown()

        asyncio.run(together())
    return time.perf_counter() - started


def profile_conversations(name: str, settings: BotSettings, count: int, lanes: int) -> Figures:
    bot = build_bot(settings)
    try:
        converse(TimedEngine(bot.engine), range(10_000_000, 10_000_020))  # warm up
        timed = TimedEngine(bot.engine)
        with counted_statements(bot) as statements:
            wall = conversations_at_once(timed, list(range(1, count + 1)), 1)
        latencies = sorted(timed.latencies)
        if lanes > 1:
            together = TimedEngine(bot.engine)
            wall = conversations_at_once(together, list(range(count + 1, 2 * count + 1)), lanes)
        durable, bare = durable_and_bare(bot.engine, 2 * count + 1, count)
        return Figures(name, len(latencies), len(latencies) / sum(latencies),
                       statistics.median(latencies) * 1000,
                       latencies[int(len(latencies) * 0.99) - 1] * 1000,
                       statements[0] / len(latencies), timed.marking * 1000 / len(latencies),
                       lanes, len(latencies) / wall, durable, bare)
    finally:
        bot.database.close()


def per_message_ms(timed: TimedEngine) -> float:
    return (sum(timed.latencies) + timed.marking) * 1000 / len(timed.latencies)


def durable_and_bare(engine: ConversationEngine, first_id: int, count: int,
                     ) -> tuple[float, float]:
    """`count` conversations in pairs, one with its replies recorded (and let go), one
    without, in turn which first; the time per message of each kind, from the pair whose ratio
    is the median (pairs are measured one right after the other, so a burst of load elsewhere
    spoils a pair, not the figure)."""
    pairs = []
    for number, user_id in enumerate(range(first_id, first_id + count - 1, 2)):
        durable, bare = TimedEngine(engine), TimedEngine(engine, durable=False)
        for timed, conversation in zip((durable, bare)[::1 if number % 2 else -1],
                                       (user_id, user_id + 1), strict=True):
            converse(timed, [conversation])
        pairs.append((per_message_ms(durable), per_message_ms(bare)))
    pairs.sort(key=lambda pair: pair[0] / pair[1])
    return pairs[len(pairs) // 2]


def print_side_by_side(runs: list[Figures]) -> None:
    print(f"profile conversations: {runs[0].messages:,} messages through `engine.handle`")
    print(f"  {'':28}" + "".join(f"{run.name:>14}" for run in runs))
    rows = [("one at a time, messages/s", lambda r: f"{r.per_second:,.0f}"),
            ("  p50 latency, ms", lambda r: f"{r.p50_ms:.2f}"),
            ("  p99 latency, ms", lambda r: f"{r.p99_ms:.2f}"),
            ("  statements/message", lambda r: f"{r.statements:.1f}"),
            ("  then marked sent, ms/message", lambda r: f"{r.mark_ms:.2f}"),
            ("as the bot runs, lanes", lambda r: f"{r.lanes}"),
            ("  messages/s (wall)", lambda r: f"{r.wall_per_second:,.0f}"),
            ("replies recorded / not, ms", lambda r: f"{r.durable_ms:.2f} / {r.bare_ms:.2f}"),
            ("  messages/s lost to it", lambda r: f"{1 - r.bare_ms / r.durable_ms:.1%}")]
    for label, value in rows:
        print(f"  {label:28}" + "".join(f"{value(run):>14}" for run in runs))
    for run in runs[1:]:
        print(f"  {run.name}: {run.per_second / runs[0].per_second:.0%} of {runs[0].name}'s "
              f"messages/s one at a time, {run.wall_per_second / runs[0].wall_per_second:.0%} "
              "as the bot runs")


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


def memory(settings: BotSettings, stored: int) -> None:
    bot = build_bot(settings)
    started = time.perf_counter()
    store_users(stored, first_id=20_000_000)
    print(f"stored participants (SQLite): {stored:,} written in "
          f"{time.perf_counter() - started:.1f} s")
    stored_ids = list(range(20_000_000, 20_000_000 + stored))
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


def main() -> None:
    args = options(__doc__, conversations=300, stored=100_000)
    server = os.environ.get("DATABASE_URL", "")
    with ExitStack() as stack:
        databases = [("SQLite", stack.enter_context(scratch_settings()), 1)]
        if server.startswith(("postgres://", "postgresql://")):
            databases.append(("PostgreSQL", stack.enter_context(scratch_postgres(server)),
                              SHARED_LANES))
        else:
            print("DATABASE_URL names no PostgreSQL server: SQLite only")
        print_side_by_side([profile_conversations(name, settings, args.conversations, lanes)
                            for name, settings, lanes in databases])
        if args.stored:
            memory(databases[0][1], args.stored)


if __name__ == "__main__":
    main()
