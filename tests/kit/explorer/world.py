"""The world an exploration acts in: one bot, its clock, the cast's chats and the weekly cycle.

Everything goes through the bot's real parts: participants' events into the engine seam, the
weekly jobs and the outbox through the in-process `WeeklyCycle` (at the times the organizers'
live schedule says), a block through what the Telegram transport calls. `reset` empties the
database and registers the cast's registered members through the real questionnaire the first
time, and afterwards puts back the rows and chats that left (much faster), so that every
episode, and every replay of a script, starts from the same state.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import itertools
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Any

from peewee import AutoField, PostgresqlDatabase, sort_models

from coffee.app import Bot
from coffee.cycle.cycle import WeeklyCycle
from coffee.cycle.rounds import job_finished
from coffee.cycle.schedule import JOBS, monday_of
from coffee.models import SCHEMAS
from engine.dialog.events import Event, Reply
from engine.flows.spec import StateSpec
from engine.store import DialogState, Outbox, User
from tests.kit.clock import TUESDAY_NOON, Clock
from tests.kit.community import RecordingSend
from tests.kit.drivers.protocol import find_label
from tests.kit.explorer.cast import Member, cast_for
from tests.kit.explorer.steps import WORLD, Step
from tests.kit.participant import ChatMessage, Participant

PHOTO = "AgACAgIAAxkBAAIBexplorerPhoto"  # a Telegram file id, as a photo message carries it
OWN_PHONE, OTHER_PHONE = "+380501112233", "+380671234567"


class Inapplicable(Exception):
    """The step cannot be taken in this world (a button that is not shown): a replay of a
    shortened script went another way."""


@dataclass(frozen=True)
class Delivered:
    """A message that reached a chat during a step, with where it came from."""

    chat_id: int
    reply: Reply


@dataclass
class Sources:
    """Which template or inline text rendered a text (the renderer watched), to name it when
    a text is wrong and to apply the allowances by template."""

    rendered: dict[str, str] = field(default_factory=dict)

    def of(self, text: str) -> list[str]:
        return sorted({source for rendered, source in self.rendered.items()
                       if rendered.strip() and rendered.strip() in text})


class LogWatch(logging.Handler):
    """Records logged at ERROR or above, or carrying an exception, during a step."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno >= logging.ERROR or record.exc_info:
            self.records.append(record)


class World:
    """A bot and its cast, driven step by step."""

    def __init__(self, bot: Bot, clock: Clock) -> None:
        self.bot = bot
        self.clock = clock
        self.engine = bot.engine
        renderer = bot.engine.renderer
        self.cast = cast_for(list(renderer.offered), bot.parts.settings.default_locale)
        self.members = {member.name: member for member in self.cast}
        self.people: dict[int, Participant] = {}
        self.send = RecordingSend(self.people)
        self.cycle = WeeklyCycle(bot.engine, bot.parts.schedule, bot.database, bot.delivery,
                                 live=bot.schedule_now)
        self.sources = Sources()
        self.logs = LogWatch()
        self._standing: dict[str, tuple[str | None, str | None, dict[str, Any]]] = {}
        self._baseline: Baseline | None = None
        self._locales: dict[int, str] = {}
        self._watch_renderer()

    # The world's life ---------------------------------------------------------------------

    @contextmanager
    def watching_logs(self) -> Iterator[None]:
        root = logging.getLogger()
        root.addHandler(self.logs)
        try:
            yield
        finally:
            root.removeHandler(self.logs)

    def reset(self) -> None:
        """An empty database, the clock at the start, the registered members registered:
        through the questionnaire the first time, from what that left afterwards."""
        self._forget()
        self.clock.now = TUESDAY_NOON
        self.send.sent.clear()
        self.send.blocked.clear()
        if self._baseline is None:
            self._empty_database()
            self.people.clear()
            for member in self.cast:
                self.people[member.user_id] = Participant(
                    self.engine, member.user_id, first_name=member.first_name,
                    username=member.name, language_code=member.language_code,
                    phone=OWN_PHONE)
            for member in self.cast:
                if member.registered:
                    self._register(member)
            self._baseline = self._capture()
        else:
            self._restore(self._baseline)
        self.send.sent.clear()
        self.sources.rendered.clear()
        self.logs.records.clear()

    def _forget(self) -> None:
        """What was read of the database between two steps is read again after one."""
        self._standing.clear()
        self._locales.clear()

    def chat(self, name: str) -> Participant:
        return self.people[self.members[name].user_id]

    def member(self, user_id: int) -> Member | None:
        return next((m for m in self.cast if m.user_id == user_id), None)

    def stands(self, name: str) -> tuple[str | None, str | None, dict[str, Any]]:
        """Where a member's stored dialogue stands: flow, state and context (read once
        between two steps)."""
        if name not in self._standing:
            row = DialogState.get_or_none(DialogState.user == self.members[name].user_id)
            self._standing[name] = (None, None, {}) if row is None else (
                row.flow, row.state, dict(row.context or {}))
        return self._standing[name]

    def locale(self, user_id: int) -> str:
        """The language a member is spoken to in ("" before their first message)."""
        if user_id not in self._locales:
            user = User.get_or_none(User.id == user_id)
            self._locales[user_id] = str(user.locale) if user is not None else ""
        return self._locales[user_id]

    def state_spec(self, name: str) -> StateSpec | None:
        flow, state, _ = self.stands(name)
        if flow is None or state is None:
            return None
        return self.engine.library.state(flow, state)

    def blocked(self, name: str) -> bool:
        return self.members[name].user_id in self.send.blocked

    # Steps -------------------------------------------------------------------------------

    def apply(self, step: Step) -> list[Delivered]:
        """Take `step`; everything that reached any chat meanwhile (raises Inapplicable)."""
        self.sources.rendered.clear()
        self.logs.records.clear()
        sent_before = len(self.send.sent)
        try:
            if step.who == WORLD:
                self._run_job(step.arg)
                replies: list[Delivered] = []
            else:
                replies = self._act(step)
                self._deliver_queued()
        finally:
            self._forget()
        return replies + [Delivered(chat, reply) for chat, reply in self.send.sent[sent_before:]]

    def _act(self, step: Step) -> list[Delivered]:
        member = self.members.get(step.who)
        if member is None:
            raise Inapplicable(f"nobody called {step.who!r} in the cast")
        person = self.people[member.user_id]
        action = self._action(step, member, person)
        self._forget()
        replies = action()
        delivered = [Delivered(member.user_id, reply) for reply in replies]
        for reply in person.elsewhere:
            if reply.chat_id in self.people:
                self.people[reply.chat_id].deliver([reply])
            delivered.append(Delivered(reply.chat_id or member.user_id, reply))
        person.elsewhere.clear()
        return delivered

    def _action(self, step: Step, member: Member,
                person: Participant) -> Callable[[], list[Reply]]:
        verb, arg = step.verb, step.arg
        if verb == "command":
            return lambda: person.command(arg)
        if verb == "press":
            message = self._keyboard_message(person)
            return lambda: person.press_data(self._data(message, arg), message.message_id)
        if verb == "stale":
            if not 0 < step.message <= len(person.chat):
                raise Inapplicable(f"{step.who} has no message #{step.message}")
            message = person.chat[step.message - 1]
            return lambda: person.press_data(self._data(message, arg), message.message_id)
        if verb == "tap":
            if not any(b.label == arg for b in person.reply_keyboard):
                raise Inapplicable(f"no reply keyboard button {arg!r}")
            return lambda: person.tap_reply_keyboard(arg)
        if verb == "type":
            return lambda: person.send(arg)
        if verb == "contact":
            if arg == "other":
                return lambda: person.share_contact(OTHER_PHONE, owner=999_999)
            return lambda: person.share_contact(OWN_PHONE)
        if verb == "photo":
            event = Event(member.user_id, "photo", photo=PHOTO, sender=person.sender)
            return lambda: person.deliver(self.engine.handle(event))
        if verb == "sticker":
            return lambda: person.send_unsupported("sticker")
        if verb in ("blocks", "unblocks"):
            return lambda: self._block(member, verb == "blocks")
        raise Inapplicable(f"unknown action {verb!r}")

    @staticmethod
    def _keyboard_message(person: Participant) -> ChatMessage:
        for message in reversed(person.chat):
            if message.reply.buttons:
                return message
        raise Inapplicable("no message with buttons in the chat")

    @staticmethod
    def _data(message: ChatMessage, label: str) -> str:
        buttons = [button for row in message.reply.buttons for button in row]
        try:
            return buttons[find_label([b.label for b in buttons], label)].data
        except AssertionError as missing:
            raise Inapplicable(str(missing)) from None

    def _block(self, member: Member, blocked: bool) -> list[Reply]:
        if blocked:
            self.send.blocked.add(member.user_id)
        else:
            self.send.blocked.discard(member.user_id)
        self.bot.chat_member_changed(member.user_id, blocked)
        return []

    # Jobs and the outbox -------------------------------------------------------------------

    def next_due(self, job: str) -> dt.datetime:
        """When `job` is next due after now, by the organizers' live schedule."""
        schedule = self.bot.schedule_now()
        week = monday_of(self.clock.now.astimezone(schedule.zone).date())
        return min(due for offset in range(-1, 4)
                   if (due := schedule.due_at(job, week + dt.timedelta(days=7 * offset)))
                   > self.clock.now)

    def _run_job(self, job: str) -> None:
        if job not in JOBS:
            raise Inapplicable(f"unknown job {job!r}")
        self.clock.now = self.next_due(job)
        self._poll()

    def _deliver_queued(self) -> None:
        """What the bot's in-process schedule does within seconds: the jobs due (an organizer
        may have moved one into the past) and the outbox."""
        due = [phase for phase in self.cycle.current().due(self.clock.now)
               if not job_finished(phase.week, phase.job)]
        if due or Outbox.select().where(Outbox.sent_at.is_null()).exists():
            self._poll()

    def _poll(self) -> None:
        asyncio.run(self.cycle.run_once(self.send, clock=self.clock,
                                        retry_for=dt.timedelta(0)))

    # Setting up ------------------------------------------------------------------------------

    def _register(self, member: Member) -> None:
        """The questionnaire answered with valid answers, whatever questions it has."""
        from tests.kit.explorer.moves import valid_answer

        person = self.people[member.user_id]
        person.command(self.engine.navigator.entry_command)
        for _ in range(60):
            if User.get_by_id(member.user_id).registered:
                return
            step = valid_answer(self, member.name, 0)
            if step is None:
                break
            self._act(step)
            self._forget()
        raise AssertionError(f"{member.name} could not register:\n{person.transcript()}")

    def _tables(self) -> list[Any]:
        return _sorted([model for schema in SCHEMAS for model in schema.models])

    def _empty_database(self) -> None:
        database = self.bot.database
        names = [model._meta.table_name for model in reversed(self._tables())]
        with database.atomic():
            if isinstance(database, PostgresqlDatabase):
                listed = ", ".join(f'"{name}"' for name in names)
                database.execute_sql(f"TRUNCATE {listed} RESTART IDENTITY CASCADE")
            else:
                for name in names:
                    database.execute_sql(f'DELETE FROM "{name}"')

    def _capture(self) -> Baseline:
        rows = {model: list(model.select().dicts()) for model in self._tables()}
        return Baseline(rows, {user_id: _copy(person) for user_id, person in
                               self.people.items()})

    def _restore(self, baseline: Baseline) -> None:
        """The database and the chats as `baseline` holds them (row ids included, and on
        PostgreSQL the id sequences after them)."""
        self._empty_database()
        database = self.bot.database
        with database.atomic():
            for model, rows in baseline.rows.items():
                if rows:
                    model.insert_many(rows).execute()
                if isinstance(database, PostgresqlDatabase) and rows and isinstance(
                        model._meta.primary_key, AutoField):
                    table, column = model._meta.table_name, model._meta.primary_key.column_name
                    database.execute_sql(
                        f"SELECT setval(pg_get_serial_sequence('\"{table}\"', '{column}'), "
                        f'(SELECT MAX("{column}") FROM "{table}"))')
        self.people.clear()
        self.people.update({user_id: _copy(person)
                            for user_id, person in baseline.people.items()})

    def _watch_renderer(self) -> None:
        renderer = self.engine.renderer
        render, inline, label = renderer.render, renderer.render_inline, renderer.render_label
        rendered = self.sources.rendered

        def watched_render(name: str, locale: str, variables: Any) -> str:
            text: str = render(name, locale, variables)
            rendered[text] = f"templates/{name}.j2"
            return text

        def watched_inline(msgid: str, locale: str, variables: Any) -> str:
            text: str = inline(msgid, locale, variables)
            rendered[text] = f"the text {msgid!r}"
            return text

        def watched_label(msgid: str, locale: str, variables: Any) -> str:
            text: str = label(msgid, locale, variables)
            rendered[text] = f"the label {msgid!r}"
            return text

        renderer.render = watched_render  # type: ignore[method-assign]
        renderer.render_inline = watched_inline  # type: ignore[method-assign]
        renderer.render_label = watched_label  # type: ignore[method-assign]


@dataclass(frozen=True)
class Baseline:
    """The world right after the cast registered: every table's rows and every chat."""

    rows: dict[Any, list[dict[str, Any]]]
    people: dict[int, Participant]


def _copy(person: Participant) -> Participant:
    """A chat of its own with the same messages (an edit of one leaves the other alone)."""
    chat = [ChatMessage(message.message_id, message.reply) for message in person.chat]
    following = max((message.message_id for message in chat), default=999) + 1
    return replace(person, chat=chat, elsewhere=list(person.elsewhere),
                   reply_keyboard=list(person.reply_keyboard),
                   last_batch=list(person.last_batch), _ids=itertools.count(following))


def _sorted(models: Any) -> list[Any]:
    return list(sort_models(models))
