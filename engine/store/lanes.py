"""Synchronous database work run on the event loop without blocking it (PostgreSQL).

A participant's turn is synchronous code (the engine, Peewee, psycopg) that waits on the
database a dozen times. Run in worker threads, each wait hands the interpreter's lock between
threads and wakes one: under load that cost the bot more CPU than the turns themselves. Here
each piece of work runs in a lane instead: a greenlet on the event loop's thread, holding a
connection of its own (kept from one piece of work to the next, as a thread kept its own).
Where psycopg would block, waiting for the server, the lane is suspended and the loop serves
everyone else until the answer arrives (`LaneConnection.wait`); the work may also wait for a
coroutine, such as sending a reply (`wait_for`). A lane waiting for its socket is resumed right
from the loop's callback for that socket, which stays registered from one query to the next,
with no future or task in between, and psycopg's writes are tried before any wait (a socket
nearly always takes them): each query costs the loop one callback. What nobody reads (a
transaction's BEGIN, writes made with `PreparedWrite.later`) is held back to travel with the
next statement (`LaneConnection`). Nothing else changes for the work: its transactions, errors
and retries are those of a thread, and code outside a lane (the store's thread, the weekly
cycle's, the panel's) uses the database as before. Python that computes for long in a lane
holds the loop as long: such work goes apart (`engine.store.apart`).

    lanes = Lanes(8)                        # at most 8 pieces of work, 8 connections, at once
    result = await lanes.run(work)          # work() in a free lane; waits for one if none is
    await lanes.shutdown()                  # the work in hand finishes, queued work never
                                            # starts; the connections are closed

`share_the_loop(db)` must be called once on the PostgreSQL database before lanes use it.
"""

from __future__ import annotations

import asyncio
import contextvars
from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any, TypeVar

import psycopg
from greenlet import getcurrent, greenlet
from peewee import Database, Psycopg3Adapter, _ConnectionLocal, _ConnectionState
from psycopg import waiting

T = TypeVar("T")


class _Lane(greenlet):
    """One piece of work on the loop's thread, with the connection state of its lane; `done`
    gets what the work returns or raises."""

    def __init__(self, work: Callable[[], Any], state: _ConnectionState,
                 done: asyncio.Future[Any]) -> None:
        super().__init__(work)
        self.state = state
        self.done = done


def _step(lane: _Lane, *value: Any, error: BaseException | None = None) -> None:
    """Run `lane` (from the loop) until it waits again or ends, handing it `value` (none to
    start it) or raising `error` where it waits."""
    try:
        outcome = lane.throw(error) if error is not None else lane.switch(*value)
    except BaseException as raised:  # the work's own error: its caller's
        if not lane.done.done():
            lane.done.set_exception(raised)
        return
    if lane.dead and not lane.done.done():
        lane.done.set_result(outcome)


def in_lane() -> bool:
    """Is this code running in a lane (so its database waits yield to the event loop)?"""
    return isinstance(getcurrent(), _Lane)


def _suspend(lane: _Lane) -> Any:
    """Let the loop run until something steps `lane` again; what it hands over."""
    return lane.parent.switch()


def wait_for(awaitable: Awaitable[T]) -> T:
    """In a lane: the result of `awaitable`, awaited on the event loop while the lane waits."""
    lane = getcurrent()
    if not isinstance(lane, _Lane):
        if asyncio.iscoroutine(awaitable):
            awaitable.close()  # (never to be awaited: no warning that it was not)
        raise RuntimeError("wait_for is for work running in a lane (Lanes.run)")
    future = asyncio.ensure_future(awaitable)
    future.add_done_callback(lambda _: _step(lane))
    _suspend(lane)
    return future.result()


def _wait_for_socket(lane: _Lane, gen: Any, conn: LaneConnection) -> Any:
    """Drive psycopg's generator `gen`, suspending `lane` while `conn`'s socket is not ready."""
    loop = asyncio.get_running_loop()
    fileno = conn.pgconn.socket
    try:
        wanted = next(gen)
        tried_writing = False
        while True:
            if wanted & waiting.WAIT_W and not tried_writing:
                # A socket asked for writing nearly always is writable: libpq asks again if not.
                tried_writing = True
                wanted = gen.send(waiting.READY_W)
                continue
            tried_writing = False
            if wanted & waiting.WAIT_R:
                conn.watch(loop, fileno, lane)
            if wanted & waiting.WAIT_W:
                loop.add_writer(fileno, _step, lane, waiting.READY_W)
            try:
                ready = _suspend(lane)
            finally:
                conn.waiter = None
                if wanted & waiting.WAIT_W:
                    loop.remove_writer(fileno)
            wanted = gen.send(ready)
    except StopIteration as ended:
        return ended.value
    except BaseException as error:
        # libpq closes the socket of a connection it finds broken: the loop must forget the
        # descriptor before another socket is given its number.
        conn.unwatch()
        if isinstance(error, OSError):  # (as psycopg's own waits: the socket went away)
            raise psycopg.OperationalError("connection socket closed") from error
        raise


class LaneConnection(psycopg.Connection[Any]):
    """A psycopg connection that, used in a lane, waits for the server on the event loop.

    Its socket stays registered with the loop for reading from one wait to the next
    (registering it and letting it go around every query cost as much as the rest of the
    wait); `waiter` is the lane waiting for it, if any. Readable with nobody waiting (the
    server closed an idle connection), it is let go, so the loop does not spin on it, and
    registered again at the next wait. Closing the connection lets it go too.

    In a lane, statements whose results nobody reads are held back (`held`) to travel with
    the next statement, in one message (bound on the client, which lets a message carry
    several): a transaction's BEGIN, and writes made with `PreparedWrite.later`; a COMMIT
    takes what is held with it, a ROLLBACK drops it, and a transaction that made no statement
    never reaches the server. An error of a held statement is raised by the statement it
    travels with, and fails the transaction as it would have.
    """

    waiter: _Lane | None = None
    held: list[tuple[str, tuple[Any, ...]]] | None = None
    _watched: tuple[asyncio.AbstractEventLoop, int] | None = None
    _kept: psycopg.Cursor[Any] | None = None

    def wait(self, gen: Any, interval: float = 0.1, timeout: float | None = None) -> Any:
        lane = getcurrent()
        if not isinstance(lane, _Lane):
            return super().wait(gen, interval, timeout)
        if timeout is not None:  # (psycopg's cancelling a query: rare, and its own way)
            self.unwatch()  # (psycopg's wait registers the socket, then lets it go)
            return wait_for(waiting.wait_async(gen, self.pgconn.socket, interval=interval,
                                               timeout=timeout))
        return _wait_for_socket(lane, gen, self)

    def watch(self, loop: asyncio.AbstractEventLoop, fileno: int, lane: _Lane) -> None:
        """Have `lane` stepped when the socket `fileno` is readable."""
        if self._watched != (loop, fileno):
            self.unwatch()
            loop.add_reader(fileno, self._readable)
            self._watched = (loop, fileno)
        self.waiter = lane

    def unwatch(self) -> None:
        """Let the loop forget the socket (on the loop's thread)."""
        watched, self._watched = self._watched, None
        if watched is not None and not watched[0].is_closed():
            watched[0].remove_reader(watched[1])

    def _readable(self) -> None:
        lane = self.waiter
        if lane is None:
            self.unwatch()
            return
        _step(lane, waiting.READY_R)

    def close(self) -> None:
        self.unwatch()
        self.held = None
        super().close()

    def hold_back(self, sql: str, params: tuple[Any, ...]) -> bool:
        """Hold the statement back to travel with the next one, if this is a lane's; False
        when it must be made now."""
        if not in_lane():
            return False
        if self.held is None:
            self.held = []
        self.held.append((sql, params))
        return True

    def run_now(self, sql: str, params: tuple[Any, ...]) -> psycopg.Cursor[Any]:
        """Make the statement (with what is held) on a cursor this connection keeps for
        statements whose result is read at once (engine.store.prepared): a new cursor for
        each costs psycopg a fifth of the statement."""
        if self.held:
            return self.with_held(sql, params)
        cursor = self._kept
        if cursor is None:
            cursor = self._kept = self.cursor()
        return cursor.execute(sql, params)

    def with_held(self, sql: str | None = None, params: tuple[Any, ...] = (),
                  ) -> psycopg.ClientCursor[Any]:
        """Make the statements held back, then `sql` if given, in one round trip; the cursor
        holds the last one's result."""
        statements = [*(self.held or []), *([] if sql is None else [(sql, params)])]
        self.held = None
        cursor = psycopg.ClientCursor(self)
        cursor.execute("; ".join(statement for statement, _ in statements),
                       tuple(value for _, values in statements for value in values))
        for _ in statements[1:]:
            cursor.nextset()
        return cursor

    def commit(self) -> None:
        if self.held:
            self.with_held("COMMIT", ())
            return
        super().commit()

    def rollback(self) -> None:
        self.held = None
        super().rollback()


class _LaneCursor(psycopg.Cursor[Any]):
    """A lane's connection's cursor: a BEGIN held back, and what is held sent with the next
    statement (`LaneConnection`)."""

    connection: LaneConnection

    def execute(self, query: Any, params: Any = None, *, prepare: bool | None = None,
                binary: bool | None = None) -> _LaneCursor:
        conn = self.connection
        held = conn.held
        if held:
            if query not in ("COMMIT", "ROLLBACK"):
                conn.with_held()  # (what is held goes first, on its own)
            elif held[0][0] == "BEGIN" and (query == "ROLLBACK" or len(held) == 1):
                conn.held = None  # (the transaction has not reached the server)
                return self
            elif query == "COMMIT":
                conn.with_held("COMMIT", ())
                return self
            else:
                conn.held = None  # (the writes held are rolled back unmade)
        elif query == "BEGIN" and not params and conn.hold_back("BEGIN", ()):
            return self
        super().execute(query, params, prepare=prepare, binary=binary)
        return self


class _LaneAdapter(Psycopg3Adapter):
    """Peewee's psycopg 3 adapter, opening LaneConnections. A lane opens its connection in a
    thread of the loop's executor: a server out of reach takes its connect timeout there, not
    on the loop."""

    def connect(self, db: Any, **params: Any) -> Any:
        # (as Peewee's own adapter, but with the class above)
        if db._encoding:
            params.setdefault("client_encoding", db._encoding)
        if db.database.startswith("postgresql://"):
            params.setdefault("conninfo", db.database)
        else:
            params.setdefault("dbname", db.database)
        opening = partial(LaneConnection.connect, cursor_factory=_LaneCursor, **params)
        if not in_lane():
            return opening()
        return wait_for(asyncio.get_running_loop().run_in_executor(None, opening))


class _ConnectionOfLaneOrThread:
    """Peewee's per-connection state (connection, transactions): the running lane's own in a
    lane, else this thread's (as Peewee keeps it). Peewee reads and writes it as attributes."""

    def __init__(self) -> None:
        object.__setattr__(self, "_threads", _ConnectionLocal())

    def _current(self) -> _ConnectionState:
        current = getcurrent()
        return current.state if type(current) is _Lane else self._threads

    def __getattr__(self, name: str) -> Any:
        # (Peewee reads its state a few dozen times a turn: one call here, not two)
        current = getcurrent()
        return getattr(current.state if type(current) is _Lane else self._threads, name)

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(self._current(), name, value)


class _NoLock:
    """Peewee serializes connecting and closing across threads with a lock; each lane and
    each thread has a state of its own, and a lane waiting for its connection would hold
    that lock while the other lanes, on the same thread, wait for it forever."""

    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


def _close(state: _ConnectionState) -> None:
    if state.conn is not None:
        state.conn.close()
    state.reset()


def share_the_loop(db: Database) -> None:
    """Let lanes use the PostgreSQL database `db` (call before it is first connected)."""
    db._state = _ConnectionOfLaneOrThread()
    db._lock = _NoLock()
    db._adapter = _LaneAdapter()


class Lanes:
    """At most `count` pieces of synchronous work at once on the event loop, in lanes."""

    def __init__(self, count: int) -> None:
        self._states = [_ConnectionState() for _ in range(count)]
        self._free: asyncio.Queue[_ConnectionState] = asyncio.Queue()
        for state in self._states:
            self._free.put_nowait(state)
        self._running: set[asyncio.Task[Any]] = set()
        self._queued: set[asyncio.Task[Any]] = set()
        self._closed = False

    async def run(self, work: Callable[[], T]) -> T:
        """The result of `work()` run in a lane. Work once handed over is done even if the
        caller is cancelled meanwhile (a bot stopping): a reply sent is marked sent; what it
        then raises is the abandoned caller's, and is dropped."""
        if self._closed:
            raise RuntimeError("the lanes are shut down: no more work is taken")
        task = asyncio.get_running_loop().create_task(self._drive(work))
        self._queued.add(task)
        task.add_done_callback(self._ended)
        return await asyncio.shield(task)

    def _ended(self, task: asyncio.Task[Any]) -> None:
        self._queued.discard(task)
        self._running.discard(task)
        if not task.cancelled():
            task.exception()  # seen: an abandoned caller's error is not reported as unretrieved

    async def _drive(self, work: Callable[[], T]) -> T:
        state = await self._free.get()
        task = asyncio.current_task()
        assert task is not None
        self._queued.discard(task)
        self._running.add(task)
        lane = _Lane(work, state, asyncio.get_running_loop().create_future())
        # The lane's own context: what the work sets (the language it speaks) stays its own.
        lane.gr_context = contextvars.copy_context()
        try:
            _step(lane)
            return await lane.done
        except (asyncio.CancelledError, KeyboardInterrupt, SystemExit) as error:
            # Broken off (the loop shutting down): the work unwinds where it waits, and the
            # connection, maybe mid-query, is in no state for the lane's next work.
            if not lane.dead:
                _step(lane, error=error)
            _close(state)
            raise
        finally:
            self._free.put_nowait(state)

    async def shutdown(self) -> None:
        """Take no more work: what waits for a lane is cancelled (it never started), what
        runs finishes; then the lanes' connections are closed."""
        self._closed = True
        for task in list(self._queued):
            task.cancel()
        await asyncio.gather(*self._queued, *self._running, return_exceptions=True)
        for state in self._states:
            _close(state)
