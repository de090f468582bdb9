"""`runner.py i18n update` changes a catalog only where its texts changed: order, wrapping and
every untouched entry stay as the translator's tools wrote them; a reworded text keeps its old
translation as fuzzy, with the old text beside it; a new text gets no guess; the result passes
msgfmt and pybabel; compiled catalogs are not committed."""

from __future__ import annotations

import difflib
import subprocess
import sys
from io import StringIO
from pathlib import Path

from babel.messages.pofile import read_po

from engine.settings import PROJECT_ROOT
from tests.kit.workspace import Workspace

PYBABEL = str(Path(sys.executable).with_name("pybabel"))
START = "flows/start.yaml"
UK = "locales/uk/LC_MESSAGES/messages.po"
PL = "locales/pl/LC_MESSAGES/messages.po"
POT = "locales/messages.pot"


def update(workspace: Workspace) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([sys.executable, "runner.py", "i18n", "update"], cwd=PROJECT_ROOT,
                            env={**workspace.environment(), "PATH": ""}, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return result


def changes(before: str, after: str) -> list[str]:
    """The lines a diff shows as removed (-) or added (+)."""
    return [line for line in difflib.unified_diff(before.splitlines(), after.splitlines(),
                                                  lineterm="", n=0)
            if line[:1] in "+-" and not line.startswith(("+++", "---"))]


def read(workspace: Workspace, relative: str) -> str:
    return (workspace.root / relative).read_text(encoding="utf-8")


def test_the_shipped_catalog_is_up_to_date(workspace: Workspace) -> None:
    before = read(workspace, UK), read(workspace, POT)
    assert update(workspace).stdout.splitlines() == [
        f"unchanged {workspace.root / UK}"]
    assert (read(workspace, UK), read(workspace, POT)) == before


def test_a_reworded_text_changes_its_entry_only(workspace: Workspace) -> None:
    catalog, template = read(workspace, UK), read(workspace, POT)
    workspace.edit(START, 'text: "And your last name?"', 'text: "And your surname?"')
    update(workspace)
    assert changes(catalog, read(workspace, UK)) == [
        '-msgid "And your last name?"',
        "+#, fuzzy",
        '+#| msgid "And your last name?"',
        '+msgid "And your surname?"']
    assert "\nmsgid \"And your surname?\"\nmsgstr \"А прізвище?\"\n" in read(workspace, UK)
    assert [line for line in changes(template, read(workspace, POT))
            if "POT-Creation-Date" not in line] == [
        '-msgid "And your last name?"', '+msgid "And your surname?"']
    # Updating again changes nothing; the translator's tools accept the result.
    assert update(workspace).stdout.splitlines() == [f"unchanged {workspace.root / UK}"]
    check = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(workspace.root / UK)],
                           capture_output=True, text=True, timeout=60)
    assert (check.returncode, check.stderr) == (0, "")


def test_a_new_question_gets_no_guess_and_a_removed_one_goes_obsolete(
        workspace: Workspace) -> None:
    """The phone question replaced by a city question at the same place."""
    catalog = read(workspace, UK)
    workspace.edit(START, "  - AskPhoneState\n", "  - AskCityState\n")
    line = workspace.edit(START, "  AskPhoneState:\n", "  AskCityState:\n    ask:\n"
                          '      text: "Which city are you in?"\n      title: "City"\n'
                          "      answer: city\n\n  AskOldPhoneState:\n") + 2
    text = read(workspace, START)
    begin = text.index("  AskOldPhoneState:\n")
    (workspace.root / START).write_text(text[:begin] + text[text.index("  AskCompanyState:"):],
                                        encoding="utf-8")
    update(workspace)
    after = read(workspace, UK)
    assert f'#: {START}:{line}\nmsgid "Which city are you in?"\nmsgstr ""\n' in after
    assert f'#: {START}:{line}\nmsgid "City"\nmsgstr ""\n' in after
    assert "fuzzy" not in after
    # The phone question's texts are kept at the end, out of the way, for a translator who
    # brings it back.
    obsolete = after[after.index("#~ "):]
    assert '#~ msgid "Phone"\n#~ msgstr "Телефон"' in obsolete
    assert '#~ msgid "Share my phone number"\n#~ msgstr "Поділитися номером"' in obsolete
    assert update(workspace).stdout.startswith("unchanged")
    assert active(catalog) - active(after) == {
        "Share your phone number with the button below, so that your partner can call you. "
        "You can skip this.", "Phone", "Share my phone number"}
    assert active(after) - active(catalog) == {"Which city are you in?", "City"}


def active(text: str) -> set[str]:
    return {message.id for message in read_po(StringIO(text)) if message.id}


def test_a_new_language_keeps_its_own_wrapping(workspace: Workspace) -> None:
    assert subprocess.run([PYBABEL, "init", "-i", "locales/messages.pot", "-d", "locales",
                           "-l", "pl"], cwd=workspace.root, capture_output=True,
                          timeout=60).returncode == 0
    fresh = read(workspace, PL)
    assert max(len(line) for line in fresh.splitlines() if line.startswith('"')) <= 76
    workspace.edit(START, 'text: "And your last name?"',
                   'text: "And your last name, as your partners should read it in your profile '
                   'and in the introduction?"')
    update(workspace)
    assert changes(fresh, read(workspace, PL)) == [
        '-msgid "And your last name?"',
        '+msgid ""',
        '+"And your last name, as your partners should read it in your profile and "',
        '+"in the introduction?"']


def test_catalogs_compile_cleanly_and_compiled_ones_are_not_committed(
        workspace: Workspace) -> None:
    workspace.edit(START, 'text: "And your last name?"', 'text: "And your surname?"')
    update(workspace)
    result = subprocess.run([PYBABEL, "compile", "-d", str(workspace.root / "locales")],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert (workspace.root / "locales/uk/LC_MESSAGES/messages.mo").is_file()
    ignored = (PROJECT_ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert "*.mo" in ignored
    for folder in ("locales", "coffee"):  # none shipped
        assert list((PROJECT_ROOT / folder).glob("**/*.mo")) == []
