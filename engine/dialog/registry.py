"""Named actions and variables that flows use by name, registered from Python.

An organizer writes `action: skip_this_week` in YAML; the domain registers a function under
that name. Lint checks every name a flow uses against this registry.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

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
        def register(function: Action) -> Action:
            if name in self.actions:
                raise ValueError(f"action '{name}' is registered twice")
            self.actions[name] = function
            return function

        return register

    def variable(self, name: str) -> Callable[[Variable], Variable]:
        def register(function: Variable) -> Variable:
            if name in self.variables:
                raise ValueError(f"variable '{name}' is registered twice")
            self.variables[name] = function
            return function

        return register

    def include(self, other: Registry) -> None:
        """Take over every action and variable of another registry (a domain's)."""
        for name, function in other.actions.items():
            self.action(name)(function)
        for name, variable in other.variables.items():
            self.variable(name)(variable)
