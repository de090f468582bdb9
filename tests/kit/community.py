"""A community for the weekly cycle's tests: participants registered through the real profile
flow, a recording `SendReply` that hands messages to their chats, and job runs at set times."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from coffee.app import Bot
from coffee.cycle.jobs import JobOutcome, run_job
from coffee.cycle.leaving import when_unreachable
from coffee.cycle.participation import YES, set_participation
from coffee.cycle.rounds import OPEN, advance, round_for_week
from engine.delivery.outbox import DeliveryReport, deliver_outbox
from engine.dialog.delivery import Refused, SendOutcome, SendResult
from engine.dialog.events import Reply
from engine.store import User
from tests.kit.clock import Clock
from tests.kit.participant import Participant, Profile
from tests.kit.settings import ADMIN_ID

ROUND = dt.date(2026, 11, 30)  # the first round after the `clock` fixture's Tuesday


class Interrupted(ConnectionError):
    """What the recording sender raises when told to stop after some messages."""


@dataclass
class RecordingSend:
    """A `SendReply` that records every message and shows it in the recipient's chat.

    `blocked` chats answer UNREACHABLE, `failing` ones FAILED (`fail_times[chat]` times, then
    they pass); texts in `refusing` are refused with the given reason; with `stop_after`, the
    send after that many successful ones raises `Interrupted` (a crash mid-delivery).
    """

    chats: dict[int, Participant]
    sent: list[tuple[int, Reply]] = field(default_factory=list)
    blocked: set[int] = field(default_factory=set)
    failing: set[int] = field(default_factory=set)
    fail_times: dict[int, int] = field(default_factory=dict)
    refusing: dict[str, str] = field(default_factory=dict)
    stop_after: int | None = None

    async def __call__(self, chat_id: int, reply: Reply) -> SendResult:
        await asyncio.sleep(0)  # let concurrent deliveries interleave, as network calls do
        if chat_id in self.blocked:
            return SendOutcome.UNREACHABLE
        if chat_id in self.failing:
            return SendOutcome.FAILED
        if self.fail_times.get(chat_id):
            self.fail_times[chat_id] -= 1
            return SendOutcome.FAILED
        if reply.text in self.refusing:
            return Refused(self.refusing[reply.text])
        if self.stop_after is not None and len(self.sent) >= self.stop_after:
            raise Interrupted("the network went away")
        self.sent.append((chat_id, reply))
        if chat_id in self.chats:
            self.chats[chat_id].deliver([reply])
        return SendOutcome.SENT

    def to(self, chat_id: int) -> list[Reply]:
        return [reply for chat, reply in self.sent if chat == chat_id]


@dataclass
class Community:
    """Participants of one bot, the weekly jobs and the delivery of what they queue."""

    bot: Bot
    clock: Clock
    people: dict[int, Participant] = field(default_factory=dict)
    send: RecordingSend = field(init=False)

    def __post_init__(self) -> None:
        self.send = RecordingSend(self.people)

    def register(self, user_id: int, first_name: str = "Olena", last_name: str = "Petrenko", *,
                 username: str | None = None, phone: str | None = "+380501112233",
                 company: str = "Kyiv Tech", frequency: str = "Every week",
                 motivation: tuple[str, ...] = ("Networking",),
                 topics: tuple[str, ...] = ("Startups",), about: str = "I like coffee.",
                 language: str = "uk") -> Participant:
        """Walk a newcomer through the whole profile flow, pressing labels in their language."""
        person = Participant(self.bot.engine, user_id, first_name=first_name,
                             last_name=last_name, username=username, language_code=language,
                             phone=phone or "")
        self.people[user_id] = person
        person.complete_profile(Profile(
            locale=language, first_name=first_name, last_name=last_name, phone=phone,
            company=company, frequency=frequency, motivation=motivation, topics=topics,
            about=about))
        assert User.get_by_id(user_id).registered, person.transcript()
        return person

    def organizer(self, user_id: int = ADMIN_ID) -> Participant:
        """The organizer of ADMIN_IDS, in their chat (not registered as a participant)."""
        person = Participant(self.bot.engine, user_id, first_name="Orhanizatorka",
                             username="org_admin")
        self.people[user_id] = person
        return person

    def join(self, user_ids: Iterable[int], week: dt.date = ROUND) -> None:
        """The round's invitations are out and these participants said yes."""
        advance(round_for_week(week), OPEN)
        for user_id in user_ids:
            set_participation(user_id, week, YES, self.clock())

    def at(self, when: dt.datetime) -> None:
        self.clock.now = when

    def run(self, job: str, week: dt.date = ROUND, *, seed: int = 0) -> JobOutcome:
        return run_job(self.bot.engine, self.bot.schedule_now(), job, week, seed=seed)

    def deliver(self, retry_for: dt.timedelta = dt.timedelta(0)) -> DeliveryReport:
        """Deliver the outbox; a failing send is tried again only within `retry_for`."""
        unreachable = when_unreachable(self.bot.engine, self.bot.schedule_now(), self.clock)
        return asyncio.run(deliver_outbox(self.send, clock=self.clock, retry_for=retry_for,
                                          on_unreachable=unreachable,
                                          on_refused=self.bot.refused))

    def run_and_deliver(self, job: str, week: dt.date = ROUND) -> JobOutcome:
        """Move the clock to the job's time for `week`, run it and deliver what it queued."""
        self.at(self.bot.schedule_now().due_at(job, week))
        outcome = self.run(job, week)
        self.deliver()
        return outcome


def a_round(town: Community) -> None:
    """Four participants: three say yes, one says no (no time); matched into a trio; one
    member says they met and rates it 5."""
    for uid, name in ((201, "Олена"), (202, "Петро"), (203, "Ірина"), (204, "Тарас")):
        town.register(uid, name, "Шевченко", username=f"user_{uid}")
    town.run_and_deliver("invite")
    for uid in (201, 202, 203):
        town.people[uid].press("Так, беру участь")
    town.people[204].press("Цього разу ні")
    town.people[204].press("Немає часу")
    town.run_and_deliver("match")
    town.run_and_deliver("feedback")
    town.people[201].press("Так, ми зустрілися")
    town.people[201].press("5")
