"""The outbox under failures: interrupted runs resume without duplicates or gaps, failed and
blocked chats, rows stuck after a crash, concurrent deliveries and stale invitations."""

from __future__ import annotations

import asyncio
import datetime as dt
import socket
import subprocess
import sys
from typing import Any

import pytest

from coffee.cycle.rounds import ClaimState
from coffee.models import JobRun, Round
from engine.delivery.outbox import deliver_outbox, outbox_counts, queue_replies
from engine.dialog.events import Reply
from engine.store import Outbox, User
from tests.kit.community import ROUND, Community, Interrupted


def invite_six(community: Community) -> None:
    for uid in range(1, 7):
        community.register(uid, f"Name{uid}")
    community.at(community.bot.parts.schedule.due_at("invite", ROUND))
    assert community.run("invite").summary.startswith("invite 2026-11-30: invited 6")


def sent_to(community: Community) -> list[int]:
    return sorted(chat for chat, _reply in community.send.sent)


def test_an_interrupted_delivery_resumes_without_duplicates_or_gaps(
        community: Community) -> None:
    invite_six(community)
    community.send.stop_after = 4
    with pytest.raises(Interrupted):
        community.deliver()
    assert len(community.send.sent) == 4
    assert outbox_counts() == {"sent": 4, "pending": 2}

    community.send.stop_after = None
    report = community.deliver()
    assert report.sent == 2
    assert sent_to(community) == [1, 2, 3, 4, 5, 6]
    assert community.deliver().sent == 0


def test_a_job_that_breaks_midway_finishes_on_the_next_run(community: Community,
                                                           monkeypatch: pytest.MonkeyPatch,
                                                           ) -> None:
    for uid in range(1, 7):
        community.register(uid, f"Name{uid}")
    community.at(community.bot.parts.schedule.due_at("invite", ROUND))
    engine = community.bot.engine
    start_flow = engine.start_flow
    calls = []

    def breaking(user_id: int, *args: Any, **kwargs: Any) -> list[Reply]:
        calls.append(user_id)
        if len(calls) == 4:
            raise RuntimeError("database went away")
        return start_flow(user_id, *args, **kwargs)

    monkeypatch.setattr(engine, "start_flow", breaking)
    with pytest.raises(RuntimeError):
        community.run("invite")
    assert not JobRun.select().exists()  # the claim is given back at once
    monkeypatch.setattr(engine, "start_flow", start_flow)

    assert community.run("invite").summary.startswith("invite 2026-11-30: invited 3, "
                                                      "already invited 3")
    community.deliver()
    assert sent_to(community) == [1, 2, 3, 4, 5, 6]
    assert community.run("invite").state is ClaimState.DONE


def test_failed_sends_stay_queued_and_keep_each_participants_order(
        community: Community) -> None:
    community.register(1, "Olena")
    now = community.clock()
    queue_replies(1, "test:1", [Reply(text="first"), Reply(text="second")], now)
    community.send.failing.add(1)
    report = community.deliver()
    assert (report.sent, report.left) == (0, 2)
    assert outbox_counts() == {"pending": 2}  # the second waits behind the first
    assert report.left_line() == ("2 message(s) not delivered (the Bot API did not answer); "
                                  "`scheduler.py deliver` tries them again until they are "
                                  "delivered")

    community.send.failing.clear()
    assert community.deliver().sent == 2
    assert [reply.text for reply in community.send.to(1)] == ["first", "second"]


def test_a_blocked_participant_gets_nothing_more(community: Community) -> None:
    community.register(1, "Olena")
    community.register(2, "Petro")
    now = community.clock()
    for uid in (1, 2):
        queue_replies(uid, f"test:{uid}", [Reply(text="one"), Reply(text="two")], now)
    community.send.blocked.add(1)
    report = community.deliver()
    assert (report.sent, report.unreachable) == (2, 2)
    assert not User.get_by_id(1).reachable
    queue_replies(1, "later:1", [Reply(text="three")], now)
    community.send.blocked.clear()
    assert community.deliver().sent == 0
    assert community.send.to(1) == []


def test_rows_left_sending_by_a_process_elsewhere_are_sent_after_its_lease(
        community: Community) -> None:
    community.register(1, "Olena")
    now = community.clock()
    queue_replies(1, "test:1", [Reply(text="hello")], now)
    # A process on another machine claimed it and stopped renewing its claim.
    Outbox.update(status="sending", claimed_at=now, claimed_by="elsewhere:7:1").execute()

    assert community.deliver().sent == 0  # it may still be sending it
    community.clock.advance(seconds=46)
    assert community.deliver().sent == 1
    assert [reply.text for reply in community.send.to(1)] == ["hello"]


def test_rows_left_sending_by_a_dead_process_here_are_taken_back_at_once(
        community: Community) -> None:
    community.register(1, "Olena")
    now = community.clock()
    queue_replies(1, "test:1", [Reply(text="hello"), Reply(text="again")], now)
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    Outbox.update(status="sending", claimed_at=now,
                  claimed_by=f"{socket.gethostname()}:{dead.pid}:0").where(
        Outbox.key == "test:1:0").execute()

    assert community.deliver().sent == 2
    assert [reply.text for reply in community.send.to(1)] == ["hello", "again"]


def test_a_message_refused_for_good_is_recorded_and_the_next_ones_still_go(
        community: Community) -> None:
    community.register(1, "Olena")
    queue_replies(1, "test:1", [Reply(text="refused"), Reply(text="card")], community.clock())
    community.send.refusing["refused"] = "Bad Request: can't parse entities"
    report = community.deliver()
    assert (report.sent, report.left) == (1, 0)
    assert report.refused == {"Bad Request: can't parse entities": 1}
    assert "refused 1: Bad Request: can't parse entities" in report.line()
    assert [reply.text for reply in community.send.to(1)] == ["card"]
    assert Outbox.get(Outbox.key == "test:1:0").error == "Bad Request: can't parse entities"
    assert community.deliver().sent == 0


def test_a_failing_send_is_tried_again_within_the_retry_time(community: Community) -> None:
    community.register(1, "Olena")
    queue_replies(1, "test:1", [Reply(text="hello")], community.clock())
    community.send.fail_times[1] = 2
    report = community.deliver(retry_for=dt.timedelta(seconds=10))
    assert (report.sent, report.left) == (1, 0)
    assert [reply.text for reply in community.send.to(1)] == ["hello"]
    assert Outbox.get().attempts == 3


def test_two_deliveries_at_once_send_every_row_once(community: Community) -> None:
    invite_six(community)

    async def both() -> None:
        await asyncio.gather(deliver_outbox(community.send, clock=community.clock,
                                            concurrency=2),
                             deliver_outbox(community.send, clock=community.clock,
                                            concurrency=3))

    asyncio.run(both())
    assert sent_to(community) == [1, 2, 3, 4, 5, 6]


def test_invitations_not_delivered_before_matching_expire(community: Community) -> None:
    invite_six(community)
    community.at(community.bot.parts.schedule.due_at("match", ROUND) + dt.timedelta(minutes=1))
    report = community.deliver()
    assert (report.sent, report.expired) == (0, 6)


def test_no_row_is_sent_after_its_expiry_whatever_its_state(community: Community) -> None:
    invite_six(community)
    match_at = community.bot.parts.schedule.due_at("match", ROUND)
    # One invitation was in flight when its sender died elsewhere, just after the matching.
    Outbox.update(status="sending", claimed_at=match_at + dt.timedelta(seconds=30),
                  claimed_by="elsewhere:7:1").where(Outbox.user == 1).execute()
    community.at(match_at + dt.timedelta(minutes=1))
    assert community.deliver().expired == 5
    community.clock.advance(minutes=1)
    assert community.deliver().expired == 1
    assert community.send.sent == []
    assert outbox_counts() == {"expired": 6}


def test_a_job_whose_process_died_here_is_taken_over_at_once(community: Community) -> None:
    for uid in (1, 2):
        community.register(uid, f"Name{uid}")
    community.at(community.bot.parts.schedule.due_at("invite", ROUND))
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    round_ = Round.create(week=ROUND, status="open")
    JobRun.create(round=round_.id, job="invite", started_at=community.clock(),
                  alive_at=community.clock(),
                  claimed_by=f"{socket.gethostname()}:{dead.pid}:0")
    assert community.run("invite").summary.startswith("invite 2026-11-30: invited 2")
