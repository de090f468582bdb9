"""The outbox under failures: interrupted runs resume without duplicates or gaps, failed and
blocked chats, rows stuck after a crash, concurrent deliveries and stale invitations."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest

from engine.coffee.outbox import deliver_outbox, outbox_counts, queue_replies
from engine.coffee.rounds import ClaimState
from engine.dialog.events import Reply
from engine.store import JobRun, Outbox, User
from tests.coffee.conftest import ROUND, Community, Interrupted


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

    def breaking(user_id: int, *args: object, **kwargs: object) -> list[Reply]:
        calls.append(user_id)
        if len(calls) == 4:
            raise RuntimeError("database went away")
        return start_flow(user_id, *args, **kwargs)  # type: ignore[arg-type]

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
    assert (report.sent, report.failed) == (0, 1)
    assert outbox_counts() == {"pending": 2}  # the second waits behind the first

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


def test_rows_left_sending_by_a_crash_are_sent_after_the_lease(community: Community) -> None:
    community.register(1, "Olena")
    now = community.clock()
    queue_replies(1, "test:1", [Reply(text="hello")], now)
    Outbox.update(status="sending", claimed_at=now).execute()  # the process died mid-send

    assert community.deliver().sent == 0  # another process may still be sending it
    community.clock.advance(minutes=16)
    assert community.deliver().sent == 1
    assert [reply.text for reply in community.send.to(1)] == ["hello"]


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
