"""Edits without a restart: SIGHUP (`systemctl reload`) or `runner.py reload` makes the running
bot lint the edited files and take them, or refuse them and keep serving the running version."""

from __future__ import annotations

import signal
from pathlib import Path

from tests.kit import FakeBotAPI
from tests.kit.running import RunningBot, eventually, run_runner
from tests.kit.workspace import Workspace

START = "flows/start.yaml"
REFUSED = ("refused: 1 problem(s) in the edited files; the running bot keeps the previous "
           "version")


def test_sighup_refuses_a_broken_flow_and_takes_a_good_one(fake: FakeBotAPI,
                                                           tmp_path: Path) -> None:
    workspace = Workspace(tmp_path / "edit")
    dirs = {key: value for key, value in workspace.environment().items()
            if key.endswith("_DIR")}
    dirs["PID_FILE"] = str(tmp_path / "runner.pid")
    with RunningBot(fake, tmp_path, settings=dirs) as bot:
        assert bot.process is not None
        olena = bot.user(501, first_name="Olena", language_code="en")
        assert olena.command("start", replies=2).texts[-1] == "<b>1.</b> What is your first name?"
        assert olena.send("Olena").texts == ["<b>2.</b> And your last name?"]

        # A broken edit: lint fails, the running version stays.
        workspace.edit(START, "    next: ProfileState\n", "    next: ProfileStat\n")
        workspace.edit(START, 'text: "And your last name?"', 'text: "And your surname?"')
        bot.process.send_signal(signal.SIGHUP)
        eventually(lambda: REFUSED in bot.stderr(), what="refusal")
        assert "unknown state 'ProfileStat'" in bot.stderr()
        assert "does not start" not in bot.stderr()
        assert olena.send("Koval").texts[-1].startswith("<b>3.</b> Share your phone number")
        petro = bot.user(502, first_name="Petro", language_code="en")
        assert petro.command("start", replies=2).texts[-1] == "<b>1.</b> What is your first name?"
        assert petro.send("Petro").texts == ["<b>2.</b> And your last name?"]

        # `runner.py reload` waits for the bot's answer: here the bot's files are still
        # broken (the command lints a good copy), so the bot refuses and says why.
        good = Workspace(tmp_path / "good")
        copy = {key: value for key, value in good.environment().items() if key.endswith("_DIR")}
        refused = run_runner("reload", timeout=90, **{**dirs, **copy})
        assert refused.returncode == 1, refused.stdout
        assert refused.stdout == ""
        assert refused.stderr.splitlines()[-1] == REFUSED
        assert "unknown state 'ProfileStat'" in refused.stderr.splitlines()[0]

        # Fixed: `runner.py reload` lints here, then signals the bot, which swaps at once.
        workspace.edit(START, "    next: ProfileStat\n", "    next: ProfileState\n")
        done = run_runner("reload", timeout=90, **dirs)
        assert (done.returncode, done.stdout) == (0, "reloaded: 7 flows, 63 states\n"), \
            done.stderr
        assert "reloaded: 7 flows, 63 states" in bot.stderr()  # the same in the log
        taras = bot.user(503, first_name="Taras", language_code="en")
        assert taras.command("start", replies=2).texts[-1] == "<b>1.</b> What is your first name?"
        assert taras.send("Taras").texts == ["<b>2.</b> And your surname?"]

        # A state the participant stands in disappears: one line, then back to /start.
        workspace.edit(START, "  - AskLastNameState\n", "  - AskSurnameState\n")
        workspace.edit(START, "  AskLastNameState:\n", "  AskSurnameState:\n")
        assert run_runner("reload", timeout=90, **dirs).returncode == 0
        assert bot.stderr().count("reloaded: ") == 2
        texts = taras.send("Shevchenko", replies=3).texts
        assert texts[0] == ("The bot has been updated and that step is gone. Here is where "
                            "you are now:")
        assert texts[-1] == "<b>2.</b> And your surname?"  # the first name is kept


def test_reload_refuses_a_broken_edit_before_signalling(tmp_path: Path) -> None:
    workspace = Workspace(tmp_path / "edit")
    line = workspace.edit(START, "    next: ProfileState\n", "    next: ProfileStat\n")
    done = run_runner("reload", PID_FILE=str(tmp_path / "none.pid"),
                      **{k: v for k, v in workspace.environment().items() if k.endswith("_DIR")})
    assert done.returncode == 1
    assert done.stderr.splitlines()[0] == (
        f"{START}:{line}: unknown state 'ProfileStat' in flow 'start'; did you mean "
        "'ProfileState'?")
    done = run_runner("reload", PID_FILE=str(tmp_path / "none.pid"))
    assert done.returncode == 2
    assert done.stderr.startswith("error: no running bot to reload (PID_FILE ")
