"""What one run of a weekly job works with: the engine, the schedule, the round's week."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from coffee.cycle.schedule import Schedule
from engine.dialog.engine import ConversationEngine


@dataclass(frozen=True)
class JobContext:
    engine: ConversationEngine
    schedule: Schedule
    week: dt.date
    seed: int = 0
    # Renews the job's claim; long jobs call it as they log progress.
    keep_alive: Callable[[], None] = field(default=lambda: None)

    def now(self) -> dt.datetime:
        return self.engine.settings.clock()
