"""A language falls back per message, never inside one: a message its catalog does not fully
translate is shown whole in the next language of its chain (LOCALE_FALLBACKS, then
SOURCE_LOCALE), days and times included; lint says per language how far it is and why it is
not offered."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from coffee.app import Bot, build_bot
from engine.settings import PROJECT_ROOT
from tests.kit.clock import Clock
from tests.kit.participant import Participant
from tests.kit.settings import settings_for
from tests.kit.workspace import Workspace

PYBABEL = str(Path(sys.executable).with_name("pybabel"))
POLISH = {  # twelve texts, as a translator who has just begun
    "Write to the organizers": "Napisz do organizatorów",
    "What is your first name?": "Jak masz na imię?",
    "And your last name?": "A nazwisko?",
    "First name": "Imię",
    "Last name": "Nazwisko",
    "Hello! I am the %(community)s bot.": "Cześć! Jestem botem %(community)s.",
    "Skip": "Pomiń",
    "Share my phone number": "Udostępnij numer",
    "Where do you work, or what do you do?": "Gdzie pracujesz lub czym się zajmujesz?",
    "Work": "Praca",
    "Every week": "Co tydzień",
    "Every two weeks": "Co dwa tygodnie",
}


def runner(workspace: Workspace, *args: str, **environment: str,
           ) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "runner.py", *args], cwd=PROJECT_ROOT,
                          env={**workspace.environment(), **environment, "PATH": ""},
                          capture_output=True, text=True, timeout=60)


@pytest.fixture
def polish(workspace: Workspace) -> Workspace:
    """Polish started with `pybabel init`, twelve texts translated."""
    result = subprocess.run([PYBABEL, "init", "-i", "locales/messages.pot", "-d", "locales",
                             "-l", "pl"], cwd=workspace.root, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    workspace.translate("pl", POLISH)
    return workspace


def a_bot(workspace: Workspace, clock: Clock, **settings: str) -> Iterator[Bot]:
    bot = build_bot(settings_for(workspace.root, **workspace.environment(), **settings),
                    clock=clock)
    try:
        yield bot
    finally:
        bot.database.close()


def test_polish_falls_back_to_english_whole_messages(polish: Workspace, clock: Clock) -> None:
    for bot in a_bot(polish, clock):
        ania = Participant(bot.engine, 1, first_name="Ania", language_code="pl")
        welcome, question = ania.texts(ania.command("start"))
        # One of welcome.j2's three texts is translated: the whole message is in English.
        assert welcome.startswith("Hello! I am the Random Coffee bot.\n\nEvery week I "
                                  "introduce members")
        assert "On Thursday I ask whether" in welcome and "Cześć" not in welcome
        assert question == "1. Jak masz na imię?"
        assert ania.texts(ania.send("Ania")) == ["2. A nazwisko?"]
        phone = ania.send("Kowalska")[-1]
        assert ania.texts([phone]) == ["3. Share your phone number with the button below, so "
                                       "that your partner can call you. You can skip this."]
        assert [button.label for row in phone.keyboard for button in row] == [
            "Udostępnij numer", "Pomiń"]
        ania.share_contact("+48500100200")
        assert ania.texts(ania.send("Kawiarnia")) == ["5. How often would you like to meet?"]
        assert ania.last.labels == ["Co tydzień", "Co dwa tygodnie"]


def test_a_configured_chain_is_tried_before_the_source(polish: Workspace,
                                                       clock: Clock) -> None:
    for bot in a_bot(polish, clock, LOCALE_FALLBACKS="pl:uk"):
        assert bot.parts.renderer.chain("pl") == ("pl", "uk", "en")
        ania = Participant(bot.engine, 1, first_name="Ania", language_code="pl")
        welcome = ania.texts(ania.command("start"))[0]
        assert welcome.startswith("Привіт! Я бот Random Coffee.")
        # The days are named in the language of the message, not the participant's.
        assert "четвер" in welcome and "czwartek" not in welcome
        assert ania.texts(ania.command("info"))[0].startswith("Random Coffee\n\nЩотижня")


def test_a_profile_with_one_untranslated_title_is_shown_in_the_fallback(
        polish: Workspace, clock: Clock) -> None:
    """The profile's titles and option labels are part of its message: Polish lacks most of
    them, so Ania reads her profile whole in English, days and options included."""
    polish.translate("pl", {  # the command menu: Polish is offered in the language question
        "Your profile: edit answers, skip a week, change the language":
            "Twój profil: zmień odpowiedzi, pomiń tydzień, zmień język",
        "How Random Coffee works": "Jak działa Random Coffee"})
    for bot in a_bot(polish, clock):
        ania = Participant(bot.engine, 1, first_name="Ania", language_code="pl")
        ania.command("start")
        for answer in ("Ania", "Kowalska"):
            ania.send(answer)
        ania.share_contact("+48500100200")
        ania.send("Kawiarnia")
        ania.press("Co tydzień")
        for choice in ("Networking", "Books"):
            ania.press(choice)
            ania.press("Done")
        ania.send("Lubię kawę.")
        profile = ania.texts(ania.press("Polski"))
        assert profile[-1].startswith("Your profile\n\n1. First name: Ania\n2. Last name: "
                                      "Kowalska\n")
        assert "5. How often: Every week\n" in profile[-1]
        assert "Imię" not in profile[-1] and "Co tydzień" not in profile[-1]


def test_lint_says_per_language_how_far_it_is(polish: Workspace) -> None:
    summary = runner(polish, "lint", "--summary")
    assert summary.returncode == 0, summary.stderr
    lines = summary.stdout.splitlines()
    total = int(lines[-2].split(" of ")[1].split()[0])
    assert lines == [
        f"pl: 12 of {total} translated; not offered: the command descriptions of info, start "
        "are missing; a message with an untranslated text is shown whole in en",
        f"uk: {total} of {total} translated; offered",
        "ok: 7 flows, 63 states"]

    polish_only = runner(polish, "lint", "--locale", "pl")
    assert polish_only.returncode == 0
    lines = polish_only.stdout.splitlines()
    assert len(lines) == total - 12 + 2
    assert all(": warning: pl: " in line for line in lines[:-2])
    assert lines[-2].startswith("pl: 12 of ")
    assert lines[-1] == f"ok: 7 flows, 63 states; {total - 12} warning(s)"
    unknown = runner(polish, "lint", "--locale", "de")
    assert (unknown.returncode, unknown.stderr) == (
        2, "error: no language 'de' (languages: en, pl, uk)\n")


def test_the_start_up_log_says_the_same(polish: Workspace) -> None:
    chat = subprocess.run([sys.executable, "runner.py", "console", "--lang", "pl"],
                          cwd=PROJECT_ROOT, env={**polish.environment(), "PATH": ""},
                          input="/start\n", capture_output=True, text=True, timeout=60)
    assert chat.returncode == 0
    assert "language pl: 12 of " in chat.stderr
    assert "; not offered: the command descriptions of info, start are missing; a message " \
           "with an untranslated text is shown whole in en (`runner.py lint --locale pl` " \
           "lists the texts)" in chat.stderr


@pytest.mark.parametrize(("value", "error"), [
    ("pl", "error: LOCALE_FALLBACKS must list a locale, a colon and the languages it falls "
           "back to, e.g. be:uk,pl;ru:uk; got 'pl'"),
    ("pl:de", "error: LOCALE_FALLBACKS names 'de', which is neither SOURCE_LOCALE nor has a "
              "catalog (available: en, pl, uk)"),
])
def test_a_wrong_chain_stops_start_up_with_one_line(polish: Workspace, value: str,
                                                    error: str) -> None:
    result = runner(polish, "lint", LOCALE_FALLBACKS=value)
    assert (result.returncode, result.stderr) == (2, error + "\n")
