"""One participant during one event: what actions, templates and the machine work with.

A Turn is also the model object handed to a flow's shared `transitions` machine; it lives for
one event and is thrown away, so no per-participant object stays in memory. Actions and
variables see it only as an `engine.dialog.api.Conversation`.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from functools import cached_property, partial
from typing import TYPE_CHECKING, Any

from peewee import EXCLUDED

from engine.dialog.api import Registry, Whereabouts
from engine.dialog.events import Attachment, Event, Reply
from engine.dialog.profile import Row, profile_fields, profile_rows, questionnaire
from engine.dialog.variables import Lazy
from engine.flows.conditions import Condition
from engine.flows.library import FlowLibrary
from engine.flows.lint_names import Shape, returned_shape, shape_of
from engine.flows.machine import OUTSIDE, Leave
from engine.render.templates import Renderer
from engine.store import EXAMPLE_TIME, Answer, PreparedWrite, User

if TYPE_CHECKING:
    from engine.dialog.session import DialogContext

StartFlow = Callable[[int, str, Mapping[str, Any] | None], list[Reply]]

# An answer stored, or changed (its value as JSON text, which both databases take for JSON).
_STORE_ANSWER = PreparedWrite(Answer, Answer.insert(
    user=0, key="", value="", updated_at=EXAMPLE_TIME).on_conflict(
    conflict_target=[Answer.user, Answer.key],
    update={Answer.value: EXCLUDED.value, Answer.updated_at: EXCLUDED.updated_at}))


@dataclass(frozen=True)
class Tools:
    """What a turn works with besides the participant: the engine's parts, not the engine."""

    library: FlowLibrary
    renderer: Renderer
    registry: Registry
    condition: Callable[[str], Condition]
    default_locale: str
    organizers: frozenset[int]  # ORGANIZER_IDS: who gets the notes
    start_flow: StartFlow
    is_organizer: Callable[[int], bool]  # ORGANIZER_IDS or appointed


class Turn:
    """The participant, their answers and dialogue context, and the replies built so far."""

    def __init__(self, tools: Tools, user: User, flow: str | None, state: str,
                 context: DialogContext, answers: dict[str, Any], event: Event | None,
                 now: dt.datetime) -> None:
        self.tools = tools
        self.user = user
        self.event = event
        self.now = now  # the event's time, the same for every action of the event
        self.flow = flow
        self.state = state
        self.context = context
        self._answers = answers
        self.replies: list[Reply] = []
        self.leaving: Leave | None = None  # set by a machine step that leaves the flow
        self.steps = 0  # flows and states entered this event (a loop guard)
        self.remove_keyboard = False
        self._variables: dict[str, Any] | None = None

    # The Conversation (engine.dialog.api) ------------------------------------------------

    @property
    def user_id(self) -> int:
        return self.user.id

    @property
    def locale(self) -> str:
        return self.user.locale

    @property
    def message_id(self) -> int | None:
        event = self.event
        return event.message_id if event is not None and event.kind == "button" else None

    @cached_property
    def is_organizer(self) -> bool:
        return self.tools.is_organizer(self.user.id)

    @property
    def answers(self) -> dict[str, Any]:
        return self._answers

    @property
    def flow_values(self) -> dict[str, Any]:
        """Flow-local values: answers of `answers: context` flows and data a job passed in."""
        return self.context.values

    def variable(self, name: str) -> Any:
        value = self.variables()[name]
        return value.resolve() if isinstance(value, Lazy) else value

    def store_answer(self, key: str, value: Any) -> None:
        self._answers[key] = value
        self.forget()
        _STORE_ANSWER.later(self.user.id, key, json.dumps(value),
                            Answer.updated_at.db_value(self.now))

    def mark_registered(self) -> None:
        self.user.registered = True

    def say(self, template: str, **values: Any) -> None:
        self.replies.append(Reply(text=self.render(template, **values)))

    def send_to(self, chat_id: int, template: str, *, locale: str | None = None,
                **values: Any) -> None:
        text = self.tools.renderer.render(template, locale or self.tools.default_locale,
                                          {**self.variables(), **values})
        self.replies.append(Reply(text=text, chat_id=chat_id))

    def tell_organizers(self, template: str, **values: Any) -> None:
        for organizer in sorted(self.tools.organizers):
            self.send_to(organizer, template, **values)

    def send_file(self, attachment: Attachment, caption: str = "") -> None:
        self.replies.append(Reply(text=caption, attachment=attachment))

    def send_reply(self, reply: Reply) -> None:
        self.replies.append(reply)

    def start_flow_for(self, user_id: int, flow: str,
                       values: Mapping[str, Any] | None = None) -> None:
        if user_id == self.user.id:
            raise ValueError("start_flow_for is for other participants; "
                             "a flow moves its own participant with goto: or call:")
        for reply in self.tools.start_flow(user_id, flow, values):
            self.replies.append(reply if reply.chat_id is not None
                                else replace(reply, chat_id=user_id))

    def whereabouts(self) -> Whereabouts:
        stored = self.context.to_json()
        del stored["stack"]
        return Whereabouts(
            flow=self.flow, state=None if self.state == OUTSIDE else self.state,
            callers=[{key: value for key, value in frame.to_json().items() if key != "single"}
                     for frame in self.context.stack],
            stored=stored)

    # What the dialogue uses ---------------------------------------------------------------

    def run_action(self, name: str) -> None:
        """Run a registered action; what variables read may have changed after it."""
        self.tools.registry.actions[name](self)
        self.forget()

    def set_flow_values(self, values: Mapping[str, Any]) -> None:
        self.context.values = dict(values)
        self.forget()

    def forget(self) -> None:
        """Drop the variables computed so far; they are computed again when next read."""
        self._variables = None

    def render(self, template: str, **values: Any) -> str:
        return self.tools.renderer.render(template, self.locale,
                                          {**self.variables(), **values})

    def variables(self) -> dict[str, Any]:
        """What templates and conditions read; each is computed on first use, once until the
        turn forgets them."""
        if self._variables is None:
            self._variables = {
                "answers": self._answers,
                "context": self.flow_values,
                "now": self.now,
                "user": Lazy(lambda: _user_view(self.user, self.is_organizer,
                                                self.tools.renderer, self.tools.library)),
                "questions": Lazy(self.profile),
                **{name: Lazy(partial(variable, self))
                   for name, variable in self.tools.registry.variables.items()},
            }
        return self._variables

    def profile(self) -> list[Row]:
        """The participant's numbered profile rows."""
        spec = questionnaire(self.tools.library, self.flow)
        return profile_rows(spec, self._answers, self.tools.renderer)


USER_FIELDS = ("id", "first_name", "last_name", "username", "locale", "phone", "registered",
               "is_organizer", "is_admin", "language_known")
# Said when a template or condition reads an answer no question stores (any more).
REMOVED_ANSWER = ("no question stores '{name}' (a removed question's answers are kept, but "
                  "neither shown nor shared)")
REMOVED_PHONE = ("the questionnaire asks for no phone number (a removed contact question's "
                 "numbers are kept, but neither shown nor shared)")


def provided_names(library: FlowLibrary, registry: Registry) -> dict[str, Shape | None]:
    """What `variables()` offers, as lint sees it: `context` is left to each flow; `answers`
    holds the keys some question stores, `user.phone` is there while a contact question is."""
    answer_keys = {state.ask.answer for spec in library.flows.values()
                   if spec.answers_in == "profile"
                   for state in spec.states.values() if state.ask}
    user_fields = USER_FIELDS if profile_fields(library).contact else \
        tuple(name for name in USER_FIELDS if name != "phone")
    names: dict[str, Shape | None] = {
        "user": Shape.of_keys(user_fields, missing=REMOVED_PHONE),
        "answers": Shape.of_keys(answer_keys, missing=REMOVED_ANSWER),
        "now": None,
        "questions": shape_of(list[Row]),
    }
    names.update({name: returned_shape(variable)
                  for name, variable in registry.variables.items()})
    return names


def _user_view(user: User, is_organizer: bool, renderer: Renderer,
               library: FlowLibrary) -> Mapping[str, Any]:
    """`language_known`: the bot speaks the language Telegram reports for the participant;
    `phone` while the questionnaire has a contact question."""
    return {
        "id": user.id,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "username": user.username,
        "locale": user.locale,
        "phone": user.phone if profile_fields(library).contact else None,
        "registered": user.registered,
        "is_organizer": is_organizer,
        "is_admin": is_organizer,  # the former name, still read by templates and conditions
        "language_known": renderer.speaks(user.language_code),
    }

