"""Explore the whole dialogue for a while and print what was covered (or the defect found).

    python bench/explore.py --minutes 10            # the flows, templates and catalogs in the
    python bench/explore.py --minutes 10 --seed 7   # tree, on a scratch SQLite database

Every flow, state, command and language the bot has is walked by a cast of participants and
organizers, with the weekly jobs in between, and every step is checked (tests/kit/explorer).
FLOWS_DIR, TEMPLATES_DIR and LOCALES_DIR in the environment point it at edited copies. A
defect found stops the run with the few steps that show it, as a test to paste into
tests/explore/test_found.py; the exit code is then 1.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

sys.path.pop(0)  # this folder: its engine.py would shadow the engine package
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import options, scratch_settings
from coffee.app import build_bot
from tests.kit.clock import Clock
from tests.kit.explorer import ORGANIZER_IDS, Explorer, Found, World


def main() -> int:
    args = options(__doc__, minutes=1.0, seed=1)
    folders = {name: os.environ[name] for name in ("FLOWS_DIR", "TEMPLATES_DIR", "LOCALES_DIR")
               if name in os.environ}
    admins = ",".join(str(user_id) for user_id in ORGANIZER_IDS)
    with scratch_settings(ADMIN_IDS=admins, **folders) as settings:
        clock = Clock()
        bot = build_bot(settings, clock=clock)
        explorer = Explorer(World(bot, clock), seed=args.seed)
        started = time.monotonic()
        try:
            explorer.run(args.minutes * 60, progress=lambda line: print(
                f"{time.monotonic() - started:6.0f} s  {line}", flush=True))
        except Found as found:
            print(found)
            return 1
        finally:
            bot.database.close()
        print(f"nothing found in {time.monotonic() - started:.0f} s (seed {args.seed})")
        print(explorer.summary())
    return 0


if __name__ == "__main__":
    sys.exit(main())
