"""Progress of a long piece of work in the log: done / total, rate and ETA, every few seconds."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

log = logging.getLogger(__name__)

EVERY_SECONDS = 5.0


class ProgressLog:
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
