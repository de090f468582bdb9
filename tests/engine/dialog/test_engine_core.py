"""The engine's promises beyond one conversation: storage, locales, failures, memory; on the
engine's own test bot."""

from __future__ import annotations

import pytest
import transitions

from engine.dialog.engine import ConversationEngine
from engine.dialog.events import Event, Sender
from engine.store import Answer, DialogState, User
from tests.kit.participant import Participant


def register(engine: ConversationEngine, user_id: int, language: str = "en") -> Participant:
    participant = Participant(engine, user_id, language_code=language)
    participant.command("start")
    participant.send("Ira")
    participant.press("Blue" if language == "en" else "Синій")
    return participant


def test_user_and_dialogue_state_are_created_together(fixture_engine: ConversationEngine) -> None:
    fixture_engine.handle(Event.message(7, "/start", sender=Sender("Ira", username="ira")))
    user = User.get_by_id(7)
    assert (user.first_name, user.username, user.locale) == ("Ira", "ira", "uk")
    assert DialogState.get_by_id(7).flow == "start"


def test_locale_is_guessed_from_telegram_language(fixture_engine: ConversationEngine) -> None:
    for user_id, code, expected in ((1, "en-US", "en"), (2, "uk", "uk"), (3, "de", "uk"),
                                    (4, None, "uk")):
        fixture_engine.handle(Event.message(user_id, "/start",
                                            sender=Sender(language_code=code)))
        assert User.get_by_id(user_id).locale == expected


def test_a_message_without_start_begins_the_questionnaire(
        fixture_engine: ConversationEngine) -> None:
    participant = Participant(fixture_engine, 8)
    assert participant.texts(participant.send("привіт")) == ["Привіт!", "1. Як вас звати?"]


def test_the_questionnaire_ends_at_the_profile(fixture_engine: ConversationEngine) -> None:
    participant = register(fixture_engine, 9)
    assert participant.last.text.splitlines() == ["Your answers:", "1. Name: Ira",
                                                  "2. Colour: Blue"]
    assert User.get_by_id(9).registered
    assert Answer.get(Answer.user == 9, Answer.key == "colour").value == "blue"


def test_a_failing_action_gets_an_apology_and_keeps_the_stored_state(
        fixture_engine: ConversationEngine, monkeypatch: pytest.MonkeyPatch) -> None:
    participant = register(fixture_engine, 101, language="uk")

    def broken(talk: object) -> None:
        raise RuntimeError("database on fire")

    monkeypatch.setitem(fixture_engine.registry.actions, "wave", broken)
    replies = participant.press("Помахати")
    assert participant.texts(replies) == ["Вибачте, щось пішло не так."]
    assert DialogState.get_by_id(101).state == "ProfileState"
    assert not Answer.select().where(Answer.user == 101, Answer.key == "waved").exists()
    assert "Traceback" not in replies[0].text


def test_a_called_flow_comes_back_to_the_caller(fixture_engine: ConversationEngine) -> None:
    participant = register(fixture_engine, 12)
    before = participant.last.text
    texts = participant.texts(participant.press("Help"))
    assert texts == ["This bot asks two questions.", before]
    assert DialogState.get_by_id(12).state == "ProfileState"


def test_handling_messages_builds_no_machine(fixture_engine: ConversationEngine,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    built: list[object] = []
    original = transitions.Machine.__init__

    def counting(self: transitions.Machine, *args: object, **kwargs: object) -> None:
        built.append(self)
        original(self, *args, **kwargs)

    monkeypatch.setattr(transitions.Machine, "__init__", counting)
    for user_id in range(200, 230):
        register(fixture_engine, user_id)
    assert built == []
