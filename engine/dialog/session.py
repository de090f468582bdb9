"""Load a participant for one event and save them after it: user row, dialogue state, context."""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from peewee import JOIN, Database, IntegrityError

from engine.dialog.events import Event
from engine.dialog.turn import Tools, Turn
from engine.flows.machine import OUTSIDE
from engine.store import (
    EXAMPLE_TIME,
    Answer,
    DialogState,
    PreparedSelect,
    PreparedWrite,
    User,
    participants,
)

log = logging.getLogger(__name__)

# The participant in one query: their user row, with their dialogue state and one answer per
# row (a participant without answers comes in one row whose answer is NULL).
PARTICIPANT = PreparedSelect(User, User.select(
    User, DialogState.user.alias("dialog_user"), DialogState.flow.alias("dialog_flow"),
    DialogState.state.alias("dialog_state"), DialogState.context.alias("dialog_context"),
    Answer.key.alias("answer_key"), Answer.value.alias("answer_value"))
    .join(DialogState, JOIN.LEFT_OUTER, on=DialogState.user == User.id)
    .join_from(User, Answer, JOIN.LEFT_OUTER, on=Answer.user == User.id)
    .where(User.id == 0))
# Where the participant stands after an event (the context as JSON text, which both databases
# take for JSON).
STANDING = PreparedWrite(DialogState, DialogState.update(
    flow="", state="", context="", updated_at=EXAMPLE_TIME).where(DialogState.user == 0))


@dataclass(frozen=True)
class Frame:
    """A caller to come back to: its flow and state, and what it held when it called.

    `single`: return after one answer (a question of the same flow asked from a button, or the
    edit of one answer). `values` and `picks`: the caller's flow values and ticked options when
    the call left its flow; they are the caller's again on return (None: the call stayed in
    the flow and shares its values). `resume`: the caller was interrupted where it waited (a
    `returns: true` command) and is shown again as it was, without entering the state anew.
    """

    flow: str
    state: str
    single: bool = False
    values: dict[str, Any] | None = None
    picks: tuple[str, ...] = ()
    resume: bool = False

    def to_json(self) -> dict[str, Any]:
        stored: dict[str, Any] = {"flow": self.flow, "state": self.state, "single": self.single}
        if self.values is not None:
            stored["values"] = self.values
        if self.picks:
            stored["picks"] = list(self.picks)
        if self.resume:
            stored["resume"] = True
        return stored

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Frame:
        values = data.get("values")
        return cls(str(data["flow"]), str(data["state"]), bool(data.get("single")),
                   values=None if values is None else dict(values),
                   picks=tuple(data.get("picks") or ()), resume=bool(data.get("resume")))


@dataclass
class DialogContext:
    """What a participant's dialogue remembers besides flow and state (stored as JSON).

    `keyboard`: the serial of the current keyboard (older buttons are stale); `picks`: the
    options ticked so far in a multiple choice; `stack`: callers to return to, innermost last;
    `values`: the flow's own values (answers of an `answers: context` flow, a job's data);
    `screen`: a digest of the latest message drawn with inline buttons, so that drawing it
    again in place unchanged sends nothing (Telegram refuses an edit that changes nothing).
    """

    keyboard: int = 0
    picks: list[str] = field(default_factory=list)
    stack: list[Frame] = field(default_factory=list)
    values: dict[str, Any] = field(default_factory=dict)
    screen: str = ""

    @classmethod
    def from_json(cls, data: Mapping[str, Any] | None) -> DialogContext:
        """Read a stored context, including those stored before the keys had their full names
        (`kb`, `vars`)."""
        data = data or {}
        return cls(
            keyboard=int(data.get("keyboard", data.get("kb", 0)) or 0),
            picks=list(data.get("picks") or []),
            stack=[Frame.from_json(frame) for frame in data.get("stack") or []],
            values=dict(data.get("values", data.get("vars")) or {}),
            screen=str(data.get("screen") or ""),
        )

    def to_json(self) -> dict[str, Any]:
        stored: dict[str, Any] = {"keyboard": self.keyboard,
                                  "stack": [frame.to_json() for frame in self.stack],
                                  "values": self.values}
        if self.picks:
            stored["picks"] = self.picks
        if self.screen:
            stored["screen"] = self.screen
        return stored


class Sessions:
    """Loads the participant an event is from (creating them on first contact) and saves them."""

    def __init__(self, tools: Tools, database: Database,
                 clock: Callable[[], dt.datetime]) -> None:
        self.tools = tools
        self.database = database
        self.clock = clock

    def load(self, event: Event) -> Turn:
        """The event's participant, their Telegram names refreshed and marked reachable."""
        rows = PARTICIPANT.rows(event.user_id)
        if not rows:
            self._create_user(event)
            return self.load(event)
        user = rows[0]
        sender = event.sender
        changes: dict[str, Any] = {"reachable": True}
        if sender is not None:
            changes.update(first_name=sender.first_name or user.first_name,
                           last_name=sender.last_name or "", username=sender.username,
                           language_code=sender.language_code)
        for name, value in changes.items():
            if getattr(user, name) != value:
                setattr(user, name, value)
        return self._turn(rows, event)

    def load_user(self, user_id: int) -> Turn:
        """A participant with no event of theirs (a job or another's action moves them), once
        no other process handles an update of theirs."""
        participants.lock_in_transaction(user_id)
        rows = PARTICIPANT.rows(user_id)
        if not rows:
            raise User.DoesNotExist(f"no user {user_id}")
        return self._turn(rows, None)

    def save(self, turn: Turn) -> None:
        """Where the participant stands now; their user row only where the event changed it
        (most events change nothing of it: one statement less per event)."""
        if turn.user.is_dirty():
            turn.user.save(only=turn.user.dirty_fields)
        STANDING.later(turn.flow, None if turn.state == OUTSIDE else turn.state,
                       json.dumps(turn.context.to_json()),
                       DialogState.updated_at.db_value(turn.now), turn.user.id)

    def _turn(self, rows: list[User], event: Event | None) -> Turn:
        user = rows[0]
        if user.dialog_user is None:
            raise LookupError(f"user {user.id} has no dialogue state")
        answers = {row.answer_key: Answer.value.python_value(row.answer_value)
                   for row in rows if row.answer_key is not None}
        context = DialogState.context.python_value(user.dialog_context)
        return Turn(self.tools, user, user.dialog_flow, user.dialog_state or OUTSIDE,
                    DialogContext.from_json(context), answers, event, self.clock())

    def _create_user(self, event: Event) -> None:
        sender = event.sender
        try:
            with self.database.atomic():
                user = User.create(
                    id=event.user_id,
                    first_name=sender.first_name if sender else "",
                    last_name=(sender.last_name or "") if sender else "",
                    username=sender.username if sender else None,
                    language_code=sender.language_code if sender else None,
                    locale=self.tools.renderer.closest_locale(
                        sender.language_code if sender else None),
                )
                DialogState.create(user=user, context={})
        except IntegrityError:
            log.info("user %s was created meanwhile by a parallel update", event.user_id)
