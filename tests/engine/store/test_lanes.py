"""Lanes: synchronous database work on the event loop, whose waits for PostgreSQL let the loop
serve everyone else; each lane with a connection and transactions of its own."""

from __future__ import annotations

import asyncio
import contextvars
import socket
import threading
import time
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

import pytest
from peewee import OperationalError, PostgresqlDatabase

from engine.dialog.engine import ConversationEngine
from engine.store import (
    PreparedSelect,
    PreparedWrite,
    Setting,
    apart,
    database,
    participants,
    utc_now,
)
from engine.store.lanes import LaneConnection, Lanes, in_lane, share_the_loop, wait_for
from engine.store.outage import with_reconnect
from tests.kit.databases import on_postgresql

needs_postgresql = pytest.mark.skipif(
    not on_postgresql(), reason="PostgreSQL: with SQLite the turns run on the loop itself")

T = TypeVar("T")
LOCK = 424_242  # an advisory lock key no other test uses
PATIENCE = 20.0  # seconds: a loop blocked by a lane would never get there


def run(main: Callable[[], Coroutine[Any, Any, T]]) -> T:
    async def bounded() -> T:
        return await asyncio.wait_for(main(), PATIENCE)

    return asyncio.run(bounded())


def sql(text: str, *params: object) -> list[tuple[Any, ...]]:
    return [tuple(row) for row in database.obj.execute_sql(text, params).fetchall()]


@needs_postgresql
def test_a_lane_waiting_for_the_server_lets_the_loop_and_other_lanes_go_on(
        fixture_engine: ConversationEngine) -> None:
    """One lane waits for a lock that only the loop, after another lane's work, lets go."""
    order: list[str] = []

    def wait_for_the_lock() -> None:
        # (were the loop blocked meanwhile, nobody would let go: fail instead of hanging)
        database.obj.execute_sql(f"SET statement_timeout = '{PATIENCE:.0f}s'")
        sql("SELECT pg_advisory_lock(%s)", LOCK)  # held by the holder lane: waits
        order.append("locked")
        sql("SELECT pg_advisory_unlock(%s)", LOCK)

    def hold_the_lock() -> None:
        sql("SELECT pg_advisory_lock(%s)", LOCK)
        order.append("held")

    def let_go() -> None:
        sql("SELECT pg_advisory_unlock(%s)", LOCK)
        order.append("let go")

    async def main() -> None:
        holder, waiter = Lanes(1), Lanes(1)  # one lane each: the holder keeps its connection
        await holder.run(hold_the_lock)
        waiting = asyncio.ensure_future(waiter.run(wait_for_the_lock))
        await asyncio.sleep(0.3)
        order.append("loop")  # the loop runs while the waiter waits for the server
        other = Lanes(1)
        assert await other.run(lambda: sql("SELECT 7")) == [(7,)]  # so do other lanes
        await other.shutdown()
        assert not waiting.done()
        await holder.run(let_go)
        await waiting
        for lanes in (holder, waiter):
            await lanes.shutdown()

    run(main)
    # (the lock's grant and the unlock's answer arrive together: either lane may go first)
    assert order[:2] == ["held", "loop"] and sorted(order[2:]) == ["let go", "locked"]


@needs_postgresql
def test_a_line_read_with_its_lock_holds_what_was_recorded_while_the_lock_was_awaited(
        fixture_engine: ConversationEngine) -> None:
    """The lock and the read of the participant's line travel in one round trip: the read
    must still see an update another worker recorded while this one waited for the lock."""
    user = 4242

    def take_the_line() -> list[tuple[int, Any]]:
        with participants.hold_line(user) as (_, line):
            return line

    async def main() -> list[tuple[int, Any]]:
        holder, taker = Lanes(1), Lanes(1)
        await holder.run(lambda: sql("SELECT pg_advisory_lock(%s)", user))
        taking = asyncio.ensure_future(taker.run(take_the_line))
        await asyncio.sleep(0.3)
        assert not taking.done()  # waits for the lock
        participants.receive(71, user, {"text": "late"}, utc_now())  # another worker's
        await holder.run(lambda: sql("SELECT pg_advisory_unlock(%s)", user))
        line = await taking
        for lanes in (holder, taker):
            await lanes.shutdown()
        return line

    assert run(main) == [(71, {"text": "late"})]


NOTE = PreparedWrite(Setting, Setting.insert(key="", value=""))  # (no conflict allowed)
NOTED = PreparedSelect(Setting, Setting.select(Setting.key).where(
    Setting.key.startswith("")).order_by(Setting.key))


@needs_postgresql
def test_a_lane_sends_what_nobody_reads_with_the_next_statement(
        fixture_engine: ConversationEngine, monkeypatch: pytest.MonkeyPatch) -> None:
    """A transaction's BEGIN and the writes made `later` travel with the next statement: the
    statement sees them, COMMIT keeps them, an error among them fails the transaction, a
    rollback drops them, and a transaction without statements never reaches the server."""
    exchanges: list[str] = []
    real_wait = LaneConnection.wait

    def counted(self: LaneConnection, gen: Any, *args: Any, **kwargs: Any) -> Any:
        exchanges.append("one")
        return real_wait(self, gen, *args, **kwargs)

    monkeypatch.setattr(LaneConnection, "wait", counted)

    def exchanged(work: Callable[[], object]) -> tuple[object, int]:
        before = len(exchanges)
        try:
            outcome = work()
        except Exception as error:  # (the error is what the work ends with)
            outcome = type(error).__name__
        return outcome, len(exchanges) - before

    def noted(*writes: str, then_fail: bool = False) -> list[str]:
        with database.obj.atomic():
            for key in writes:
                NOTE.later(key, '"x"')
            if then_fail:
                raise RuntimeError("the turn failed")
            return [key for (key,) in NOTED.tuples("lane-%")]

    def nothing() -> None:
        with database.obj.atomic():
            pass

    def work() -> list[tuple[object, int]]:
        return [exchanged(lambda: noted("lane-1", "lane-2")),
                exchanged(nothing),
                exchanged(lambda: noted("lane-3", "lane-1")),  # lane-1 is there: refused
                exchanged(lambda: noted("lane-4", then_fail=True))]

    async def main() -> list[tuple[object, int]]:
        lanes = Lanes(1)
        await lanes.run(lambda: sql("SELECT 1"))  # (connected)
        done = await lanes.run(work)
        await lanes.shutdown()
        return done

    assert run(main) == [
        (["lane-1", "lane-2"], 2),  # BEGIN, two writes and the read; COMMIT
        (None, 0),
        ("IntegrityError", 2),  # BEGIN, the writes and the read; ROLLBACK
        ("RuntimeError", 0),
    ]
    assert [key for (key,) in NOTED.tuples("lane-%")] == ["lane-1", "lane-2"]


@needs_postgresql
def test_each_lane_has_its_own_transaction(fixture_engine: ConversationEngine) -> None:
    database.obj.execute_sql("CREATE TABLE lane_note (text TEXT)")
    seen: list[list[tuple[Any, ...]]] = []

    def write_and_wait(written: asyncio.Event, read: asyncio.Event) -> None:
        with database.obj.atomic():
            database.obj.execute_sql("INSERT INTO lane_note VALUES ('mine')")
            written.set()
            wait_for(read.wait())  # the transaction stays open meanwhile

    def read(written: asyncio.Event) -> None:
        wait_for(written.wait())
        seen.append(sql("SELECT text FROM lane_note"))

    async def main() -> None:
        written, done_reading = asyncio.Event(), asyncio.Event()
        lanes = Lanes(2)
        writer = asyncio.ensure_future(lanes.run(lambda: write_and_wait(written, done_reading)))
        await lanes.run(lambda: read(written))
        done_reading.set()
        await writer
        await lanes.run(lambda: read(written))
        await lanes.shutdown()

    run(main)
    assert seen == [[], [("mine",)]]  # uncommitted in the other lane, then committed


@needs_postgresql
def test_work_in_a_lane_keeps_what_it_sets_in_its_context(
        fixture_engine: ConversationEngine) -> None:
    speaking: contextvars.ContextVar[str] = contextvars.ContextVar("speaking", default="none")

    def speak(language: str, other_spoke: asyncio.Event, spoke: asyncio.Event) -> str:
        speaking.set(language)
        spoke.set()
        wait_for(other_spoke.wait())
        return speaking.get()

    async def main() -> list[str]:
        first, second = asyncio.Event(), asyncio.Event()
        lanes = Lanes(2)
        spoken = await asyncio.gather(lanes.run(lambda: speak("uk", second, first)),
                                      lanes.run(lambda: speak("en", first, second)))
        await lanes.shutdown()
        return list(spoken)

    assert run(main) == ["uk", "en"]
    assert speaking.get() == "none"


@needs_postgresql
def test_a_lost_connection_is_replaced_in_its_lane(fixture_engine: ConversationEngine) -> None:
    lanes = Lanes(1)

    async def main() -> list[tuple[Any, ...]]:
        [(backend,)] = await lanes.run(lambda: sql("SELECT pg_backend_pid()"))
        sql("SELECT pg_terminate_backend(%s)", backend)  # from the loop's thread, elsewhere
        [(replaced,)] = await lanes.run(
            lambda: with_reconnect(lambda: sql("SELECT pg_backend_pid()")))
        assert replaced != backend
        answer = await lanes.run(lambda: sql("SELECT 1"))
        await lanes.shutdown()
        return answer

    assert run(main) == [(1,)]


@needs_postgresql
def test_a_connection_the_server_closes_neither_spins_the_loop_nor_harms_later_sockets(
        fixture_engine: ConversationEngine) -> None:
    """A lane's socket stays registered with the loop between queries: closed by the server
    while idle, it must not keep the loop busy; closed while its lane waits, the loop must
    forget it before another socket takes its number."""
    lanes = Lanes(1)

    async def echo(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.write(await reader.readline())
        await writer.drain()
        writer.close()

    async def sockets_still_work() -> None:
        server = await asyncio.start_server(echo, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        for number in range(5):  # new sockets take the lowest free descriptor numbers
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.write(f"{number}\n".encode())
            assert await reader.readline() == f"{number}\n".encode()
            writer.close()
        server.close()

    def backend() -> int:
        return int(sql("SELECT pg_backend_pid()")[0][0])

    async def main() -> None:
        idle = await lanes.run(backend)
        sql("SELECT pg_terminate_backend(%s)", idle)  # (from the loop's thread, elsewhere)
        cpu = time.thread_time()  # (the loop's thread)
        await asyncio.sleep(0.5)
        assert time.thread_time() - cpu < 0.1  # the loop slept: no callback spun on it
        await sockets_still_work()
        waiting_one = await lanes.run(lambda: with_reconnect(backend))
        assert waiting_one != idle
        asleep = asyncio.ensure_future(lanes.run(lambda: sql("SELECT pg_sleep(30)")))
        await asyncio.sleep(0.3)
        sql("SELECT pg_terminate_backend(%s)", waiting_one)
        with pytest.raises(OperationalError):
            await asleep
        await sockets_still_work()
        assert await lanes.run(lambda: with_reconnect(lambda: sql("SELECT 2"))) == [(2,)]
        await lanes.shutdown()

    run(main)


@needs_postgresql
def test_shutdown_finishes_the_work_in_hand_and_starts_no_more(
        fixture_engine: ConversationEngine) -> None:
    done: list[str] = []

    def work(name: str, release: asyncio.Event | None = None) -> None:
        assert in_lane()
        if release is not None:
            wait_for(release.wait())
        sql("SELECT 1")
        done.append(name)

    async def main() -> None:
        lanes = Lanes(1)
        release = asyncio.Event()
        running = asyncio.ensure_future(lanes.run(lambda: work("in hand", release)))
        queued = asyncio.ensure_future(lanes.run(lambda: work("queued")))
        await asyncio.sleep(0.1)
        stopping = asyncio.ensure_future(lanes.shutdown())
        await asyncio.sleep(0.1)
        assert not stopping.done()  # the work in hand is not cut short
        release.set()
        await stopping
        await running
        with pytest.raises(asyncio.CancelledError):
            await queued
        with pytest.raises(RuntimeError):
            await lanes.run(lambda: work("late"))

    run(main)
    assert done == ["in hand"]
    assert not in_lane()
    with pytest.raises(RuntimeError):
        wait_for(asyncio.sleep(0))


def test_a_lane_waits_for_a_server_that_does_not_answer_off_the_loop() -> None:
    """A server that takes the connection and never answers (a host gone behind a firewall
    looks the same) costs the lane its connect timeout, not the loop: the loop goes on."""
    silent = socket.create_server(("127.0.0.1", 0))  # listens, never speaks
    port = silent.getsockname()[1]
    db = PostgresqlDatabase(f"postgresql://bot:secret@127.0.0.1:{port}/bot", connect_timeout=2)
    share_the_loop(db)
    ticks: list[float] = []

    async def tick() -> None:
        while True:
            ticks.append(time.monotonic())
            await asyncio.sleep(0.05)

    async def main() -> None:
        ticking = asyncio.ensure_future(tick())
        lanes = Lanes(1)
        started = time.monotonic()
        with pytest.raises(OperationalError):
            await lanes.run(db.connect)
        ticking.cancel()
        assert time.monotonic() - started >= 1.5  # it did wait for the server
        assert len([at for at in ticks if at > started + 0.1]) >= 10  # the loop went on
        await lanes.shutdown()

    try:
        run(main)
    finally:
        silent.close()


def test_long_work_in_a_lane_runs_apart_while_the_loop_goes_on() -> None:
    """An organizer's export computes for a while: on a thread of its own, in the language of
    the turn, while every other chat goes on; outside a lane, right where it is called."""
    speaking: contextvars.ContextVar[str] = contextvars.ContextVar("speaking", default="none")
    ticks: list[float] = []

    def long_work() -> tuple[str, str]:
        time.sleep(1.0)  # (as computing would: the thread holds the loop's thread no longer)
        return threading.current_thread().name, speaking.get()

    def turn() -> tuple[str, str]:
        speaking.set("uk")
        return apart(long_work)

    async def tick() -> None:
        while True:
            ticks.append(time.monotonic())
            await asyncio.sleep(0.02)

    async def main() -> tuple[str, str]:
        ticking = asyncio.ensure_future(tick())
        lanes = Lanes(1)
        started = time.monotonic()
        done = await lanes.run(turn)
        ticking.cancel()
        assert len([at for at in ticks if at > started + 0.05]) >= 10  # the loop went on
        await lanes.shutdown()
        return done

    thread, language = run(main)
    assert thread != threading.current_thread().name and language == "uk"
    assert apart(lambda: threading.current_thread().name) == threading.current_thread().name
