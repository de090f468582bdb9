"""`runner.py access` for operators: add to the allow and block lists, remove, list; a bad
name is one line on stderr with exit code 2; the change is in the audit log as the operator's."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from coffee.models import AccessEntry, AuditEntry
from engine.store import User
from tests.kit.community import Community
from tests.kit.databases import database_url

RUNNER = Path(__file__).resolve().parents[3] / "runner.py"


def access(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    environment = {key: value for key, value in os.environ.items()
                   if key not in ("BOT_TOKEN", "DATABASE_URL", "ORGANIZER_IDS")}
    environment.update(DATABASE_URL=database_url(tmp_path / "bot.sqlite3"), ORGANIZER_IDS="999")
    return subprocess.run([sys.executable, str(RUNNER), "access", *args], cwd=tmp_path,
                          env=environment, capture_output=True, text=True, timeout=60)


def test_operators_manage_the_lists_from_the_command_line(town: Community, tmp_path: Path):
    town.register(55, username="spam_bot_55")
    allowed = access(tmp_path, "allow", "@Friend_One")
    assert (allowed.returncode, allowed.stdout) == (0, "@friend_one: on the allow list\n")
    assert access(tmp_path, "block", "@spam_bot_55").returncode == 0
    assert User.get_by_id(55).enabled is False  # blocking someone known bans them
    assert access(tmp_path, "block", "12345").returncode == 0
    listed = access(tmp_path, "list")
    assert listed.stdout.splitlines() == ["allow\t@friend_one", "block\t@spam_bot_55",
                                          "block\t12345", "registration mode: open"]
    removed = access(tmp_path, "remove", "12345")
    assert removed.stdout == "12345: removed from the block list\n"
    assert AccessEntry.select().count() == 2
    bad = access(tmp_path, "allow", "not a name")
    assert bad.returncode == 2
    assert bad.stderr.startswith("error: “not a name” is neither an @username nor a numeric id")
    assert len(bad.stderr.splitlines()) == 1
    missing = access(tmp_path, "remove", "777")
    assert (missing.returncode, missing.stderr) == (2, "error: 777 is on neither list.\n")
    assert access(tmp_path, "block").returncode == 2
    assert {row.actor for row in AuditEntry.select()} == {0}
