"""A newcomer whose Telegram language the bot has no catalog for (or who has none) is asked the
language before anything else; the questionnaire then does not ask it again."""

from __future__ import annotations

import pytest

from coffee.app import Bot
from engine.store import User
from tests.kit.participant import Participant

# In every language offered, DEFAULT_LOCALE (Ukrainian) first: the newcomer reads one of them.
LANGUAGE_QUESTION = "Якою мовою мені з вами говорити?\nWhich language should I speak with you?"


@pytest.mark.parametrize("language_code", ["de", None])
def test_the_language_comes_first_when_telegrams_has_no_catalog(
        bot: Bot, language_code: str | None) -> None:
    hans = Participant(bot.engine, 21, first_name="Hans", language_code=language_code)
    assert hans.texts(hans.command("start")) == [LANGUAGE_QUESTION]
    assert hans.last.labels == ["English", "Українська"]
    texts = hans.texts(hans.press("English"))
    assert texts[0].startswith("Hello! I am the Random Coffee bot.")
    assert texts[-1] == "1. What is your first name?"
    assert User.get_by_id(21).locale == "en"

    asked = [hans.texts(hans.send(answer))[-1] for answer in ("Hans", "Meier")]
    assert asked == ["2. And your last name?", "3. Share your phone number with the button "
                     "below, so that your partner can call you. You can skip this."]
    hans.tap_reply_keyboard("Skip")
    hans.send("ACME")
    hans.press("Every week")
    hans.press("Networking")
    hans.press("Done")
    hans.press("Books")
    hans.press("Done")
    texts = hans.texts(hans.send("I like maps."))  # the last question: the language is known
    assert texts[0].startswith("Done, your profile is ready!")
    assert "9. Language: English" in texts[-1]
    assert sum(1 for message in hans.chat if "Which language" in message.text
               or LANGUAGE_QUESTION in message.text) == 1
    assert User.get_by_id(21).registered


def test_start_again_after_the_language_carries_on(bot: Bot) -> None:
    hans = Participant(bot.engine, 22, language_code="de")
    hans.command("start")
    hans.press("Українська")
    hans.send("Ганс")
    assert hans.texts(hans.command("start")) == [
        "Продовжую з того місця, де ви зупинилися:", "2. А прізвище?"]


@pytest.mark.parametrize(("language_code", "first"), [
    ("uk", "1. Як вас звати? Напишіть ім’я."), ("en-US", "1. What is your first name?")])
def test_a_language_with_a_catalog_is_asked_last(bot: Bot, language_code: str,
                                                 first: str) -> None:
    olena = Participant(bot.engine, 23, language_code=language_code)
    assert olena.texts(olena.command("start"))[-1] == first
