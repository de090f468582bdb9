"""What every benchmark script shares: its command line, and settings for a scratch database.

    from bench.harness import options, scratch_settings

    args = options(__doc__, users=10_000, rounds=52)   # --users N --rounds N, help from __doc__
    with scratch_settings(ADMIN_IDS="1") as settings:  # SQLite on disk, removed afterwards
        ...
"""

from __future__ import annotations

import argparse
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from engine.settings import Settings, load_settings


def options(usage: str | None, **defaults: float) -> argparse.Namespace:
    """Parse the command line: one `--name VALUE` option per keyword, of its default's type
    (int or float); `usage` (the script's docstring) is the help text, shown as written."""
    parser = argparse.ArgumentParser(description=usage,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    for name, default in defaults.items():
        parser.add_argument(f"--{name}", type=type(default), default=default)
    return parser.parse_args()


@contextmanager
def scratch_settings(**settings: str) -> Iterator[Settings]:
    """Settings whose database is a fresh SQLite file in a temporary folder (deleted on exit),
    with `settings` added; nothing is read from the environment's `.env`."""
    with tempfile.TemporaryDirectory() as folder:
        workdir = Path(folder)
        yield load_settings({"DATABASE_URL": f"sqlite:///{workdir / 'bench.sqlite3'}",
                             **settings}, env_file=workdir / "none.env")
