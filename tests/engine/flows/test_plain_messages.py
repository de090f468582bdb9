"""A flow file YAML cannot read is reported in words an organizer reads, with the line itself,
and alone: what the other files seem to lack because of it is not reported until it reads.
Problems stop the bot, and a reload only refuses: the messages say which."""

from __future__ import annotations

import subprocess
import sys

import pytest

from engine.settings import PROJECT_ROOT
from tests.kit.workspace import Workspace

START = "flows/start.yaml"


def runner(workspace: Workspace, *args: str, stdin: str = "",
           **settings: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "runner.py", *args], cwd=PROJECT_ROOT,
                          env={**workspace.environment(), **settings, "PATH": ""}, input=stdin,
                          capture_output=True, text=True, timeout=60)


def test_an_indentation_mistake_in_plain_words(workspace: Workspace) -> None:
    line = workspace.edit(START, "      answer: company\n",
                          "      answer: company\n        shared: true\n") + 1
    result = runner(workspace, "lint")
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        f"{START}:{line}: line {line} is indented more than the line above it:",
        f"    {line} |         shared: true"]
    assert result.stderr == "1 problem(s)\n"


def test_a_file_that_cannot_be_read_brings_no_follow_on_errors(workspace: Workspace) -> None:
    """The invitation flow unreadable: the flows that go to it and the templates that read
    its context are not blamed for it."""
    line = workspace.edit("flows/invitation.yaml", "initial:\n",
                          'initial:\n  - when: "invitation.open"\n   goto: AskJoinState\n') + 2
    result = runner(workspace, "lint")
    assert result.stdout.splitlines() == [
        f"flows/invitation.yaml:{line}: line {line} is indented more than the line above it:",
        f"    {line} |    goto: AskJoinState"]
    # The same file broken in start.yaml, where every template's `answers` come from.
    workspace.edit("flows/invitation.yaml", "\n   goto: AskJoinState\n",
                   "\n    goto: AskJoinState\n")
    workspace.edit(START, 'flow: start\n', 'flow: start\n  command: start\n')
    result = runner(workspace, "lint")
    assert len(result.stdout.splitlines()) == 2, result.stdout
    assert result.stdout.startswith(f"{START}:")
    assert "there is no 'first_name'" not in result.stdout


@pytest.mark.parametrize(("old", "new", "message", "shown"), [
    ("      answer: company\n", "\tanswer: company\n",
     "line {line} is indented with a tab: indent with spaces only", "\tanswer: company"),
    ('      title: "Work"\n', '      title: "Work\n',
     "the quote opened on line {line} is never closed", '      title: "Work'),
    ('      title: "Work"\n', "      title: Work: where\n",
     "line {line} has ': ' inside a value: put the value in quotes",
     "      title: Work: where"),
    ('      title: "Work"\n', "      title Work\n",
     "line {line} has no ':' after its key", "      title Work"),
    ('      title: "Work"\n', "      title: {{ user.first_name }}\n",
     "line {line} has a value starting with { that YAML reads as a mapping: put the text in "
     "quotes", "      title: {{ user.first_name }}"),
    ('      title: "Work"\n', "      title: 'Someone's work'\n",
     "line {line} goes on after its value ends (a quote inside single quotes is written "
     "twice: 'it''s')", "      title: 'Someone's work'"),
])
def test_common_yaml_mistakes_in_plain_words(workspace: Workspace, old: str, new: str,
                                             message: str, shown: str) -> None:
    line = workspace.edit(START, old, new)
    result = runner(workspace, "lint")
    assert result.stdout.splitlines() == [
        f"{START}:{line}: {message.replace('{line}', str(line))}:", f"    {line} | {shown}"]


def test_the_bot_does_not_start_but_a_reload_only_refuses(workspace: Workspace) -> None:
    workspace.edit(START, "    next: ProfileState\n", "    next: ProfileStat\n")
    console = runner(workspace, "console", stdin="/start\n")
    assert console.returncode == 1
    assert console.stderr.splitlines()[-1] == "1 problem(s) in the flows: the bot does not start."
    reload = runner(workspace, "reload", PID_FILE=str(workspace.root / "none.pid"))
    assert reload.returncode == 1
    assert reload.stderr.splitlines()[-1] == (
        "refused: 1 problem(s) in the edited files; the running bot keeps the previous version")
    assert "does not start" not in reload.stderr
