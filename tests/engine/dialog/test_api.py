"""Actions written against the narrow interface (`engine.dialog.api.Conversation`), on the
engine's own test bot."""

from __future__ import annotations

import pytest

from engine.dialog.api import Conversation
from engine.dialog.engine import ConversationEngine
from engine.store import DialogState
from tests.engine.dialog.test_engine_core import register


def test_an_action_starts_a_flow_for_someone_else_and_messages_them(
        fixture_engine: ConversationEngine, monkeypatch: pytest.MonkeyPatch) -> None:
    register(fixture_engine, 202)
    participant = register(fixture_engine, 101)

    def nudge(talk: Conversation) -> None:
        talk.start_flow_for(202, "help")
        talk.send_to(202, "keyboard_removed")
        talk.say("keyboard_removed")

    monkeypatch.setitem(fixture_engine.registry.actions, "wave", nudge)
    replies = participant.press("Wave")

    theirs = [reply for reply in participant.elsewhere if reply.chat_id == 202]
    # The flow speaks the other participant's language; send_to without a locale the bot's.
    assert [reply.text for reply in theirs] == ["This bot asks two questions.", "Гаразд."]
    assert participant.texts(replies)[0] == "OK."
    assert DialogState.get_by_id(202).flow == "help"
    assert DialogState.get_by_id(101).state == "ProfileState"
