"""`runner.py lint`: every organizer mistake is reported with its file, line and a fix."""

from __future__ import annotations

import subprocess
import sys

import pytest

from coffee.app import load_parts
from engine.settings import PROJECT_ROOT
from tests.kit.workspace import Workspace

START = "flows/start.yaml"


def problems(workspace: Workspace) -> list[str]:
    return [str(problem) for problem in load_parts(workspace.settings()).lint()]


def test_the_shipped_flows_are_clean(workspace: Workspace) -> None:
    assert problems(workspace) == []


def test_misspelled_state(workspace: Workspace) -> None:
    line = workspace.edit(START, "    next: ProfileState\n", "    next: ProfileStat\n")
    assert problems(workspace) == [
        f"{START}:{line}: unknown state 'ProfileStat' in flow 'start'; "
        "did you mean 'ProfileState'?"]


def test_missing_template(workspace: Workspace) -> None:
    line = workspace.edit(START, "    say: welcome\n", "    say: welcom\n")
    assert problems(workspace) == [
        f"{START}:{line}: template 'welcom' not found (templates/welcom.j2)"]


def test_unknown_action(workspace: Workspace) -> None:
    workspace.edit(START, "    action: finish_registration\n",
                   "    action: finish_registraton\n")
    line = workspace.edit(START, "  RegisteredState:\n", "  RegisteredState:\n")
    assert problems(workspace) == [
        f"{START}:{line}: unknown action 'finish_registraton'; "
        "did you mean 'finish_registration'?"]


def test_unreachable_state(workspace: Workspace) -> None:
    line = workspace.edit(START, "  EditMenuState:\n",
                          "  OrphanState:\n    say: info\n\n  EditMenuState:\n")
    assert problems(workspace) == [
        f"{START}:{line}: state OrphanState can never be reached: no 'initial:', 'next:', "
        "'goto:' or 'call:' leads to it"]


def test_untranslated_text_is_a_warning(workspace: Workspace) -> None:
    line = workspace.edit(START, 'text: "And your last name?"', 'text: "And your surname?"')
    assert problems(workspace) == [
        f"{START}:{line}: warning: uk: 'And your surname?' is not translated in "
        "locales/uk/LC_MESSAGES/messages.po"]


def test_unknown_key(workspace: Workspace) -> None:
    line = workspace.edit(START, "    next: questions\n", "    nxt: questions\n")
    assert problems(workspace) == [
        f"{START}:{line}: unknown key 'nxt' in state WelcomeState (expected one of: say, text, "
        "ask, buttons, next, action, on_answer)"]


def test_state_name_convention(workspace: Workspace) -> None:
    line = workspace.edit("flows/info.yaml", "  HelpState:\n", "  Help:\n")
    workspace.edit("flows/info.yaml", "initial: HelpState", "initial: Help")
    assert problems(workspace) == [
        f"flows/info.yaml:{line}: state name 'Help' must be CamelCase and end in 'State', "
        "e.g. 'HelpState'"]


def test_condition_that_does_not_compile(workspace: Workspace) -> None:
    line = workspace.edit(START, '  - when: "user.registered"\n', '  - when: "user.registered ="\n')
    found = problems(workspace)
    assert len(found) == 1
    assert found[0].startswith(f"{START}:{line}: 'user.registered =' is not a valid expression")


def test_condition_reading_an_unknown_name(workspace: Workspace) -> None:
    line = workspace.edit(START, '  - when: "user.registered"\n', '  - when: "usr.registered"\n')
    found = problems(workspace)
    assert found == [f"{START}:{line}: 'when: usr.registered' reads 'usr', which is not "
                     "provided; did you mean 'user'?"]


def test_states_that_loop_without_waiting(workspace: Workspace) -> None:
    line = workspace.edit(START, "  EditMenuState:\n",
                          "  PingState:\n    say: info\n    next: PongState\n\n"
                          "  PongState:\n    say: info\n    next: PingState\n\n"
                          "  EditMenuState:\n")
    workspace.edit(START, "    next: ProfileState\n", "    next: PingState\n")
    assert problems(workspace) == [
        f"{START}:{line}: states loop without waiting for the participant: "
        "PingState -> PongState -> PingState"]


@pytest.mark.parametrize(("old", "new", "message"), [
    ("  AskLastNameState:\n", "  AskFirstNameState:\n",
     "line {line}: 'AskFirstNameState' appears twice in the same block: rename or remove one "
     "of them:\n"
     "    {line} |   AskFirstNameState:"),
    ("    ask:\n      text: \"And your last name?\"",
     "    ask: [\n      text: \"And your last name?\"",
     "the [ on line {line} starts a list written on one line, and it does not end: remove "
     "the [ or close it:\n    {line} |     ask: ["),
])
def test_broken_yaml(workspace: Workspace, old: str, new: str, message: str) -> None:
    line = workspace.edit(START, old, new)
    assert problems(workspace) == [f"{START}:{line}: {message.replace('{line}', str(line))}"]


def test_lint_command_prints_problems_and_fails(workspace: Workspace) -> None:
    line = workspace.edit(START, "    next: ProfileState\n", "    next: ProfileStat\n")
    result = subprocess.run([sys.executable, "runner.py", "lint"], cwd=PROJECT_ROOT,
                            env={**workspace.environment(), "PATH": ""}, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        f"{START}:{line}: unknown state 'ProfileStat' in flow 'start'; "
        "did you mean 'ProfileState'?"]


def test_the_bot_refuses_to_start_on_invalid_flows(workspace: Workspace) -> None:
    line = workspace.edit(START, "    next: ProfileState\n", "    next: ProfileStat\n")
    result = subprocess.run([sys.executable, "runner.py", "console"], cwd=PROJECT_ROOT,
                            env={**workspace.environment(), "PATH": ""}, input="/start\n",
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"{START}:{line}: unknown state 'ProfileStat' in flow 'start'; "
        "did you mean 'ProfileState'?",
        "1 problem(s) in the flows: the bot does not start."]
    assert "Traceback" not in result.stderr


def test_a_question_cannot_have_its_own_next(workspace: Workspace) -> None:
    line = workspace.edit(START, '      answer: last_name\n      max_length: 64\n',
                          '      answer: last_name\n      max_length: 64\n'
                          '    next: AskCompanyState\n') + 2
    assert problems(workspace) == [
        f"{START}:{line}: question AskLastNameState has 'next:', but the order of the "
        "questions is 'questions:' alone (the last goes to 'after_questions:'): remove it"]


def test_after_questions_needs_questions(workspace: Workspace) -> None:
    line = workspace.edit("flows/info.yaml", "initial: HelpState\n",
                          "initial: HelpState\nafter_questions: HelpState\n") + 1
    assert problems(workspace) == [
        f"flows/info.yaml:{line}: 'after_questions:' needs a 'questions:' list"]


def test_profile_roles_are_checked(workspace: Workspace) -> None:
    line = workspace.edit(START, "      role: topics\n", "      role: topic\n")
    assert problems(workspace) == [
        f"{START}:{line}: role 'topic' is not known (expected one of: frequency, topics)"]
    workspace.edit(START, "      role: topic\n", "      role: frequency\n")
    assert problems(workspace) == [
        f"{START}:{line}: 'role: frequency' needs 'input: choice', not 'multi'"]
    workspace.edit(START, '        biweekly: "Every two weeks"\n',
                   '        fortnight: "Every two weeks"\n')
    workspace.edit(START, "      role: frequency\n      input: multi", "      input: multi")
    ask = workspace.edit(START, "  AskFrequencyState:\n    ask:\n",
                         "  AskFrequencyState:\n    ask:\n") + 2
    assert problems(workspace) == [
        f"{START}:{ask}: 'role: frequency' needs an option 'biweekly' (those who choose it "
        "meet every other week)"]
