"""`runner.py console`: the same bot in a terminal, driven here through a pipe."""

from __future__ import annotations

import subprocess
import sys

from engine.settings import PROJECT_ROOT
from tests.kit.databases import query
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
