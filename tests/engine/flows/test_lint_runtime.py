"""Lint catches, with file and line, each mistake that used to pass it and fail at run time:
template syntax, names and attributes templates and conditions read, the flows and commands
the weekly jobs need, placeholders and plural forms of translations, HTML Telegram refuses."""

from __future__ import annotations

import subprocess
import sys

import pytest

from engine.settings import PROJECT_ROOT
from tests.engine.flows.test_lint import problems
from tests.kit.workspace import Workspace

START = "flows/start.yaml"
UK = "locales/uk/LC_MESSAGES/messages.po"
TAGS = "a, b, blockquote, code, del, em, i, ins, pre, s, span, strike, strong, tg-emoji, " \
       "tg-spoiler, u"


def lint(workspace: Workspace) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "runner.py", "lint"], cwd=PROJECT_ROOT,
                          env={**workspace.environment(), "PATH": ""}, capture_output=True,
                          text=True, timeout=60)


def test_template_syntax_error_fails_lint_and_start(workspace: Workspace) -> None:
    workspace.edit("templates/registered.j2", "{% endtrans %}", "{% endtran %}")
    expected = ["templates/registered.j2:1: template syntax: control structures in "
                "translatable sections are not allowed; saw `endtran`"]
    assert problems(workspace) == expected
    result = lint(workspace)
    assert result.returncode == 1
    assert result.stdout.splitlines() == expected
    started = subprocess.run([sys.executable, "runner.py", "console"], cwd=PROJECT_ROOT,
                             env={**workspace.environment(), "PATH": ""}, input="/start\n",
                             capture_output=True, text=True, timeout=60)
    assert started.returncode == 1 and started.stdout == ""


def test_syntax_error_in_a_locale_override(workspace: Workspace) -> None:
    override = workspace.root / "templates" / "uk" / "welcome.j2"
    override.parent.mkdir()
    override.write_text("Привіт!\n{% if user.registered %}Знову ви!\n", encoding="utf-8")
    assert problems(workspace) == [
        "templates/uk/welcome.j2:2: template syntax: Unexpected end of template. Jinja was "
        "looking for the following tags: 'elif' or 'else' or 'endif'. The innermost block "
        "that needs to be closed is 'if'."]


def test_syntax_error_in_an_inline_text(workspace: Workspace) -> None:
    line = workspace.edit(START, 'text: "And your last name?"',
                          'text: "And your last name, {{ user.first_name }?"')
    found = [p for p in problems(workspace) if ": warning: " not in p]
    assert found == [f"{START}:{line}: text 'And your last name, {{{{ user.first_name }}?': "
                     "unexpected '}'"]


def test_button_labels_are_checked_like_inline_texts(workspace: Workspace) -> None:
    skip = "Skip the week from {{ weeks[0].week|date('d MMMM') }}"
    line = workspace.edit(START, f'label: "{skip}"',
                          f'label: "{skip.replace("weeks[0].week", "weeks[0].wek")}"')
    workspace.edit(START, 'label: "Edit an answer"', 'label: "Edit {{ answers.first_name"')
    found = [p for p in problems(workspace) if ": warning: " not in p]
    assert found == [
        f"{START}:{line - 2}: label 'Edit {{{{ answers.first_name': unexpected end of "
        "template, expected 'end of print statement'.",
        f"{START}:{line}: label \"Skip the week from {{{{ weeks[0].wek|date('d MMMM') }}}}\" "
        "reads 'weeks[0].wek': there is no 'wek'; did you mean 'week'?"]


def test_misspelled_attribute_in_a_condition(workspace: Workspace) -> None:
    line = workspace.edit(START, 'when: "invitation.open"', 'when: "invitation.opne"') - 2
    assert problems(workspace) == [  # the button's line
        f"{START}:{line}: 'when: invitation.opne' reads 'invitation.opne': there is no "
        "'opne'; did you mean 'open'?"]


def test_misspelled_names_in_a_template(workspace: Workspace) -> None:
    workspace.edit("templates/profile.j2", "{{ row.number }}.", "{{ row.nubmer }}.")
    workspace.edit("templates/invitation.j2", "answers.first_name or", "answer.first_name or")
    workspace.edit("templates/introduction.j2", "{{ field.title }}", "{{ field.titel }}")
    assert problems(workspace) == [
        "templates/introduction.j2:12: the template reads 'field.titel': there is no "
        "'titel'; did you mean 'title'?",
        "templates/invitation.j2:2: the template reads 'answer', which is not provided; did "
        "you mean 'answers'?",
        "templates/profile.j2:4: the template reads 'row.nubmer': there is no 'nubmer'; did "
        "you mean 'number'?"]


def test_template_rendered_without_the_participant(workspace: Workspace) -> None:
    workspace.edit("templates/apology.j2", "{% trans %}", "{{ user.first_name }}, {% trans %}")
    assert problems(workspace) == [
        "templates/apology.j2:1: the template reads 'user', which is not provided (provided: "
        "_, community, cycler, dict, gettext, joiner, lipsum, locale, namespace, ngettext, "
        "npgettext, pgettext, range)"]


def test_a_context_key_no_job_passes(workspace: Workspace) -> None:
    workspace.edit("flows/invitation.yaml", "flow: invitation\n",
                   "flow: invitation\n")
    line = workspace.edit("flows/invitation.yaml", "  - when: \"not context.week\"",
                          "  - when: \"context.wek\"")
    assert problems(workspace) == [
        f"flows/invitation.yaml:{line}: 'when: context.wek' reads 'context.wek': there is no "
        "'wek'; did you mean 'week'?"]


def test_the_entry_command_is_required(workspace: Workspace) -> None:
    line = workspace.edit(START, "command: start\n", "command: begin\n") - 1  # the flow's line
    assert problems(workspace) == [
        f"{START}:{line}: no flow has 'command: start': a participant without a state, or whose "
        "state is gone, is taken to /start"]


def test_a_renamed_feedback_flow(workspace: Workspace) -> None:
    flows = workspace.root / "flows"
    (flows / "feedback.yaml").rename(flows / "survey.yaml")
    workspace.edit("flows/survey.yaml", "flow: feedback\n", "flow: survey\n")
    assert problems(workspace) == [
        "flows/feedback.yaml:1: flow 'feedback' is missing: the feedback job starts it"]


def test_a_template_the_bot_renders_is_missing(workspace: Workspace) -> None:
    (workspace.root / "templates" / "unmatched.j2").unlink()
    assert problems(workspace) == [
        "templates/unmatched.j2:1: template 'unmatched' is missing: the bot renders it"]


def po_line(workspace: Workspace, text: str) -> int:
    lines = (workspace.root / UK).read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, 1) if line == text)


TOO_LONG = 'msgid "That is too long: please keep it within %(count)s character."'


def test_placeholder_typo_in_a_plural_form(workspace: Workspace) -> None:
    workspace.edit(UK, "у %(count)s символи.", "у %(cuont)s символи.")
    line = po_line(workspace, TOO_LONG)
    text = "'That is too long: please keep it within %(count)s character.'"
    assert problems(workspace) == [
        f"{UK}:{line}: msgstr[1] of {text} lacks %(count)s",
        f"{UK}:{line}: msgstr[1] of {text} uses %(cuont)s, which the text does not have; "
        "did you mean %(count)s?"]


def test_missing_placeholder_and_missing_plural_form(workspace: Workspace) -> None:
    workspace.edit(UK, "у %(count)s символів.", "у багато символів.")
    line = po_line(workspace, TOO_LONG)
    text = "'That is too long: please keep it within %(count)s character.'"
    assert problems(workspace) == [f"{UK}:{line}: msgstr[2] of {text} lacks %(count)s"]
    workspace.edit(UK, 'msgstr[2] "Відповідь задовга: вкладіться, будь ласка, у багато '
                       'символів."\n', "")
    assert [p for p in problems(workspace) if ": warning: " not in p] == [
        f"{UK}:{line}: {text} has 2 plural form(s); the catalog's Plural-Forms says 3"]


def test_jinja_placeholder_typo_in_a_translation(workspace: Workspace) -> None:
    flow = "flows/age.yaml"
    (workspace.root / flow).write_text(
        'flow: age\ncommand: age\ndescription: "Age"\ninitial: HiState\nstates:\n'
        '  HiState:\n    text: "Hi, {{ user.first_name }}!"\n', encoding="utf-8")
    catalog = workspace.root / UK
    catalog.write_text(catalog.read_text(encoding="utf-8")
                       + '\nmsgid "Age"\nmsgstr "Вік"\n'
                       + '\nmsgid "Hi, {{ user.first_name }}!"\n'
                       + 'msgstr "Привіт, {{ user.frist_name }}!"\n', encoding="utf-8")
    line = po_line(workspace, 'msgid "Hi, {{ user.first_name }}!"')
    assert problems(workspace) == [
        f"{UK}:{line}: msgstr of 'Hi, {{{{ user.first_name }}}}!' lacks {{{{ user.first_name }}}}",
        f"{UK}:{line}: msgstr of 'Hi, {{{{ user.first_name }}}}!' uses "
        "{{ user.frist_name }}, which the text does not have; did you mean "
        "{{ user.first_name }}?"]


@pytest.mark.parametrize(("old", "new", "message"), [
    ('msgstr "Ваш профіль"', 'msgstr "Ваш профіль<br>"',
     f"msgstr of 'Your profile': <br> is not a tag Telegram accepts (it takes: {TAGS})"),
    ('msgstr "Ваш профіль"', 'msgstr "Ваш <b>профіль"',
     "msgstr of 'Your profile': <b> is never closed"),
    ('msgstr "Ваш профіль"', 'msgstr "Ваш&nbsp;профіль"',
     "msgstr of 'Your profile': &nbsp; is not an entity Telegram knows (write the character, "
     "or &lt; &gt; &amp; &quot;)"),
    ('msgstr "Ваш профіль"', 'msgstr "Ваш 100% профіль"',
     "msgstr of 'Your profile': a bare '% ': write %% for a percent sign"),
])
def test_translation_telegram_would_refuse(workspace: Workspace, old: str, new: str,
                                           message: str) -> None:
    workspace.edit(UK, old, new)
    line = po_line(workspace, 'msgid "Your profile"')
    assert problems(workspace) == [f"{UK}:{line}: {message}"]


def test_template_html_telegram_would_refuse(workspace: Workspace) -> None:
    workspace.edit("templates/profile.j2", "{% endtrans %}</b>\n", "{% endtrans %}</b><br>\n")
    workspace.edit("templates/info.j2", "<b>{{ community }}</b>", "<b>{{ community }}</i>")
    assert problems(workspace) == [
        "templates/info.j2:1: </i> closes nothing (<b> is open)",
        "templates/info.j2:1: <b> is never closed",
        f"templates/profile.j2:1: <br> is not a tag Telegram accepts (it takes: {TAGS})"]
