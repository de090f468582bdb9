"""Lint checks what reaches the participant, in every language: nothing shown blank, no label
too long for a button, and no answer of a removed question used anywhere; the engine itself
stops using such answers (the contact card included), and `runner.py answers` deletes them."""

from __future__ import annotations

import subprocess
import sys

from coffee.app import build_bot, reload_bot
from engine.settings import PROJECT_ROOT
from tests.engine.flows.test_lint import problems
from tests.kit.clock import Clock
from tests.kit.community import Community
from tests.kit.databases import query
from tests.kit.workspace import Workspace

START = "flows/start.yaml"
UK = "locales/uk/LC_MESSAGES/messages.po"


def errors(workspace: Workspace) -> list[str]:
    return [problem for problem in problems(workspace) if ": warning: " not in problem]


def runner(workspace: Workspace, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "runner.py", *args], cwd=PROJECT_ROOT,
                          env={**workspace.environment(), "PATH": ""}, capture_output=True,
                          text=True, timeout=60)


def test_a_blank_translation_of_a_question_fails_lint(workspace: Workspace) -> None:
    # A Ukrainian participant would read "4. " and nothing else.
    line = workspace.edit(UK, 'msgstr "Де ви працюєте або чим займаєтеся?"', 'msgstr "   "')
    assert errors(workspace) == [
        f"{UK}:{line - 1}: msgstr of 'Where do you work, or what do you do?' is blank: "
        "participants would read nothing (an empty msgstr \"\" falls back to another language)"]
    workspace.edit(UK, 'msgstr "   "', 'msgstr "<b> </b>"')
    assert len(errors(workspace)) == 1


def test_an_empty_template_override_fails_lint(workspace: Workspace) -> None:
    # The Friday job would end with "Message text is empty" for every Ukrainian participant.
    override = workspace.root / "templates" / "uk" / "feedback_question.j2"
    override.parent.mkdir()
    override.write_text("\n  \n", encoding="utf-8")
    assert errors(workspace) == [
        "templates/uk/feedback_question.j2:1: the template shows nothing: Telegram refuses an "
        "empty message, so nobody would get it"]
    override.write_text("{% if false %}{% endif %}\n", encoding="utf-8")
    assert len(errors(workspace)) == 1
    override.write_text("{{ context.partners|join(', ') }}?\n", encoding="utf-8")
    assert errors(workspace) == []


def test_long_button_labels_warn_and_very_long_ones_fail(workspace: Workspace) -> None:
    long_label = "Every week " * 20
    line = workspace.edit(START, 'weekly: "Every week"', f'weekly: "{long_label}"')
    assert errors(workspace) == [
        f"{START}:{line}: the button label {long_label.strip()!r} is 219 characters long; at "
        "most 64: shorten it"]
    longish = "Every single week, come rain or shine, yes"
    workspace.edit(START, f'weekly: "{long_label}"', f'weekly: "{longish}"')
    assert f"{START}:{line}: warning: the button label '{longish}' is 42 characters long; a " \
           "phone shows about 40: shorten it" in problems(workspace)
    assert errors(workspace) == []


def test_long_translated_labels_and_numbered_titles(workspace: Workspace) -> None:
    skip = workspace.edit(UK, 'msgid "Skip"\nmsgstr "Пропустити"',
                          'msgid "Skip"\nmsgstr "' + "Пропустити " * 7 + '"')
    title = workspace.edit(START, 'title: "About me"', 'title: "' + "A" * 38 + '"')
    found = problems(workspace)
    assert f"{UK}:{skip}: uk: the button label '{('Пропустити ' * 7).strip()}' is 76 " \
           "characters long; at most 64: shorten it" in found
    # In the edit menu the title reads "9. AAA…": 41 characters
    assert f"{START}:{title - 1}: warning: the button label '9. {'A' * 38}' is 41 characters " \
           "long; a phone shows about 40: shorten it" in found


def remove_phone_question(workspace: Workspace) -> None:
    workspace.edit(START, "  - AskPhoneState\n", "")
    start = workspace.root / START
    text = start.read_text(encoding="utf-8")
    begin = text.index("  AskPhoneState:\n")
    end = text.index("  AskCompanyState:\n")
    start.write_text(text[:begin] + text[end:], encoding="utf-8")


def test_reading_an_answer_of_a_removed_question_fails_lint(workspace: Workspace) -> None:
    line = workspace.edit(START, 'text: "And your last name?"',
                          'text: "And your last name? (We call {{ answers.phone }}.)"')
    workspace.edit(START, 'label: "Edit an answer"',
                   'label: "Edit an answer"\n        when: "user.phone"')
    assert errors(workspace) == []
    remove_phone_question(workspace)
    found = errors(workspace)
    assert "reads 'answers.phone': there is no 'phone': no question stores 'phone' (a removed " \
           "question's answers are kept, but neither shown nor shared)" in found[0]
    assert found[0].startswith(f"{START}:{line - 1}: text ")  # one line less: the list
    assert "'when: user.phone' reads 'user.phone': there is no 'phone': the questionnaire asks " \
           "for no phone number (a removed contact question's numbers are kept, but neither " \
           "shown nor shared)" in found[1]
    assert len(found) == 2


def test_a_removed_phone_question_stops_the_contact_cards(workspace: Workspace,
                                                          clock: Clock) -> None:
    bot = build_bot(workspace.settings(), clock=clock)
    try:
        town = Community(bot, clock)
        olena = town.register(1, "Olena", phone="+380501234567")
        town.register(2, "Petro", phone="+380670000002")
        assert "3. Телефон: +380501234567" in olena.sees("Телефон")

        remove_phone_question(workspace)
        assert reload_bot(bot) == []
        olena.command("start")
        profile = olena.last.text
        assert "Телефон" not in profile and "+380501234567" not in profile
        assert "3. Робота: Kyiv Tech" in profile

        town.run_and_deliver("invite")
        for person in town.people.values():
            person.press("Так, беру участь")
        town.run_and_deliver("match")
        for uid in (1, 2):
            introduction = town.send.to(uid)[-1]
            assert "Ваш партнер Random Coffee" in introduction.text
            assert introduction.contact is None
            assert all(reply.contact is None for reply in town.send.to(uid))
    finally:
        bot.database.close()

    # Kept until an operator deletes them, as docs/flows.md says.
    url = workspace.environment()["DATABASE_URL"]
    listed = runner(workspace, "answers")
    assert listed.returncode == 0, listed.stderr
    assert "phone\t2\tasked by no question: kept, shown and shared nowhere (runner.py answers " \
           "delete phone)" in listed.stdout.splitlines()
    assert "company\t2\tAskCompanyState (flows/start.yaml:" in listed.stdout
    refused = runner(workspace, "answers", "delete", "company")
    assert refused.returncode == 2
    assert refused.stderr.startswith("error: 'company' is the answer of AskCompanyState "
                                     "(flows/start.yaml:")
    deleted = runner(workspace, "answers", "delete", "phone")
    assert (deleted.returncode, deleted.stdout) == (0, "deleted 2 answer(s) stored under "
                                                       "'phone'\n")
    assert query(url, "select count(*) from answer where key = ?", "phone") == [(0,)]
    assert query(url, 'select id, phone from "user" order by id') == [(1, None), (2, None)]
    again = runner(workspace, "answers", "delete", "phone")
    assert again.returncode == 2 and "no answers are stored under 'phone'" in again.stderr
