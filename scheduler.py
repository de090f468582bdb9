#!/usr/bin/env python3
"""Run one weekly job now, for the round it is due for, then deliver the outbox: what cron calls.

    python scheduler.py invite|match|feedback [--dry-run] [--seed N] [-q]

Exits 0 when the job ran (or had already run: every job runs once per round), non-zero with one
line on stderr when it cannot (a setting, the flows, the token, the database).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Sequence

from engine.app import Bot, FlowsInvalid, build_bot
from engine.coffee.jobs import JOBS, preview, run_job
from engine.coffee.outbox import DeliveryReport, deliver_outbox
from engine.dialog.profile import profile_fields
from engine.settings import Settings, SettingsError, load_settings
from engine.store import DatabaseUrlError, User

log = logging.getLogger("scheduler")


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING if args.quiet else logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        settings = load_settings()
        if not args.dry_run:
            settings.require_token()
        bot = build_bot(settings)
    except (SettingsError, DatabaseUrlError) as error:
        return _fail(str(error), 2)
    except FlowsInvalid as error:
        return _fail(f"{len(error.problems)} problem(s) in the flows, the first: "
                     f"{error.problems[0]} (see `python runner.py lint`)", 1)
    try:
        return _run(bot, settings, args)
    except Exception as error:
        log.debug("details", exc_info=True)
        return _fail(f"{args.job} failed: {type(error).__name__}: {error}", 1)
    finally:
        bot.database.close()


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="scheduler.py", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("job", choices=tuple(JOBS), help="the job to run now")
    parser.add_argument("--dry-run", action="store_true",
                        help="print what the job would do; store and send nothing")
    parser.add_argument("--seed", type=int, default=0, help="matching seed (default 0)")
    parser.add_argument("-q", "--quiet", action="store_true", help="log warnings only")
    return parser


def _run(bot: Bot, settings: Settings, args: argparse.Namespace) -> int:
    now = bot.engine.settings.clock()
    schedule = bot.schedule_now()
    week = schedule.round_for(args.job, now)
    if args.dry_run:
        lines = preview(args.job, week, profile_fields(bot.parts.library), seed=args.seed)
        print(f"{args.job} {week.isoformat()} (dry run, nothing stored or sent):")
        print("\n".join(lines) if lines else "nothing to do")
        return 0
    outcome = run_job(bot.engine, schedule, args.job, week, seed=args.seed)
    print(outcome.line())
    print(asyncio.run(_deliver(bot, settings)).line())
    return 0


async def _deliver(bot: Bot, settings: Settings) -> DeliveryReport:
    from engine.transports.telegram import telegram_sender

    async with telegram_sender(settings, User.mark_unreachable) as send:
        return await deliver_outbox(send, clock=bot.engine.settings.clock)


def _fail(message: str, code: int) -> int:
    print(f"error: {message}", file=sys.stderr)
    return code


if __name__ == "__main__":
    sys.exit(main())
