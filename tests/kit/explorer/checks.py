"""What must hold after every step of an exploration.

* nobody is apologised to ("something went wrong") and nothing is logged at ERROR;
* no text has a hole: `None`, a name missing before punctuation ("meet ?", "()"), a leftover
  `{{`, `{%`, `%(` or `{name}`, a label whose value is missing ("Work: " at a line's end), a
  blank line where a value belongs (two in a row), a raw option or status id where the
  reader's language has a label;
* every message is one Telegram takes: text (after the transport's split) at most 4,096
  characters and not empty, in the HTML it accepts, a caption at most 1,024, callback data at
  most 64 bytes, no empty button, command menu entries at most 256 characters;
* a called flow gives its caller back whole: the caller's context and ticked options as
  before the call, and its screen drawn as before when no data changed meanwhile;
* the database: one dialogue state per participant, no participation, meeting, member or
  feedback row without what it belongs to, no stored answer lost or changed by anyone but its
  owner, an answer the bot moved on from stored.

Allowances (a short list, each with its reason) name what is shown on purpose although a check
would flag it.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from peewee import JOIN, fn

from coffee.cycle import leaving, participation, rounds
from coffee.models import SCHEMAS, Meeting, MeetingFeedback, MeetingMember, Participation, Round
from coffee.organizers import REGISTRATION_MODES, broadcasts
from engine.dialog.callbacks import MAX_BYTES
from engine.dialog.delivery import split_reply
from engine.dialog.events import Reply
from engine.flows.lint_html import html_problems
from engine.render.split import LIMIT, visible_length
from engine.store import Answer, DialogState, User
from engine.transports.plain import html_to_text
from tests.kit.explorer.steps import WORLD, Step
from tests.kit.explorer.world import Delivered, World

CAPTION_LIMIT = 1024
MENU_DESCRIPTION_LIMIT = 256
FALLBACK_APOLOGY = "Sorry, something went wrong"


@dataclass(frozen=True)
class Allowance:
    """A finding in one template that is there on purpose: the raw ids it may show (None:
    any), or the kind of hole it may have."""

    template: str
    check: str  # "raw id", or the kind of a hole
    ids: frozenset[str] | None
    reason: str


ALLOWANCES = (
    Allowance("templates/status.j2", "raw id", None, "/status is the organizers' diagnostic: "
              "it shows the stored context as JSON, ids and all, on purpose"),
)

HOLES = (
    (re.compile(r"\bNone\b"), "None"),
    (re.compile(r"\{\{|\}\}|\{%|%\}|%\(|\{[A-Za-z_]\w*\}"), "a template placeholder"),
    (re.compile(r"\S[ \t]+[?!.,;:](?=\s|$)"), "punctuation after a missing word"),
    (re.compile(r"\(\s*\)|\[\s*\]|«\s*»|\"\s*\""), "empty brackets or quotes"),
    (re.compile(r",\s*[,.?!]"), "an empty list item"),
    (re.compile(r"\w:[ \t]+$", re.MULTILINE), "a label without its value"),
    (re.compile(r"\S[ \t]*\n[ \t]*\n[ \t]*\n"), "a blank line where a value belongs"),
)
WORD = re.compile(r"[\w-]+")


@dataclass(frozen=True)
class Violation:
    check: str
    detail: str

    def __str__(self) -> str:
        return f"{self.check}: {self.detail}"


@dataclass
class Call:
    """A call seen leave a caller: what the caller held and showed, to compare on return."""

    depth: int  # the caller's stack depth before the call
    frame: dict[str, Any]  # the frame the call pushed, as stored: where it comes back to
    values: Any
    picks: Any
    screen: tuple[str, tuple[str, ...]] | None
    data: str  # the database's fingerprint at the call


class Checker:
    """The invariants, with what they need to know about the bot (its texts, its ids)."""

    def __init__(self, world: World) -> None:
        self.world = world
        renderer = world.engine.renderer
        self.apologies = {html_to_text(renderer.render("apology", locale, {})).strip()
                          for locale in renderer.locales}
        self.ids = _ids(world)
        self.vocabulary = _vocabulary(world)
        self.calls: dict[str, list[Call]] = {}
        self.answers: dict[tuple[int, str], tuple[Any, Any]] = {}
        self.before: tuple[str | None, str | None, dict[str, Any]] = (None, None, {})
        self.allowed: set[Allowance] = set()  # allowances that applied, for the report
        self.pending: tuple[str, tuple[str, ...]] | None = None  # the screen before a command
        self.only: set[str] | None = None  # while a failure is shrunk: the checks it failed
        self.structure = [(what, query.sql()) for what, query in _structure_queries()]

    def reset(self) -> None:
        self.calls.clear()
        self.answers = _answers()

    # Around one step -------------------------------------------------------------------

    def before_step(self, step: Step) -> None:
        if step.who == WORLD:
            return
        self.before = self.world.stands(step.who)
        self.pending = self._screen_now(step)

    def after_step(self, step: Step, delivered: list[Delivered]) -> list[Violation]:
        found = []
        if self._wanted("logged error"):
            found.extend(Violation("logged error", _record(record))
                         for record in self.world.logs.records)
        if self._wanted("apology", "hole", "raw id", "telegram limit"):
            for item in delivered:
                found.extend(self._message(item))
        if step.who != WORLD and self._wanted("return"):
            found.extend(self._calls(step, delivered))
        if self._wanted("return"):
            self._forget_replaced(step)
        if step.who != WORLD and self._wanted("answer lost"):
            found.extend(self._answer_kept(step, delivered))
        if self._wanted("answer lost"):
            found.extend(self._answers_kept(step))
        if self._wanted("database"):
            found.extend(self._structure())
        return [violation for violation in found if self._wanted(violation.check)]

    def _wanted(self, *checks: str) -> bool:
        return self.only is None or any(check in self.only for check in checks)

    # Messages --------------------------------------------------------------------------

    def _message(self, item: Delivered) -> list[Violation]:
        reply = item.reply
        who = self._name(item.chat_id)
        found: list[Violation] = []
        text = html_to_text(reply.text).strip()
        if text in self.apologies or text.startswith(FALLBACK_APOLOGY):
            found.append(Violation("apology", f"{who} was told {text!r}"))
        found.extend(self._limits(who, reply))
        sources = self.world.sources.of(reply.text)
        where = f" ({', '.join(sources)})" if sources else ""
        for hole, kind in self._holes(reply):
            if not self._allows(sources, kind, None):
                found.append(Violation("hole", f"{kind} in what {who} read{where}: {hole!r}"))
        for raw in self._raw_ids(item.chat_id, reply):
            if not self._allows(sources, "raw id", raw):
                found.append(Violation("raw id", f"{raw!r} shown to {who}{where}: "
                                                 f"{_excerpt(text, raw)!r}"))
        return found

    def _allows(self, sources: list[str], check: str, raw: str | None) -> bool:
        """Whether an allowance covers this finding (and remember that it was used)."""
        for allowance in ALLOWANCES:
            if allowance.template in sources and allowance.check == check and (
                    allowance.ids is None or raw in allowance.ids):
                self.allowed.add(allowance)
                return True
        return False

    def _holes(self, reply: Reply) -> Iterable[tuple[str, str]]:
        for text in (html_to_text(reply.text), *_labels(reply)):
            for pattern, kind in HOLES:
                for match in pattern.finditer(text):
                    yield _excerpt(text, match.group(0)), kind

    def _raw_ids(self, chat_id: int, reply: Reply) -> list[str]:
        vocabulary = self.vocabulary.get(self.world.locale(chat_id), set())
        words = set()
        for text in (html_to_text(reply.text), *_labels(reply)):
            words.update(WORD.findall(text))
        return sorted(word for word in words & self.ids if word not in vocabulary)

    @staticmethod
    def _limits(who: str, reply: Reply) -> list[Violation]:
        found = []
        if reply.menu is not None:
            for _code, commands in reply.menu.languages:
                found.extend(Violation("telegram limit", f"menu entry /{c.name} for {who}: "
                                                         f"{len(c.description)} characters")
                             for c in commands
                             if not 0 < len(c.description) <= MENU_DESCRIPTION_LIMIT)
            if not reply.text:
                return found
        captioned = reply.attachment is not None or bool(reply.photo)
        if captioned and visible_length(reply.text) > CAPTION_LIMIT:
            found.append(Violation("telegram limit", f"a caption of "
                                   f"{visible_length(reply.text)} characters to {who}"))
        if not captioned and reply.contact is None and not html_to_text(reply.text).strip():
            found.append(Violation("telegram limit", f"an empty message to {who}"))
        found.extend(Violation("telegram limit", f"HTML Telegram refuses in what {who} read: "
                                                 f"{problem} in {reply.text[:200]!r}")
                     for _line, problem in html_problems(reply.text))
        for part in split_reply(reply) if not captioned else []:
            if visible_length(part.text) > LIMIT:
                found.append(Violation("telegram limit", f"a message part of "
                                       f"{visible_length(part.text)} characters to {who}"))
        for button in (b for row in (*reply.buttons, *reply.keyboard) for b in row):
            if not button.label.strip():
                found.append(Violation("telegram limit", f"a button without text to {who}"))
            if len(button.data.encode()) > MAX_BYTES:
                found.append(Violation("telegram limit", f"callback data {button.data!r} "
                                                         f"over {MAX_BYTES} bytes"))
        return found

    # Calls and returns -------------------------------------------------------------------

    def _screen_now(self, step: Step) -> tuple[str, tuple[str, ...]] | None:
        """Before a command that may call: the caller's screen as it stands."""
        if step.verb != "command":
            return None
        spec = self.world.engine.library.by_command(step.arg)
        flow, state, context = self.world.stands(step.who)
        if spec is None or not spec.returns or flow is None or state is None:
            return None
        member = self.world.members[step.who]
        replies = self.world.engine.redraw(member.user_id, 0, flow, state,
                                           context.get("values") or {})
        return _screen(replies[-1]) if replies else None

    def _calls(self, step: Step, delivered: list[Delivered]) -> list[Violation]:
        name = step.who
        flow, state, context = self.world.stands(name)
        stack = context.get("stack") or []
        calls = self.calls.setdefault(name, [])
        before = self.before[2]
        depth = len(before.get("stack") or [])
        found: list[Violation] = []
        replaced = step.verb == "command" and not self._returns(step.arg)
        if len(stack) == depth + 1 and not stack[-1].get("single") and not replaced:
            calls.append(Call(depth, stack[-1], before.get("values") or {},
                              before.get("picks") or [], self.pending, _fingerprint()))
        while calls and calls[-1].depth >= len(stack):
            call = calls.pop()
            if not replaced and call.depth == len(stack) and (flow, state) == (
                    call.frame.get("flow"), call.frame.get("state")):
                found.extend(self._returned(name, call, context, delivered))
        self.pending = None
        return found

    def _forget_replaced(self, step: Step) -> None:
        """Calls whose frame someone else's step took away (a job put the member into a
        flow of its own) return nowhere."""
        for name, calls in self.calls.items():
            if not calls or name == step.who:
                continue
            stack = self.world.stands(name)[2].get("stack") or []
            while calls and (len(stack) <= calls[-1].depth
                             or stack[calls[-1].depth] != calls[-1].frame):
                calls.pop()

    def _returns(self, command: str) -> bool:
        spec = self.world.engine.library.by_command(command)
        return spec is not None and spec.returns

    def _returned(self, name: str, call: Call, context: dict[str, Any],
                  delivered: list[Delivered]) -> list[Violation]:
        """A command's caller comes back as it was; a `call:` button's caller comes back to
        its `then:` state with the context it had (unless that state's actions change it)."""
        found = []
        resumed = bool(call.frame.get("resume"))
        where = f"{call.frame.get('flow')}.{call.frame.get('state')}"
        target = self.world.engine.library.state(str(call.frame.get("flow")),
                                                 str(call.frame.get("state")))
        if (resumed or (target is not None and not target.actions)) and \
                (context.get("values") or {}) != call.values:
            found.append(Violation("return", f"{name} came back to {where} with context "
                                             f"{context.get('values')} instead of "
                                             f"{call.values}"))
        if resumed and (context.get("picks") or []) != call.picks:
            found.append(Violation("return", f"{name} came back to {where} with the options "
                                             f"{context.get('picks')} ticked instead of "
                                             f"{call.picks}"))
        user_id = self.world.members[name].user_id
        mine = [item.reply for item in delivered if item.chat_id == user_id]
        if resumed and call.screen is not None and call.data == _fingerprint() and mine:
            shown = _screen(mine[-1])
            if shown != call.screen:
                found.append(Violation("return", f"{name}'s {where} read {call.screen} before "
                                                 f"the call and {shown} after it"))
        return found

    # Answers and the database --------------------------------------------------------------

    def _answer_kept(self, step: Step, delivered: list[Delivered]) -> list[Violation]:
        """An answer to a profile question the bot moved on from is stored now."""
        flow, state, _ = self.before
        spec = self.world.engine.library.flows.get(flow or "")
        question = spec.states.get(state or "") if spec is not None else None
        if question is None or question.ask is None or spec is None \
                or spec.answers_in != "profile" or step.verb in ("command", "stale", "blocks",
                                                                 "unblocks"):
            return []
        if self.world.stands(step.who)[:2] == (flow, state) or any(
                "templates/input_error.j2" in self.world.sources.of(item.reply.text)
                for item in delivered):
            return []
        key = question.ask.answer
        row = Answer.get_or_none(Answer.user == self.world.members[step.who].user_id,
                                 Answer.key == key)
        if row is None or row.updated_at != self.world.clock.now:
            return [Violation("answer lost", f"{step.who} answered {flow}.{state} and was "
                                             f"moved on, but '{key}' was not stored")]
        return []

    def _structure(self) -> list[Violation]:
        database = self.world.bot.database
        return [Violation("database", f"{what}: {row[0]}")
                for what, (sql, params) in self.structure
                for row in database.execute_sql(sql, params).fetchall()]

    def _answers_kept(self, step: Step) -> list[Violation]:
        """No stored answer disappears, and only its owner changes it."""
        found = []
        answers = _answers()
        actor = self.world.members[step.who].user_id if step.who != WORLD else None
        for (user_id, key), (value, _when) in self.answers.items():
            now = answers.get((user_id, key))
            if now is None:
                found.append(Violation("answer lost", f"user {user_id}'s '{key}' ({value!r}) "
                                                      "is gone"))
            elif now[0] != value and user_id != actor:
                found.append(Violation("answer lost", f"user {user_id}'s '{key}' changed "
                                       f"from {value!r} to {now[0]!r} by {step.line()}"))
        self.answers = answers
        return found

    def _name(self, chat_id: int) -> str:
        member = self.world.member(chat_id)
        return member.name if member is not None else f"chat {chat_id}"


def _structure_queries() -> list[tuple[str, Any]]:
    """What must never be found: a user with more or less than one dialogue state, a row
    without what it belongs to (each query selects the offending ids)."""
    queries: list[tuple[str, Any]] = [
        ("more than one dialogue state", DialogState.select(DialogState.user)
         .group_by(DialogState.user).having(fn.COUNT(DialogState.user) > 1)),
        ("no dialogue state", User.select(User.id).join(
            DialogState, JOIN.LEFT_OUTER, on=DialogState.user == User.id)
         .where(DialogState.user.is_null())),
    ]
    for child, parent, link in ((Participation, Round, Participation.round),
                                (Meeting, Round, Meeting.round),
                                (MeetingMember, Meeting, MeetingMember.meeting),
                                (MeetingFeedback, Meeting, MeetingFeedback.meeting)):
        queries.append((f"{child.__name__} without its {parent.__name__}",
                        child.select(child.id).join(parent, JOIN.LEFT_OUTER,
                                                    on=link == parent.id)
                        .where(parent.id.is_null())))
    return queries


def _screen(reply: Reply) -> tuple[str, tuple[str, ...]]:
    return (html_to_text(reply.text).strip(),
            tuple(button.label for row in reply.buttons for button in row))


def _labels(reply: Reply) -> list[str]:
    return [button.label for row in (*reply.buttons, *reply.keyboard) for button in row]


def _answers() -> dict[tuple[int, str], tuple[Any, Any]]:
    return {(row.user_id, row.key): (row.value, row.updated_at) for row in Answer.select()}


SKIPPED_TABLES = {"dialog_state", "handled_update", "received_update", "outbox"}


def _fingerprint() -> str:
    """The data a screen may show, as one hash (the dialogue's own state and the record of
    updates and sends left out)."""
    digest = hashlib.sha256()
    for model in (model for schema in SCHEMAS for model in schema.models):
        if model._meta.table_name in SKIPPED_TABLES:
            continue
        for row in model.select().order_by(*model._meta.get_primary_keys()).tuples():
            digest.update(repr(row).encode())
    return digest.hexdigest()


def _ids(world: World) -> set[str]:
    """Option ids of every question, and the statuses the code stores."""
    ids = {option.id for spec in world.engine.library.flows.values()
           for state in spec.states.values() if state.ask for option in state.ask.options}
    ids |= {participation.INVITED, participation.YES, participation.NO, participation.SKIP,
            *rounds.STATUS_ORDER, leaving.BLOCKED, leaving.CANCELLED, broadcasts.DRAFT,
            broadcasts.SENDING_STATUS, broadcasts.DONE, broadcasts.CANCELLED,
            *REGISTRATION_MODES}
    return {token for token in ids if not token.isdigit()}


def _vocabulary(world: World) -> dict[str, set[str]]:
    """The words each language's own texts use (an id that is a word of the language, like
    "open" in English, cannot be told from it); also what the cast types and is called."""
    catalogs = world.bot.parts.catalogs
    typed = {word for member in world.cast for word in WORD.findall(
        f"{member.name} {member.first_name}")}
    from tests.kit.explorer.moves import INVALID_PHRASE, PHRASES, SCHEDULE_TIME

    typed |= {word for text in (*PHRASES, INVALID_PHRASE, SCHEDULE_TIME)
              for word in WORD.findall(text)}
    msgids = {text for catalog in catalogs.catalogs.values() for message in catalog
              for text in _strings(message.id)}
    vocabulary = {catalogs.source_locale: {w for text in msgids for w in WORD.findall(text)}}
    for locale, catalog in catalogs.catalogs.items():
        vocabulary[locale] = {w for message in catalog for text in _strings(message.string)
                              for w in WORD.findall(text)}
    return {locale: words | typed for locale, words in vocabulary.items()}


def _strings(value: Any) -> list[str]:
    if isinstance(value, (tuple, list)):
        return [str(item) for item in value if item]
    return [str(value)] if value else []


def _excerpt(text: str, part: str) -> str:
    at = max(text.find(part), 0)
    return text[max(0, at - 40):at + len(part) + 40].replace("\n", " ")


def _record(record: Any) -> str:
    text = f"{record.levelname} {record.name}: {record.getMessage()}"
    if record.exc_info and record.exc_info[1] is not None:
        error = record.exc_info[1]
        text += f" ({type(error).__name__}: {error})"
    return text

