"""`runner.py preview`: every question, message and button of the flows drawn for a sample
participant (a name, a partner, a week), as text or as one HTML page that looks like a Telegram
chat with each flow's graph; a name a text lacks is marked, never left blank."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from coffee.app import load_parts
from engine.settings import PROJECT_ROOT
from tests.kit.panel import chromium, wait_for
from tests.kit.workspace import Workspace


def preview(workspace: Workspace, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "runner.py", "preview", *args], cwd=PROJECT_ROOT,
                          env={**workspace.environment(), "PATH": "/usr/bin:/bin"},
                          capture_output=True, text=True, timeout=180)


def test_the_profile_as_text(workspace: Workspace) -> None:
    result = preview(workspace, "start", "--locale", "en")
    assert result.returncode == 0, result.stderr
    blocks = result.stdout.split("\n\n== ")
    profile = next(block for block in blocks if block.startswith("start.ProfileState [en]"))
    assert profile.splitlines()[:3] == ["start.ProfileState [en]", "Your profile", ""]
    assert "1. First name: Olena\n2. Last name: Kovalenko\n" in profile
    assert "Week from 30 November: you meet Taras Shevchenko" in profile
    assert "  [1] Answer for the week from 7 December" in profile
    question = next(block for block in blocks if block.startswith("start.AskFrequencyState"))
    assert question.splitlines()[1:] == ["5. How often would you like to meet?",
                                         "  [1] Every week", "  [2] Every two weeks"]
    assert "⟨" not in result.stdout and "cannot be drawn" not in result.stdout


@pytest.mark.e2e
def test_every_flow_as_a_chat_page_in_both_languages(workspace: Workspace,
                                                     tmp_path: Path) -> None:
    page = tmp_path / "preview.html"
    result = preview(workspace, "--all", "--html", str(page))
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    library = load_parts(workspace.settings()).library
    states = sum(len(spec.states) for spec in library.flows.values())
    assert result.stdout == (f"wrote {page}: {len(library.flows)} flow(s), {states * 2} "
                             "screen(s) in en, uk\n")
    html = page.read_text(encoding="utf-8")
    # no hole: nothing left blank or undrawable, every state in both languages, every graph
    assert "⟨" not in html and "cannot be drawn" not in html
    for spec in library.flows.values():
        assert html.count(f'<section class="flow" id="flow-{spec.name}">') == 1
        for state in spec.states:
            block = html[html.index(f'<article class="state" id="{spec.name}-{state}">'):]
            block = block[:block.index("</article>")]
            assert block.count('<div class="chat" lang="') == 2, (spec.name, state)
    assert html.count("<svg") == len(library.flows)
    assert "Your Random Coffee partner" not in html  # introductions are not flow states
    assert "<b>Ваш профіль</b>" in html  # Telegram HTML applied, not escaped

    with chromium() as driver:
        driver.get(page.as_uri())
        wait_for(driver, lambda d: d.execute_script("return document.readyState") == "complete")
        bubbles = driver.find_elements("css selector", ".bubble")
        assert len(bubbles) > states
        profile = driver.find_element("css selector", '#start-ProfileState .chat[lang="uk"]')
        driver.execute_script("arguments[0].scrollIntoView()", profile)
        assert profile.size["height"] > 200
        assert "Тиждень з 30 листопада: ви зустрічаєтеся: Taras Shevchenko" in profile.text
        bold = profile.find_element("css selector", ".bubble b")
        assert bold.text == "Ваш профіль"
        assert int(bold.value_of_css_property("font-weight")) >= 700
        buttons = profile.find_elements("css selector", ".inline .button")
        assert [button.text for button in buttons][:2] == [
            "Відповісти на тиждень з 7 грудня", "Я не зможу зустрітися цього тижня"]
        graph = driver.find_element("css selector", "#flow-start .graph svg")
        assert graph.size["width"] > 100
        assert "AskFirstNameState" in graph.text
        shot = tmp_path / "preview.png"
        assert driver.save_screenshot(str(shot))
        assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 10_000


def test_a_name_a_text_lacks_is_marked(workspace: Workspace) -> None:
    workspace.edit("flows/note.yaml", "write it in one message.", "write it in one message. "
                   "Your last note: {{ context.note }}")
    result = preview(workspace, "note", "--locale", "en")
    assert result.returncode == 0, result.stderr
    assert "An idea, a problem, a thank-you: write it in one message. Your last note: ⟨note⟩" \
        in result.stdout
    page = workspace.root / "note.html"
    assert preview(workspace, "note", "--html", str(page)).stdout.endswith("; 1 hole(s)\n")
    assert re.search(r'<mark class="hole">⟨note⟩</mark>', page.read_text(encoding="utf-8"))


def test_what_cannot_be_previewed_is_said_in_one_line(workspace: Workspace) -> None:
    unknown = preview(workspace, "strat")
    assert (unknown.returncode, unknown.stderr.splitlines()[0]) == (
        2, "error: no flow 'strat' (flows: admin, feedback, info, invitation, note, start, "
           "status)")
    language = preview(workspace, "--locale", "pl")
    assert (language.returncode, language.stderr) == (
        2, "error: no language 'pl' (languages: en, uk)\n")
    workspace.edit("flows/start.yaml", "    next: ProfileState\n", "    next: ProfileStat\n")
    broken = preview(workspace)
    assert broken.returncode == 1
    assert broken.stderr.splitlines()[-1] == ("1 problem(s) in the flows: nothing to preview "
                                              "until they are fixed")
