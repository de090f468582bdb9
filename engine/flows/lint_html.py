"""Telegram HTML in the flows' texts: what the Bot API would refuse comes back as a 400 at run
time, so lint says it first (`telegram_html` reads the text as Telegram does)."""

from __future__ import annotations

import re

from engine.flows.telegram_html import FILLED_LATER, parse_html

_JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)


def without_jinja(source: str) -> str:
    """The template's literal text: every `{% %}` and `{# #}` blanked out, every `{{ }}` left
    as one FILLED_LATER character, lines kept."""
    return _JINJA.sub(lambda match: (FILLED_LATER if match.group().startswith("{{") else "")
                      + "\n" * match.group().count("\n"), source)


def html_problems(text: str) -> list[tuple[int, str]]:
    """(line, message) for each thing Telegram would refuse in `text`."""
    return sorted((problem.line, problem.message) for problem in parse_html(text).problems)
