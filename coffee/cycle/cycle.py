"""The weekly schedule inside the bot's process: run every job that is due, then deliver.

`runner.py polling|webhook` hands `WeeklyCycle.run_forever` to the transport as a background
task when SCHEDULE_IN_PROCESS is on. Every poll it runs each phase `Schedule.due(now)` lists
whose job has not finished for its round (so a job missed while the bot was down runs when it
comes back, within its window, and never twice), then delivers the pending outbox. Between polls
it looks every few seconds for rows newly queued by any process (an organizer's broadcast from
the bot or the panel) and then polls at once; after a poll the database failed (a restart, a
full disk) it polls again every few seconds until one goes through. Jobs run in a worker
thread so that the bot keeps answering participants meanwhile; cron runs of `scheduler.py` can
coexist, since every job run is claimed in the database first.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from peewee import Database

from coffee.cycle.jobs import JobOutcome, run_job
from coffee.cycle.rounds import ClaimState, job_finished
from coffee.cycle.schedule import Phase, Schedule
from engine.delivery import Delivery
from engine.delivery.outbox import DeliveryReport, newest_queued
from engine.dialog.delivery import SendReply
from engine.dialog.engine import ConversationEngine
from engine.store import off_loop, outage

log = logging.getLogger("coffee.cycle")

POLL_SECONDS = 60.0
QUEUE_CHECK_SECONDS = 3.0  # between polls, how often to look for something new to deliver


@dataclass(frozen=True)
class WeeklyCycle:
    """The weekly jobs of one bot, run from inside its process."""

    engine: ConversationEngine
    schedule: Schedule
    database: Database
    delivery: Delivery  # the bot's one way of delivering its outbox
    # the schedule as it stands at each poll (organizers change times without a restart)
    live: Callable[[], Schedule] | None = None

    def current(self) -> Schedule:
        return self.live() if self.live is not None else self.schedule

    async def run_due_jobs(self, now: dt.datetime) -> list[JobOutcome]:
        """Run every phase due at `now` that has not finished, oldest first."""
        outcomes = []
        schedule = await off_loop(self.current)  # the organizers' stored times
        for phase in schedule.due(now):
            if await off_loop(partial(job_finished, phase.week, phase.job)):
                continue
            outcome = await asyncio.to_thread(self._run_phase, schedule, phase)
            if outcome.state is not ClaimState.CLAIMED:
                log.info("%s", outcome.line())
            outcomes.append(outcome)
        return outcomes

    def _run_phase(self, schedule: Schedule, phase: Phase) -> JobOutcome:
        try:
            return run_job(self.engine, schedule, phase.job, phase.week)
        finally:
            self.database.close()  # this worker thread's connection

    async def run_once(self, send: SendReply, *,
                       clock: Callable[[], dt.datetime] | None = None,
                       retry_for: dt.timedelta = dt.timedelta(seconds=POLL_SECONDS),
                       ) -> tuple[list[JobOutcome], DeliveryReport]:
        """One poll: the due jobs, then the outbox (a failing message is tried again within
        `retry_for`, then at the next poll)."""
        clock = clock or self.engine.settings.clock
        outcomes = await self.run_due_jobs(clock())
        report = await self.delivery.deliver(send, retry_for=retry_for)
        if report.sent or report.left or report.unreachable or report.refused:
            log.info("%s", report.line())
        return outcomes, report

    async def run_forever(self, send: SendReply, *,
                          clock: Callable[[], dt.datetime] | None = None,
                          poll_seconds: float = POLL_SECONDS) -> None:
        """Poll forever (until cancelled); a failing poll is retried at the next one, or
        within seconds when the database failed it (gone, or its disk full): the delivery goes
        on as soon as the database is back. A bug is logged with its traceback once, not at
        every poll, and once more in one line when a poll works again."""
        failing = ""  # the bug the last poll failed with: its traceback is logged once
        while True:
            seen = await self._newest_queued()
            pause = poll_seconds
            try:
                await self.run_once(send, clock=clock,
                                    retry_for=dt.timedelta(seconds=poll_seconds))
            except Exception as error:
                if outage.noted(error):  # logged once per outage
                    pause = QUEUE_CHECK_SECONDS
                elif f"{type(error).__name__}: {error}" != failing:
                    failing = f"{type(error).__name__}: {error}"
                    log.exception("the weekly schedule failed; trying again every %.0fs",
                                  poll_seconds)
            else:
                if failing:
                    log.warning("the weekly schedule works again (it failed with %s)", failing)
                failing = ""
            await self._pause(pause, seen)

    async def _pause(self, seconds: float, seen: int | None) -> None:
        """Until the next poll; sooner once the outbox holds rows newer than `seen`, queued by
        any process (a broadcast from the bot or the panel, a job run now)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + seconds
        while True:
            newest = await self._newest_queued()
            if seen is not None and newest is not None and newest != seen:
                return
            left = deadline - loop.time()
            if left <= 0:
                return
            await asyncio.sleep(min(QUEUE_CHECK_SECONDS, left))

    async def _newest_queued(self) -> int | None:
        """None while the database does not answer (engine.store.outage logs that once)."""
        try:
            return await off_loop(newest_queued)
        except outage.DatabaseUnavailable:
            return None
