#!/usr/bin/env python3
"""Benchmark webhook workers sharing PostgreSQL: 50 fast-typing participants, each sending the
first answers of the profile as fast as the webhook acknowledges them, their updates spread
over the workers in turn; one worker, then two.

    DATABASE_URL=postgresql://postgres@127.0.0.1/postgres python bench/workers.py [--typists 50]

Runs the real `runner.py webhook` processes against the fake Bot API of the tests (in this
process) on a scratch database of that server. Prints updates handled per second with one and
with two workers, and the answers lost or out of order (both must be 0).
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import options, scratch_postgres
from tests.kit import FakeBotAPI
from tests.kit.running import RunningBot

EXPECTED = ["Hello!", "<b>1.</b>", "<b>2.</b>", "<b>3.</b>", "<b>4.</b>", "<b>5.</b>"]


def typing_fast(fake: FakeBotAPI, user_id: int) -> list[dict[str, Any]]:
    """/start, then first name, last name, no phone and the company, one after the other."""
    sender = {"first_name": f"Typist{user_id}", "language_code": "en"}
    return [fake.command_update(user_id, "start", **sender),
            *(fake.message_update(user_id, text, **sender)
              for text in (f"First{user_id}", f"Last{user_id}", "Skip", "ACME"))]


def run(workers: int, typists: int, url: str) -> tuple[float, int, int]:
    """Updates per second, answers lost and participants answered out of order."""
    users = range(1000, 1000 + typists)
    with FakeBotAPI() as fake, tempfile.TemporaryDirectory() as folder:
        bots = [RunningBot(fake, Path(folder) / str(n), mode="webhook",
                           settings={"DATABASE_URL": url}) for n in range(workers)]
        for bot in bots:
            bot.workdir.mkdir()
            bot.__enter__()
        try:
            updates = {user: typing_fast(fake, user) for user in users}

            def type_fast(user: int) -> None:  # each update acknowledged before the next
                for number, update in enumerate(updates[user]):
                    bots[(user + number) % workers].push(update)

            threads = [threading.Thread(target=type_fast, args=(user,)) for user in users]
            started = time.perf_counter()
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            total = sum(len(EXPECTED) for _ in users)
            with contextlib.suppress(AssertionError):  # what did not come is counted as lost
                fake.wait_for(lambda api: sum(len(api.sent(u)) for u in users) >= total,
                              timeout=120, what="every answer")
            elapsed = time.perf_counter() - started
        finally:
            for bot in bots:
                bot.__exit__(None, None, None)
        handled = sum(len(batch) for batch in updates.values())
        lost = sum(max(0, len(EXPECTED) - len(fake.sent(u))) for u in users)
        disordered = sum(1 for u in users if not all(
            (message.text or "").startswith(prefix)
            for message, prefix in zip(fake.sent(u), EXPECTED, strict=False)))
        return handled / elapsed, lost, disordered


def main() -> None:
    args = options(__doc__, typists=50)
    server = os.environ.get("DATABASE_URL", "")
    if not server.startswith(("postgres://", "postgresql://")):
        sys.exit("DATABASE_URL must name a PostgreSQL server (postgresql://...)")
    results = {}
    for workers in (1, 2):  # a database each: the fake Bot API numbers updates from 1 again
        with scratch_postgres(server) as settings:
            results[workers] = run(workers, args.typists, settings.database_url)
    print(f"{args.typists} fast typists, 5 updates each, over webhook workers on PostgreSQL:")
    for workers, (rate, lost, disordered) in results.items():
        print(f"  {workers} worker(s): {rate:6.1f} updates/s, {lost} answers lost, "
              f"{disordered} participants answered out of order")
    print(f"  two workers: {results[2][0] / results[1][0]:.2f}x one worker")


if __name__ == "__main__":
    main()
