"""`when:` expressions: compiled once with Jinja2's sandboxed expression compiler, evaluated
against a participant's variables. An organizer's expression can read data, never run code."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from jinja2 import TemplateSyntaxError, nodes
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


def parse_expression(expression: str) -> nodes.Template:
    """The expression's syntax tree (for lint's check of the names and attributes it reads)."""
    try:
        compile_condition(expression)
        return _environment.parse(f"{{{{ {expression} }}}}")
    except TemplateSyntaxError as error:
        raise ConditionError(_invalid(expression, error)) from error


def _invalid(expression: str, error: TemplateSyntaxError) -> str:
    return f"'{expression}' is not a valid expression: {error.message}"
