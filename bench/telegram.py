#!/usr/bin/env python3
"""Measure the Telegram transport end to end against the fake Bot API, and print the figures.

    python bench/telegram.py [--participants 50] [--rounds 20] [--rate 50] [--seconds 10]
                             [--bulk 1000]

(a) throughput: every participant sends `--rounds` /info at once to the real runner.py
    (polling); updates handled per second, from the first push to the last reply. Progress
    is polled every 10 ms rather than waited for on every call: a predicate run on every
    call would hold the fake's lock and slow down what it measures.
(b) latency: `--rate` updates a second, spread over the participants, for `--seconds`; from
    the moment getUpdates handed an update out (`fake.delivered_at`) to the first sendMessage
    of its reply arriving at the fake (the "typing" action comes before it, so it is
    included). Also shown: the wait from the push to getUpdates handing it out.
(c) bulk: `--bulk` sends through `telegram_sender` at once, the fake limiting sends to 30 in
    any sliding second: the achieved rate, the 429s and the messages lost.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

# Run as a script, this file's folder comes first on sys.path, and this file's name would
# shadow the `telegram` package: put the repository root there instead.
sys.path[0] = str(Path(__file__).resolve().parent.parent)

from bench.harness import options  # noqa: E402
from coffee.app import build_bot  # noqa: E402
from coffee.bot_settings import load_bot_settings  # noqa: E402
from engine.dialog.delivery import SendOutcome  # noqa: E402
from engine.dialog.events import Reply  # noqa: E402
from engine.transports.telegram import telegram_sender  # noqa: E402
from tests.kit import FakeBotAPI  # noqa: E402
from tests.kit.running import RunningBot, eventually  # noqa: E402

TELEGRAM_LIMIT = 30
FIRST_USER = 10_000


def main() -> None:
    args = options(__doc__, participants=50, rounds=20, rate=50.0, seconds=10.0, bulk=1000)
    users = range(FIRST_USER, FIRST_USER + args.participants)
    with tempfile.TemporaryDirectory() as workdir, FakeBotAPI() as fake, \
            RunningBot(fake, Path(workdir)) as bot:
        register(fake, users)
        throughput(fake, users, args.rounds)
        latency(fake, users, args.rate, args.seconds)
        bot.stop()
        bulk(fake, Path(workdir), args.bulk)


def register(fake: FakeBotAPI, users: range) -> None:
    """Every participant starts: the first update of a participant creates them."""
    for user in users:
        fake.push_command(user, "start")
    eventually(lambda: all(len(fake.sent(user)) >= 2 for user in users), timeout=30)


def replies_to_info(fake: FakeBotAPI, user: int) -> int:
    before = len(fake.calls("sendMessage", user))
    fake.push_command(user, "info")
    time.sleep(0.5)  # long enough for every reply to one update
    return len(fake.calls("sendMessage", user)) - before


def throughput(fake: FakeBotAPI, users: range, rounds: int) -> None:
    per_update = replies_to_info(fake, users[0])
    expected = len(fake.calls("sendMessage")) + per_update * len(users) * rounds
    started = time.monotonic()
    for _ in range(rounds):
        for user in users:
            fake.push_command(user, "info")
    eventually(lambda: len(fake.calls("sendMessage")) >= expected, timeout=300)
    elapsed = time.monotonic() - started
    updates = len(users) * rounds
    print(f"(a) throughput: {updates} updates from {len(users)} participants at once, "
          f"{per_update} sendMessage + 1 sendChatAction each: {elapsed:.2f} s, "
          f"{updates / elapsed:.0f} updates/s (target >= 200)")


def latency(fake: FakeBotAPI, users: range, rate: float, seconds: float) -> None:
    count = int(rate * seconds)
    pushed: dict[int, tuple[int, float]] = {}
    started = time.monotonic()
    for index in range(count):
        time.sleep(max(0.0, started + index / rate - time.monotonic()))
        user = users[index % len(users)]
        pushed[fake.push_command(user, "info")] = (user, time.monotonic())
    last = max(pushed)
    eventually(lambda: last in fake.delivered_at, timeout=30)
    time.sleep(0.5)
    handled, queued = [], []
    for update_id, (user, at) in pushed.items():
        delivered = fake.delivered_at[update_id]
        first_reply = next(call.at for call in fake.calls("sendMessage", user)
                           if call.at >= delivered)
        handled.append(first_reply - delivered)
        queued.append(delivered - at)
    print(f"(b) latency at {rate:.0f} updates/s for {seconds:.0f} s ({count} updates), "
          f"getUpdates hand-out -> first sendMessage (typing action included): "
          f"p50 {percentile(handled, 50):.1f} ms, p99 {percentile(handled, 99):.1f} ms, "
          f"max {max(handled) * 1000:.1f} ms (target p99 < 50 ms)")
    print(f"    push -> getUpdates hand-out (long-poll batching): "
          f"p50 {percentile(queued, 50):.1f} ms, p99 {percentile(queued, 99):.1f} ms")


def bulk(fake: FakeBotAPI, workdir: Path, count: int) -> None:
    fake.set_rate_limit(TELEGRAM_LIMIT)
    settings = load_bot_settings({"BOT_TOKEN": fake.token, "TELEGRAM_API_URL": fake.url,
                              "DATABASE_URL": f"sqlite:///{workdir / 'bot.sqlite3'}"},
                             env_file=workdir / "none.env")
    engine_bot = build_bot(settings)
    chats = range(1, count + 1)

    async def send_all() -> list[SendOutcome]:
        async with telegram_sender(settings) as send:
            return await asyncio.gather(*(send(chat, Reply(text=f"bulk {chat}"))
                                          for chat in chats))

    started = time.monotonic()
    outcomes = asyncio.run(send_all())
    elapsed = time.monotonic() - started
    engine_bot.database.close()
    delivered = sum(1 for chat in chats if any(m.text == f"bulk {chat}" for m in fake.sent(chat)))
    flooded = sum(1 for call in fake.calls("sendMessage") if call.status == 429)
    rate = count / elapsed
    print(f"(c) bulk: {count} sends through telegram_sender, fake limit {TELEGRAM_LIMIT}/s "
          f"(sliding 1 s window): {elapsed:.1f} s, {rate:.1f} messages/s = "
          f"{100 * rate / TELEGRAM_LIMIT:.0f}% of {TELEGRAM_LIMIT}/s (target >= 90%), "
          f"429s: {flooded}, lost: {count - delivered}, "
          f"outcomes other than SENT: {sum(o is not SendOutcome.SENT for o in outcomes)}")


def percentile(values: list[float], pct: int) -> float:
    """The pct-th percentile of `values` (seconds) in milliseconds."""
    return statistics.quantiles(values, n=100, method="inclusive")[pct - 1] * 1000


if __name__ == "__main__":
    main()
