"""Languages as organizers and translators meet them: the flows' own language needs no catalog,
a missing translation falls back instead of stopping the bot, a fresh `pybabel init` catalog is
usable at once, and the shipped catalogs pass gettext's and Babel's own tools."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from coffee.app import build_bot
from engine.settings import PROJECT_ROOT
from engine.transports.telegram.commands import command_menus
from tests.kit.clock import Clock
from tests.kit.participant import ENGLISH_PROFILE, Participant
from tests.kit.workspace import Workspace

PYBABEL = str(Path(sys.executable).with_name("pybabel"))
START = "flows/start.yaml"
DE = "locales/de/LC_MESSAGES/messages.po"


def run(workspace: Workspace, *args: str, stdin: str = "",
        **environment: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "runner.py", *args], cwd=PROJECT_ROOT,
                          env={**workspace.environment(), **environment, "PATH": ""},
                          input=stdin, capture_output=True, text=True, timeout=60)


def init_german(workspace: Workspace) -> None:
    """What README tells a translator to do for a new language."""
    assert run(workspace, "i18n", "extract").returncode == 0
    result = subprocess.run([PYBABEL, "init", "-i", "locales/messages.pot", "-d", "locales",
                             "-l", "de"], cwd=workspace.root, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr


def test_a_reworded_question_needs_no_catalog_edit(workspace: Workspace) -> None:
    line = workspace.edit(START, 'text: "And your last name?"', 'text: "And your surname?"')
    lint = run(workspace, "lint")
    assert lint.returncode == 0
    assert lint.stdout.splitlines()[0] == (
        f"{START}:{line}: warning: uk: 'And your surname?' is not translated in "
        "locales/uk/LC_MESSAGES/messages.po")
    english = run(workspace, "console", "--lang", "en", stdin="/start\nTaras\n")
    assert english.returncode == 0, english.stderr
    assert "2. And your surname?" in english.stdout
    # Ukrainian participants read the English text until the translator catches up.
    ukrainian = run(workspace, "console", "--user", "2", "--lang", "uk",
                    stdin="/start\nТарас\n")
    assert "2. And your surname?" in ukrainian.stdout
    assert ukrainian.stderr.count("language uk: ") == 1
    assert " of " in ukrainian.stderr and "; offered; a message with an untranslated text is " \
        "shown whole in en" in ukrainian.stderr


def test_a_fresh_catalog_leaves_the_bot_starting_with_fallbacks(workspace: Workspace) -> None:
    init_german(workspace)
    check = run(workspace, "i18n", "check")
    assert check.returncode == 1
    missing = check.stdout.splitlines()
    assert len(missing) > 100
    assert all(": de: " in line and line.endswith(f"is not translated in {DE}")
               for line in missing)
    line = workspace.edit(START, 'text: "What is your first name?"',
                          'text: "What is your first name?"')
    assert f"{START}:{line}: de: 'What is your first name?' is not translated in {DE}" in missing
    lint = run(workspace, "lint")
    assert lint.returncode == 0
    # lint and i18n check count the same texts
    assert lint.stdout.splitlines()[:-3] == [line.replace(": de: ", ": warning: de: ", 1)
                                             for line in missing]
    assert lint.stdout.splitlines()[-3].startswith(f"de: 0 of {len(missing)} translated")
    assert lint.stdout.splitlines()[-1].endswith(f"; {len(missing)} warning(s)")

    # German falls back to the flows' own language (not to DEFAULT_LOCALE=uk)...
    german = run(workspace, "console", "--lang", "de", stdin="/start\n")
    assert german.returncode == 0, german.stderr
    assert german.stdout.startswith("Hello! I am the Random Coffee bot.")
    assert "language de: 0 of " in german.stderr
    assert "shown whole in en" in german.stderr
    # ...unless LOCALE_FALLBACKS says otherwise.
    via_ukrainian = run(workspace, "console", "--user", "2", "--lang", "de",
                        stdin="/start\n", LOCALE_FALLBACKS="de:uk")
    assert via_ukrainian.stdout.startswith("Привіт! Я бот Random Coffee.")
    assert "shown whole in uk or else en" in via_ukrainian.stderr


MENU = {
    "Your profile: edit answers, skip a week, change the language":
        "Dein Profil: Antworten ändern, eine Woche aussetzen, Sprache wechseln",
    "How Random Coffee works": "Wie Random Coffee funktioniert",
    "Write to the organizers": "Schreib den Organisatoren",
}


def test_a_language_is_offered_once_its_menu_is_translated(workspace: Workspace,
                                                           clock: Clock) -> None:
    init_german(workspace)
    user_ids = iter(range(1, 10))

    def language_choices() -> list[str]:
        """What the profile's language button offers, and the locales of the command menu."""
        bot = build_bot(workspace.settings(), clock=clock)
        try:
            assert bot.parts.renderer.locales == ["de", "en", "uk"]
            # served in German, with fallbacks
            assert bot.parts.renderer.closest_locale("de-AT") == "de"
            english = Participant(bot.engine, next(user_ids), language_code="en")
            english.complete_profile(ENGLISH_PROFILE)
            english.press("🌐 Language")
            menus = {menu.language_code
                     for menu in command_menus(bot.parts.library, bot.parts.renderer, ())}
            assert menus == {None, *bot.parts.renderer.offered}
            return english.keyboard_message().labels
        finally:
            bot.database.close()

    assert language_choices() == ["English", "Українська"]
    workspace.translate("de", {"What is your first name?": "Wie heißt du mit Vornamen?"})
    assert language_choices() == ["English", "Українська"]
    workspace.translate("de", MENU)
    assert language_choices() == ["Deutsch", "English", "Українська"]


def test_shipped_catalogs_pass_msgfmt_and_pybabel_compile(tmp_path: Path) -> None:
    locales = tmp_path / "locales"
    shutil.copytree(PROJECT_ROOT / "locales", locales)
    catalogs = sorted(locales.glob("*/LC_MESSAGES/messages.po"))
    assert catalogs
    for catalog in catalogs:
        result = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(catalog)],
                                capture_output=True, text=True, timeout=60)
        assert result.returncode == 0 and result.stderr == "", result.stderr
    result = subprocess.run([PYBABEL, "compile", "-d", str(locales)], capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "fuzzy" not in result.stderr
    assert sorted(locales.glob("*/LC_MESSAGES/messages.mo")) == [
        catalog.with_suffix(".mo") for catalog in catalogs]
