"""What a page needs to call the organizer operations: the acting organizer, the settings'
defaults, the bot's renderer and languages, the live schedule."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import current_app, g, has_request_context
from flask_babel import LazyString

from coffee.bot_settings import BotSettings
from coffee.cycle.schedule import Schedule
from coffee.organizers import Actor, Defaults, Vocabulary, Words, effective, live_schedule
from engine.dialog.profile import ProfileFields
from engine.render.templates import Renderer

EXTENSION = "panel.context"


@dataclass(frozen=True)
class PanelContext:
    settings: BotSettings
    renderer: Renderer
    fields: ProfileFields  # the profile answers matching reads
    vocabulary: Vocabulary  # every id an organizer reads, as a word (the same as /admin's)

    @property
    def defaults(self) -> Defaults:
        return Defaults.from_settings(self.settings)

    @property
    def locales(self) -> list[str]:
        return self.renderer.locales or [self.settings.default_locale]

    def words(self) -> Words:
        """The organizers' vocabulary in this page's language."""
        return self.vocabulary.words(g.get("locale") or self.settings.default_locale)

    def reason(self, kind: str, reason: str) -> str:
        """A stored reason id (`no_time`) as the participant's button said it, in the panel's
        language; the id itself when no question offers it (any more)."""
        return self.words().reason(kind, reason)

    def community(self) -> str:
        """The community's name as the organizers set it now."""
        return effective("community_name", self.defaults)

    def schedule(self) -> Schedule:
        """The weekly schedule with the organizers' stored changes, read now."""
        return live_schedule(self.defaults, self.settings.timezone)


def panel_context() -> PanelContext:
    return current_app.extensions[EXTENSION]


def lazy_words(read: Callable[..., str], *args: Any) -> LazyString:
    """`read(words, *args)` (a method of `Words`) in the page's language when it is shown:
    for what Flask-Admin builds once, such as a filter's name and choices. Outside a request
    (Flask-Admin names a filter's address after it when the panel starts) it is the last
    argument, the id itself: `?flt0_frequency_is=weekly`."""
    def text() -> str:
        if not has_request_context():
            return str(args[-1])
        return read(panel_context().words(), *args)

    return LazyString(text)


def actor() -> Actor:
    """The organizer of this request (checked by the access guard)."""
    return g.actor
