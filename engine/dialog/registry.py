"""Named actions and variables that flows use by name, registered from Python.

An organizer writes `action: skip_this_week` in YAML; the domain registers a function under
that name. Lint checks every name a flow uses against this registry.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from engine.dialog.turn import Turn

Action = Callable[["Turn"], None]
Variable = Callable[["Turn"], Any]


class Registry:
    """Actions (called on entry, on answer, or on a button) and variables (read by templates)."""

    def __init__(self) -> None:
        self.actions: dict[str, Action] = {}
        self.variables: dict[str, Variable] = {}

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


F = TypeVar("F", bound=Callable[..., Any])


def _registrar(table: dict[str, F], kind: str, name: str) -> Callable[[F], F]:
    """A decorator that files a function under `name`, refusing a second one."""

    def register(function: F) -> F:
        if name in table:
            raise ValueError(f"{kind} '{name}' is registered twice")
        table[name] = function
        return function

    return register
