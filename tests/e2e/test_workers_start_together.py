"""Several processes starting at once on one database (webhook workers, the panel, cron's
scheduler) end with one schema and every migration recorded once, whether the database was
empty or one migration behind."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from coffee.models import SCHEMA, SCHEMAS, AccessEntry, AuditEntry, Broadcast, NoteRead, Organizer
from engine.store import open_database
from tests.kit.databases import database_url, query
from tests.kit.running import REPO_ROOT, runner_env

WORKERS = 4
MIGRATION_NAMES = SCHEMA.migration_names()


def start_together(url: str) -> list[subprocess.CompletedProcess[str]]:
    env = runner_env(DATABASE_URL=url, ORGANIZER_IDS="999")
    processes = [subprocess.Popen([sys.executable, "runner.py", "access", "list"],
                                  cwd=REPO_ROOT, env=env, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True)
                 for _ in range(WORKERS)]
    done = []
    for process in processes:
        stdout, stderr = process.communicate(timeout=60)
        done.append(subprocess.CompletedProcess(process.args, process.returncode, stdout,
                                                stderr))
    return done


def assert_all_came_up(done: list[subprocess.CompletedProcess[str]], url: str) -> None:
    for process in done:
        assert process.returncode == 0, process.stderr
        assert "registration mode: open" in process.stdout
    assert query(url, "select name from schema_migration order by name") == [
        (name,) for name in MIGRATION_NAMES]


def test_workers_starting_on_an_empty_database_all_come_up(tmp_path: Path) -> None:
    url = database_url(tmp_path / "bot.sqlite3", empty=True)
    assert_all_came_up(start_together(url), url)


def test_workers_starting_on_an_old_schema_migrate_it_once(tmp_path: Path) -> None:
    url = database_url(tmp_path / "bot.sqlite3")
    db = open_database(url, SCHEMAS)
    db.drop_tables([Organizer, AuditEntry, AccessEntry, NoteRead, Broadcast])
    db.execute_sql("delete from schema_migration where name = '0003_organizer_tools'")
    db.close()

    assert_all_came_up(start_together(url), url)
    assert query(url, "select count(*) from access_entry") == [(0,)]
