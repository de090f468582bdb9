"""Load a participant for one event and save them after it: user row, dialogue state, context."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from peewee import Database, IntegrityError

from engine.dialog.events import Event
from engine.dialog.turn import Tools, Turn
from engine.flows.machine import OUTSIDE
from engine.store import Answer, DialogState, PreparedSelect, User, participants

log = logging.getLogger(__name__)

USER_BY_ID = PreparedSelect(User, User.select().where(User.id == 0))
DIALOG_BY_USER = PreparedSelect(DialogState, DialogState.select().where(DialogState.user == 0))
ANSWERS = PreparedSelect(Answer, Answer.select(Answer.key, Answer.value).where(Answer.user == 0))


@dataclass(frozen=True)
class Frame:
    """A caller to come back to: its flow and state; `single` returns after one answer."""

    flow: str
    state: str
    single: bool = False

    def to_json(self) -> dict[str, Any]:
        return {"flow": self.flow, "state": self.state, "single": self.single}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Frame:
        return cls(str(data["flow"]), str(data["state"]), bool(data.get("single")))


@dataclass
class DialogContext:
    """What a participant's dialogue remembers besides flow and state (stored as JSON).

    `keyboard`: the serial of the current keyboard (older buttons are stale); `picks`: the
    options ticked so far in a multiple choice; `stack`: callers to return to, innermost last;
    `values`: the flow's own values (answers of an `answers: context` flow, a job's data).
    """

    keyboard: int = 0
    picks: list[str] = field(default_factory=list)
    stack: list[Frame] = field(default_factory=list)
    values: dict[str, Any] = field(default_factory=dict)

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
        )

    def to_json(self) -> dict[str, Any]:
        stored: dict[str, Any] = {"keyboard": self.keyboard,
                                  "stack": [frame.to_json() for frame in self.stack],
                                  "values": self.values}
        if self.picks:
            stored["picks"] = self.picks
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
        user = USER_BY_ID.first(event.user_id)
        if user is None:
            self._create_user(event)
            return self.load(event)
        sender = event.sender
        changes: dict[str, Any] = {"reachable": True}
        if sender is not None:
            changes.update(first_name=sender.first_name or user.first_name,
                           last_name=sender.last_name or "", username=sender.username,
                           language_code=sender.language_code)
        for name, value in changes.items():
            if getattr(user, name) != value:
                setattr(user, name, value)
        dialog = DIALOG_BY_USER.first(user.id)
        if dialog is None:
            raise LookupError(f"user {user.id} has no dialogue state")
        return self._turn(user, dialog, event)

    def load_user(self, user_id: int) -> Turn:
        """A participant with no event of theirs (a job or another's action moves them), once
        no other process handles an update of theirs."""
        participants.lock_in_transaction(user_id)
        return self._turn(User.get_by_id(user_id), DialogState.get_by_id(user_id), None)

    def save(self, turn: Turn) -> None:
        turn.user.save()
        (DialogState.update(flow=turn.flow, state=None if turn.state == OUTSIDE else turn.state,
                            context=turn.context.to_json(), updated_at=turn.now)
         .where(DialogState.user == turn.user.id).execute())

    def _turn(self, user: User, dialog: DialogState, event: Event | None) -> Turn:
        answers = {row.key: row.value for row in ANSWERS.rows(user.id)}
        return Turn(self.tools, user, dialog.flow, dialog.state or OUTSIDE,
                    DialogContext.from_json(dialog.context), answers, event, self.clock())

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
