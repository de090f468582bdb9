"""A participant fills in the whole profile in Telegram, by polling and by webhook."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.kit import FakeBotAPI
from tests.kit.drivers.telegram import Step
from tests.kit.running import Mode, RunningBot
from tests.kit.settings import ADMIN_ID

TYPED = ["sendChatAction"]  # a typed message: "typing…" first, then the answer
PRESSED = ["answerCallbackQuery"]  # a pressed button: the spinner stops first
CONTACT_KEYBOARD = {
    "keyboard": [[{"text": "Share my phone number", "request_contact": True}],
                 [{"text": "Skip"}]],
    "resize_keyboard": True,
    "one_time_keyboard": False,
}


def sends(step: Step, count: int = 1, after: list[str] = TYPED) -> None:
    """The step's calls were `after`, then `count` sendMessage calls and nothing else."""
    assert step.methods == [*after, *["sendMessage"] * count], step.methods


def buttons(step: Step) -> list[str]:
    markup = step.messages[-1].reply_markup or {}
    return [button["text"] for row in markup.get("inline_keyboard", []) for button in row]


@pytest.mark.parametrize("mode", ["polling", "webhook"])
def test_participant_fills_in_the_profile(fake: FakeBotAPI, tmp_path: Path, mode: Mode) -> None:
    with RunningBot(fake, tmp_path, mode=mode, verbose=True) as bot:
        ann = bot.user(101, first_name="Ann", last_name="Lee", language_code="en")

        step = ann.command("start", replies=2)
        sends(step, 2)
        assert step.texts[0].startswith("Hello! I am the Random Coffee bot.")
        assert step.texts[1] == "<b>1.</b> What is your first name?"
        assert fake.calls("sendMessage", ann.user_id)[0].params["parse_mode"] == "HTML"

        sends(step := ann.send("Ann"))
        assert step.texts == ["<b>2.</b> And your last name?"]

        sends(step := ann.send("Lee"))
        assert step.texts[0].startswith("<b>3.</b> Share your phone number")
        assert step.calls[-1].params["reply_markup"] == CONTACT_KEYBOARD

        sends(step := ann.share_contact("+380501112233"))
        assert step.texts == ["<b>4.</b> Where do you work, or what do you do?"]
        assert step.calls[-1].params["reply_markup"] == {"remove_keyboard": True}

        sends(step := ann.send("ACME"))
        assert step.texts == ["<b>5.</b> How often would you like to meet?"]
        assert buttons(step) == ["Every week", "Every two weeks"]

        sends(step := ann.press("Every week"), after=PRESSED)
        question = step.messages[0]
        assert question.text.startswith("<b>6.</b> Why do you want to meet people?")

        for label in ("Networking", "Having fun", "Networking", "Making friends"):
            step = ann.press(label)
            assert step.methods == ["answerCallbackQuery", "editMessageText"]
            assert step.calls[-1].params["message_id"] == question.message_id
        edited = ann.keyboard_message()
        assert edited.message_id == question.message_id
        picked = [b["text"] for row in edited.reply_markup["inline_keyboard"] for b in row
                  if b["text"].startswith("✅")]
        assert picked == ["✅ Having fun", "✅ Making friends"]

        sends(step := ann.press("Done"), after=PRESSED)
        assert step.texts[0].startswith("<b>7.</b> What would you like to talk about?")
        ann.press("Design")
        ann.press("Books")
        sends(step := ann.press("Done"), after=PRESSED)
        assert step.texts[0].startswith("<b>8.</b> Tell your future partners")
        # A second tap on Done: the press is answered and nothing else is sent.
        sent, answered = len(ann.sent()), len(fake.calls("answerCallbackQuery", ann.user_id))
        sends(ann.step(ann.press_update("Done"), 0, lambda: len(fake.calls(
            "answerCallbackQuery", ann.user_id)) > answered), 0, after=PRESSED)

        sends(step := ann.send("I brew <b>coffee</b> & like tea"))
        assert len(ann.sent()) == sent + 1
        assert step.texts == ["<b>9.</b> Which language should I speak with you?"]

        sends(step := ann.press("English", replies=2), 2, after=PRESSED)
        assert step.texts[0].startswith("Done, your profile is ready!")
        assert step.texts[1].startswith("<b>Your profile</b>")
        assert "I brew &lt;b&gt;coffee&lt;/b&gt; &amp; like tea" in step.texts[1]

        bob = bot.user(102, first_name="Bob", language_code="en")
        bob.command("start", replies=2)
        bob.send("Bob")
        bob.send("Brown")
        sends(step := bob.send("Skip"))
        assert step.texts == ["<b>4.</b> Where do you work, or what do you do?"]
        assert step.calls[-1].params["reply_markup"] == {"remove_keyboard": True}

        answers = dict(bot.query("SELECT key, value FROM answer WHERE user_id = 101"))
        assert json.loads(answers["motivation"]) == ["fun", "friends"]
        assert json.loads(answers["topics"]) == ["design", "books"]
        assert bot.query('SELECT phone, locale FROM "user" ORDER BY id') == [
            ("+380501112233", "en"), (None, "en")]
        assert fake.token not in bot.stderr()
        assert "Application started" in bot.stderr()  # INFO was on: the check above means it
    assert_command_menus(fake)


def assert_command_menus(fake: FakeBotAPI) -> None:
    menus = {
        (json.dumps(call.params.get("scope"), sort_keys=True), call.params.get("language_code")):
            [(c["command"], c["description"]) for c in call.params["commands"]]
        for call in fake.calls("setMyCommands")
    }
    public_en = [("feedback", "Write to the organizers"), ("info", "How Random Coffee works"),
                 ("start", "Your profile: edit answers, skip a week, change the language")]
    assert menus[("null", "en")] == public_en
    assert [command for command, _ in menus[("null", "uk")]] == ["feedback", "info", "start"]
    assert menus[("null", None)] == menus[("null", "uk")]  # the default locale, uk
    admin = json.dumps({"chat_id": ADMIN_ID, "type": "chat"})
    assert [command for command, _ in menus[(admin, "en")]] == [
        "admin", "feedback", "info", "start", "status"]
    assert (admin, None) in menus and (admin, "uk") in menus
