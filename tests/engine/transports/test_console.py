"""`runner.py console`: the same bot in a terminal, driven here through a pipe and by scripts."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from engine.settings import PROJECT_ROOT
from tests.kit.clock import SUNDAY_NOON, MovedClock
from tests.kit.databases import query
from tests.kit.loopback_only import subprocess_env
from tests.kit.workspace import Workspace

PROFILE_INPUT = "\n".join([
    "/start", "Taras", "Shevchenko", ":contact", "Poetry Inc", "Every week",
    "1", "4", "Done",  # motivation: buttons by number
    "Books", "Travel", "Done",  # topics: buttons by label
    "I write and paint.", "English",
    ":sticker", "/info",
]) + "\n"


def test_console_completes_the_profile_from_piped_input(workspace: Workspace) -> None:
    result = subprocess.run(
        [sys.executable, "runner.py", "console", "--user", "7", "--name", "Taras",
         "--lang", "en", "--phone", "+380441234567"],
        cwd=PROJECT_ROOT, env={**workspace.environment(), "PATH": ""}, input=PROFILE_INPUT,
        capture_output=True, text=True, timeout=60)

    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    out = result.stdout
    assert out.startswith("Hello! I am the Random Coffee bot.")
    assert "  [1] Share my phone number\n  [2] Skip" in out
    assert "[message updated]" in out  # a multiple-choice tap redraws the same message
    for row in ("1. First name: Taras", "3. Phone: +380441234567", "5. How often: Every week",
                "6. Motivation: Networking, Sharing experience",
                "7. Topics: Travel, Books", "9. Language: English"):
        assert row in out
    assert out.rstrip().endswith("  [3] 🌐 Language")  # /info, then the profile again
    assert "Please choose with the buttons below." in out  # the sticker, at the profile
    assert query(workspace.environment()["DATABASE_URL"],
                 'select registered, locale, phone from "user" where id = 7') == [
        (1, "en", "+380441234567")]


REGISTRATION = """\
# A newcomer registers: what an organizer replays after an edit.
/start
Taras
Shevchenko
#2
4
#1
#1
#7
#11
#15
I write and paint.
#1
"""


def console(workspace: Workspace, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    """A console run on the Sunday before the week from 7 December (the screens name rounds)."""
    clock = MovedClock(workspace.root / "now.txt", SUNDAY_NOON)
    return subprocess.run(
        [sys.executable, "runner.py", "console", "--user", "8", "--name", "Taras", "--lang", "en",
         *args], cwd=PROJECT_ROOT,
        env=subprocess_env({**workspace.environment(), **clock.env, "PATH": ""}), input=stdin,
        capture_output=True, text=True, timeout=60)


def test_a_script_prints_the_transcript(workspace: Workspace, tmp_path: Path) -> None:
    script = tmp_path / "register.txt"
    script.write_text(REGISTRATION, encoding="utf-8")
    result = console(workspace, "--script", str(script))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "> /start"
    assert lines[lines.index("> Taras") + 1] == "2. And your last name?"
    # `#2` presses the second button shown; a number alone is typed, as text
    assert "> [2] Skip\n4. Where do you work, or what do you do?\n> 4\n5. How often" \
        in result.stdout
    assert "> [1] Every week\n6. Why do you want" in result.stdout
    assert "> [15] Done\n8. Tell your future partners" in result.stdout
    assert "4. Work: 4\n" in result.stdout and "7. Topics: Books\n" in result.stdout
    assert lines[-3:] == ["  [1] Edit an answer", "  [2] Skip the week from 7 December",
                          "  [3] 🌐 Language"]

    # The next run's buttons are the ones the last run showed, under the same numbers: as a
    # script, and typed in the chat.
    again = tmp_path / "skip.txt"
    again.write_text("#2\n", encoding="utf-8")
    skipped = console(workspace, "--script", str(again))
    assert skipped.stdout.startswith("> [2] Skip the week from 7 December\n[message updated]\n")
    assert "Week from 7 December: skipped" in skipped.stdout
    typed = console(workspace, stdin="2\n")
    assert typed.stdout.startswith("[message updated]\nYour profile")
    assert "Week from 7 December: the invitation comes on Thursday" in typed.stdout

    # A button the screen does not have: said in the transcript, the rest played, exit 1.
    missing = tmp_path / "missing.txt"
    missing.write_text("#9\n/info\n", encoding="utf-8")
    played = console(workspace, "--script", str(missing))
    assert played.returncode == 1
    assert played.stdout.splitlines()[:2] == [
        "> #9: there is no button 9 here (buttons 1-3)", "> /info"]


def test_a_script_that_cannot_be_read(workspace: Workspace, tmp_path: Path) -> None:
    result = console(workspace, "--script", str(tmp_path / "nowhere.txt"))
    assert result.returncode == 2
    assert result.stderr.startswith(f"error: cannot read the script {tmp_path / 'nowhere.txt'}")
