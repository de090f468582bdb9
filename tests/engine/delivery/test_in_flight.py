"""A turn's replies in flight: sent ones leave no row; one not taken moves to the outbox with
its outcome, the rest of its turn with it; those nobody sends any more (this process broke off,
the process died, another machine's lease ran out) are delivered from the outbox, once."""

from __future__ import annotations

import asyncio
import datetime as dt
import subprocess
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest

from engine.delivery import in_flight, replies
from engine.delivery.in_flight import LATE_AFTER, InFlight
from engine.delivery.outbox import (
    EXPIRED,
    PENDING,
    REFUSED,
    SEND_LEASE,
    UNREACHABLE,
    take_back_from_the_dead,
)
from engine.delivery.owner import holder_of, this_process
from engine.dialog.delivery import Refused, SendOutcome, SendResult
from engine.dialog.engine import ConversationEngine
from engine.dialog.events import Reply
from engine.store import Outbox, TurnReply, User, database, participants
from tests.kit.clock import Clock

USER = 7


@pytest.fixture
def participant(fixture_engine: ConversationEngine, monkeypatch: pytest.MonkeyPatch) -> int:
    fresh = InFlight()  # (row ids start again with each test's database)
    monkeypatch.setattr(in_flight, "IN_FLIGHT", fresh)
    monkeypatch.setattr(replies, "IN_FLIGHT", fresh)
    User.create(id=USER, locale="uk")
    return USER


def recorded(texts: list[str], now: dt.datetime, update_id: int = 1) -> list[Reply]:
    with database.atomic():
        return replies.record(USER, update_id, [Reply(text=text) for text in texts], now)


def send_turn(turn: list[Reply], outcomes: list[SendResult]) -> list[str]:
    """Send `turn` with Telegram answering `outcomes` in order; the texts it was asked for."""
    asked: list[str] = []
    answers = iter(outcomes)

    async def send(chat_id: int, reply: Reply) -> SendResult:
        asked.append(reply.text)
        return next(answers)

    async def refused(user_id: int, reply: Reply, reason: str) -> None:
        return None

    asyncio.run(replies.send_turn(send, USER, turn, refused, lambda: None))
    return asked


def outbox() -> list[tuple[str, str, str]]:
    return [(row.payload["text"], row.status, row.error)
            for row in Outbox.select().order_by(Outbox.id)]


def in_flight_now() -> list[str]:
    return [row.key for row in TurnReply.select().order_by(TurnReply.id)]


def test_a_turn_sent_leaves_nothing_behind(participant: int, clock: Clock) -> None:
    turn = recorded(["one", "two"], clock())
    assert in_flight_now() == ["turn:1:0", "turn:1:1"]
    assert send_turn(turn, [SendOutcome.SENT, SendOutcome.SENT]) == ["one", "two"]
    assert in_flight_now() == [] and outbox() == []


def lock_free_elsewhere() -> bool:
    """Can another connection take the participant's lock now? (SQLite: there is none.)"""
    if not participants.shared():
        return True

    def attempt() -> bool:
        db = database.obj
        try:
            [(taken,)] = db.execute_sql("SELECT pg_try_advisory_lock(%s)", (USER,)).fetchall()
            if taken:
                db.execute_sql("SELECT pg_advisory_unlock(%s)", (USER,))
            return bool(taken)
        finally:
            db.close()

    with ThreadPoolExecutor(1) as elsewhere:
        return elsewhere.submit(attempt).result()


def test_the_last_reply_of_a_turn_leaves_with_the_participants_lock(participant: int,
                                                                     clock: Clock) -> None:
    [reply] = recorded(["one"], clock())
    row = replies.recorded(reply)
    assert row is not None
    with participants.hold(USER) as held:
        assert lock_free_elsewhere() is not held.shared
        replies.mark_sent(row, held)
        assert lock_free_elsewhere()  # (PostgreSQL: let go in the delete's statement)
    assert in_flight_now() == []
    assert in_flight.IN_FLIGHT.snapshot() == (set(), set())


@pytest.mark.parametrize(("outcome", "first", "rest"), [
    (SendOutcome.FAILED, (PENDING, "the Bot API did not answer"),
     (PENDING, "the Bot API did not answer")),
    (SendOutcome.UNREACHABLE, (UNREACHABLE, ""), (UNREACHABLE, replies.SKIPPED)),
    (Refused("message is too long"), (REFUSED, "message is too long"),
     (EXPIRED, replies.SKIPPED)),
], ids=["no answer", "blocked", "refused"])
def test_a_reply_not_taken_moves_to_the_outbox_with_the_rest_of_its_turn(
        participant: int, clock: Clock, outcome: SendResult, first: tuple[str, str],
        rest: tuple[str, str]) -> None:
    turn = recorded(["one", "two", "three"], clock())
    assert send_turn(turn, [SendOutcome.SENT, outcome]) == ["one", "two"]
    assert in_flight_now() == []
    assert outbox() == [("two", *first), ("three", *rest)]


@pytest.fixture
def another_process() -> Iterator[str]:
    """A live process of this machine, as a claim holder."""
    child = subprocess.Popen(["sleep", "60"])
    try:
        yield holder_of(child.pid)
    finally:
        child.kill()
        child.wait()


def test_stranded_replies_go_out_from_the_outbox_once(participant: int, clock: Clock,
                                                      another_process: str) -> None:
    now = clock()
    long_ago = now - SEND_LEASE - dt.timedelta(seconds=1)
    mine = recorded(["broke off"], now, update_id=1)
    held = recorded(["being sent"], now, update_id=2)
    for reply in mine:  # its send broke off: no send has it in hand any more
        in_flight.IN_FLIGHT.let_go(replies.recorded(reply) or 0)
    here = this_process().split(":")[0]
    TurnReply.insert_many([
        {"key": "turn:3:0", "user_id": USER, "payload": '{"text": "dead"}', "created_at": now,
         "holder": f"{here}:999999999:1"},  # no such process here
        {"key": "turn:4:0", "user_id": USER, "payload": '{"text": "elsewhere, fresh"}',
         "created_at": now, "holder": "elsewhere:1:1"},
        {"key": "turn:5:0", "user_id": USER, "payload": '{"text": "elsewhere, lease over"}',
         "created_at": long_ago, "holder": "elsewhere:2:1"},
        {"key": "turn:6:0", "user_id": USER, "payload": '{"text": "here, alive, slow"}',
         "created_at": long_ago, "holder": another_process},
    ]).execute()

    assert take_back_from_the_dead(now) == 3
    assert in_flight_now() == ["turn:2:0", "turn:4:0", "turn:6:0"]
    assert sorted(text for text, _status, _error in outbox()) == [
        "broke off", "dead", "elsewhere, lease over"]
    assert {status for _text, status, _error in outbox()} == {PENDING}
    moved = Outbox.get(Outbox.key == "turn:1:0")
    assert moved.expires_at == now + LATE_AFTER

    # Moved again by a second process that read the same rows: still one row each.
    assert in_flight.to_outbox([replies.recorded(held[0]) or 0], PENDING, "") == 1
    assert in_flight.to_outbox([replies.recorded(held[0]) or 0], PENDING, "") == 0
    assert Outbox.select().count() == 4


def test_a_reply_telegram_took_is_never_sent_again(participant: int, clock: Clock) -> None:
    turn = recorded(["taken"], clock())
    row = replies.recorded(turn[0]) or 0
    in_flight.IN_FLIGHT.owe(row)  # Telegram took it; the database did not take its delete
    assert take_back_from_the_dead(clock()) == 0
    assert in_flight_now() == [] and outbox() == []
