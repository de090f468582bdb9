"""Organizer and translator tooling: `runner.py graph` and `runner.py i18n`."""

from __future__ import annotations

import subprocess
import sys

from engine.settings import PROJECT_ROOT
from tests.kit.workspace import Workspace


def run(workspace: Workspace, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "runner.py", *args], cwd=PROJECT_ROOT,
                          env={**workspace.environment(), "PATH": ""}, capture_output=True,
                          text=True, timeout=60)


def test_graph_prints_a_mermaid_state_diagram(workspace: Workspace) -> None:
    result = run(workspace, "graph", "start")
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "stateDiagram-v2"
    assert "    [*] --> ProfileState: user.registered" in lines
    assert "    AskFirstNameState --> AskLastNameState" in lines
    assert "    ProfileState --> EditMenuState: Edit an answer" in lines
    assert "    EditMenuState --> AskTopicsState: edit 7" in lines


def test_graph_of_an_unknown_flow(workspace: Workspace) -> None:
    result = run(workspace, "graph", "strat")
    assert result.returncode == 2
    assert result.stderr.startswith("error: no flow 'strat' (flows: ")


def test_extract_collects_flow_texts_with_their_lines(workspace: Workspace) -> None:
    line = workspace.edit("flows/start.yaml", '      text: "And your last name?"',
                          '      text: "And your family name?"')
    assert run(workspace, "i18n", "extract").returncode == 0
    pot = (workspace.root / "locales" / "messages.pot").read_text(encoding="utf-8")
    assert f'#: flows/start.yaml:{line}\nmsgid "And your family name?"' in pot
    assert ('#: templates/welcome.j2:1\n#, python-format\n'
            'msgid "Hello! I am the %(community)s bot."') in pot


def test_pybabel_uses_the_registered_flow_extractor(workspace: Workspace) -> None:
    output = workspace.root / "pybabel.pot"
    result = subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg",
         "-o", str(output), "."], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    pot = output.read_text(encoding="utf-8")
    assert 'msgid "Edit an answer"' in pot
    assert 'msgid "Your profile"' in pot


def test_check_reports_missing_and_fuzzy_translations(workspace: Workspace) -> None:
    assert run(workspace, "i18n", "check").returncode == 0
    line = workspace.edit("flows/start.yaml", '      text: "And your last name?"',
                          '      text: "And your family name?"')
    catalog = "locales/uk/LC_MESSAGES/messages.po"
    workspace.edit(catalog, 'msgid "Your profile"', '#, fuzzy\nmsgid "Your profile"')
    result = run(workspace, "i18n", "check")
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        f"flows/start.yaml:{line}: uk: 'And your family name?' is not translated in {catalog}",
        f"templates/profile.j2:1: uk: 'Your profile' has only a fuzzy translation in {catalog}"]


def test_update_merges_new_texts_into_every_catalog(workspace: Workspace) -> None:
    workspace.edit("flows/start.yaml", '      text: "And your last name?"',
                   '      text: "And your family name?"')
    assert run(workspace, "i18n", "update").returncode == 0
    uk = (workspace.root / "locales/uk/LC_MESSAGES/messages.po").read_text(encoding="utf-8")
    assert 'msgid "And your family name?"' in uk
    assert 'msgstr "Ваш профіль"' in uk  # existing translations stay
