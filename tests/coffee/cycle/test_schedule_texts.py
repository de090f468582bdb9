"""Texts name the days and times the schedule settings say, in the participant's language."""

from __future__ import annotations

import subprocess
import sys

from coffee.app import Bot
from engine.settings import PROJECT_ROOT
from tests.kit.databases import database_url
from tests.kit.participant import ENGLISH_PROFILE, Participant
from tests.kit.workspace import Workspace


def console(workspace: Workspace, lang: str, stdin: str, **settings: str) -> str:
    result = subprocess.run([sys.executable, "runner.py", "console", "--lang", lang],
                            cwd=PROJECT_ROOT, input=stdin, capture_output=True, text=True,
                            env={**workspace.environment(), **settings, "PATH": ""}, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_changing_the_invitation_time_changes_every_text(workspace: Workspace) -> None:
    default = console(workspace, "en", "/start\n/info\n")
    assert "On Thursday I ask whether you take part the following week, on Monday" in default
    assert "• Thursday, 9:00\u202fAM: I ask whether you take part the following week." in default

    english = console(workspace, "en", "/info\n", SCHEDULE_INVITE="wed 18:00",
                      SCHEDULE_FEEDBACK="sat 10:30")
    assert "• Wednesday, 6:00\u202fPM: I ask whether you take part the following week." in english
    assert "• Monday, 9:00\u202fAM: you get your partner's profile" in english
    assert "• Saturday, 10:30\u202fAM: I ask how the meeting went." in english
    assert "Thursday" not in english

    ukrainian = console(workspace, "uk", "/info\n", SCHEDULE_INVITE="wed 18:00",
                        DATABASE_URL=database_url(workspace.root / "uk.sqlite3"))
    assert "• середа, 18:00: питаю, чи берете ви участь наступного тижня." in ukrainian
    assert "четвер" not in ukrainian


def test_dates_are_formatted_for_the_locale(bot: Bot) -> None:
    ukrainian = Participant(bot.engine, 11)
    english = Participant(bot.engine, 12, language_code="en")
    ukrainian.complete_profile()
    english.complete_profile(ENGLISH_PROFILE)
    assert "Тиждень з 7 грудня" in ukrainian.last.text
    assert "Week from 7 December" in english.last.text
