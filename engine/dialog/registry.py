"""Named actions and variables that flows use by name, registered from Python, and what the
code needs from the flows and templates in return.

An organizer writes `action: skip_this_week` in YAML; the domain registers a function under
that name. Lint checks every name a flow uses against this registry, and every flow, command
and template name the code relies on (`needs`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from engine.dialog.turn import Turn

Action = Callable[["Turn"], None]
Variable = Callable[["Turn"], Any]


@dataclass(frozen=True)
class Needs:
    """What the code relies on: flows it starts (with the context keys it passes in), commands
    it enters, and templates it renders with names of its own (`turn`: with the participant's
    variables too)."""

    flows: dict[str, tuple[tuple[str, ...], str]] = field(default_factory=dict)
    commands: dict[str, str] = field(default_factory=dict)
    templates: dict[str, tuple[bool, dict[str, Any]]] = field(default_factory=dict)

    def flow(self, name: str, why: str, passes: tuple[str, ...] = ()) -> None:
        self.flows[name] = (passes, why)

    def command(self, name: str, why: str) -> None:
        self.commands[name] = why

    def template(self, name: str, *, turn: bool = True, **names: Any) -> None:
        """`names` maps each name the code passes to its type (for the attributes lint knows)."""
        self.templates[name] = (turn, names)


class Registry:
    """Actions (called on entry, on answer, or on a button) and variables (read by templates)."""

    def __init__(self) -> None:
        self.actions: dict[str, Action] = {}
        self.variables: dict[str, Variable] = {}
        self.needs = Needs()

    def action(self, name: str) -> Callable[[Action], Action]:
        return _registrar(self.actions, "action", name)

    def variable(self, name: str) -> Callable[[Variable], Variable]:
        return _registrar(self.variables, "variable", name)

    def include(self, other: Registry) -> None:
        """Take over every action and variable of another registry (a domain's)."""
        for name, function in other.actions.items():
            self.action(name)(function)
        for name, variable in other.variables.items():
            self.variable(name)(variable)
        self.needs.flows.update(other.needs.flows)
        self.needs.commands.update(other.needs.commands)
        self.needs.templates.update(other.needs.templates)


F = TypeVar("F", bound=Callable[..., Any])


def _registrar(table: dict[str, F], kind: str, name: str) -> Callable[[F], F]:
    """A decorator that files a function under `name`, refusing a second one."""

    def register(function: F) -> F:
        if name in table:
            raise ValueError(f"{kind} '{name}' is registered twice")
        table[name] = function
        return function

    return register
