"""The Random Coffee variables through the narrow interface: computed once per event."""

from __future__ import annotations

from typing import Any

from coffee.app import Bot
from coffee.models import Participation
from engine.dialog.api import Conversation
from tests.kit.community import Community


def test_a_variable_is_computed_once_per_event_and_again_after_an_action(
        bot: Bot, community: Community) -> None:
    olena = community.register(101)
    calls: list[int] = []
    invitation = bot.engine.registry.variables["invitation"]

    def counted(talk: Conversation) -> Any:
        calls.append(talk.user_id)
        return invitation(talk)

    bot.engine.registry.variables["invitation"] = counted
    community.run_and_deliver("invite")
    # The flow's first arm and the invitation's text both read it: one lookup.
    assert calls == [101]

    calls.clear()
    olena.press("Так, беру участь")
    # Joining changes the invitation: read once by the action, once after it.
    assert calls == [101, 101]
    assert Participation.get(Participation.user == 101).status == "yes"
