"""What actions and variables may read and do during one event: the dialogue's narrow interface.

An organizer writes `action: skip_this_week` in a flow; a domain package registers a function
under that name, typed against `Conversation` and nothing else:

    from engine.dialog.api import Conversation, Registry

    actions = Registry()

    @actions.action("skip_this_week")
    def skip_this_week(talk: Conversation) -> None:
        ...

    @actions.variable("weeks")           # read by templates and `when:` conditions
    def weeks(talk: Conversation) -> list[WeekStatus]:
        ...

The assembly (`coffee.app`) includes each domain's registry; lint checks every name a flow uses
against it. An action runs inside the event's database transaction: what it writes is saved
together with the participant's new state, or not at all.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

from engine.dialog.events import Attachment, Reply
from engine.flows.spec import Role

__all__ = ["Action", "Attachment", "Conversation", "Needs", "Registry", "Reply", "Variable",
           "Whereabouts"]


@dataclass(frozen=True)
class Whereabouts:
    """Where a participant stands, for diagnostics: flow and state, the callers to return to
    (innermost last, each `{"flow", "state"}` and what the caller held when it called:
    `values`, `picks`), and the rest of the stored dialogue context."""

    flow: str | None
    state: str | None
    callers: Sequence[Mapping[str, Any]]
    stored: Mapping[str, Any]


class Conversation(Protocol):
    """One participant during one event, as actions and variables see it."""

    @property
    def user_id(self) -> int:
        """The participant's Telegram id (also their chat id)."""

    @property
    def locale(self) -> str:
        """The language the participant is spoken to in."""

    @property
    def now(self) -> dt.datetime:
        """The event's time (UTC), the same for every action of the event."""

    @property
    def is_organizer(self) -> bool:
        """The participant is one of the organizers (ORGANIZER_IDS)."""

    @property
    def message_id(self) -> int | None:
        """The message whose button the participant pressed (None for any other event):
        it is redrawn in place when the button does not leave the state."""

    @property
    def answers(self) -> Mapping[str, Any]:
        """The participant's stored profile answers; change them with `store_answer`."""

    @property
    def flow_values(self) -> dict[str, Any]:
        """The current flow's own values (`context.*` in templates): answers of an
        `answers: context` flow and what a job passed in. Actions may change them."""

    def variable(self, name: str) -> Any:
        """A registered variable's value. Variables are computed at most once per event; the
        values are forgotten after each action and each stored answer (they may have changed
        what a variable reads), so the next read computes them again."""

    def store_answer(self, key: str, value: Any) -> None:
        """Save a profile answer (any key, any JSON value)."""

    def mark_registered(self) -> None:
        """The profile is complete: /start shows it from now on and jobs may invite."""

    def say(self, template: str, **values: Any) -> None:
        """Queue a message to the participant, rendered from a template in their language."""

    def send_to(self, chat_id: int, template: str, *, locale: str | None = None,
                **values: Any) -> None:
        """Queue a message to another chat (in `locale`, else the bot's default language),
        sent with the participant's replies."""

    def tell_organizers(self, template: str, **values: Any) -> None:
        """Queue a message to every organizer."""

    def send_file(self, attachment: Attachment, caption: str = "") -> None:
        """Queue a file (a document, or a photo) to the participant, with a caption."""

    def send_reply(self, reply: Reply) -> None:
        """Queue a reply built elsewhere exactly as it is (a broadcast's preview)."""

    def start_flow_for(self, user_id: int, flow: str,
                       values: Mapping[str, Any] | None = None) -> None:
        """Put another participant into `flow` (with `values` as its `context`) and queue what
        they see then. Not for the participant of this event: their next state is the flow's
        business (`goto:`, `call:`)."""

    def whereabouts(self) -> Whereabouts:
        """Where the participant stands (for /status)."""


Action = Callable[[Conversation], None]
Variable = Callable[[Conversation], Any]


@dataclass(frozen=True)
class Needs:
    """What a domain's code relies on in the flows and templates, for lint to check: flows it
    starts (with the `context` keys it passes in), commands it enters, and templates it renders
    with names of its own (`turn`: with the participant's variables too)."""

    flows: dict[str, tuple[tuple[str, ...], str]] = field(default_factory=dict)
    commands: dict[str, str] = field(default_factory=dict)
    templates: dict[str, tuple[bool, dict[str, Any]]] = field(default_factory=dict)
    roles: dict[str, Role] = field(default_factory=dict)

    def flow(self, name: str, why: str, passes: tuple[str, ...] = ()) -> None:
        self.flows[name] = (passes, why)

    def command(self, name: str, why: str) -> None:
        self.commands[name] = why

    def template(self, name: str, *, turn: bool = True, **names: Any) -> None:
        """`names` maps each name the code passes to its type (for the attributes lint knows)."""
        self.templates[name] = (turn, names)

    def role(self, name: str, *, inputs: tuple[str, ...], options: tuple[str, ...] = (),
             why: str = "") -> None:
        """A question of the questionnaire the code reads by its role (`role: name` in YAML):
        the inputs it understands and the option ids it relies on (`why` they matter)."""
        self.roles[name] = Role(inputs, options, why)

    def include(self, other: Needs) -> None:
        self.roles.update(other.roles)
        self.flows.update(other.flows)
        self.commands.update(other.commands)
        self.templates.update(other.templates)


class Registry:
    """Actions (run on entry to a state, on an answer, or on a button) and variables (read by
    templates and conditions), each under the name flows use, and what the code needs."""

    def __init__(self) -> None:
        self.actions: dict[str, Action] = {}
        self.variables: dict[str, Variable] = {}
        self.needs = Needs()

    def action(self, name: str) -> Callable[[Action], Action]:
        """Decorator: register `function(talk: Conversation) -> None` as action `name`."""
        return _registrar(self.actions, "action", name)

    def variable(self, name: str) -> Callable[[Variable], Variable]:
        """Decorator: register `function(talk: Conversation) -> value` as variable `name`."""
        return _registrar(self.variables, "variable", name)

    def include(self, other: Registry) -> None:
        """Take over every action and variable of another registry (a domain's)."""
        for name, function in other.actions.items():
            self.action(name)(function)
        for name, variable in other.variables.items():
            self.variable(name)(variable)
        self.needs.include(other.needs)


F = TypeVar("F", bound=Callable[..., Any])


def _registrar(table: dict[str, F], kind: str, name: str) -> Callable[[F], F]:
    """A decorator that files a function under `name`, refusing a second one."""

    def register(function: F) -> F:
        if name in table:
            raise ValueError(f"{kind} '{name}' is registered twice")
        table[name] = function
        return function

    return register
