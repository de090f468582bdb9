"""`when:` expressions: compiled once with Jinja2's sandboxed expression compiler, evaluated
against a participant's variables. An organizer's expression can read data, never run code."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from jinja2 import TemplateSyntaxError, meta
from jinja2.sandbox import SandboxedEnvironment

Condition = Callable[[Mapping[str, Any]], bool]

_environment = SandboxedEnvironment()


class ConditionError(ValueError):
    """An expression that does not compile; the message says why, for lint."""


def compile_condition(expression: str) -> Condition:
    """Compile `expression` into a predicate over a mapping of variables."""
    try:
        compiled = _environment.compile_expression(expression, undefined_to_none=True)
    except TemplateSyntaxError as error:
        raise ConditionError(_invalid(expression, error)) from error

    def holds(variables: Mapping[str, Any]) -> bool:
        return bool(compiled(**variables))

    return holds


def names_used(expression: str) -> set[str]:
    """The top-level variable names an expression reads (for lint's unknown-name check)."""
    try:
        tree = _environment.parse(f"{{{{ {expression} }}}}")
    except TemplateSyntaxError as error:
        raise ConditionError(_invalid(expression, error)) from error
    return meta.find_undeclared_variables(tree)


def _invalid(expression: str, error: TemplateSyntaxError) -> str:
    return f"'{expression}' is not a valid expression: {error.message}"
