#!/usr/bin/env python3
"""Run one weekly job now, for the round it is due for, then deliver the outbox: what cron calls.

    python scheduler.py invite|match|feedback [--week YYYY-MM-DD] [--dry-run] [--seed N] [-q]
    python scheduler.py deliver [-q]

It prints which round the job worked on and a delivery summary. Exit codes:
  0  done (or done before: every job runs once per round), everything delivered or in the
     hands of another live sender (a second line says how many are in progress elsewhere)
  1  the job failed with an error, or the flows have problems
  2  it cannot run: a setting, the token or the database (read-only, full); one line on stderr
  3  messages are left undelivered (one line on stderr: how many, why, until when
     `scheduler.py deliver` tries them again)
  4  nothing to do: now is outside the job's window (one line on stderr names the round and
     when its window opens); `--week` runs the job for a named round at any time
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import logging
import sys
from collections.abc import Sequence

from peewee import OperationalError

from coffee.app import Bot, build_bot
from coffee.bot_settings import BotSettings, load_bot_settings
from coffee.cycle.jobs import JOBS, preview, run_job
from coffee.cycle.schedule import Schedule, monday_of
from engine.assembly import FlowsInvalid
from engine.delivery.outbox import DeliveryReport
from engine.dialog.profile import profile_fields
from engine.settings import SettingsError
from engine.store import DatabaseUrlError, database_problem, outage, redacted

log = logging.getLogger("scheduler")

DONE, FAILED, CANNOT_RUN, LEFT_UNDELIVERED, OUTSIDE_WINDOW = 0, 1, 2, 3, 4
DELIVER = "deliver"


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING if args.quiet else logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        settings = load_bot_settings()
        if not args.dry_run:
            settings.require_token()
    except SettingsError as error:
        return _fail(str(error), CANNOT_RUN)
    try:
        bot = build_bot(settings)
    except (SettingsError, DatabaseUrlError) as error:
        return _fail(str(error), CANNOT_RUN)
    except FlowsInvalid as error:
        return _fail(f"{len(error.problems)} problem(s) in the flows, the first: "
                     f"{error.problems[0]} (see `python runner.py lint`)", FAILED)
    except OperationalError as error:
        return _fail(database_problem(settings.database_url, error) or str(error), CANNOT_RUN)
    try:
        return _run(bot, settings, args)
    except SettingsError as error:
        return _fail(str(error), CANNOT_RUN)
    except OperationalError as error:
        problem = database_problem(settings.database_url, error)
        if problem is None:
            raise
        return _fail(problem, CANNOT_RUN)
    except outage.DatabaseUnavailable as error:  # gone or full while it delivered
        cause = error.__cause__ if isinstance(error.__cause__, Exception) else error
        return _fail(database_problem(settings.database_url, cause)
                     or f"the database {redacted(settings.database_url)} does not answer "
                        f"({error}): run again when it is back", CANNOT_RUN)
    except Exception as error:
        log.debug("details", exc_info=True)
        return _fail(f"{args.job} failed: {type(error).__name__}: {error}", FAILED)
    finally:
        bot.database.close()


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="scheduler.py", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("job", choices=(*JOBS, DELIVER),
                        help="the job to run now, or only deliver what is queued")
    parser.add_argument("--week", type=dt.date.fromisoformat, default=None,
                        help="the round (its Monday) to run the job for, whatever the time")
    parser.add_argument("--dry-run", action="store_true",
                        help="print what the job would do; store and send nothing")
    parser.add_argument("--seed", type=int, default=0, help="matching seed (default 0)")
    parser.add_argument("-q", "--quiet", action="store_true", help="log warnings only")
    return parser


def _run(bot: Bot, settings: BotSettings, args: argparse.Namespace) -> int:
    if args.job != DELIVER:
        now = bot.engine.settings.clock()
        schedule = bot.schedule_now()  # with the organizers' changes
        week = args.week or _due_round(schedule, args.job, now)
        if week is None:
            return _fail(_outside_window(schedule, args.job, now), OUTSIDE_WINDOW)
        if args.dry_run:
            lines = preview(args.job, week, profile_fields(bot.parts.library),
                            seed=args.seed)
            print(f"{args.job} {week.isoformat()} (dry run, nothing stored or sent):")
            print("\n".join(lines) if lines else "nothing to do")
            return DONE
        print(run_job(bot.engine, schedule, args.job, week, seed=args.seed).line())
    report = asyncio.run(_deliver(bot, settings))
    print(report.line())
    if report.elsewhere:
        print(report.elsewhere_line())
    if report.left:
        return _fail(report.left_line(), LEFT_UNDELIVERED)
    return DONE


def _due_round(schedule: Schedule, job: str, now: dt.datetime) -> dt.date | None:
    """The round whose window for `job` is open now, if any."""
    return next((phase.week for phase in schedule.due(now) if phase.job == job), None)


def _outside_window(schedule: Schedule, job: str, now: dt.datetime) -> str:
    """Why `job` has nothing to do now: the next round's time, and when the last one's window
    closed."""
    this_week = monday_of(now.astimezone(schedule.zone).date())
    weeks = [this_week + dt.timedelta(days=7 * offset) for offset in (-1, 0, 1, 2)]
    upcoming = min(week for week in weeks if schedule.due_at(job, week) > now)
    last = max(week for week in weeks if schedule.due_at(job, week) <= now)

    def local(moment: dt.datetime) -> str:
        return moment.astimezone(schedule.zone).strftime("%Y-%m-%d %H:%M")

    return (f"{job}: nothing to do at {local(now)}: the round of {upcoming.isoformat()} is due "
            f"at {local(schedule.due_at(job, upcoming))}; the window of the round of "
            f"{last.isoformat()} closed at {local(schedule.window_end(job, last))} "
            f"(`scheduler.py {job} --week YYYY-MM-DD` runs it for a named round now)")


async def _deliver(bot: Bot, settings: BotSettings) -> DeliveryReport:
    from engine.transports.telegram import telegram_sender

    async with telegram_sender(settings) as send:
        return await bot.delivery.deliver(send, retry_for=settings.delivery_retry)


def _fail(message: str, code: int) -> int:
    print(f"error: {message}", file=sys.stderr)
    return code


if __name__ == "__main__":
    sys.exit(main())
