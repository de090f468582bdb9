"""The engine's promises beyond one conversation: storage, locales, failures, memory."""

from __future__ import annotations

import transitions

from coffee.app import Bot
from engine.dialog.events import Event, Sender
from engine.store import DialogState, User
from tests.kit.participant import ENGLISH_PROFILE, Participant


def test_user_and_dialogue_state_are_created_together(bot: Bot) -> None:
    bot.engine.handle(Event.message(7, "/start", sender=Sender("Ira", username="ira")))
    user = User.get_by_id(7)
    assert (user.first_name, user.username, user.locale) == ("Ira", "ira", "uk")
    assert DialogState.get_by_id(7).flow == "start"


def test_locale_is_guessed_from_telegram_language(bot: Bot) -> None:
    for user_id, code, expected in ((1, "en-US", "en"), (2, "uk", "uk"), (3, "de", "uk"),
                                    (4, None, "uk")):
        bot.engine.handle(Event.message(user_id, "/start", sender=Sender(language_code=code)))
        assert User.get_by_id(user_id).locale == expected


def test_a_message_without_start_begins_the_questionnaire(bot: Bot) -> None:
    participant = Participant(bot.engine, 8)
    texts = participant.texts(participant.send("привіт"))
    assert texts[-1] == "1. Як вас звати? Напишіть ім’я."


def test_a_failing_action_gets_an_apology_and_keeps_the_stored_state(
        bot: Bot, participant: Participant) -> None:
    participant.complete_profile()

    def broken(turn: object) -> None:
        raise RuntimeError("database on fire")

    bot.engine.registry.actions["skip_this_week"] = broken
    replies = participant.press("Пропустити тиждень з 30 листопада")
    assert participant.texts(replies) == [
        "Вибачте, у мене щось пішло не так. Спробуйте, будь ласка, за хвилину."]
    assert DialogState.get_by_id(101).state == "ProfileState"
    assert "Traceback" not in replies[0].text


def test_handling_messages_builds_no_machine(bot: Bot, monkeypatch) -> None:
    built: list[object] = []
    original = transitions.Machine.__init__

    def counting(self, *args, **kwargs) -> None:
        built.append(self)
        original(self, *args, **kwargs)

    monkeypatch.setattr(transitions.Machine, "__init__", counting)
    for user_id in range(200, 230):
        Participant(bot.engine, user_id).complete_profile()
    assert built == []


def test_dates_are_formatted_for_the_locale(bot: Bot) -> None:
    ukrainian = Participant(bot.engine, 11)
    english = Participant(bot.engine, 12, language_code="en")
    ukrainian.complete_profile()
    english.complete_profile(ENGLISH_PROFILE)
    assert "Тиждень з 7 грудня" in ukrainian.last.text
    assert "Week from 7 December" in english.last.text
