#!/usr/bin/env python3
"""Benchmark the running bot: the real `runner.py polling` and `runner.py webhook` driven by
participants walking the profile at once over the fake Bot API of the tests, on SQLite and,
when DATABASE_URL names a PostgreSQL server, on PostgreSQL (one worker); with --against, an
earlier revision of the bot in the same run, the two in turn, and the ratios.

    python bench/bot.py [--participants 50] [--walks 4] [--repeat 1] [--modes polling,webhook]
                        [--against REV] [--quick] [--py-spy FOLDER]
    DATABASE_URL=postgresql://postgres@127.0.0.1/postgres python bench/bot.py

Each run starts the bot on a fresh database, lets everyone walk once to warm it up, then
`--participants` walk the profile together, each `--walks` times as a new participant (/start,
every question, the profile: 14 updates a walk), each waiting for the bot's whole answer to a
step before the next (bench/walk.py). A run prints updates handled per second, the latency from
an update handed over (queued for getUpdates, POSTed to the webhook) to its first reply
(p50/p95/p99), the bot's CPU time (user + system, all its threads) per update and the Bot API
calls by method per update. The table at the end gives each figure's median over the runs.

--against REV builds REV in a temporary git worktree with a virtualenv of its own and runs its
runner.py and engine (the fake Bot API and the participants stay this checkout's), alternating
with this checkout run by run (old, new, old, new...) so that both meet the same machine; the
table adds the ratio this checkout / REV, next to the targets this checkout keeps. --quick: one
walk a run, for a check before a change is submitted (README, "Contributing").
--py-spy FOLDER: record where the bot spends its time during each measured walk (py-spy,
`pip install py-spy`), one file of folded stacks per run, and print the top costs.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

# The repository instead of this folder, whose telegram.py would shadow python-telegram-bot.
sys.path[0] = str(Path(__file__).resolve().parent.parent)

from bench.harness import options, scratch_postgres  # noqa: E402
from bench.revision import Tree, built, this_checkout  # noqa: E402
from bench.stacks import Recording, top_costs  # noqa: E402
from bench.walk import PROFILE_WALK, Walkers, answer_sizes, push_for  # noqa: E402
from tests.kit import FakeBotAPI  # noqa: E402
from tests.kit.running import WEBHOOK_SECRET, RunningBot  # noqa: E402

FIRST_USER = 100_000
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
# What this checkout keeps against an earlier revision (a ratio this / earlier), and on
# PostgreSQL with one worker against SQLite (bot CPU per update).
TARGETS = {"updates/s": ">= 1.00", "p50 latency, ms": "<= 1.00",
           "bot CPU per update, ms": "<= 1.00"}
POSTGRES_CPU_TARGET = 1.30


@dataclass(frozen=True)
class Figures:
    """One run's measured walk."""

    updates: int
    per_second: float
    latencies_ms: tuple[float, float, float]  # p50, p95, p99
    cpu_ms: float  # the bot's CPU time per update
    loop_cpu_ms: float  # the part of it on the main thread (the event loop's)
    calls: Counter[str]  # Bot API calls by method

    def line(self) -> str:
        p50, p95, p99 = self.latencies_ms
        calls = ", ".join(f"{method} {count}" for method, count in self.calls.most_common())
        return (f"{self.updates} updates, {self.per_second:.0f}/s, latency p50 {p50:.0f} "
                f"p95 {p95:.0f} p99 {p99:.0f} ms, bot CPU {self.cpu_ms:.2f} ms/update "
                f"({self.loop_cpu_ms:.2f} on the loop's thread); "
                f"calls: {calls}")


def main() -> None:
    args = options(__doc__, participants=50, walks=4, repeat=1, modes="polling,webhook",
                   against="", quick=False, py_spy="")
    walks = 1 if args.quick else args.walks
    modes = [mode.strip() for mode in args.modes.split(",") if mode.strip()]
    server = os.environ.get("DATABASE_URL", "")
    databases = ["SQLite"]
    if server.startswith(("postgres://", "postgresql://")):
        databases.append("PostgreSQL")
    print(f"{args.participants} participants walking the profile at once, {walks} walk(s) "
          f"each a run ({len(PROFILE_WALK)} updates a walk), {args.repeat} run(s) of each; "
          f"databases: {', '.join(databases)}", flush=True)
    profiled = Path(args.py_spy) if args.py_spy else None
    with ExitStack() as stack:
        trees = [stack.enter_context(built(args.against))] if args.against else []
        here = this_checkout()
        if trees and trees[0].name == here.name:
            here = replace(here, name="this")
        trees.append(here)
        results = measure(trees, modes, databases, server, args.participants, walks,
                          args.repeat, profiled)
    if not results:
        sys.exit("nothing was measured")
    report(results, [tree.name for tree in trees], modes, databases)
    if profiled is not None:
        for tree in trees:
            print(f"\n{tree.name}: " + top_costs(sorted(profiled.glob(f"{tree.name}-*.txt"))))


def measure(trees: list[Tree], modes: list[str], databases: list[str], server: str,
            participants: int, walks: int, repeats: int, profiled: Path | None,
            ) -> dict[tuple[str, str, str], list[Figures]]:
    """Every tree in each mode on each database, in turn, `repeats` times; each run printed
    as it ends. A run that fails (the bot did not start, an answer never came) is said so and
    left out."""
    sizes: dict[Tree, list[int]] = {}
    results: dict[tuple[str, str, str], list[Figures]] = {}
    for repeat in range(1, repeats + 1):
        for mode in modes:
            for database in databases:
                for tree in trees:
                    recording = None
                    if profiled is not None:
                        recording = Recording(
                            profiled / f"{tree.name}-{mode}-{database}-{repeat}.txt")
                    heading = f"run {repeat}/{repeats} {tree.name:>8} {mode:<7} {database:<10}"
                    try:
                        figures = run(tree, mode, database, server, sizes, participants,
                                      walks, recording)
                    except (AssertionError, RuntimeError) as error:  # not started, stuck
                        print(f"{heading} not measured: {error}", flush=True)
                        continue
                    results.setdefault((tree.name, mode, database), []).append(figures)
                    print(f"{heading} {figures.line()}", flush=True)
    return results


def run(tree: Tree, mode: str, database: str, server: str, sizes: dict[Tree, list[int]],
        participants: int, walks: int, recording: Recording | None) -> Figures:
    """Start `tree`'s bot on a fresh database, warm it up, and measure one walk of everyone."""
    with tempfile.TemporaryDirectory() as folder, database_url(database, server,
                                                               Path(folder)) as url, \
            FakeBotAPI() as fake, RunningBot(fake, Path(folder), mode=mode,
                                             settings={"DATABASE_URL": url},
                                             python=tree.python, root=tree.root) as bot:

        def pusher() -> Callable[[dict[str, object]], None]:
            return push_for(fake, bot.webhook_url if mode == "webhook" else None,
                            WEBHOOK_SECRET)

        if tree not in sizes:
            sizes[tree] = answer_sizes(fake, pusher())
        walkers = Walkers(fake, sizes[tree])
        walkers.walk(pusher, participants, 1, first_user=FIRST_USER // 2)  # warm-up
        assert bot.process is not None
        calls_before = len(fake.calls())
        pid = bot.process.pid
        cpu_before = cpu_seconds(pid), cpu_seconds(pid, thread=pid)
        with recording.of(bot.process.pid) if recording else _nothing():
            walked = walkers.walk(pusher, participants, walks, first_user=FIRST_USER)
            time.sleep(0.2)  # what an update does after its replies (a press's notices)
        cpu = cpu_seconds(pid) - cpu_before[0]
        loop_cpu = cpu_seconds(pid, thread=pid) - cpu_before[1]
        calls = Counter(call.method for call in fake.calls()[calls_before:])
        latencies = statistics.quantiles(walked.latencies, n=100, method="inclusive")
        return Figures(walked.updates, walked.updates / walked.seconds,
                       (latencies[49] * 1000, latencies[94] * 1000, latencies[98] * 1000),
                       cpu / walked.updates * 1000, loop_cpu / walked.updates * 1000, calls)


@contextmanager
def database_url(database: str, server: str, folder: Path) -> Iterator[str]:
    """A fresh database for one run: a SQLite file in `folder`, or a scratch database on the
    PostgreSQL server."""
    if database == "SQLite":
        yield f"sqlite:///{folder / 'bot.sqlite3'}"
        return
    with scratch_postgres(server) as settings:
        yield settings.database_url


@contextmanager
def _nothing() -> Iterator[None]:
    yield


def cpu_seconds(pid: int, thread: int | None = None) -> float:
    """User and system CPU time of process `pid` so far: all its threads, or one."""
    path = Path(f"/proc/{pid}/stat" if thread is None else f"/proc/{pid}/task/{thread}/stat")
    fields = path.read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime, stime


def report(results: dict[tuple[str, str, str], list[Figures]], trees: list[str],
           modes: list[str], databases: list[str]) -> None:
    """Medians over the runs, side by side, with this checkout's ratio to the earlier one."""
    runs = max(len(figures) for figures in results.values())
    heading = f"medians of {runs} run(s)"
    print(f"\n{heading:<32}" + "".join(f"{tree:>12}" for tree in trees)
          + ("       ratio   target" if len(trees) > 1 else ""))
    for mode in modes:
        for database in databases:
            columns = [results.get((tree, mode, database), []) for tree in trees]
            print(f"{mode}, {database}")
            rows = {"updates/s": lambda f: f.per_second,
                    "p50 latency, ms": lambda f: f.latencies_ms[0],
                    "p95 latency, ms": lambda f: f.latencies_ms[1],
                    "p99 latency, ms": lambda f: f.latencies_ms[2],
                    "bot CPU per update, ms": lambda f: f.cpu_ms,
                    "  on the loop's thread, ms": lambda f: f.loop_cpu_ms}
            methods = sorted({method for column in columns for figures in column
                              for method in figures.calls})
            for method in methods:
                rows[f"{method} per update"] = (
                    lambda f, method=method: f.calls[method] / f.updates)
            for label, figure in rows.items():
                values = [statistics.median(figure(f) for f in column) if column else None
                          for column in columns]
                cells = "".join(f"{_number(value):>12}" for value in values)
                ratio = ""
                if len(values) > 1 and values[0] and values[-1] is not None:
                    ratio = f"{values[-1] / values[0]:>11.2f}x   {TARGETS.get(label, '')}"
                print(f"  {label:<30}{cells}{ratio}")
    if "PostgreSQL" in databases:
        for tree in trees:
            for mode in modes:
                sqlite, postgres = (results.get((tree, mode, database)) for database in
                                    ("SQLite", "PostgreSQL"))
                if sqlite and postgres:
                    ratio = (statistics.median(f.cpu_ms for f in postgres)
                             / statistics.median(f.cpu_ms for f in sqlite))
                    print(f"{tree} {mode}: bot CPU per update on PostgreSQL / SQLite "
                          f"{ratio:.2f}x (target <= {POSTGRES_CPU_TARGET:.2f})")


def _number(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:.0f}" if value >= 100 else f"{value:.2f}"


if __name__ == "__main__":
    main()
