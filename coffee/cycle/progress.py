"""Progress of a long job in the log (done / total, rate, ETA) and the summary it ends with."""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field

log = logging.getLogger("coffee.cycle")

EVERY_SECONDS = 5.0


class Progress:
    """Logs `what: done/total (percent), rate/s, ETA` at most every few seconds.

    Rates use the machine's monotonic clock, whatever clock the jobs are given.
    """

    def __init__(self, what: str, total: int, *, every: float = EVERY_SECONDS,
                 on_log: Callable[[], None] | None = None) -> None:
        self.what = what
        self.total = total
        self.done_count = 0
        self.every = every
        self.on_log = on_log
        self.started = time.monotonic()
        self.logged = self.started

    def step(self, count: int = 1) -> None:
        self.done_count += count
        now = time.monotonic()
        if now - self.logged >= self.every:
            self.logged = now
            log.info("%s", self.line(now))
            if self.on_log is not None:
                self.on_log()

    def line(self, now: float | None = None) -> str:
        elapsed = max((now or time.monotonic()) - self.started, 1e-9)
        rate = self.done_count / elapsed
        left = max(self.total - self.done_count, 0)
        eta = f"{left / rate:.0f}s" if rate else "?"
        percent = 100 * self.done_count / self.total if self.total else 100
        return (f"{self.what}: {self.done_count}/{self.total} ({percent:.0f}%), "
                f"{rate:.0f}/s, ETA {eta}")

    def done(self) -> None:
        if self.done_count:
            log.info("%s, finished in %.1fs", self.line(), time.monotonic() - self.started)


@dataclass
class Summary:
    """What a job did, as counts in a fixed order plus notes for the organizers."""

    job: str
    week: dt.date
    counts: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def add(self, what: str, count: int = 1) -> None:
        self.counts[what] = self.counts.get(what, 0) + count

    def line(self) -> str:
        counts = ", ".join(f"{what} {count}" for what, count in self.counts.items())
        text = f"{self.job} {self.week.isoformat()}: {counts or 'nothing to do'}"
        return "; ".join([text, *self.notes])
