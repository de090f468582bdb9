"""What every benchmark script shares: its command line, settings for a scratch database, and
one printed line per timed step.

    from bench.harness import options, scratch_settings, timed

    args = options(__doc__, users=10_000, rounds=52)   # --users N --rounds N, help from __doc__
    with scratch_settings(ORGANIZER_IDS="1") as settings:  # SQLite on disk, removed afterwards
        rows = timed("export", export, lambda seconds: f"{seconds:.2f} s")
    with scratch_postgres("postgresql://postgres@127.0.0.1/postgres") as settings:
        ...                                            # a database of its own on that server
"""

from __future__ import annotations

import argparse
import itertools
import os
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar
from urllib.parse import urlsplit, urlunsplit

from coffee.bot_settings import BotSettings, load_bot_settings

T = TypeVar("T")


def options(usage: str | None, **defaults: float) -> argparse.Namespace:
    """Parse the command line: one `--name VALUE` option per keyword, of its default's type
    (int or float); `usage` (the script's docstring) is the help text, shown as written."""
    parser = argparse.ArgumentParser(description=usage,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    for name, default in defaults.items():
        parser.add_argument(f"--{name}", type=type(default), default=default)
    return parser.parse_args()


@contextmanager
def scratch_settings(**settings: str) -> Iterator[BotSettings]:
    """Settings whose database is a fresh SQLite file in a temporary folder (deleted on exit),
    with `settings` added; nothing is read from the environment's `.env`."""
    with tempfile.TemporaryDirectory() as folder:
        workdir = Path(folder)
        yield load_bot_settings({"DATABASE_URL": f"sqlite:///{workdir / 'bench.sqlite3'}",
                             **settings}, env_file=workdir / "none.env")


def timed(what: str, action: Callable[[], T], figures: Callable[[float], str]) -> T:
    """Run `action`, print `what` and `figures(the seconds it took)` on one line, and return
    what the action returned."""
    started = time.perf_counter()
    result = action()
    print(f"{what:<38} {figures(time.perf_counter() - started)}")
    return result


_scratch_numbers = itertools.count(1)


@contextmanager
def scratch_postgres(server_url: str, **settings: str) -> Iterator[BotSettings]:
    """Settings whose database is a fresh database on the PostgreSQL server `server_url`
    names (created for the benchmark, dropped on exit), with `settings` added."""
    import psycopg

    name = f"bench_{os.getpid()}_{next(_scratch_numbers)}"
    with psycopg.connect(server_url, autocommit=True) as server:
        server.execute(f'CREATE DATABASE "{name}"')
    try:
        with tempfile.TemporaryDirectory() as folder:
            url = urlunsplit(urlsplit(server_url)._replace(path=f"/{name}"))
            yield load_bot_settings({"DATABASE_URL": url, **settings},
                                env_file=Path(folder) / "none.env")
    finally:
        with psycopg.connect(server_url, autocommit=True) as server:
            server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
