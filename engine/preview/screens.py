"""Every state of the flows drawn as a participant sees it, one screen per state and language.

The participant stands where they stand; each screen is drawn without running the state's
actions and without storing anything (`ConversationEngine.draw`), with names a template lacks
marked (`⟨name⟩`) instead of left blank.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from engine.dialog.engine import ConversationEngine
from engine.dialog.events import Reply
from engine.flows.spec import FlowSpec
from engine.render.templates import showing_holes
from engine.store import User
from engine.transports.plain import html_to_text

_HOLE = re.compile(r"⟨[^⟩]*⟩")


@dataclass(frozen=True)
class Screen:
    """One state in one language: the messages it shows, or why it could not be drawn."""

    flow: str
    state: str
    locale: str
    replies: tuple[Reply, ...] = ()
    error: str | None = None

    @property
    def first_line(self) -> str:
        """The first line the participant reads here, as plain text."""
        for reply in self.replies:
            for line in html_to_text(reply.text).splitlines():
                if line.strip():
                    return line.strip()
        return ""

    @property
    def holes(self) -> list[str]:
        """The names its texts and buttons lack (`⟨name⟩`)."""
        shown = [reply.text for reply in self.replies]
        shown.extend(button.label for reply in self.replies
                     for row in (*reply.buttons, *reply.keyboard) for button in row)
        return [hole for text in shown for hole in _HOLE.findall(text)]


def draw_screens(engine: ConversationEngine, user_id: int, flows: Iterable[FlowSpec],
                 locales: Sequence[str],
                 values: Mapping[str, Mapping[str, Any]]) -> list[Screen]:
    """Each state of `flows` in each of `locales` for the participant `user_id`, a flow's
    states with the flow's `values` (what the code starts it with, what its actions keep)."""
    original = User.get_by_id(user_id).locale
    screens = []
    try:
        for spec in flows:
            for state in spec.states:
                for locale in locales:
                    User.update(locale=locale).where(User.id == user_id).execute()
                    screens.append(_draw(engine, user_id, spec.name, state, locale,
                                         values.get(spec.name, {})))
    finally:
        User.update(locale=original).where(User.id == user_id).execute()
    return screens


def _draw(engine: ConversationEngine, user_id: int, flow: str, state: str, locale: str,
          values: Mapping[str, Any]) -> Screen:
    with showing_holes():
        try:
            replies = engine.draw(user_id, flow, state, values)
        except Exception as error:  # a preview shows what fails and goes on with the rest
            return Screen(flow, state, locale, error=f"{type(error).__name__}: {error}")
    return Screen(flow, state, locale, tuple(replies))
