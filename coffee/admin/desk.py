"""What the organizers' actions work with besides the conversation (`Desk`), and the one way
they call an organizer operation (`attempt`): as this organizer, a refusal said in their words
and remembered in `context.failed`, which the flow reads to ask again."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from coffee import organizers as ops
from coffee.cycle.schedule import Schedule
from engine.dialog.api import Conversation
from engine.dialog.events import CommandMenu
from engine.dialog.profile import ProfileFields
from engine.render.templates import Renderer

if TYPE_CHECKING:
    from engine.dialog.engine import ConversationEngine

FAILED = "failed"


@dataclass
class Desk:
    """`engine` is set once it exists (the jobs an organizer runs need it)."""

    organizer_ids: frozenset[int]
    defaults: ops.Defaults
    renderer: Renderer
    vocabulary: ops.Vocabulary
    schedule: Callable[[], Schedule]  # as the organizers' settings say now
    fields: ProfileFields  # the profile answers the weekly jobs read
    engine: ConversationEngine | None = field(default=None)
    panel_link: Callable[[int], str] | None = None  # a web panel login link, when configured
    # the labels (msgids) of the reasons the statistics count, by kind
    reasons: dict[str, dict[str, str]] = field(default_factory=dict)
    # the commands an organizer's chat gets in its menu (`engine.dialog.menus.command_menu`)
    organizer_menu: CommandMenu = field(default_factory=lambda: CommandMenu(()))
    # asks for what a job run now queued to be delivered at once (see `coffee.app.Bot`)
    deliver_soon: Callable[[], None] = lambda: None

    def words(self, talk: Conversation) -> ops.Words:
        return self.vocabulary.words(talk.locale)

    def actor(self, talk: Conversation) -> ops.Actor:
        return ops.act_as(talk.user_id, self.organizer_ids, talk.now)

    def attempt(self, talk: Conversation, operation: Callable[[ops.Actor], Any]) -> Any:
        """Run an operation as this organizer; a refusal is said and remembered (None)."""
        talk.flow_values[FAILED] = False
        try:
            return operation(self.actor(talk))
        except ops.Refused as refused:
            talk.flow_values[FAILED] = True
            talk.say("organizer_error", error=refused.code, **refused.params)
            return None

    def typed(self, talk: Conversation, key: str) -> str:
        """What the organizer typed for `key`, taken out of the flow's values ("" when the
        question was skipped or cancelled); `context.failed` starts clear."""
        talk.flow_values[FAILED] = False
        return str(talk.flow_values.pop(key, None) or "")

    def engine_of(self) -> ConversationEngine:
        if self.engine is None:
            raise RuntimeError("the organizers' desk has no engine yet")
        return self.engine
