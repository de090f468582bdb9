"""The meetup sign-up example (examples/signup): a second bot on the engine alone, with one action
of its own; through the engine's seam, in the console and over Telegram."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from engine.assembly import open_engine, read_texts, with_core
from engine.dialog.api import Registry
from engine.dialog.engine import ConversationEngine
from tests.kit import FakeBotAPI
from tests.kit.participant import Participant
from tests.kit.running import REPO_ROOT, RunningBot, runner_env
from tests.kit.settings import ADMIN_ID, engine_settings_for

EXAMPLE = REPO_ROOT / "examples" / "signup"


def the_examples_registry() -> Registry:
    """The registry the example's bot.py builds (its one action), loaded as the file is."""
    spec = importlib.util.spec_from_file_location("signup_bot", EXAMPLE / "bot.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.signup


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[ConversationEngine]:
    settings = engine_settings_for(tmp_path, FLOWS_DIR=str(EXAMPLE / "flows"),
                                   TEMPLATES_DIR=str(EXAMPLE / "templates"),
                                   LOCALES_DIR=str(EXAMPLE / "locales"),
                                   ORGANIZER_IDS=str(ADMIN_ID))
    engine, database = open_engine(read_texts(settings), with_core(the_examples_registry()))
    yield engine
    database.close()


def sign_up(guest: Participant, name: str, people: str, food: list[str], done: str) -> None:
    guest.command("start")
    guest.send(name)
    guest.press(people)
    for choice in food:
        guest.press(choice)
    guest.press(done)


def test_a_guest_signs_up_and_the_organizers_hear_of_it(engine: ConversationEngine) -> None:
    guest = Participant(engine, 5, language_code="en")
    assert guest.texts(guest.command("start")) == [
        "Hello! Let us sign you up for the meetup: three short questions.",
        "1. What name should we put on your badge?"]
    guest.send("Anna")
    guest.press("Two of us")
    guest.press("Vegan")
    guest.press("Done")
    assert guest.chat[-1].text.splitlines() == [
        "You are signed up, Anna!", "1. Name: Anna", "2. People: Two of us",
        "3. Food: Vegan"]
    [note] = [reply for reply in guest.elsewhere if reply.chat_id == ADMIN_ID]
    assert "New sign-up for the meetup:" in note.text and "Two of us" in note.text


def test_about_in_the_middle_comes_back_to_the_question(engine: ConversationEngine) -> None:
    guest = Participant(engine, 6, language_code="en")
    guest.command("start")
    guest.send("Bo")
    texts = guest.texts(guest.command("about"))
    assert texts[0].startswith("The meetup is on Saturday at 18:00")
    assert texts[-1] == "2. How many people are coming, you included?"
    guest.press("Just me")
    assert guest.chat[-1].text == ("3. Any food we should know about? Choose all that apply, "
                                   "then Done.")


def test_a_ukrainian_guest_reads_ukrainian(engine: ConversationEngine) -> None:
    guest = Participant(engine, 7, language_code="uk")
    sign_up(guest, "Олена", "Лише я", [], "Готово")
    assert guest.chat[-1].text.splitlines()[0] == "Вас записано, Олена!"
    assert "2. Людей: Лише я" in guest.chat[-1].text


def test_the_console_signs_up_from_piped_input(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "examples/signup/bot.py", "console", "--user", "3", "--lang", "en"],
        cwd=REPO_ROOT, env=runner_env(DATABASE_URL=f"sqlite:///{tmp_path / 'signup.sqlite3'}"),
        input="/start\nIvan\n3\n4\n", capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Hello! Let us sign you up for the meetup")
    assert "You are signed up, Ivan!" in result.stdout
    assert "2. People: Three of us" in result.stdout


def test_the_example_signs_up_over_telegram(fake: FakeBotAPI, tmp_path: Path) -> None:
    with RunningBot(fake, tmp_path, script="examples/signup/bot.py") as bot:
        guest = bot.user(11, first_name="Iryna", language_code="en")
        guest.command("start")
        guest.sees("1. What name should we put on your badge?")
        guest.send("Iryna")
        guest.press("Three of us")
        guest.press("Vegetarian")
        guest.press("Done")
        guest.sees("You are signed up, Iryna!")
        assert fake.sent(ADMIN_ID)[-1].text.startswith("New sign-up for the meetup:")
