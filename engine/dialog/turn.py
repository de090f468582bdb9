"""One participant during one event: what actions, templates and the machine work with.

A Turn is also the model object handed to a flow's shared `transitions` machine; it lives for
one event and is thrown away, so no per-participant object stays in memory.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from engine.dialog.events import Event, Reply
from engine.dialog.profile import Row, profile_rows, questionnaire
from engine.dialog.registry import Registry
from engine.dialog.variables import Lazy
from engine.flows.library import FlowLibrary
from engine.flows.lint_names import Shape, returned_shape, shape_of
from engine.flows.machine import OUTSIDE, Leave
from engine.store import Answer, DialogState, PreparedSelect, User

ANSWERS = PreparedSelect(Answer, Answer.select(Answer.key, Answer.value).where(Answer.user == 0))

if TYPE_CHECKING:
    from engine.dialog.engine import ConversationEngine


class Turn:
    """The participant, their answers and dialogue context, and the replies built so far."""

    def __init__(self, engine: ConversationEngine, user: User, dialog: DialogState,
                 event: Event | None, now: dt.datetime) -> None:
        self.engine = engine
        self.user = user
        self.dialog = dialog
        self.event = event
        self.now = now
        self.flow: str | None = dialog.flow
        self.state: str = dialog.state or OUTSIDE
        self.context: dict[str, Any] = dict(dialog.context or {})
        self.answers: dict[str, Any] = {row.key: row.value for row in ANSWERS.rows(user.id)}
        self.replies: list[Reply] = []
        self.leaving: Leave | None = None
        self.remove_keyboard = False

    # What actions use -------------------------------------------------------------------

    @property
    def locale(self) -> str:
        return self.user.locale

    @property
    def vars(self) -> dict[str, Any]:
        """Flow-local values: answers of `answers: context` flows and data a job passed in."""
        return self.context.setdefault("vars", {})

    @property
    def stack(self) -> list[dict[str, Any]]:
        """Callers to come back to, innermost last."""
        return self.context.setdefault("stack", [])

    @property
    def is_admin(self) -> bool:
        return self.user.id in self.engine.settings.admin_ids

    def say(self, template: str, **variables: Any) -> None:
        """Add a message rendered from a template in the participant's language."""
        self.replies.append(Reply(text=self.render(template, **variables)))

    def tell(self, chat_id: int, template: str, locale: str | None = None,
             **variables: Any) -> None:
        """Add a message for someone else (an organizer), in their language."""
        text = self.engine.renderer.render(
            template, locale or self.engine.settings.default_locale,
            {**self.variables(), **variables})
        self.replies.append(Reply(text=text, chat_id=chat_id))

    def render(self, template: str, **variables: Any) -> str:
        return self.engine.renderer.render(template, self.locale,
                                           {**self.variables(), **variables})

    def store(self, key: str, value: Any) -> None:
        """Save a profile answer (any key, any JSON value)."""
        self.answers[key] = value
        (Answer.insert(user=self.user.id, key=key, value=value, updated_at=self.now)
         .on_conflict(conflict_target=[Answer.user, Answer.key],
                      update={Answer.value: value, Answer.updated_at: self.now})
         .execute())

    def variables(self) -> dict[str, Any]:
        """What templates and conditions read; the registered ones are computed on first use."""
        values: dict[str, Any] = {
            "user": _user_view(self.user, self.is_admin),
            "answers": self.answers,
            "context": self.vars,
            "now": self.now,
            "questions": Lazy(self.profile),
        }
        for name, variable in self.engine.registry.variables.items():
            values[name] = Lazy(lambda variable=variable: variable(self))
        return values

    def profile(self) -> list[Row]:
        """The participant's numbered profile rows."""
        spec = questionnaire(self.engine.library, self.flow)
        return profile_rows(spec, self.answers, self.engine.renderer, self.locale)

    # Persistence ------------------------------------------------------------------------

    def save(self) -> None:
        self.user.save()
        (DialogState.update(flow=self.flow, state=None if self.state == OUTSIDE else self.state,
                            context=self.context, updated_at=self.now)
         .where(DialogState.user == self.user.id).execute())


USER_FIELDS = ("id", "first_name", "last_name", "username", "locale", "phone", "registered",
               "is_admin")


def provided_names(library: FlowLibrary, registry: Registry) -> dict[str, Shape | None]:
    """What `variables()` offers, as lint sees it: `context` is left to each flow."""
    answer_keys = {state.ask.answer for spec in library.flows.values()
                   if spec.answers_in == "profile"
                   for state in spec.states.values() if state.ask}
    names: dict[str, Shape | None] = {
        "user": Shape.of_keys(USER_FIELDS),
        "answers": Shape.of_keys(answer_keys),
        "now": None,
        "questions": shape_of(list[Row]),
    }
    names.update({name: returned_shape(variable)
                  for name, variable in registry.variables.items()})
    return names


def _user_view(user: User, is_admin: bool) -> Mapping[str, Any]:
    return {
        "id": user.id,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "username": user.username,
        "locale": user.locale,
        "phone": user.phone,
        "registered": user.registered,
        "is_admin": is_admin,
    }

